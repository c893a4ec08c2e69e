import { TestApp } from '@test/harness';

/**
 * Supply for order tests, written straight into the owning contexts' tables (volume_agreement; listing with
 * its open price period) the way those contexts store them, so orders run through the real
 * AGREEMENT_SUPPLY and LISTING_PRICES ports without a whole tender round or listing review per test.
 */

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

export async function addTestAgreement(t: TestApp, a: { hospitalId: string; productId: string; manufacturerId: string; unitPrice: string; agreedQuantity: number; from: string; to: string }): Promise<string> {
  const [row] = await t.sql(
    `INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id,
                                   annual_quantity, agreed_quantity, awarded_unit_price, cycle_start, cycle_end)
     SELECT gen_random_uuid(), gen_random_uuid(), p.variety_id, o.id, o.region_code, $3, p.id, gen_random_uuid(), $5, $5, $4, $6, $7
       FROM organisation o, product p WHERE o.id = $1 AND p.id = $2
     RETURNING id`,
    [a.hospitalId, a.productId, a.manufacturerId, a.unitPrice, a.agreedQuantity, a.from, a.to],
  );
  return row.id;
}

/** A LISTED listing in Henan (the demo province) from `from`, optionally ending at `to`. */
export async function addTestListing(t: TestApp, l: { productId: string; manufacturerId: string; unitPrice: string; from: string; to?: string | null }): Promise<string> {
  const [row] = await t.sql(
    `WITH l AS (
       INSERT INTO listing (product_id, manufacturer_id, region_code, state, unit_price, policy_version)
       VALUES ($1, $2, '410000', 'LISTED', $3, 'test') RETURNING id)
     INSERT INTO listing_price_history (listing_id, product_id, manufacturer_id, unit_price, state, valid_from, valid_to, reason)
     SELECT l.id, $1, $2, $3, 'LISTED', $4, $5, 'test supply' FROM l RETURNING listing_id AS id`,
    [l.productId, l.manufacturerId, l.unitPrice, l.from, l.to ?? null],
  );
  return row.id;
}
