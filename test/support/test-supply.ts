import { Provider } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AGREEMENT_SUPPLY, AgreementForOrder, AgreementSupply, LISTING_PRICES, ListingPriceInForce, ListingPrices } from '../../src/platform/ports/context-ports';
import { TestApp } from '@libs/testing';

/**
 * Test-only stand-ins for the agreements and listing contexts, backed by two small tables the test creates
 * in its own database. They behave like the real ports (same transaction, atomic counter with a CHECK), so
 * orders can be tested end to end before those contexts are wired in.
 */
export const TEST_SUPPLY_DDL = `
  CREATE TABLE IF NOT EXISTS test_agreement (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    hospital_id uuid NOT NULL,
    product_id uuid NOT NULL,
    manufacturer_id uuid NOT NULL,
    unit_price numeric(18,4) NOT NULL,
    agreed_quantity bigint NOT NULL,
    purchased_quantity bigint NOT NULL DEFAULT 0 CHECK (purchased_quantity >= 0),
    cycle_start timestamptz NOT NULL,
    cycle_end timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS test_agreement_lookup ON test_agreement (hospital_id, product_id);
  CREATE TABLE IF NOT EXISTS test_listing (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id uuid NOT NULL,
    manufacturer_id uuid NOT NULL,
    unit_price numeric(18,4) NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz
  );
  CREATE INDEX IF NOT EXISTS test_listing_lookup ON test_listing (product_id);`;

class TestAgreementSupply implements AgreementSupply {
  async findForOrder(em: EntityManager, hospitalId: string, productIds: string[], at: Date): Promise<Map<string, AgreementForOrder>> {
    const rows = await em.query(
      `SELECT DISTINCT ON (product_id) product_id, id, unit_price::text AS unit_price, manufacturer_id, cycle_start, cycle_end FROM test_agreement
        WHERE hospital_id = $1 AND product_id = ANY($2::uuid[]) AND cycle_start <= $3 AND cycle_end > $3 ORDER BY product_id`,
      [hospitalId, productIds, at],
    );
    return new Map(
      rows.map((row: any) => [
        row.product_id,
        { agreementId: row.id, unitPrice: row.unit_price, manufacturerId: row.manufacturer_id, roundId: row.id, lotId: row.id, cycleStart: row.cycle_start, cycleEnd: row.cycle_end },
      ]),
    );
  }

  async addAcceptedQuantity(em: EntityManager, agreementId: string, delta: number): Promise<void> {
    await em.query(`UPDATE test_agreement SET purchased_quantity = purchased_quantity + $2 WHERE id = $1`, [agreementId, delta]);
  }
}

class TestListingPrices implements ListingPrices {
  async pricesInForce(em: EntityManager, productIds: string[], _regionCode: string, at: Date): Promise<Map<string, ListingPriceInForce>> {
    const rows = await em.query(
      `SELECT DISTINCT ON (product_id) product_id, id, unit_price::text AS unit_price, manufacturer_id FROM test_listing
        WHERE product_id = ANY($1::uuid[]) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) ORDER BY product_id, valid_from DESC`,
      [productIds, at],
    );
    return new Map(rows.map((row: any) => [row.product_id, { listingId: row.id, unitPrice: row.unit_price, manufacturerId: row.manufacturer_id }]));
  }
}

export const TEST_SUPPLY_PROVIDERS: Provider[] = [
  { provide: AGREEMENT_SUPPLY, useClass: TestAgreementSupply },
  { provide: LISTING_PRICES, useClass: TestListingPrices },
];

/** Ids of demo records by their stable keys. */
export async function demoIds(t: TestApp) {
  const orgs: { external_key: string; id: string; region_code: string }[] = await t.sql(`SELECT external_key, id, region_code FROM organisation WHERE external_key IS NOT NULL`);
  const products: { external_key: string; id: string; manufacturer_id: string }[] = await t.sql(`SELECT external_key, id, manufacturer_id FROM product WHERE external_key IS NOT NULL`);
  const org = new Map(orgs.map((o) => [o.external_key, o.id]));
  const product = new Map(products.map((p) => [p.external_key, p]));
  return {
    org: (key: string) => org.get(key) ?? fail(`no organisation ${key}`),
    product: (key: string) => product.get(key)?.id ?? fail(`no product ${key}`),
    manufacturerOf: (key: string) => product.get(key)?.manufacturer_id ?? fail(`no product ${key}`),
  };
}

function fail(message: string): never {
  throw new Error(message);
}

export async function installTestSupply(t: TestApp): Promise<void> {
  await t.sql(TEST_SUPPLY_DDL);
}

export async function addTestAgreement(t: TestApp, a: { hospitalId: string; productId: string; manufacturerId: string; unitPrice: string; agreedQuantity: number; from: string; to: string }): Promise<string> {
  const [row] = await t.sql(
    `INSERT INTO test_agreement (hospital_id, product_id, manufacturer_id, unit_price, agreed_quantity, cycle_start, cycle_end) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [a.hospitalId, a.productId, a.manufacturerId, a.unitPrice, a.agreedQuantity, a.from, a.to],
  );
  return row.id;
}

export async function addTestListing(t: TestApp, l: { productId: string; manufacturerId: string; unitPrice: string; from: string; to?: string | null }): Promise<string> {
  const [row] = await t.sql(`INSERT INTO test_listing (product_id, manufacturer_id, unit_price, valid_from, valid_to) VALUES ($1,$2,$3,$4,$5) RETURNING id`, [
    l.productId,
    l.manufacturerId,
    l.unitPrice,
    l.from,
    l.to ?? null,
  ]);
  return row.id;
}
