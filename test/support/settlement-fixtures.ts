/**
 * Settlement reads orders only through the real `v_settleable_line` view (migration Orders). Tests that need
 * many lines (properties, kill-and-resume, concurrent batches, the benchmark) write the orders tables
 * directly with set-based SQL — one purchase order, line, shipment, receipt and (when invoiced) matched
 * invoice per accepted line, shaped as OrdersService writes them — so the view yields exactly the lines the
 * test wants. test/settlement-orders.e2e-spec.ts drives the same flow over GraphQL to keep this honest.
 */
import { randomUUID } from 'crypto';

export interface SqlRunner {
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
}

export async function orgOf(db: SqlRunner, username: string): Promise<{ id: string; regionCode: string }> {
  const [row] = await db.sql(
    'SELECT o.id, o.region_code FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.username = $1',
    [username],
  );
  if (!row) throw new Error(`no demo user ${username}`);
  return { id: row.id, regionCode: row.region_code };
}

/**
 * INSERT … SELECT of whole delivered orders from `source`, a query yielding (line_id, hospital_id,
 * region_code, manufacturer_id, product_id, agreement_id, unit_price, quantity, accepted_at, invoiced).
 * line_id becomes the receipt line's id, which is v_settleable_line.line_id. Non-agreement lines are priced
 * from a listing (order_line's CHECK wants one of the two). Shared with bench/settlement.
 */
export function deliveredOrdersSql(source: string): string {
  return `
    WITH spec AS MATERIALIZED (
      SELECT s.*, gen_random_uuid() AS order_id, gen_random_uuid() AS order_line_id, gen_random_uuid() AS shipment_id,
             gen_random_uuid() AS shipment_line_id, gen_random_uuid() AS receipt_id, gen_random_uuid() AS invoice_id,
             round(s.unit_price * s.quantity * 100)::bigint AS amount_fen,
             (SELECT id FROM organisation WHERE kind = 'DISTRIBUTOR' ORDER BY id LIMIT 1) AS distributor_id,
             (SELECT id FROM app_user ORDER BY id LIMIT 1) AS user_id
        FROM (${source}) s
    ), po AS (
      INSERT INTO purchase_order (id, hospital_id, region_code, distributor_id, state, emergency, total_fen, ordered_at, placed_by,
                                  sla_policy_version, confirm_by, deliver_by, cancellable_from, confirmed_at, closed_at, version)
      SELECT order_id, hospital_id, region_code, distributor_id, CASE WHEN invoiced THEN 'CLOSED' ELSE 'RECEIVED' END, false, amount_fen,
             accepted_at - interval '2 days', user_id, 'order-sla-2026.1', accepted_at - interval '1 day', accepted_at,
             accepted_at + interval '6 days', accepted_at - interval '36 hours', CASE WHEN invoiced THEN accepted_at END, 1
        FROM spec
    ), ol AS (
      INSERT INTO order_line (id, order_id, line_no, hospital_id, region_code, product_id, manufacturer_id, source, agreement_id, listing_id,
                              unit_price, quantity, shipped_quantity, accepted_quantity, delivered_within_sla_quantity, ordered_at)
      SELECT order_line_id, order_id, 1, hospital_id, region_code, product_id, manufacturer_id,
             CASE WHEN agreement_id IS NULL THEN 'LISTING' ELSE 'AGREEMENT' END, agreement_id,
             CASE WHEN agreement_id IS NULL THEN gen_random_uuid() END, unit_price, quantity, quantity, quantity, quantity,
             accepted_at - interval '2 days'
        FROM spec
    ), sh AS (
      INSERT INTO shipment (id, order_id, hospital_id, region_code, distributor_id, state, shipped_at, auto_receive_at, within_sla)
      SELECT shipment_id, order_id, hospital_id, region_code, distributor_id, 'RECEIVED', accepted_at - interval '1 day',
             accepted_at + interval '6 days', true
        FROM spec
    ), sl AS (
      INSERT INTO shipment_line (id, shipment_id, order_line_id, region_code, quantity, batch_number, expires_on)
      SELECT shipment_line_id, shipment_id, order_line_id, region_code, quantity, 'FIXTURE', date '2028-12-31' FROM spec
    ), r AS (
      INSERT INTO receipt (id, shipment_id, order_id, hospital_id, region_code, received_at, automatic)
      SELECT receipt_id, shipment_id, order_id, hospital_id, region_code, accepted_at, false FROM spec
    ), rl AS (
      INSERT INTO receipt_line (id, receipt_id, shipment_line_id, order_line_id, region_code, accepted_quantity, rejected_quantity)
      SELECT line_id, receipt_id, shipment_line_id, order_line_id, region_code, quantity, 0 FROM spec
    ), inv AS (
      INSERT INTO invoice (id, shipment_id, order_id, hospital_id, region_code, invoice_number, state, total_fen, expected_total_fen,
                           mismatches, submitted_at, submitted_by)
      SELECT invoice_id, shipment_id, order_id, hospital_id, region_code, 'FX' || left(invoice_id::text, 8), 'MATCHED', amount_fen, amount_fen,
             '[]'::jsonb, accepted_at, user_id
        FROM spec WHERE invoiced
    )
    INSERT INTO invoice_line (invoice_id, order_line_id, quantity, amount_fen)
    SELECT invoice_id, order_line_id, quantity, amount_fen FROM spec WHERE invoiced`;
}

export interface ReceiptSpec {
  hospital: { id: string; regionCode: string };
  manufacturerId: string;
  productId?: string;
  agreementId?: string | null;
  unitPrice: string;
  quantity: number;
  acceptedAt: string | Date;
  invoiced?: boolean;
  /** Confirmed by the hospital (its dispute window ended, as the confirmation job records); default true. */
  confirmed?: boolean;
}

/** Delivered, accepted receipt lines (one order each); returns their v_settleable_line line ids. */
export async function addReceiptLines(db: SqlRunner, lines: ReceiptSpec[]): Promise<string[]> {
  const ids = lines.map(() => randomUUID());
  await db.sql(
    deliveredOrdersSql(
      `SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::char(6)[], $4::uuid[], $5::uuid[], $6::uuid[], $7::numeric[], $8::int[], $9::timestamptz[], $10::boolean[])
         AS u(line_id, hospital_id, region_code, manufacturer_id, product_id, agreement_id, unit_price, quantity, accepted_at, invoiced)`,
    ),
    [
      ids,
      lines.map((l) => l.hospital.id),
      lines.map((l) => l.hospital.regionCode),
      lines.map((l) => l.manufacturerId),
      lines.map((l) => l.productId ?? randomUUID()),
      lines.map((l) => l.agreementId ?? null),
      lines.map((l) => l.unitPrice),
      lines.map((l) => l.quantity),
      lines.map((l) => new Date(l.acceptedAt)),
      lines.map((l) => l.invoiced ?? true),
    ],
  );
  const confirmed = lines.map((l, i) => (l.confirmed === false ? null : i)).filter((i): i is number => i !== null);
  if (confirmed.length > 0) {
    await confirmLines(db, confirmed.map((i) => ids[i]));
  }
  return ids;
}

/** Records lines as confirmed by their hospital, as the confirmation job does once the dispute window ends. */
export async function confirmLines(db: SqlRunner, lineIds: string[]): Promise<void> {
  await db.sql(
    `INSERT INTO line_confirmation (line_id, hospital_id, source, confirmed_at, policy_version)
     SELECT l.line_id, l.hospital_id, 'AUTO', now(), 'confirmation-2026.1' FROM v_settleable_line l WHERE l.line_id = ANY($1::uuid[])
     ON CONFLICT (line_id) DO NOTHING`,
    [lineIds],
  );
}

/**
 * Verified payee accounts (proposed and verified by two other users, effective since 2020) for organisations,
 * as the maker-checker flow leaves them; each account name is the organisation's registered name.
 */
export async function addVerifiedPayeeAccounts(db: SqlRunner, organisationIds: string[]): Promise<void> {
  await db.sql(
    `INSERT INTO payee_account (organisation_id, account_name, account_number, bank_name, branch_name, cnaps_code, effective_from, state,
                                proposed_by_user_id, proposed_at, verified_by_user_id, verified_at)
     SELECT o.id, o.name, lpad(abs(hashtext(o.id::text))::text, 19, '4102'), '中国工商银行', '郑州花园路支行', '102491000012', '2020-01-01T00:00:00+08:00', 'VERIFIED',
            gen_random_uuid(), '2020-01-01T00:00:00+08:00', gen_random_uuid(), '2020-01-01T00:00:00+08:00'
       FROM organisation o WHERE o.id = ANY($1::uuid[])`,
    [organisationIds],
  );
}

/**
 * Fund allotments (what setFundAllotment writes) for hospitals — every hospital unless named — for 2026, large
 * enough that tests not about allotments never reach them.
 */
export async function addAllotments(db: SqlRunner, hospitalIds?: string[], amountFen = 10n ** 13n): Promise<void> {
  await db.sql(
    `INSERT INTO fund_allotment (hospital_id, period_start, period_end, amount_fen, set_by_user_id, set_at)
     SELECT o.id, '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00', $2, gen_random_uuid(), now()
       FROM organisation o WHERE o.kind = 'HOSPITAL' AND ($1::uuid[] IS NULL OR o.id = ANY($1::uuid[]))
     ON CONFLICT (hospital_id, period_start) DO NOTHING`,
    [hospitalIds ?? null, amountFen.toString()],
  );
}

export interface Gql {
  ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  refused(query: string, variables?: Record<string, unknown>): Promise<{ code: string; field?: string; message: string }>;
}

/** A second settlement-office user of 河南省医疗保障中心 (the checker), created by the admin once per database. */
export async function checkerUser(t: SqlRunner & { admin: Gql; as(username: string, password?: string): Gql }, username = 'settle-henan-2'): Promise<Gql> {
  const [exists] = await t.sql('SELECT 1 FROM app_user WHERE username = $1', [username]);
  if (!exists) {
    const office = await orgOf(t, 'settle-henan');
    await t.admin.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username, displayName: '结算复核员', password: 'Check#2026', role: 'SETTLEMENT_OFFICE', organisationId: office.id },
    });
  }
  return t.as(username, 'Check#2026');
}

export const APPROVE = `mutation($b: ID!) { approveSettlementBatch(batchId: $b) { id state } }`;

/**
 * Returns of accepted goods (what returnGoods writes): a negative v_settleable_line line each, priced as its
 * receipt line. The returned counters move as orders moves them; their CHECKs refuse returning more than
 * was accepted.
 */
export async function addReturns(db: SqlRunner, returns: { receiptLineId: string; quantity: number; returnedAt: string | Date }[]): Promise<string[]> {
  const ids = returns.map(() => randomUUID());
  await db.sql(
    `WITH spec AS MATERIALIZED (
       SELECT u.line_id, u.receipt_line_id, u.quantity, u.returned_at, gen_random_uuid() AS return_id, rl.order_line_id, r.order_id, r.hospital_id, r.region_code
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[]) AS u(line_id, receipt_line_id, quantity, returned_at)
         JOIN receipt_line rl ON rl.id = u.receipt_line_id JOIN receipt r ON r.id = rl.receipt_id
     ), g AS (
       INSERT INTO goods_return (id, order_id, hospital_id, region_code, reason, returned_at)
       SELECT return_id, order_id, hospital_id, region_code, 'fixture return', returned_at FROM spec
     ), gl AS (
       INSERT INTO goods_return_line (id, return_id, receipt_line_id, order_line_id, region_code, quantity)
       SELECT line_id, return_id, receipt_line_id, order_line_id, region_code, quantity FROM spec
     ), per_receipt_line AS (
       UPDATE receipt_line rl SET returned_quantity = rl.returned_quantity + t.q
         FROM (SELECT receipt_line_id, sum(quantity)::int AS q FROM spec GROUP BY receipt_line_id) t WHERE rl.id = t.receipt_line_id
     )
     UPDATE order_line ol SET returned_quantity = ol.returned_quantity + t.q
       FROM (SELECT order_line_id, sum(quantity)::int AS q FROM spec GROUP BY order_line_id) t WHERE ol.id = t.order_line_id`,
    [ids, returns.map((r) => r.receiptLineId), returns.map((r) => r.quantity), returns.map((r) => new Date(r.returnedAt))],
  );
  return ids;
}

/** Matched invoices for the shipments of these receipt lines that have none yet (what submitInvoice writes). */
export async function setInvoiced(db: SqlRunner, receiptLineIds: string[]): Promise<void> {
  await db.sql(
    `WITH spec AS MATERIALIZED (
       SELECT DISTINCT ON (r.shipment_id) r.shipment_id, r.order_id, r.hospital_id, r.region_code, r.received_at, ol.id AS order_line_id,
              rl.accepted_quantity, round(ol.unit_price * rl.accepted_quantity * 100)::bigint AS amount_fen, gen_random_uuid() AS invoice_id
         FROM receipt_line rl JOIN receipt r ON r.id = rl.receipt_id JOIN order_line ol ON ol.id = rl.order_line_id
        WHERE rl.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.shipment_id = r.shipment_id AND i.state = 'MATCHED')
     ), inv AS (
       INSERT INTO invoice (id, shipment_id, order_id, hospital_id, region_code, invoice_number, state, total_fen, expected_total_fen, mismatches, submitted_at, submitted_by)
       SELECT invoice_id, shipment_id, order_id, hospital_id, region_code, 'FX' || left(invoice_id::text, 8), 'MATCHED', amount_fen, amount_fen,
              '[]'::jsonb, received_at, (SELECT id FROM app_user ORDER BY id LIMIT 1)
         FROM spec
     )
     INSERT INTO invoice_line (invoice_id, order_line_id, quantity, amount_fen) SELECT invoice_id, order_line_id, accepted_quantity, amount_fen FROM spec`,
    [receiptLineIds],
  );
}

export async function addPrepaymentDue(db: SqlRunner, row: { hospital: { id: string; regionCode: string }; roundId: string; amountFen: bigint; dueAt: string }): Promise<string> {
  // Seeds agreements' own prepayment_due row (what confirming a round writes) instead of running a whole
  // round; settlement still reads it through the real v_prepayment_due.
  const id = randomUUID();
  await db.sql(
    `INSERT INTO prepayment_due (id, round_id, hospital_id, region_code, amount_fen, share, policy_version, due_at) VALUES ($1, $2, $3, $4, $5, '0.30', 1, $6)`,
    [id, row.roundId, row.hospital.id, row.hospital.regionCode, row.amountFen.toString(), row.dueAt],
  );
  return id;
}

/** The invariants every test checks after each step. */
export async function ledgerInvariants(db: SqlRunner) {
  const [sum] = await db.sql('SELECT coalesce(sum(amount_fen), 0)::text AS total FROM ledger_posting');
  const drift = await db.sql(
    `SELECT a.id FROM ledger_account a LEFT JOIN (SELECT account_id, sum(amount_fen) t FROM ledger_posting GROUP BY account_id) p ON p.account_id = a.id
      WHERE a.balance_fen <> coalesce(p.t, 0)`,
  );
  const unbalanced = await db.sql('SELECT journal_id FROM ledger_posting GROUP BY journal_id HAVING sum(amount_fen) <> 0');
  const [dup] = await db.sql('SELECT count(*)::int AS n FROM (SELECT line_id FROM settled_line GROUP BY line_id HAVING count(*) > 1) d');
  const overpaid = await db.sql(
    `SELECT s.line_id FROM settled_line s JOIN v_settleable_line l ON l.line_id = s.line_id
      WHERE abs(s.amount_fen) > abs(round(l.unit_price * l.quantity * 100)) OR s.quantity <> l.quantity`,
  );
  return { ledgerTotal: sum.total as string, driftingAccounts: drift.length, unbalancedJournals: unbalanced.length, duplicateLines: dup.n as number, overpaidLines: overpaid.length };
}

export const HEALTHY = { ledgerTotal: '0', driftingAccounts: 0, unbalancedJournals: 0, duplicateLines: 0, overpaidLines: 0 };

/**
 * A confirmed round with one atorvastatin (20mg, comparable factor 1.7) agreement per hospital, cycle 2026 (Asia/
 * Shanghai), as confirming a round writes them (round, lot, lot spec, winning bid result, agreement), and last
 * year's purchases (demand baseline: 3,000 reference tablets for 2,345.67 yuan) so v_volume_agreement prices each
 * agreement at 1.3292 before VBP. Returns the round and each hospital's agreement.
 */
export async function addSavingsRound(
  t: SqlRunner & { as(username: string): Gql },
  manufacturerId: string,
  hospitals: { id: string; regionCode: string }[],
  quantity = 1000,
): Promise<{ roundId: string; agreementIds: string[] }> {
  const rows = await t.sql<{ round_id: string; agreement_id: string; hospital_id: string; variety_id: string }>(
    `WITH rs AS (
       INSERT INTO rule_set_version (code, version, rule_set, description) VALUES ('FIXTURE-' || gen_random_uuid(), 1, '{}', 'settlement fixture') RETURNING id
     ), r AS (
       INSERT INTO tender_round (name, level, state, owner_region_code, owner_region_path, covered_region_codes, covered_region_paths, rule_set_version_id,
                                 demand_deadline, bid_deadline, cycle_start, cycle_end, publicity_days, policy_version)
       SELECT '结余留用计提测试', 'PROVINCIAL', 'IN_EFFECT', '410000', '410000', '{410100}', '{410000/410100}', rs.id,
              '2025-11-10T17:00:00+08:00', '2025-11-20T10:00:00+08:00', '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00', 3, 1 FROM rs
       RETURNING id
     ), v AS (
       SELECT v.id AS variety_id, vs.id AS variety_spec_id, vs.spec FROM variety v JOIN variety_spec vs ON vs.variety_id = v.id AND vs.spec = '20mg' WHERE v.code = 'ATORVASTATIN'
     ), l AS (
       INSERT INTO tender_lot (round_id, seq, variety_id, name, reference_unit) SELECT r.id, 1, v.variety_id, 'ATORVASTATIN', 'tablet' FROM r, v RETURNING id, round_id, variety_id
     ), ls AS (
       INSERT INTO tender_lot_spec (lot_id, variety_spec_id, spec, comparable_factor, ceiling_unit_price)
       SELECT l.id, v.variety_spec_id, v.spec, 1.7, 9 FROM l JOIN v USING (variety_id) RETURNING id, lot_id
     ), br AS (
       INSERT INTO tender_bid_result (bid_id, round_id, lot_id, manufacturer_id, product_id, lot_spec_id, unit_price, status, unit_comparable_price,
                                      awarded_unit_price, commitment, salt)
       SELECT gen_random_uuid(), l.round_id, l.id, $1, gen_random_uuid(), ls.id, 1, 'WINNER', 1, 1, repeat('0', 64), 'fixture' FROM l JOIN ls ON ls.lot_id = l.id
       RETURNING bid_id, round_id, lot_id, product_id
     )
     INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id, annual_quantity,
                                   agreed_quantity, awarded_unit_price, cycle_start, cycle_end)
     SELECT br.round_id, br.lot_id, l.variety_id, h.id, h.region_code, $1, br.product_id, br.bid_id, $4, $4, '1.0000',
            '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00'
       FROM br JOIN l ON l.id = br.lot_id CROSS JOIN unnest($2::uuid[], $3::char(6)[]) AS h(id, region_code)
     RETURNING round_id, id AS agreement_id, hospital_id, variety_id`,
    [manufacturerId, hospitals.map((h) => h.id), hospitals.map((h) => h.regionCode), quantity],
  );
  await t.as('reg-henan').ok(`mutation($e: [DemandBaselineInput!]!) { setDemandBaselines(entries: $e) { id } }`, {
    e: hospitals.map((h) => ({ hospitalId: h.id, varietyId: rows[0].variety_id, year: 2025, quantity: 3000, amount: '2345.67' })),
  });
  return { roundId: rows[0].round_id, agreementIds: hospitals.map((h) => rows.find((r) => r.hospital_id === h.id)!.agreement_id) };
}
