import { randomUUID } from 'crypto';
import type { TestApp } from '@libs/testing';

/**
 * Stand-ins for the read models other contexts publish (docs/context-contracts.md), with exactly the
 * contract's names and columns, so supervision's real monitoring SQL runs against real PostgreSQL before
 * those contexts are merged. A stand-in is created only when no relation of that name exists; once the owning
 * context's migration creates the real view, `standIns` no longer lists it and rows must come from that
 * context instead (insertInto refuses to write into a real view).
 */
export const STAND_IN_DDL: Record<string, string> = {
  v_order_line_fact: `(order_line_id uuid PRIMARY KEY, order_id uuid NOT NULL, hospital_id uuid NOT NULL, region_code char(6) NOT NULL,
    manufacturer_id uuid NOT NULL, distributor_id uuid, product_id uuid NOT NULL, variety_id uuid, source text NOT NULL,
    agreement_id uuid, listing_id uuid, unit_price numeric(18,4) NOT NULL, ordered_quantity bigint NOT NULL,
    delivered_quantity bigint NOT NULL, delivered_within_sla_quantity bigint NOT NULL, accepted_quantity bigint NOT NULL,
    ordered_at timestamptz NOT NULL, emergency boolean NOT NULL DEFAULT false, state text NOT NULL)`,
  v_off_platform_purchase: `(report_id uuid PRIMARY KEY, hospital_id uuid NOT NULL, region_code char(6) NOT NULL, product_id uuid,
    variety_id uuid, month date NOT NULL, quantity bigint NOT NULL, amount_fen bigint NOT NULL)`,
  v_volume_agreement: `(agreement_id uuid PRIMARY KEY, round_id uuid NOT NULL, lot_id uuid NOT NULL, variety_id uuid NOT NULL,
    hospital_id uuid NOT NULL, region_code char(6) NOT NULL, manufacturer_id uuid NOT NULL, product_id uuid NOT NULL, bid_id uuid NOT NULL,
    agreed_quantity bigint NOT NULL, purchased_quantity bigint NOT NULL, awarded_unit_price numeric(18,4) NOT NULL,
    pre_vbp_unit_price numeric(18,4), cycle_start timestamptz NOT NULL, cycle_end timestamptz NOT NULL, state text NOT NULL)`,
  v_listing_price: `(listing_id uuid NOT NULL, product_id uuid NOT NULL, manufacturer_id uuid NOT NULL, unit_price numeric(18,4) NOT NULL,
    valid_from timestamptz NOT NULL, valid_to timestamptz, state text NOT NULL)`,
  v_reference_price: `(product_id uuid, province_code char(6) NOT NULL, generic_name text NOT NULL, manufacturer_id uuid,
    dosage_form text, spec text NOT NULL, unit_price numeric(18,4) NOT NULL, source text NOT NULL)`,
  v_credit_rating: `(organisation_id uuid NOT NULL, level text NOT NULL, policy_version text NOT NULL, rated_at timestamptz NOT NULL)`,
  v_payable_line: `(line_id uuid PRIMARY KEY, hospital_id uuid NOT NULL, region_code char(6) NOT NULL, manufacturer_id uuid NOT NULL,
    amount_fen bigint NOT NULL, accepted_at timestamptz NOT NULL, due_at timestamptz NOT NULL, paid_at timestamptz, batch_id uuid,
    agreement_id uuid)`,
  // tendering has not documented v_round_result yet: these are the columns the OCDS export reads (one row per lot × bid)
  v_round_result: `(round_id uuid NOT NULL, round_code text NOT NULL, round_title text NOT NULL, round_state text NOT NULL,
    organiser_id uuid NOT NULL, bid_deadline timestamptz, lot_id uuid NOT NULL, variety_name text NOT NULL, reference_unit text NOT NULL,
    lot_quantity bigint NOT NULL, max_unit_price numeric(18,4), bid_id uuid, manufacturer_id uuid, bid_status text,
    unit_price numeric(18,4), awarded_quantity bigint, decided_at timestamptz)`,
};

/** Creates the missing stand-ins; returns the names it created (what still runs on stand-ins). */
export async function ensureStandIns(t: TestApp): Promise<string[]> {
  const created: string[] = [];
  for (const [name, columns] of Object.entries(STAND_IN_DDL)) {
    const [row] = await t.sql<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]);
    if (row.present) continue;
    await t.sql(`CREATE TABLE ${name} ${columns}`);
    await t.sql(`COMMENT ON TABLE ${name} IS 'test stand-in for a published view'`);
    created.push(name);
  }
  return created;
}

export async function insertInto(t: TestApp, name: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const [kind] = await t.sql<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = to_regclass($1)`, [name]);
  if (kind?.relkind !== 'r') throw new Error(`${name} is the owning context's real view now: build these rows through that context`);
  const columns = Object.keys(rows[0]);
  const values: unknown[] = [];
  const tuples = rows.map((r) => `(${columns.map((c) => { values.push(r[c] ?? null); return `$${values.length}`; }).join(', ')})`);
  await t.sql(`INSERT INTO ${name} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

export interface DemoRefs {
  org: (key: string) => { id: string; regionCode: string };
  product: (key: string) => { id: string; varietyId: string | null; manufacturerId: string; name: string; spec: string; dosageForm: string | null };
}

export async function demoRefs(t: TestApp): Promise<DemoRefs> {
  const orgs = await t.sql<{ external_key: string; id: string; region_code: string }>(`SELECT external_key, id, region_code FROM organisation WHERE external_key IS NOT NULL`);
  const products = await t.sql<any>(`SELECT external_key, id, variety_id, manufacturer_id, name, spec, dosage_form FROM product WHERE external_key IS NOT NULL`);
  return {
    org: (key) => {
      const o = orgs.find((x) => x.external_key === key);
      if (!o) throw new Error(`no demo organisation ${key}`);
      return { id: o.id, regionCode: o.region_code };
    },
    product: (key) => {
      const p = products.find((x: any) => x.external_key === key);
      if (!p) throw new Error(`no demo product ${key}`);
      return { id: p.id, varietyId: p.variety_id, manufacturerId: p.manufacturer_id, name: p.name, spec: p.spec, dosageForm: p.dosage_form };
    },
  };
}

const at = (local: string) => new Date(`${local}+08:00`);

export interface MonthScenario {
  ids: Record<string, string>;
  roundId: string;
}

/**
 * March 2026 in Henan, monitored on 2 April: every monitoring rule trips exactly once, everything else is clean.
 *   AGREEMENT_COMPLETION_BEHIND  hosp-zz-2 bought 1,000 of 12,000 a quarter into the cycle
 *   SUBSTITUTION_NON_WINNING     hosp-ly-1 switched 500 of 1,200 atorvastatin to a non-winner (0% in February)
 *   DELIVERY_RATE_LOW            dist-zy delivered 5% of mfr-kappa's famotidine within SLA
 *   DELIVERY_SHORTAGE            …and did so in January, February and March
 *   PRICE_ABOVE_IN_FORCE         hosp-zz-2 paid 8.0000 for clopidogrel listed at 7.0000
 *   LISTING_ABOVE_REFERENCE      amlodipine (mfr-beta) listed at 1.2500, Jiangsu lists it at 1.1000
 *   LISTING_ABOVE_VBP_MULTIPLE   non-winning atorvastatin (mfr-delta) listed at 2.5000, winner awarded 1.0000
 *   PRICE_CHANGE_MOM             omeprazole (mfr-theta) 0.7600 → 1.0000 (+31.6%)
 *   VOLUME_VS_DEMAND             hosp-zz-3 bought 4,000 against a monthly demand of 1,000
 *   PLATFORM_PURCHASE_RATE_LOW   hosp-zz-1 reported 10,000 yuan of drugs bought off the platform
 *   PAYABLE_OVERDUE              hosp-zz-1 owes mfr-kappa a line due 15 February
 */
export async function buildMonth(t: TestApp): Promise<MonthScenario> {
  const refs = await demoRefs(t);
  const h1 = refs.org('hosp-zz-1'), h2 = refs.org('hosp-zz-2'), h3 = refs.org('hosp-ly-1'), h4 = refs.org('hosp-zz-3');
  const distZy = refs.org('dist-zy'), distLy = refs.org('dist-ly'), regHenan = refs.org('reg-henan');
  const W = refs.product('atorva-10-alpha'), N = refs.product('atorva-10-delta'), L1 = refs.product('famo-20-kappa');
  const L2 = refs.product('clop-75-epsilon'), L3 = refs.product('omep-20-theta'), L4 = refs.product('amlo-5-beta'), L5 = refs.product('ente-05-zeta');
  const roundId = randomUUID(), lotId = randomUUID(), bidW = randomUUID(), bidN = randomUUID();
  const cycleStart = at('2026-01-01T00:00:00'), cycleEnd = at('2027-01-01T00:00:00');

  const agreement = (h: { id: string; regionCode: string }, purchased: number) => ({
    agreement_id: randomUUID(), round_id: roundId, lot_id: lotId, variety_id: W.varietyId, hospital_id: h.id, region_code: h.regionCode,
    manufacturer_id: W.manufacturerId, product_id: W.id, bid_id: bidW, agreed_quantity: 12000, purchased_quantity: purchased,
    awarded_unit_price: '1.0000', pre_vbp_unit_price: '2.1500', cycle_start: cycleStart, cycle_end: cycleEnd, state: 'ACTIVE',
  });
  const agreements = [agreement(h1, 2900), agreement(h2, 1000), agreement(h3, 2800), agreement(h4, 2700)];
  await insertInto(t, 'v_volume_agreement', agreements);
  const agreementOf = (h: { id: string }) => agreements.find((a) => a.hospital_id === h.id)!.agreement_id;

  const listing = { N: randomUUID(), L1: randomUUID(), L2: randomUUID(), L3: randomUUID(), L4: randomUUID(), L5: randomUUID() };
  const listed = (id: string, p: { id: string; manufacturerId: string }, price: string, from = '2025-12-01T00:00:00', to: string | null = null) => ({
    listing_id: id, product_id: p.id, manufacturer_id: p.manufacturerId, unit_price: price, valid_from: at(from), valid_to: to ? at(to) : null, state: 'LISTED',
  });
  await insertInto(t, 'v_listing_price', [
    listed(listing.N, N, '2.5000'),
    listed(listing.L1, L1, '5.2000'),
    listed(listing.L2, L2, '7.0000'),
    listed(listing.L3, L3, '0.7600', '2025-12-01T00:00:00', '2026-03-01T00:00:00'),
    listed(listing.L3, L3, '1.0000', '2026-03-01T00:00:00'),
    listed(listing.L4, L4, '1.2500'),
    listed(listing.L5, L5, '6.4500'),
  ]);
  const ref = (p: typeof L4, price: string) => ({
    product_id: null, province_code: '320000', generic_name: p.name, manufacturer_id: p.manufacturerId, dosage_form: p.dosageForm, spec: p.spec, unit_price: price, source: '江苏省医药集中采购平台',
  });
  await insertInto(t, 'v_reference_price', [ref(L4, '1.1000'), ref(L5, '7.0000')]);

  const lines: Record<string, unknown>[] = [];
  const line = (h: { id: string; regionCode: string }, dist: { id: string }, p: typeof W, when: string, qty: number, price: string, opts: { agreement?: string; listing?: string; onTime?: number } = {}) => {
    const onTime = opts.onTime ?? qty;
    lines.push({
      order_line_id: randomUUID(), order_id: randomUUID(), hospital_id: h.id, region_code: h.regionCode, manufacturer_id: p.manufacturerId,
      distributor_id: dist.id, product_id: p.id, variety_id: p.varietyId, source: opts.agreement ? 'AGREEMENT' : 'LISTING',
      agreement_id: opts.agreement ?? null, listing_id: opts.listing ?? null, unit_price: price, ordered_quantity: qty,
      delivered_quantity: onTime, delivered_within_sla_quantity: onTime, accepted_quantity: onTime, ordered_at: at(when), emergency: false, state: 'CLOSED',
    });
  };
  for (const [h, dist, feb, mar] of [[h1, distZy, 1000, 1000], [h2, distZy, 1000, 1000], [h3, distLy, 1000, 700], [h4, distZy, 1000, 4000]] as const) {
    line(h, dist, W, '2026-02-10T10:00:00', feb, '1.0000', { agreement: agreementOf(h) });
    line(h, dist, W, '2026-03-10T10:00:00', mar, '1.0000', { agreement: agreementOf(h) });
  }
  line(h3, distLy, N, '2026-03-12T10:00:00', 500, '2.5000', { listing: listing.N });
  for (const month of ['01', '02', '03']) line(h1, distZy, L1, `2026-${month}-05T09:00:00`, 100, '5.2000', { listing: listing.L1, onTime: 5 });
  line(h2, distZy, L2, '2026-02-15T10:00:00', 100, '7.0000', { listing: listing.L2 });
  line(h2, distZy, L2, '2026-03-15T10:00:00', 90, '7.0000', { listing: listing.L2 });
  line(h2, distZy, L2, '2026-03-20T10:00:00', 10, '8.0000', { listing: listing.L2 });
  line(h1, distZy, L3, '2026-02-20T10:00:00', 100, '0.7600', { listing: listing.L3 });
  line(h1, distZy, L3, '2026-03-20T10:00:00', 100, '1.0000', { listing: listing.L3 });
  // a cancelled order counts for nothing
  line(h4, distZy, W, '2026-03-25T10:00:00', 50_000, '1.0000', { agreement: agreementOf(h4), onTime: 0 });
  (lines[lines.length - 1] as any).state = 'CANCELLED';
  await insertInto(t, 'v_order_line_fact', lines);

  await insertInto(t, 'v_off_platform_purchase', [
    { report_id: randomUUID(), hospital_id: h1.id, region_code: h1.regionCode, product_id: L5.id, variety_id: L5.varietyId, month: '2026-03-01', quantity: 1000, amount_fen: 1_000_000 },
    { report_id: randomUUID(), hospital_id: h2.id, region_code: h2.regionCode, product_id: L5.id, variety_id: L5.varietyId, month: '2026-03-01', quantity: 1, amount_fen: 1_000 },
  ]);
  await insertInto(t, 'v_payable_line', [
    { line_id: randomUUID(), hospital_id: h1.id, region_code: h1.regionCode, manufacturer_id: L1.manufacturerId, amount_fen: 2_600, accepted_at: at('2026-01-16T10:00:00'), due_at: at('2026-02-15T10:00:00'), paid_at: null, agreement_id: null },
    { line_id: randomUUID(), hospital_id: h2.id, region_code: h2.regionCode, manufacturer_id: L2.manufacturerId, amount_fen: 70_000, accepted_at: at('2026-02-08T10:00:00'), due_at: at('2026-03-10T10:00:00'), paid_at: null, agreement_id: null },
    { line_id: randomUUID(), hospital_id: h3.id, region_code: h3.regionCode, manufacturer_id: W.manufacturerId, amount_fen: 100_000, accepted_at: at('2025-12-11T10:00:00'), due_at: at('2026-01-10T10:00:00'), paid_at: at('2026-02-01T10:00:00'), agreement_id: agreementOf(h3) },
  ]);

  const roundRow = (state: string, id: string, code: string) => ({
    round_id: id, round_code: code, round_title: '河南省2026年第一批药品带量采购', round_state: state, organiser_id: regHenan.id,
    bid_deadline: at('2025-11-20T10:00:00'), lot_id: lotId, variety_name: '阿托伐他汀钙片', reference_unit: '片(10mg)', lot_quantity: 48000, max_unit_price: '2.0000',
  });
  await insertInto(t, 'v_round_result', [
    { ...roundRow('IN_EFFECT', roundId, 'HN-2026-01'), bid_id: bidW, manufacturer_id: W.manufacturerId, bid_status: 'WON', unit_price: '1.0000', awarded_quantity: 48000, decided_at: at('2025-11-21T10:00:00') },
    { ...roundRow('IN_EFFECT', roundId, 'HN-2026-01'), bid_id: bidN, manufacturer_id: N.manufacturerId, bid_status: 'LOST', unit_price: '1.9000', awarded_quantity: 0, decided_at: at('2025-11-21T10:00:00') },
    // a round still taking sealed bids is never exported
    { ...roundRow('BIDDING', randomUUID(), 'HN-2026-02'), lot_id: randomUUID(), bid_id: null, manufacturer_id: null, bid_status: null, unit_price: null, awarded_quantity: null, decided_at: null },
  ]);
  return {
    roundId,
    ids: {
      h1: h1.id, h2: h2.id, h3: h3.id, h4: h4.id, distZy: distZy.id, kappa: L1.manufacturerId, W: W.id, N: N.id, L1: L1.id, L2: L2.id, L3: L3.id, L4: L4.id,
      agreementH2: agreementOf(h2), agreementH3: agreementOf(h3),
    },
  };
}
