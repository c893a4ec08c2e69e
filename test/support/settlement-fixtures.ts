/**
 * Settlement reads other contexts only through their published views (docs/context-contracts.md). Until
 * the orders and tendering branches are merged, tests create stand-in TABLES with exactly those names and
 * columns and fill them, so the real settlement SQL runs against real PostgreSQL. When a real view of that
 * name exists (after the merge), nothing is created, and adding rows must go through the real flows.
 */
import { randomUUID } from 'crypto';

export interface SqlRunner {
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
}

const STAND_INS: Record<string, string> = {
  v_settleable_line: `CREATE TABLE v_settleable_line (
    line_id uuid PRIMARY KEY, kind text NOT NULL, order_id uuid NOT NULL, hospital_id uuid NOT NULL, region_code char(6) NOT NULL,
    manufacturer_id uuid NOT NULL, product_id uuid NOT NULL, agreement_id uuid NULL, unit_price numeric(18,4) NOT NULL,
    quantity bigint NOT NULL, accepted_at timestamptz NOT NULL, invoiced boolean NOT NULL)`,
  v_prepayment_due: `CREATE TABLE v_prepayment_due (
    prepayment_due_id uuid PRIMARY KEY, round_id uuid NOT NULL, hospital_id uuid NOT NULL, region_code char(6) NOT NULL,
    amount_fen bigint NOT NULL, due_at timestamptz NOT NULL)`,
  v_volume_agreement: `CREATE TABLE v_volume_agreement (
    agreement_id uuid PRIMARY KEY, round_id uuid NOT NULL, lot_id uuid NOT NULL, variety_id uuid NOT NULL, hospital_id uuid NOT NULL,
    region_code char(6) NOT NULL, manufacturer_id uuid NOT NULL, product_id uuid NOT NULL, bid_id uuid NOT NULL,
    agreed_quantity bigint NOT NULL, purchased_quantity bigint NOT NULL, awarded_unit_price numeric(18,4) NOT NULL,
    pre_vbp_unit_price numeric(18,4) NULL, cycle_start timestamptz NOT NULL, cycle_end timestamptz NOT NULL, state text NOT NULL)`,
};

/** True while v_volume_agreement is a stand-in (tests that need agreement rows run only then). */
export const volumeAgreementIsStandIn = () => standIns.has('v_volume_agreement');

/** Which of the consumed views are still stand-ins in this database. */
export const standIns = new Set<string>();

export async function ensureConsumedViews(db: SqlRunner): Promise<void> {
  for (const [name, ddl] of Object.entries(STAND_INS)) {
    const [row] = await db.sql('SELECT to_regclass($1) AS rel, (SELECT relkind FROM pg_class WHERE oid = to_regclass($1)) AS kind', [name]);
    if (row.rel === null) {
      await db.sql(ddl);
      standIns.add(name);
    } else if (row.kind === 'r') {
      standIns.add(name);
    }
  }
}

function requireStandIn(name: string): void {
  if (!standIns.has(name)) throw new Error(`${name} is a real view now: create its rows through the owning context's flows`);
}

export async function orgOf(db: SqlRunner, username: string): Promise<{ id: string; regionCode: string }> {
  const [row] = await db.sql(
    'SELECT o.id, o.region_code FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.username = $1',
    [username],
  );
  if (!row) throw new Error(`no demo user ${username}`);
  return { id: row.id, regionCode: row.region_code };
}

export async function productOf(db: SqlRunner, manufacturerId: string): Promise<string> {
  const [row] = await db.sql('SELECT id FROM product WHERE manufacturer_id = $1 ORDER BY id LIMIT 1', [manufacturerId]);
  return row?.id ?? randomUUID();
}

export interface LineSpec {
  lineId?: string;
  kind?: 'RECEIPT' | 'RETURN';
  hospital: { id: string; regionCode: string };
  manufacturerId: string;
  productId?: string;
  agreementId?: string | null;
  unitPrice: string;
  quantity: number | bigint;
  acceptedAt: string | Date;
  invoiced?: boolean;
}

/** Adds accepted receipt lines (positive quantity) or return lines (negative) as orders would publish them. */
export async function addSettleableLines(db: SqlRunner, lines: LineSpec[]): Promise<string[]> {
  requireStandIn('v_settleable_line');
  const ids = lines.map((l) => l.lineId ?? randomUUID());
  await db.sql(
    `INSERT INTO v_settleable_line (line_id, kind, order_id, hospital_id, region_code, manufacturer_id, product_id, agreement_id, unit_price, quantity, accepted_at, invoiced)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::char(6)[], $6::uuid[], $7::uuid[], $8::uuid[], $9::numeric[], $10::bigint[], $11::timestamptz[], $12::boolean[])`,
    [
      ids,
      lines.map((l) => l.kind ?? (BigInt(l.quantity) < 0n ? 'RETURN' : 'RECEIPT')),
      lines.map(() => randomUUID()),
      lines.map((l) => l.hospital.id),
      lines.map((l) => l.hospital.regionCode),
      lines.map((l) => l.manufacturerId),
      lines.map((l) => l.productId ?? randomUUID()),
      lines.map((l) => l.agreementId ?? null),
      lines.map((l) => l.unitPrice),
      lines.map((l) => l.quantity.toString()),
      lines.map((l) => new Date(l.acceptedAt)),
      lines.map((l) => l.invoiced ?? true),
    ],
  );
  return ids;
}

export async function setInvoiced(db: SqlRunner, lineIds: string[]): Promise<void> {
  requireStandIn('v_settleable_line');
  await db.sql('UPDATE v_settleable_line SET invoiced = true WHERE line_id = ANY($1::uuid[])', [lineIds]);
}

export async function addPrepaymentDue(db: SqlRunner, row: { hospital: { id: string; regionCode: string }; roundId: string; amountFen: bigint; dueAt: string }): Promise<string> {
  const id = randomUUID();
  if (standIns.has('v_prepayment_due')) {
    await db.sql('INSERT INTO v_prepayment_due VALUES ($1, $2, $3, $4, $5, $6)', [id, row.roundId, row.hospital.id, row.hospital.regionCode, row.amountFen.toString(), row.dueAt]);
  } else {
    // Remaining stand-in after the tendering merge: seeds agreements' own prepayment_due row (what confirming
    // a round writes) instead of running a whole round; settlement still reads it through v_prepayment_due.
    await db.sql(
      `INSERT INTO prepayment_due (id, round_id, hospital_id, region_code, amount_fen, share, policy_version, due_at) VALUES ($1, $2, $3, $4, $5, '0.30', 1, $6)`,
      [id, row.roundId, row.hospital.id, row.hospital.regionCode, row.amountFen.toString(), row.dueAt],
    );
  }
  return id;
}

export async function addVolumeAgreement(
  db: SqlRunner,
  row: { roundId: string; hospital: { id: string; regionCode: string }; manufacturerId: string; agreedQuantity: number; awardedUnitPrice: string; preVbpUnitPrice: string | null },
): Promise<string> {
  requireStandIn('v_volume_agreement');
  const id = randomUUID();
  await db.sql(
    `INSERT INTO v_volume_agreement VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, '2026-01-01T00:00:00+08:00', '2026-12-31T23:59:59+08:00', 'IN_EFFECT')`,
    [id, row.roundId, randomUUID(), randomUUID(), row.hospital.id, row.hospital.regionCode, row.manufacturerId, randomUUID(), randomUUID(), row.agreedQuantity, row.awardedUnitPrice, row.preVbpUnitPrice],
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
