import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CURRENT_SETTLEMENT_POLICY, settlementPolicy } from '@libs/settlement-rules';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { JobsService } from '../platform/jobs/jobs.service';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors/app-error';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { accountsInEffect, PAYEE_ACCOUNT_MISSING } from './payee-accounts.sql';
import { idempotent } from '../platform/idempotency/idempotency';
import { logger } from '../platform/logging/logger';
import { applyJournalToBalances, LedgerService } from './ledger.service';
import { BatchState, PaymentInstruction, SETTLEMENT_BATCH_MACHINE, SettlementBatch } from './settlement-batch.entity';
import { ImportBankResultsInput, StartSettlementBatchInput } from './dto/settlement.inputs';
import { SettlementErrors } from './settlement.errors';

export const RUN_BATCH_JOB = 'settlement.run-batch';
export const POST_PREPAYMENTS_JOB = 'settlement.post-prepayments';
export const DEFAULT_CHUNK_SIZE = 10_000;

/** Serialises issuing payment instructions and recording failures (both move lines in and out of payment). */
export const PAYMENT_LOCK = 4_100_701;
/** Serialises prepayment posting runs. */
const PREPAYMENT_LOCK = 4_100_702;
/** Serialises taking candidates, so two batches never both spend the same allotment headroom. */
const ALLOTMENT_LOCK = 4_100_704;

export interface RunOptions {
  chunkSize?: number;
  /** Called after each committed chunk (progress reporting, tests, the kill-and-resume script). */
  afterChunk?: (progress: { batchId: string; chunksDone: number; linesSettled: number }) => Promise<void> | void;
}

/**
 * Copies a batch's candidate lines out of orders' v_settleable_line once, set-based, in line_id order: accepted,
 * invoiced, in the period and region subtree, confirmed by the hospital (its dispute window ended undisputed, or
 * its dispute was released; returns credit the hospital and need no confirmation) and not yet settled.
 *
 * Fund allotments cap what is copied: per hospital allotment (the one whose period holds the line's acceptance),
 * receipt lines are taken in (accepted_at, line_id) order while what is drawn — lines already settled in the
 * period (net of returns), lines other running batches have taken and not settled yet, and this batch's receipt
 * lines so far — stays within the allotment; from the first line that would exceed it on, lines are held
 * (allotment_hold, ALLOTMENT_EXCEEDED), as are receipt lines of a hospital without an allotment for the period
 * (ALLOTMENT_MISSING). Returns always pass (they only lower spending). One statement, no per-line round trip.
 * When the region's policy allows advances (advance_limit_fen > 0), lines beyond the allotment are paid while the
 * drawing stays within allotment + limit, and the part beyond the allotment is recorded as an advance (垫付,
 * allotment_advance); the chunk posts it to the hospital's FUND_ADVANCE account instead of its entitlement.
 *
 * Each line's payee follows the region's payee policy in force when the batch takes it (libs/settlement-rules
 * policyInForce and invoiceChainSides, here set-based): its distributor under DISTRIBUTOR, else its manufacturer.
 * The manufacturer → distributor invoice's amount for the line (pro rata of the invoiced quantity) is kept for
 * the chain's ledger sides.
 */
const TAKE_CANDIDATES_SQL = `
WITH c AS MATERIALIZED (
  SELECT l.line_id, l.kind, l.hospital_id, l.region_code, l.manufacturer_id, l.product_id, l.agreement_id, l.unit_price, l.quantity,
         l.accepted_at, round(l.unit_price * l.quantity * 100)::bigint AS amount, fa.id AS allotment_id, fa.amount_fen AS allotment,
         l.distributor_id, round(mi.amount_fen::numeric * l.quantity / nullif(mi.quantity, 0))::bigint AS supply_amount
    FROM v_settleable_line l
    -- a join, not EXISTS per line: under the OR the planner would probe the confirmation index once per line
    LEFT JOIN line_confirmation lc ON lc.line_id = l.line_id
    LEFT JOIN fund_allotment fa ON fa.hospital_id = l.hospital_id AND l.accepted_at >= fa.period_start AND l.accepted_at < fa.period_end
    LEFT JOIN v_manufacturer_invoice_line mi ON mi.shipment_id = l.shipment_id AND mi.order_line_id = l.order_line_id AND mi.manufacturer_id = l.manufacturer_id
   WHERE l.invoiced
     AND l.accepted_at >= $2 AND l.accepted_at < $3
     AND l.region_code IN (SELECT code FROM region WHERE path = $4 OR path LIKE $5)
     AND (l.kind = 'RETURN' OR lc.line_id IS NOT NULL)
     AND NOT EXISTS (SELECT 1 FROM settled_line s WHERE s.line_id = l.line_id)
), allotments AS (
  SELECT fa.id, fa.hospital_id, fa.period_start, fa.period_end FROM fund_allotment fa WHERE fa.id IN (SELECT allotment_id FROM c)
), drawn AS MATERIALIZED (
  -- once per allotment (a correlated sum here would run once per line)
  SELECT id, sum(fen) AS fen FROM (
    SELECT a.id, sum(s.amount_fen) AS fen
      FROM allotments a JOIN settled_line s ON s.hospital_id = a.hospital_id AND s.accepted_at >= a.period_start AND s.accepted_at < a.period_end
     GROUP BY a.id
    UNION ALL
    SELECT a.id, sum(round(sc.unit_price * sc.quantity * 100)::bigint)
      FROM allotments a
      JOIN settlement_candidate sc ON sc.hospital_id = a.hospital_id AND sc.accepted_at >= a.period_start AND sc.accepted_at < a.period_end AND sc.quantity > 0
      JOIN settlement_batch b ON b.id = sc.batch_id AND b.state = 'RUNNING' AND b.id <> $1
     WHERE NOT EXISTS (SELECT 1 FROM settled_line s WHERE s.line_id = sc.line_id)
     GROUP BY a.id) parts
   GROUP BY id
), ranked AS (
  SELECT c.*,
         coalesce(d.fen, 0) + sum(greatest(c.amount, 0)) OVER (PARTITION BY c.allotment_id ORDER BY c.accepted_at, c.line_id) AS cumulative
    FROM c LEFT JOIN drawn d ON d.id = c.allotment_id
), policy AS (
  -- the settlement policy in force for each region of the batch: the nearest region's latest version in effect
  SELECT DISTINCT ON (r.code) r.code, p.payee, p.advance_limit_fen
    FROM region r
    JOIN region pr ON r.path = pr.path OR r.path LIKE pr.path || '/%'
    JOIN region_settlement_policy p ON p.region_code = pr.code AND p.effective_from <= $6
   WHERE r.path = $4 OR r.path LIKE $5
   ORDER BY r.code, length(pr.path) DESC, p.effective_from DESC, p.version DESC
), decided AS (
  -- allotmentDecision in libs/settlement-rules: within the allotment paid; beyond it, up to the policy's advance
  -- limit, paid with the part beyond recorded as an advance (垫付); beyond that held
  SELECT r.*,
         CASE WHEN r.amount <= 0 THEN NULL WHEN r.allotment_id IS NULL THEN 'ALLOTMENT_MISSING'
              WHEN r.cumulative > r.allotment + coalesce(pol.advance_limit_fen, 0) THEN 'ALLOTMENT_EXCEEDED' END AS hold_reason,
         CASE WHEN r.amount > 0 AND r.allotment_id IS NOT NULL AND r.cumulative > r.allotment
                   AND r.cumulative <= r.allotment + coalesce(pol.advance_limit_fen, 0)
              THEN least(r.amount, r.cumulative - r.allotment) END AS advance,
         pol.payee
    FROM ranked r LEFT JOIN policy pol ON pol.code = r.region_code
), held AS (
  INSERT INTO allotment_hold (batch_id, line_id, hospital_id, allotment_id, amount_fen, reason, held_at)
  SELECT $1, line_id, hospital_id, allotment_id, amount, hold_reason, $6 FROM decided WHERE hold_reason IS NOT NULL
  ON CONFLICT (batch_id, line_id) DO NOTHING
), advanced AS (
  INSERT INTO allotment_advance (batch_id, line_id, hospital_id, allotment_id, line_amount_fen, amount_fen, advanced_at)
  SELECT $1, line_id, hospital_id, allotment_id, amount, advance, $6 FROM decided WHERE hold_reason IS NULL AND advance IS NOT NULL
  ON CONFLICT (batch_id, line_id) DO NOTHING
)
INSERT INTO settlement_candidate (batch_id, line_id, kind, hospital_id, region_code, manufacturer_id, product_id, agreement_id,
                                  unit_price, quantity, accepted_at, payee_id, distributor_id, supply_amount_fen)
SELECT $1, d.line_id, d.kind, d.hospital_id, d.region_code, d.manufacturer_id, d.product_id, d.agreement_id, d.unit_price, d.quantity, d.accepted_at,
       CASE WHEN d.payee = 'DISTRIBUTOR' AND d.distributor_id IS NOT NULL THEN d.distributor_id ELSE d.manufacturer_id END,
       d.distributor_id, d.supply_amount
  FROM decided d
 WHERE d.hold_reason IS NULL
 ORDER BY d.line_id
ON CONFLICT (batch_id, line_id) DO NOTHING`;

/**
 * Claims a chunk of lines for a batch: the next `chunk` candidates after the batch's cursor. The primary key of
 * settled_line makes a line settle once however many batches race for it (ON CONFLICT DO NOTHING: a racing
 * batch waits for the other's commit, then skips it), so the candidates need no anti-join against
 * settled_line here — which the planner would run as a scan of all of settled_line for every chunk. The amount is computed
 * here, once: round(price × quantity × 100) is half away from zero, as lineAmountFen in libs/money.
 */
const CLAIM_CHUNK_SQL = `
WITH candidates AS (
  SELECT l.line_id, l.kind, l.hospital_id, l.region_code, l.manufacturer_id, l.product_id, l.agreement_id,
         l.unit_price, l.quantity, l.accepted_at, l.payee_id, l.distributor_id, l.supply_amount_fen
    FROM settlement_candidate l
   WHERE l.batch_id = $1
     AND ($2::uuid IS NULL OR l.line_id > $2::uuid)
   ORDER BY l.line_id
   LIMIT $3
), claimed AS (
  INSERT INTO settled_line (line_id, batch_id, chunk_no, kind, hospital_id, region_code, manufacturer_id, product_id,
                            agreement_id, unit_price, quantity, amount_fen, accepted_at, due_at, policy_version, payee_id, distributor_id, supply_amount_fen)
  SELECT line_id, $1, $4, kind, hospital_id, region_code, manufacturer_id, product_id, agreement_id, unit_price, quantity,
         round(unit_price * quantity * 100)::bigint, accepted_at, accepted_at + make_interval(days => $5), $6, payee_id, distributor_id, supply_amount_fen
    FROM candidates
  ON CONFLICT (line_id) DO NOTHING
  RETURNING amount_fen
)
SELECT (SELECT count(*) FROM candidates)::int AS found,
       (SELECT line_id FROM candidates ORDER BY line_id DESC LIMIT 1) AS last_line_id,
       (SELECT count(*) FROM claimed)::int AS claimed,
       (SELECT coalesce(sum(amount_fen), 0) FROM claimed)::text AS amount`;

/**
 * The invoice chain's sides of a chunk's lines ($2 batch, $3 chunk), as invoiceChainSides decides them: paid to the
 * manufacturer, it owes the distributor the distribution fee (sale − supply); paid to the distributor, it owes the
 * manufacturer the supply amount. Only lines with a recorded manufacturer invoice and a distinct distributor.
 */
const chainSidesSql = (batch: string, chunk: string) => `
  SELECT CASE WHEN c.payee_id = c.distributor_id THEN c.distributor_id ELSE c.manufacturer_id END AS debtor_id,
         CASE WHEN c.payee_id = c.distributor_id THEN c.manufacturer_id ELSE c.distributor_id END AS creditor_id,
         sum(CASE WHEN c.payee_id = c.distributor_id THEN c.supply_amount_fen ELSE c.amount_fen - c.supply_amount_fen END) AS fen
    FROM settled_line c
   WHERE c.batch_id = ${batch} AND c.chunk_no = ${chunk} AND c.supply_amount_fen IS NOT NULL AND c.distributor_id IS NOT NULL AND c.distributor_id <> c.manufacturer_id
   GROUP BY 1, 2`;

/**
 * Posts one chunk: per hospital, what was paid beyond its allotment as an advance (垫付) is drawn from its
 * FUND_ADVANCE account, VBP purchases draw the prepayment down (never below zero), the rest comes from the fund
 * entitlement; per payee (manufacturer or distributor), the payable grows by its lines; the
 * invoice chain's sides are recorded between manufacturer and distributor. One journal per chunk.
 */
const POST_CHUNK_SQL = `
WITH per_hospital AS (
  SELECT s.hospital_id, sum(s.amount_fen) AS total,
         coalesce(sum(s.amount_fen) FILTER (WHERE s.agreement_id IS NOT NULL), 0) AS vbp,
         coalesce(sum(aa.amount_fen), 0) AS adv
    FROM settled_line s LEFT JOIN allotment_advance aa ON aa.batch_id = s.batch_id AND aa.line_id = s.line_id
   WHERE s.batch_id = $2::uuid AND s.chunk_no = $3::int GROUP BY s.hospital_id
), drawn AS (
  SELECT h.total, h.adv, greatest(0, least(pre.balance_fen, h.vbp, h.total - h.adv)) AS draw, pre.id AS prepayment_account, ent.id AS entitlement_account,
         adv.id AS advance_account
    FROM per_hospital h
    JOIN ledger_account pre ON pre.kind = 'VBP_PREPAYMENT' AND pre.owner_id = h.hospital_id
    JOIN ledger_account ent ON ent.kind = 'FUND_ENTITLEMENT' AND ent.owner_id = h.hospital_id
    LEFT JOIN ledger_account adv ON adv.kind = 'FUND_ADVANCE' AND adv.owner_id = h.hospital_id AND h.adv <> 0
), per_payee AS (
  SELECT m.payee_id, sum(m.amount_fen) AS total
    FROM settled_line m WHERE m.batch_id = $2 AND m.chunk_no = $3 GROUP BY m.payee_id
), per_chain AS (${chainSidesSql('$2', '$3')})
INSERT INTO ledger_posting (journal_id, account_id, amount_fen)
SELECT $1::uuid, prepayment_account, -draw FROM drawn WHERE draw <> 0
UNION ALL
SELECT $1::uuid, entitlement_account, -(total - draw - adv) FROM drawn WHERE total - draw - adv <> 0
UNION ALL
SELECT $1::uuid, advance_account, -adv FROM drawn WHERE adv <> 0
UNION ALL
SELECT $1::uuid, a.id, pm.total FROM per_payee pm JOIN ledger_account a ON a.kind = 'PAYABLE' AND a.owner_id = pm.payee_id WHERE pm.total <> 0
UNION ALL
SELECT $1::uuid, a.id, -pc.fen FROM per_chain pc JOIN ledger_account a ON a.kind = 'CHAIN_PAYABLE' AND a.owner_id = pc.debtor_id WHERE pc.fen <> 0
UNION ALL
SELECT $1::uuid, a.id, pc.fen FROM per_chain pc JOIN ledger_account a ON a.kind = 'CHAIN_RECEIVABLE' AND a.owner_id = pc.creditor_id WHERE pc.fen <> 0`;

@Injectable()
export class SettlementBatchesService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(RUN_BATCH_JOB, async (data) => {
      await this.runBatch(String(data.batchId));
    });
    this.jobs.register(POST_PREPAYMENTS_JOB, async () => {
      await this.postDuePrepayments();
    }, { cron: '*/10 * * * *' });
  }

  // ---- batches ----------------------------------------------------------------------------------------------

  /**
   * Creates the batch (or finds the one this idempotency key created) and queues its run. A batch that was
   * killed mid-way is queued again and resumes from its last committed chunk.
   */
  async startBatch(ctx: RequestContext, input: StartSettlementBatchInput): Promise<SettlementBatch> {
    const user = requireUser(ctx);
    if (!(input.periodEnd > input.periodStart)) throw validationFailed('input.periodEnd', 'The period ends after it starts');
    const request = { regionCode: input.regionCode, periodStart: input.periodStart.toISOString(), periodEnd: input.periodEnd.toISOString() };
    const { batchId } = await this.db.transaction((em) =>
      idempotent(em, { organisationId: user.organisationId, operation: 'settlement.startBatch', key: input.idempotencyKey, request }, async () => {
        const [region] = await em.query<{ code: string; path: string }[]>('SELECT code, path FROM region WHERE code = $1', [input.regionCode]);
        if (!region) throw validationFailed('input.regionCode', `Region ${input.regionCode} does not exist`);
        if (user.role !== 'PLATFORM_ADMIN' && !pathWithin(region.path, user.regionPath)) throw forbidden('This region is outside your region');
        const [row] = await em.query<{ id: string }[]>(
          `INSERT INTO settlement_batch (organisation_id, idempotency_key, region_code, region_path, period_start, period_end, policy_version, started_at, prepared_by_user_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [user.organisationId, input.idempotencyKey, region.code, region.path, input.periodStart, input.periodEnd, CURRENT_SETTLEMENT_POLICY.version, this.clock.now(), user.id],
        );
        await this.audit.record(em, ctx, { action: 'settlement.batch.started', entityType: 'settlement_batch', entityId: row.id, data: request });
        return { batchId: row.id };
      }),
    );
    const batch = await this.db.manager.findOneByOrFail(SettlementBatch, { id: batchId });
    if (batch.state === 'RUNNING') await this.jobs.enqueue(RUN_BATCH_JOB, { batchId }, { singletonKey: batchId });
    return batch;
  }

  /**
   * Runs a batch to completion, one chunk per transaction, so a crash loses at most the chunk in flight.
   * Safe to run twice at once (the batch row is locked per chunk) and to resume after a kill.
   */
  async runBatch(batchId: string, options: RunOptions = {}): Promise<SettlementBatch> {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!(await this.db.transaction((em) => this.takeCandidates(em, batchId)))) throw notFound('Settlement batch', 'batchId');
    for (;;) {
      const progress = await this.db.transaction((em) => this.runChunk(em, batchId, chunkSize));
      if (!progress) throw notFound('Settlement batch', 'batchId');
      if (progress.done) break;
      await options.afterChunk?.({ batchId, chunksDone: progress.chunksDone, linesSettled: progress.linesSettled });
    }
    return this.db.manager.findOneByOrFail(SettlementBatch, { id: batchId });
  }

  /** Once per batch, before its first chunk (a kill before this commits just repeats it). False: no such batch. */
  private async takeCandidates(em: EntityManager, batchId: string): Promise<boolean> {
    const [batch] = await em.query<{ state: string; candidates_taken_at: Date | null; period_start: Date; period_end: Date; region_path: string }[]>(
      'SELECT state, candidates_taken_at, period_start, period_end, region_path FROM settlement_batch WHERE id = $1 FOR UPDATE',
      [batchId],
    );
    if (!batch) return false;
    if (batch.state !== 'RUNNING' || batch.candidates_taken_at) return true;
    const path: string = batch.region_path;
    // one batch at a time measures the allotments against what other running batches have taken
    await em.query('SELECT pg_advisory_xact_lock($1)', [ALLOTMENT_LOCK]);
    const now = this.clock.now();
    // one batch job at a time (the lock above): room to sort and hash a month of a province's lines in memory
    await em.query(`SET LOCAL work_mem = '256MB'`);
    await em.query(TAKE_CANDIDATES_SQL, [batchId, batch.period_start, batch.period_end, path, `${path}/%`, now]);
    // fresh statistics before the chunks: planned from a table autovacuum has not yet seen (empty), each chunk's
    // claim would scan and sort every candidate instead of reading the next 10,000 from the key (~1 s a chunk)
    await em.query('ANALYZE settlement_candidate');
    const [held] = await em.query<{ n: number; fen: string }[]>(`SELECT count(*)::int AS n, coalesce(sum(amount_fen), 0)::text AS fen FROM allotment_hold WHERE batch_id = $1`, [batchId]);
    if (held.n > 0) {
      logger.warn({ batchId, linesHeld: held.n, amountFen: held.fen }, 'settlement batch holds lines beyond fund allotments');
      await this.audit.record(em, systemContext(`batch:${batchId}`), {
        action: 'settlement.batch.allotment-held', entityType: 'settlement_batch', entityId: batchId, data: { linesHeld: held.n, amountFen: held.fen },
      });
    }
    // retained savings accrued for hospitals of the region and not yet in a batch: this batch pays them
    const [savings] = await em.query<{ fen: string }[]>(
      `WITH taken AS (
         UPDATE retained_savings_accrual r SET batch_id = $1
          WHERE r.batch_id IS NULL AND r.amount_fen > 0 AND r.region_code IN (SELECT code FROM region WHERE path = $2 OR path LIKE $3)
         RETURNING r.hospital_id, r.amount_fen
       ), payable AS (
         INSERT INTO batch_payable (batch_id, manufacturer_id, amount_fen)
         SELECT $1, hospital_id, sum(amount_fen) FROM taken GROUP BY hospital_id
         ON CONFLICT (batch_id, manufacturer_id) DO UPDATE SET amount_fen = batch_payable.amount_fen + EXCLUDED.amount_fen
       )
       SELECT coalesce(sum(amount_fen), 0)::text AS fen FROM taken`,
      [batchId, path, `${path}/%`],
    );
    const [advanced] = await em.query<{ n: number; fen: string }[]>(`SELECT count(*)::int AS n, coalesce(sum(amount_fen), 0)::text AS fen FROM allotment_advance WHERE batch_id = $1`, [batchId]);
    if (advanced.n > 0) {
      logger.warn({ batchId, linesAdvanced: advanced.n, amountFen: advanced.fen }, 'settlement batch pays lines beyond fund allotments as advances');
      await this.audit.record(em, systemContext(`batch:${batchId}`), {
        action: 'settlement.batch.allotment-advanced', entityType: 'settlement_batch', entityId: batchId, data: { linesAdvanced: advanced.n, amountFen: advanced.fen },
      });
    }
    await em.query('UPDATE settlement_batch SET candidates_taken_at = $2, savings_amount_fen = $3 WHERE id = $1', [batchId, this.clock.now(), savings.fen]);
    return true;
  }

  private async runChunk(em: EntityManager, batchId: string, chunkSize: number) {
    const [batch] = await em.query<{ state: string; chunks_done: number; lines_settled: number; policy_version: string; cursor_line_id: string | null }[]>(
      'SELECT * FROM settlement_batch WHERE id = $1 FOR UPDATE',
      [batchId],
    );
    if (!batch) return null;
    if (batch.state !== 'RUNNING') return { done: true, chunksDone: batch.chunks_done, linesSettled: batch.lines_settled };
    const policy = settlementPolicy(batch.policy_version);
    const chunkNo = batch.chunks_done + 1;
    const [claim] = await em.query<{ found: number; last_line_id: string | null; claimed: number; amount: string }[]>(CLAIM_CHUNK_SQL, [batchId, batch.cursor_line_id, chunkSize, chunkNo, policy.paymentDueDays, policy.version]);
    const now = this.clock.now();
    if (claim.claimed > 0) await this.postChunk(em, batchId, chunkNo, now);
    await em.query(
      `UPDATE settlement_batch SET chunks_done = $2, lines_settled = lines_settled + $3, amount_fen = amount_fen + $4::bigint,
              cursor_line_id = coalesce($5::uuid, cursor_line_id) WHERE id = $1`,
      [batchId, chunkNo, claim.claimed, claim.amount, claim.last_line_id],
    );
    const done = claim.found < chunkSize;
    if (done) {
      // prepared: the lines are frozen (settled_line) and posted; no instruction exists until a second user approves
      await em.query(`UPDATE settlement_batch SET state = 'PREPARED', prepared_at = $2 WHERE id = $1`, [batchId, now]);
      const [final] = await em.query<{ lines_settled: number; amount: string }[]>('SELECT lines_settled, amount_fen::text AS amount FROM settlement_batch WHERE id = $1', [batchId]);
      await this.audit.record(em, systemContext(`batch:${batchId}`), {
        action: 'settlement.batch.prepared', entityType: 'settlement_batch', entityId: batchId, data: { linesSettled: final.lines_settled, amountFen: final.amount },
      });
    }
    return { done, chunksDone: chunkNo, linesSettled: batch.lines_settled + claim.claimed };
  }

  private async postChunk(em: EntityManager, batchId: string, chunkNo: number, now: Date): Promise<void> {
    await em.query(
      `INSERT INTO ledger_account (kind, owner_id)
       SELECT k.kind, h.hospital_id FROM (SELECT DISTINCT hospital_id FROM settled_line WHERE batch_id = $1 AND chunk_no = $2) h
         CROSS JOIN (VALUES ('FUND_ENTITLEMENT'), ('VBP_PREPAYMENT')) k(kind)
       UNION ALL
       SELECT 'PAYABLE', payee_id FROM (SELECT DISTINCT payee_id FROM settled_line WHERE batch_id = $1 AND chunk_no = $2) m
       UNION ALL
       SELECT k.kind, CASE k.kind WHEN 'CHAIN_PAYABLE' THEN s.debtor_id ELSE s.creditor_id END
         FROM (SELECT DISTINCT debtor_id, creditor_id FROM (${chainSidesSql('$1', '$2')}) x) s
        CROSS JOIN (VALUES ('CHAIN_PAYABLE'), ('CHAIN_RECEIVABLE')) k(kind)
       UNION ALL
       SELECT DISTINCT 'FUND_ADVANCE', aa.hospital_id FROM allotment_advance aa JOIN settled_line s ON s.batch_id = aa.batch_id AND s.line_id = aa.line_id
        WHERE aa.batch_id = $1 AND s.chunk_no = $2
       ON CONFLICT (kind, owner_id) DO NOTHING`,
      [batchId, chunkNo],
    );
    // lock every account the chunk touches, in id order, before reading the prepayment balances
    await em.query(
      `SELECT a.id FROM ledger_account a
        WHERE (a.kind IN ('FUND_ENTITLEMENT', 'VBP_PREPAYMENT', 'FUND_ADVANCE') AND a.owner_id IN (SELECT hospital_id FROM settled_line WHERE batch_id = $1 AND chunk_no = $2))
           OR (a.kind = 'PAYABLE' AND a.owner_id IN (SELECT payee_id FROM settled_line WHERE batch_id = $1 AND chunk_no = $2))
           OR (a.kind IN ('CHAIN_PAYABLE', 'CHAIN_RECEIVABLE') AND a.owner_id IN (
                SELECT c.manufacturer_id FROM settled_line c WHERE c.batch_id = $1 AND c.chunk_no = $2 AND c.supply_amount_fen IS NOT NULL
                UNION SELECT c.distributor_id FROM settled_line c WHERE c.batch_id = $1 AND c.chunk_no = $2 AND c.supply_amount_fen IS NOT NULL))
        ORDER BY a.id FOR UPDATE`,
      [batchId, chunkNo],
    );
    const journalId = await this.ledger.openJournal(em, 'SETTLEMENT', `settlement batch ${batchId} chunk ${chunkNo}`, now, { batchId });
    await em.query(POST_CHUNK_SQL, [journalId, batchId, chunkNo]);
    await applyJournalToBalances(em, journalId);
    await em.query(
      `INSERT INTO batch_payable (batch_id, manufacturer_id, amount_fen)
       SELECT batch_id, payee_id, sum(amount_fen) FROM settled_line WHERE batch_id = $1 AND chunk_no = $2 GROUP BY batch_id, payee_id
       ON CONFLICT (batch_id, manufacturer_id) DO UPDATE SET amount_fen = batch_payable.amount_fen + EXCLUDED.amount_fen`,
      [batchId, chunkNo],
    );
  }

  // ---- maker-checker -----------------------------------------------------------------------------------------

  /** Locks a PREPARED batch in the caller's region that the caller did not prepare. */
  private async lockForDecision(em: EntityManager, ctx: RequestContext, batchId: string) {
    const user = requireUser(ctx);
    const [batch] = await em.query<{ id: string; state: string; region_path: string; prepared_by_user_id: string }[]>('SELECT id, state, region_path, prepared_by_user_id FROM settlement_batch WHERE id = $1 FOR UPDATE', [batchId]);
    if (!batch || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(batch.region_path, user.regionPath))) throw notFound('Settlement batch', 'batchId');
    if (!SETTLEMENT_BATCH_MACHINE.guard('approve', batch.state as BatchState).ok) throw SettlementErrors.batchNotPrepared(batch.state);
    if (batch.prepared_by_user_id === user.id) throw SettlementErrors.sameUser('batchId');
    return user;
  }

  /**
   * The checker's approval: issues the payment instructions (held where the payee has no verified account in
   * effect) and completes the batch. Refused for the user who prepared it.
   */
  async approveBatch(ctx: RequestContext, batchId: string): Promise<SettlementBatch> {
    await this.db.transaction(async (em) => {
      const user = await this.lockForDecision(em, ctx, batchId);
      const now = this.clock.now();
      await em.query(`UPDATE settlement_batch SET state = 'COMPLETED', completed_at = $2, decided_at = $2, decided_by_user_id = $3 WHERE id = $1`, [batchId, now, user.id]);
      const issued = await this.issueInstructions(em, batchId, now);
      await this.audit.record(em, ctx, { action: 'settlement.batch.approved', entityType: 'settlement_batch', entityId: batchId, data: issued });
    });
    return this.db.manager.findOneByOrFail(SettlementBatch, { id: batchId });
  }

  /**
   * The checker's rejection: one reversing journal undoes the batch's postings (per account, set-based), and
   * its lines leave settled_line so the next batch claims them again. The candidate copy stays as the record
   * of what the batch considered; the journals and the audit log record the rest.
   */
  async rejectBatch(ctx: RequestContext, batchId: string, reason: string): Promise<SettlementBatch> {
    if (!reason.trim()) throw validationFailed('reason', '退回批次需填写原因');
    await this.db.transaction(async (em) => {
      const user = await this.lockForDecision(em, ctx, batchId);
      const now = this.clock.now();
      const totals = `SELECT p.account_id, sum(p.amount_fen) AS total FROM ledger_posting p JOIN ledger_journal j ON j.id = p.journal_id
                       WHERE j.batch_id = $1 AND j.kind = 'SETTLEMENT' GROUP BY p.account_id HAVING sum(p.amount_fen) <> 0`;
      await em.query(`SELECT a.id FROM ledger_account a WHERE a.id IN (SELECT account_id FROM (${totals}) t) ORDER BY a.id FOR UPDATE`, [batchId]);
      const journalId = await this.ledger.openJournal(em, 'REVERSAL', `batch ${batchId} rejected: ${reason}`, now, { batchId });
      await em.query(`INSERT INTO ledger_posting (journal_id, account_id, amount_fen) SELECT $2::uuid, account_id, -total FROM (${totals}) t`, [batchId, journalId]);
      await applyJournalToBalances(em, journalId);
      // retained savings it would have paid stay accrued (their journals are not the batch's) for the next batch
      await em.query('UPDATE retained_savings_accrual SET batch_id = NULL WHERE batch_id = $1', [batchId]);
      await em.query('DELETE FROM batch_payable WHERE batch_id = $1', [batchId]);
      // its advances are undone with its postings (the audit log keeps that they were made)
      await em.query('DELETE FROM allotment_advance WHERE batch_id = $1', [batchId]);
      const [released] = await em.query<{ n: number }[]>('WITH d AS (DELETE FROM settled_line WHERE batch_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [batchId]);
      await em.query(`UPDATE settlement_batch SET state = 'REJECTED', rejection_reason = $2, decided_at = $3, decided_by_user_id = $4 WHERE id = $1`, [batchId, reason, now, user.id]);
      await this.audit.record(em, ctx, {
        action: 'settlement.batch.rejected', entityType: 'settlement_batch', entityId: batchId, data: { reason, linesReleased: released.n, reversalJournalId: journalId },
      });
    });
    return this.db.manager.findOneByOrFail(SettlementBatch, { id: batchId });
  }

  /**
   * One instruction per manufacturer for everything owed and not yet in payment — this batch's amounts,
   * earlier completed batches' amounts whose payment failed, and returns netted against them — when the
   * total is positive; the amount leaves the payable for the bank clearing account.
   */
  private async issueInstructions(em: EntityManager, batchId: string, now: Date): Promise<{ issued: number; held: number }> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [PAYMENT_LOCK]);
    const eligible = `bp.instruction_id IS NULL AND (bp.batch_id = $1 OR bp.batch_id IN (SELECT id FROM settlement_batch WHERE state = 'COMPLETED'))`;
    const totals: { manufacturer_id: string; total: string }[] = await em.query(
      `SELECT bp.manufacturer_id, sum(bp.amount_fen)::text AS total FROM batch_payable bp WHERE ${eligible} GROUP BY bp.manufacturer_id HAVING sum(bp.amount_fen) > 0`,
      [batchId],
    );
    if (totals.length === 0) return { issued: 0, held: 0 };
    const accounts = await accountsInEffect(em, totals.map((t) => t.manufacturer_id), now);
    const clearing = await this.ledger.bankClearingId(em);
    const payables: { id: string; owner_id: string }[] = await em.query(
      `SELECT id, owner_id FROM ledger_account WHERE kind = 'PAYABLE' AND owner_id = ANY($1::uuid[])`,
      [totals.map((t) => t.manufacturer_id)],
    );
    const payableOf = new Map(payables.map((p) => [p.owner_id, p.id]));
    // payees without a verified account in effect: the instruction is HELD, the money stays in their payable
    let sum = 0n;
    const lines = totals.filter((t) => accounts.has(t.manufacturer_id)).map((t) => {
      sum += BigInt(t.total);
      return { accountId: payableOf.get(t.manufacturer_id)!, amountFen: -BigInt(t.total) };
    });
    const journalId = lines.length > 0
      ? await this.ledger.post(em, 'PAYMENT_ISSUED', `payment instructions of batch ${batchId}`, now, [...lines, { accountId: clearing, amountFen: sum }], { batchId })
      : null;
    await em.query(
      `WITH ins AS (
         INSERT INTO payment_instruction (batch_id, manufacturer_id, amount_fen, issued_at, issue_journal_id, payee_account_id, state, hold_reason)
         SELECT $1, t.manufacturer_id, t.total, $4, CASE WHEN t.account_id IS NULL THEN NULL ELSE $5::uuid END, t.account_id,
                CASE WHEN t.account_id IS NULL THEN 'HELD' ELSE 'ISSUED' END, CASE WHEN t.account_id IS NULL THEN '${PAYEE_ACCOUNT_MISSING}' END
           FROM unnest($2::uuid[], $3::bigint[], $6::uuid[]) AS t(manufacturer_id, total, account_id)
         RETURNING id, manufacturer_id)
       UPDATE batch_payable bp SET instruction_id = ins.id FROM ins WHERE bp.manufacturer_id = ins.manufacturer_id AND ${eligible}`,
      [batchId, totals.map((t) => t.manufacturer_id), totals.map((t) => t.total), now, journalId, totals.map((t) => accounts.get(t.manufacturer_id) ?? null)],
    );
    return { issued: lines.length, held: totals.length - lines.length };
  }

  /**
   * Issues an organisation's HELD instructions now that it has a verified account in effect: each posts its
   * payable → clearing journal and becomes ISSUED. Called when an account is verified, and by the office.
   */
  async releaseHeldPayments(em: EntityManager, ctx: RequestContext, organisationId: string, field: string): Promise<number> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [PAYMENT_LOCK]);
    const now = this.clock.now();
    const held: { id: string; amount_fen: string; batch_id: string }[] = await em.query(
      `SELECT id, amount_fen::text, batch_id FROM payment_instruction WHERE manufacturer_id = $1 AND state = 'HELD' ORDER BY id FOR UPDATE`,
      [organisationId],
    );
    if (held.length === 0) return 0;
    const account = (await accountsInEffect(em, [organisationId], now)).get(organisationId);
    if (!account) throw SettlementErrors.payeeAccountMissing(field);
    const clearing = await this.ledger.bankClearingId(em);
    const payable = await this.ledger.accountId(em, 'PAYABLE', organisationId);
    for (const row of held) {
      const amount = BigInt(row.amount_fen);
      const journalId = await this.ledger.post(em, 'PAYMENT_ISSUED', `held payment ${row.id} released`, now, [
        { accountId: payable, amountFen: -amount },
        { accountId: clearing, amountFen: amount },
      ], { batchId: row.batch_id });
      await em.query(
        `UPDATE payment_instruction SET state = 'ISSUED', hold_reason = NULL, issue_journal_id = $2, payee_account_id = $3, issued_at = $4 WHERE id = $1`,
        [row.id, journalId, account, now],
      );
      await this.audit.record(em, ctx, { action: 'settlement.payment.released', entityType: 'payment_instruction', entityId: row.id, data: { amountFen: row.amount_fen, payeeAccountId: account } });
    }
    return held.length;
  }

  // ---- bank results ------------------------------------------------------------------------------------------

  /**
   * Records the bank's answer per instruction. PAID closes it; FAILED returns the amount to the
   * manufacturer's payable (a reversing journal) and frees its lines for the next batch's instructions.
   * Recording the same answer again changes nothing; a different answer is refused.
   */
  async importBankResults(ctx: RequestContext, input: ImportBankResultsInput): Promise<PaymentInstruction[]> {
    const user = requireUser(ctx);
    const seen = new Set<string>();
    input.results.forEach((r, i) => {
      if (seen.has(r.instructionId)) throw validationFailed(`input.results[${i}].instructionId`, 'An instruction appears twice');
      seen.add(r.instructionId);
      if (r.outcome === 'FAILED' && !r.reason?.trim()) throw validationFailed(`input.results[${i}].reason`, 'A failed payment needs the bank’s reason');
      if (r.outcome === 'PAID' && r.reason) throw validationFailed(`input.results[${i}].reason`, 'Only a failed payment has a reason');
    });
    const ids = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [PAYMENT_LOCK]);
      const now = this.clock.now();
      const rows: { id: string; state: string; amount_fen: string; manufacturer_id: string; issue_journal_id: string; region_path: string }[] = await em.query(
        `SELECT i.id, i.state, i.amount_fen::text, i.manufacturer_id, i.issue_journal_id, b.region_path
           FROM payment_instruction i JOIN settlement_batch b ON b.id = i.batch_id
          WHERE i.id = ANY($1::uuid[]) ORDER BY i.id FOR UPDATE OF i`,
        [[...seen]],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const clearing = await this.ledger.bankClearingId(em);
      for (const [i, result] of input.results.entries()) {
        const field = `input.results[${i}].instructionId`;
        const row = byId.get(result.instructionId);
        if (!row || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(row.region_path, user.regionPath))) throw notFound('Payment instruction', field);
        if (row.state === result.outcome) continue; // the same file imported twice
        if (row.state === 'HELD') throw new AppError('PAYMENT_INSTRUCTION_HELD', '该付款指令暂挂，尚未发送银行，不能登记银行结果', { field });
        if (row.state !== 'ISSUED') throw SettlementErrors.resultAlreadyRecorded(field, row.state);
        if (result.outcome === 'PAID') {
          await em.query(`UPDATE payment_instruction SET state = 'PAID', result_at = $2 WHERE id = $1`, [row.id, now]);
        } else {
          await this.returnToPayable(em, row, `failed: ${result.reason}`, result.reason!, now, clearing);
        }
        await this.audit.record(em, ctx, {
          action: `settlement.payment.${result.outcome.toLowerCase()}`, entityType: 'payment_instruction', entityId: row.id,
          data: { amountFen: row.amount_fen, reason: result.reason ?? null },
        });
      }
      return [...seen];
    });
    return this.db.manager.getRepository(PaymentInstruction).createQueryBuilder('i').where('i.id IN (:...ids)', { ids }).orderBy('i.id').getMany();
  }

  /**
   * A payment that did not reach its payee (failed, or returned by the bank after it was paid): a PAYMENT_FAILED
   * journal naming the issue journal moves the amount from bank clearing back to the manufacturer's payable, the
   * instruction becomes FAILED with the reason, and its batch amounts are freed so the next batch's instruction
   * pays them again. The caller holds PAYMENT_LOCK and has locked the instruction row.
   */
  async returnToPayable(
    em: EntityManager,
    row: { id: string; amount_fen: string; manufacturer_id: string; issue_journal_id: string },
    what: string,
    reason: string,
    now: Date,
    clearingId?: string,
  ): Promise<void> {
    const amount = BigInt(row.amount_fen);
    const clearing = clearingId ?? (await this.ledger.bankClearingId(em));
    const payable = await this.ledger.accountId(em, 'PAYABLE', row.manufacturer_id);
    await this.ledger.post(em, 'PAYMENT_FAILED', `payment ${row.id} ${what}`, now, [
      { accountId: clearing, amountFen: -amount },
      { accountId: payable, amountFen: amount },
    ], { reversesJournalId: row.issue_journal_id });
    await em.query(`UPDATE payment_instruction SET state = 'FAILED', failure_reason = $2, result_at = $3 WHERE id = $1`, [row.id, reason, now]);
    await em.query('UPDATE batch_payable SET instruction_id = NULL WHERE instruction_id = $1', [row.id]);
  }

  // ---- prepayments -------------------------------------------------------------------------------------------

  /** Posts every due prepayment not yet posted (bank clearing → hospital's VBP prepayment), each once. */
  async postDuePrepayments(): Promise<{ posted: number; amountFen: bigint }> {
    if (!(await this.viewExists('v_prepayment_due'))) {
      logger.warn('v_prepayment_due does not exist yet; no prepayments posted');
      return { posted: 0, amountFen: 0n };
    }
    return this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [PREPAYMENT_LOCK]);
      const now = this.clock.now();
      const due: { prepayment_due_id: string; hospital_id: string; round_id: string; amount_fen: string }[] = await em.query(
        `SELECT d.prepayment_due_id, d.hospital_id, d.round_id, d.amount_fen::text FROM v_prepayment_due d
          WHERE d.due_at <= $1 AND d.amount_fen > 0 AND NOT EXISTS (SELECT 1 FROM prepayment_posting p WHERE p.prepayment_due_id = d.prepayment_due_id)
          ORDER BY d.prepayment_due_id`,
        [now],
      );
      if (due.length === 0) return { posted: 0, amountFen: 0n };
      const clearing = await this.ledger.bankClearingId(em);
      const lines = [];
      let total = 0n;
      for (const d of due) {
        const amount = BigInt(d.amount_fen);
        total += amount;
        await this.ledger.accountId(em, 'FUND_ENTITLEMENT', d.hospital_id);
        lines.push({ accountId: await this.ledger.accountId(em, 'VBP_PREPAYMENT', d.hospital_id), amountFen: amount });
      }
      const journalId = await this.ledger.post(em, 'PREPAYMENT', `prepayments for ${due.length} hospital round(s)`, now, [...lines, { accountId: clearing, amountFen: -total }]);
      // the primary key on prepayment_due_id is the "at most once"; a concurrent run fails here and retries
      await em.query(
        `INSERT INTO prepayment_posting (prepayment_due_id, hospital_id, round_id, amount_fen, journal_id, posted_at)
         SELECT unnest($1::uuid[]), unnest($2::uuid[]), unnest($3::uuid[]), unnest($4::bigint[]), $5, $6`,
        [due.map((d) => d.prepayment_due_id), due.map((d) => d.hospital_id), due.map((d) => d.round_id), due.map((d) => d.amount_fen), journalId, now],
      );
      await this.audit.record(em, systemContext('prepayments'), {
        action: 'settlement.prepayments.posted', entityType: 'ledger_journal', entityId: journalId, data: { count: due.length, amountFen: total.toString() },
      });
      return { posted: due.length, amountFen: total };
    });
  }

  async viewExists(name: string): Promise<boolean> {
    const [row] = await this.db.manager.query<{ present: boolean }[]>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
    return row.present;
  }
}
