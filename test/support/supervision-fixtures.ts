import { randomUUID } from 'crypto';
import { addReceiptLines } from './settlement-fixtures';
import type { TestApp } from '@test/harness';
import { AGREEMENT_SUPPLY, AgreementSupply } from '../../src/platform/ports/context-ports';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, variety } from '../tendering-fixtures';

/**
 * Stand-ins for the read models contexts not merged yet publish (docs/context-contracts.md: settlement's), with exactly the contract's names and columns, so supervision's monitoring SQL runs against
 * real PostgreSQL. A stand-in is created only when no relation of that name exists; once the owning context's
 * migration creates the real view, the stand-in is skipped and insertInto refuses to write into the real view,
 * so the fixture must then build those rows through that context. Tendering, agreements, listing, credit and
 * orders are real: the fixture drives them (see buildMonth).
 */
export const STAND_IN_DDL: Record<string, string> = {
  v_payable_line: `(line_id uuid PRIMARY KEY, hospital_id uuid NOT NULL, region_code char(6) NOT NULL, manufacturer_id uuid NOT NULL,
    amount_fen bigint NOT NULL, accepted_at timestamptz NOT NULL, due_at timestamptz NOT NULL, paid_at timestamptz, batch_id uuid,
    agreement_id uuid)`,
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

export const IMPORT_CLAIMS = `mutation($input: ImportInsuranceClaimsInput!) { importInsuranceClaims(input: $input) { lineCount unchanged imports { hospitalCode month lineCount unmatchedLines amount revision } } }`;

/** hosp-zz-2's March 2026 settlement list: atorvastatin it bought on the platform, entecavir it did not. */
export async function claimsCsv(t: TestApp): Promise<string> {
  const [{ code }] = await t.sql<{ code: string }>(`SELECT code FROM organisation WHERE external_key = 'hosp-zz-2'`);
  const insurance = async (key: string) => (await t.sql<{ insurance_code: string }>(`SELECT insurance_code FROM product WHERE external_key = $1`, [key]))[0].insurance_code;
  return [
    'hospitalCode,month,insuranceCode,quantity,amount',
    `${code},2026-03,${await insurance('atorva-10-alpha')},1000,1000.00`,
    `${code},2026-03,${await insurance('ente-05-zeta')},2000,12900.00`,
  ].join('\r\n');
}

export interface MonthScenario {
  ids: Record<string, string>;
  roundId: string;
}

/** When the scenario starts: the round it runs takes demand from here. Tests start the app at this time. */
export const SCENARIO_START = '2025-11-01T09:00:00+08:00';
/** When the scenario is monitored: buildMonth leaves the clock here. */
export const MONITORED_AT = '2026-04-02T09:00:00+08:00';

/**
 * The round of the scenario, through tendering's real flow: one atorvastatin lot (10mg, ceiling 2.0000), four
 * hospitals reporting 24,000 each, mfr-alpha bidding 1.0000 and mfr-orig-a 1.9000 (beyond the 1.8 price
 * ratio: not a winner; no revival), opened, publicized, confirmed, in effect from 1 January 2026 for one
 * year. The engine gives the single winner half the demand: 12,000 per hospital.
 */
async function runRound(t: TestApp, hospitals: string[]): Promise<string> {
  // the credit context requires a commitment letter (承诺书) before bidding
  for (const m of ['mfr-alpha', 'mfr-orig-a']) {
    await t.as(m).ok(`mutation { fileCommitmentLetter(input: { documentRef: "CL-${m}", signedOn: "2025-10-15" }) { id } }`);
  }
  const atorva = await variety(t, 'ATORVASTATIN');
  const ruleSet = {
    priceRatio: '1.8', anchor: 'LOWEST', lowPriceThreshold: '0.10', ceilingReduction: '0.50', shortlist: { minus: 0, max: 10 }, revival: false,
    tieBreak: ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'], volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'], cycleYearsByWinners: [1, 1, 2, 3],
  };
  const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input: {
    name: '河南省2026年第一批药品带量采购', level: 'PROVINCIAL', coveredRegionCodes: ['410100', '410300'],
    lots: [{ varietyId: atorva.id, specs: [{ varietySpecId: atorva.specs['10mg'], ceilingUnitPrice: '2.0000' }] }],
    ruleSet: { customJson: JSON.stringify(ruleSet) },
    demandDeadline: '2025-11-10T17:00:00+08:00', bidDeadline: '2025-11-20T10:00:00+08:00', cycleStart: '2026-01-01T00:00:00+08:00',
  } })).createRound;
  const roundId: string = created.id, lotId: string = created.lots[0].id;
  await t.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId });
  for (const h of hospitals) await t.as(h).ok(REPORT_DEMAND, { input: { lotId, quantity: 24000 } });
  t.clock.set('2025-11-10T17:00:00+08:00');
  await t.jobs.runNow('tendering.tick');
  const product = async (key: string) => (await t.sql(`SELECT id FROM product WHERE external_key = $1`, [key]))[0].id;
  await t.as('mfr-alpha').ok(SUBMIT_BID, { input: { lotId, productId: await product('atorva-10-alpha'), unitPrice: '1.0000', supplyCapacity: 1_000_000 } });
  await t.as('mfr-orig-a').ok(SUBMIT_BID, { input: { lotId, productId: await product('atorva-10-origa'), unitPrice: '1.9000', supplyCapacity: 1_000_000 } });
  t.clock.set('2025-11-20T10:00:00+08:00');
  await t.as('reg-henan').ok(OPEN_ROUND, { id: roundId });
  const publicized = (await t.as('reg-henan').ok(`mutation($id: ID!) { publicizeRound(id: $id) { publicityEndsAt } }`, { id: roundId })).publicizeRound;
  t.clock.set(publicized.publicityEndsAt);
  await t.as('reg-henan').ok(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: roundId });
  t.clock.set('2026-01-01T00:00:00+08:00');
  await t.jobs.runNow('tendering.tick');
  return roundId;
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
 *   PURCHASE_ABOVE_PAYMENT_STANDARD  hosp-ly-1 paid 2.5000 for the non-winning atorvastatin whose payment standard
 *                                (published from 1 January, year 1 of the award) is 2.0000; the winner's 1.0000 is at its standard
 * Tendering and agreements run for real (runRound); listings and reference prices are written into the listing
 * context's own tables (the scenario needs listings the listing rules would refuse today, which is what the
 * monitoring catches); orders into the orders context's tables, off-platform purchases through its mutation;
 * payables still go into a stand-in until settlement is merged.
 * Starts at SCENARIO_START and leaves the clock at MONITORED_AT. `paymentStandards: false` leaves the atorvastatin
 * payment standards unpublished (for tests of publishing itself); PURCHASE_ABOVE_PAYMENT_STANDARD then does not trip.
 */
export async function buildMonth(t: TestApp, options: { paymentStandards?: boolean } = {}): Promise<MonthScenario> {
  const refs = await demoRefs(t);
  const h1 = refs.org('hosp-zz-1'), h2 = refs.org('hosp-zz-2'), h3 = refs.org('hosp-ly-1'), h4 = refs.org('hosp-zz-3');
  const distZy = refs.org('dist-zy'), distLy = refs.org('dist-ly');
  const W = refs.product('atorva-10-alpha'), N = refs.product('atorva-10-delta'), L1 = refs.product('famo-20-kappa');
  const L2 = refs.product('clop-75-epsilon'), L3 = refs.product('omep-20-theta'), L4 = refs.product('amlo-5-beta'), L5 = refs.product('ente-05-zeta');

  const roundId = await runRound(t, ['hosp-zz-1', 'hosp-zz-2', 'hosp-ly-1', 'hosp-zz-3']);
  const agreements: { id: string; hospital_id: string }[] = await t.sql(`SELECT id, hospital_id FROM volume_agreement WHERE round_id = $1`, [roundId]);
  const agreementOf = (h: { id: string }) => agreements.find((a) => a.hospital_id === h.id)!.id;
  // accepted quantities so far, through the port orders will use
  const supply = t.app.get<symbol, AgreementSupply>(AGREEMENT_SUPPLY);
  for (const [h, purchased] of [[h1, 2900], [h2, 1000], [h3, 2800], [h4, 2700]] as const) {
    await supply.addAcceptedQuantity(t.dataSource.manager, agreementOf(h), purchased);
  }
  t.clock.set(MONITORED_AT);

  const province = '410000';
  const listing = { N: randomUUID(), L1: randomUUID(), L2: randomUUID(), L3: randomUUID(), L4: randomUUID(), L5: randomUUID() };
  const periods: [string, typeof W, string, string, string | null][] = [
    [listing.N, N, '2.5000', '2025-12-01T00:00:00', null],
    [listing.L1, L1, '5.2000', '2025-12-01T00:00:00', null],
    [listing.L2, L2, '7.0000', '2025-12-01T00:00:00', null],
    [listing.L3, L3, '0.7600', '2025-12-01T00:00:00', '2026-03-01T00:00:00'],
    [listing.L3, L3, '1.0000', '2026-03-01T00:00:00', null],
    [listing.L4, L4, '1.2500', '2025-12-01T00:00:00', null],
    [listing.L5, L5, '6.4500', '2025-12-01T00:00:00', null],
  ];
  for (const [id, p, price, , to] of periods) {
    if (to) continue; // one listing row per listing, at its current price
    await t.sql(
      `INSERT INTO listing (id, product_id, manufacturer_id, region_code, state, unit_price, policy_version) VALUES ($1, $2, $3, $4, 'LISTED', $5, 'test')`,
      [id, p.id, p.manufacturerId, province, price],
    );
  }
  for (const [id, p, price, from, to] of periods) {
    await t.sql(
      `INSERT INTO listing_price_history (listing_id, product_id, manufacturer_id, unit_price, state, valid_from, valid_to, reason) VALUES ($1, $2, $3, $4, 'LISTED', $5, $6, 'scenario')`,
      [id, p.id, p.manufacturerId, price, at(from), to ? at(to) : null],
    );
  }
  for (const [p, price] of [[L4, '1.1000'], [L5, '7.0000']] as const) {
    await t.sql(
      `INSERT INTO reference_price (product_id, province_code, generic_name, manufacturer_id, dosage_form, spec, unit_price, effective_on, source, recorded_at)
       VALUES (NULL, '320000', $1, $2, $3, $4, $5, '2025-12-01', '江苏省医药集中采购平台', now())`,
      [p.name, p.manufacturerId, p.dosageForm, p.spec, price],
    );
  }

  if (options.paymentStandards !== false) {
    // through the listing context's own mutation: from the award's cycle start, the winner's spec at 1.0000 and the
    // non-winner converging a third of the way from its 2.5000 listing price
    await t.as('reg-henan').ok(`mutation($v: ID!, $at: DateTime!) { publishPaymentStandards(varietyId: $v, effectiveFrom: $at) { id } }`, {
      v: W.varietyId, at: '2026-01-01T00:00:00+08:00',
    });
  }

  // Order history as the orders context records it, written into its own tables: the scenario needs past
  // months, late deliveries and a price above the listing that the order flow today would not produce.
  const lines: { h: { id: string; regionCode: string }; dist: { id: string }; p: typeof W; when: Date; qty: number; price: string; agreement: string | null; listing: string | null; onTime: number; state: string }[] = [];
  const line = (h: { id: string; regionCode: string }, dist: { id: string }, p: typeof W, when: string, qty: number, price: string, opts: { agreement?: string; listing?: string; onTime?: number } = {}) => {
    lines.push({ h, dist, p, when: at(when), qty, price, agreement: opts.agreement ?? null, listing: opts.listing ?? null, onTime: opts.onTime ?? qty, state: 'CLOSED' });
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
  lines[lines.length - 1].state = 'CANCELLED';
  const placers = new Map<string, string>();
  for (const l of lines) {
    if (!placers.has(l.h.id)) placers.set(l.h.id, (await t.sql(`SELECT id FROM app_user WHERE organisation_id = $1 ORDER BY username LIMIT 1`, [l.h.id]))[0].id);
    const delivered = l.state === 'CANCELLED' ? 0 : l.qty;
    const [order] = await t.sql(
      `INSERT INTO purchase_order (hospital_id, region_code, distributor_id, state, emergency, total_fen, ordered_at, placed_by, sla_policy_version,
                                   confirm_by, deliver_by, cancellable_from, confirmed_at, closed_at, version)
       VALUES ($1, $2, $3, $4, false, round($5::numeric * $6 * 100), $7, $8, 'test', $7::timestamptz + interval '1 day', $7::timestamptz + interval '2 days',
               $7::timestamptz + interval '1 day', CASE WHEN $4 = 'CLOSED' THEN $7::timestamptz + interval '2 hours' END,
               $7::timestamptz + interval '3 days', 1)
       RETURNING id`,
      [l.h.id, l.h.regionCode, l.dist.id, l.state, l.price, l.qty, l.when, placers.get(l.h.id)],
    );
    await t.sql(
      `INSERT INTO order_line (order_id, line_no, hospital_id, region_code, product_id, manufacturer_id, variety_id, source, agreement_id, listing_id,
                               unit_price, quantity, shipped_quantity, accepted_quantity, delivered_within_sla_quantity, ordered_at)
       VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)`,
      [order.id, l.h.id, l.h.regionCode, l.p.id, l.p.manufacturerId, l.p.varietyId, l.agreement ? 'AGREEMENT' : 'LISTING', l.agreement, l.listing,
        l.price, l.qty, delivered, Math.min(l.onTime, delivered), l.when],
    );
  }

  for (const [h, amount, quantity] of [['hosp-zz-1', '10000.00', 1000], ['hosp-zz-2', '10.00', 1]] as const) {
    await t.as(h).ok(`mutation($input: ReportOffPlatformPurchaseInput!) { reportOffPlatformPurchase(input: $input) { id } }`, {
      input: { productId: L5.id, month: '2026-03', quantity, amount, reason: '急诊临时采购' },
    });
  }
  // OFF_PLATFORM_UNDER_REPORTED: hosp-zz-2's insurance settlement list for March claims 2,000 entecavir (mfr-zeta)
  // it never bought on the platform, while it reported 10 yuan of off-platform buying; its atorvastatin is covered
  await t.as('settle-henan').ok(IMPORT_CLAIMS, { input: { format: 'CSV', fileName: 'zz-2-2026-03.csv', contentBase64: Buffer.from(await claimsCsv(t)).toString('base64') } });
  // payables come from settlement's real v_payable_line: accepted, invoiced receipt lines no batch has settled
  // yet are payable 30 days after acceptance (products left unnamed so no other rule sees these orders)
  await addReceiptLines(t, [
    { hospital: h1, manufacturerId: L1.manufacturerId, unitPrice: '2.6000', quantity: 10, acceptedAt: at('2026-01-16T10:00:00') },
    { hospital: h2, manufacturerId: L2.manufacturerId, unitPrice: '700.0000', quantity: 1, acceptedAt: at('2026-02-08T10:00:00') },
  ]);
  return {
    roundId,
    ids: {
      h1: h1.id, h2: h2.id, h3: h3.id, h4: h4.id, distZy: distZy.id, kappa: L1.manufacturerId, W: W.id, N: N.id, L1: L1.id, L2: L2.id, L3: L3.id, L4: L4.id,
      agreementH2: agreementOf(h2), agreementH3: agreementOf(h3), listingL1: listing.L1, alpha: W.manufacturerId,
    },
  };
}
