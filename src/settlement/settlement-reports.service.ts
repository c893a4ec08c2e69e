import { Injectable } from '@nestjs/common';
import { CURRENT_SETTLEMENT_POLICY, disputeDeadline, retainedSavingsByHospital } from '@libs/settlement-rules';
import { CN_CALENDAR_2025_2027, WorkingDayCalendar } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { forbidden, notFound } from '../platform/errors/app-error';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { Page, PageArgs, pageSize, paginate } from '../platform/graphql/pagination';
import { LedgerAccount, FUND_OWNER_ID } from './ledger.entity';
import { LedgerService } from './ledger.service';
import { RetainedSavingsService } from './retained-savings.service';
import { HospitalScoreRecord, PaymentInstruction, PrepaymentPosting, SettlementBatch } from './settlement-batch.entity';
import { AgeingRow, PayableLine, PayableLineFilter, RetainedSavingsRow, SetHospitalScoreInput } from './dto/settlement.inputs';
import { BaselineSource } from '../platform/ports/vbp-source';

/** Collects positional parameters while a query is assembled. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Reads by role: manufacturers see their receivables and payments, hospitals their payables and prepayment,
 * settlement offices and regulators everything in their region subtree. Filters come from the caller's
 * scope, never from arguments alone.
 */
@Injectable()
export class SettlementReportsService {
  private readonly calendar = new WorkingDayCalendar(CN_CALENDAR_2025_2027);

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly savings: RetainedSavingsService,
  ) {}

  /** SQL condition restricting rows with (hospital_id, manufacturer_id, region_code) to the caller's scope. */
  private lineScope(ctx: RequestContext, p: Params, alias = 'x'): string {
    const scope = scopeOf(ctx);
    if (scope.kind === 'all') return 'TRUE';
    if (scope.kind === 'region') {
      return `${alias}.region_code IN (SELECT code FROM region WHERE path = ${p.add(scope.pathPrefix)} OR path LIKE ${p.add(`${scope.pathPrefix}/%`)})`;
    }
    const user = requireUser(ctx);
    if (user.role === 'HOSPITAL') return `${alias}.hospital_id = ${p.add(user.organisationId)}`;
    if (user.role === 'MANUFACTURER') return `${alias}.manufacturer_id = ${p.add(user.organisationId)}`;
    return 'FALSE';
  }

  private async viewExists(name: string): Promise<boolean> {
    const [row] = await this.db.manager.query<{ present: boolean }[]>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
    return row.present;
  }

  /** Every payable line, settled or not yet claimed by a batch (v_payable_line includes both). */
  private payableSource(_p: Params): string {
    return 'SELECT line_id, hospital_id, region_code, manufacturer_id, agreement_id, amount_fen, accepted_at, due_at, paid_at, batch_id FROM v_payable_line';
  }

  async payableLines(ctx: RequestContext, filter: PayableLineFilter = {}, first?: number | null): Promise<PayableLine[]> {
    const limit = pageSize({ first });
    const p = new Params();
    const now = p.add(this.clock.now());
    const source = this.payableSource(p);
    const where = [this.lineScope(ctx, p)];
    if (filter.hospitalId) where.push(`x.hospital_id = ${p.add(filter.hospitalId)}`);
    if (filter.manufacturerId) where.push(`x.manufacturer_id = ${p.add(filter.manufacturerId)}`);
    if (filter.batchId) where.push(`x.batch_id = ${p.add(filter.batchId)}`);
    if (filter.overdueOnly) where.push(`x.paid_at IS NULL AND x.due_at < ${now}`);
    const rows = await this.db.manager.query<{
      line_id: string; hospital_id: string; region_code: string; manufacturer_id: string; amount: string;
      accepted_at: Date; due_at: Date; paid_at: Date | null; batch_id: string | null; overdue: boolean; confirmation: string;
    }[]>(
      `SELECT x.*, x.amount_fen::text AS amount, (x.paid_at IS NULL AND x.due_at < ${now}) AS overdue,
              CASE WHEN x.batch_id IS NOT NULL OR x.amount_fen < 0 OR EXISTS (SELECT 1 FROM line_confirmation c WHERE c.line_id = x.line_id) THEN 'CONFIRMED'
                   ELSE coalesce((SELECT CASE d.state WHEN 'UPHELD' THEN 'UPHELD' ELSE 'DISPUTED' END FROM line_dispute d WHERE d.line_id = x.line_id), 'PENDING') END AS confirmation
         FROM (${source}) x WHERE ${where.join(' AND ')} ORDER BY x.due_at, x.line_id LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map((r) => ({
      lineId: r.line_id, hospitalId: r.hospital_id, regionCode: r.region_code, manufacturerId: r.manufacturer_id, amountFen: BigInt(r.amount),
      acceptedAt: r.accepted_at, dueAt: r.due_at, paidAt: r.paid_at, batchId: r.batch_id, overdue: r.overdue, confirmation: r.confirmation,
      disputeDeadline: r.confirmation === 'PENDING' ? disputeDeadline(new Date(r.accepted_at), this.calendar) : null,
    }));
  }

  /** Unpaid amounts by days since acceptance (0–30, 31–60, 61–90, > 90) per hospital and manufacturer. */
  async ageing(ctx: RequestContext, asOf?: Date | null): Promise<AgeingRow[]> {
    const policy = CURRENT_SETTLEMENT_POLICY;
    const p = new Params();
    const at = p.add(asOf ?? this.clock.now());
    const source = this.payableSource(p);
    const age = `floor(extract(epoch FROM (${at}::timestamptz - x.accepted_at)) / 86400)`;
    const [b1, b2, b3] = policy.ageingBucketBounds.map((b) => p.add(b));
    const rows = await this.db.manager.query<{ hospital_id: string; manufacturer_id: string; b0: string; b1: string; b2: string; b3: string; overdue: string }[]>(
      `SELECT x.hospital_id, x.manufacturer_id,
              coalesce(sum(x.amount_fen) FILTER (WHERE ${age} <= ${b1}), 0)::text AS b0,
              coalesce(sum(x.amount_fen) FILTER (WHERE ${age} > ${b1} AND ${age} <= ${b2}), 0)::text AS b1,
              coalesce(sum(x.amount_fen) FILTER (WHERE ${age} > ${b2} AND ${age} <= ${b3}), 0)::text AS b2,
              coalesce(sum(x.amount_fen) FILTER (WHERE ${age} > ${b3}), 0)::text AS b3,
              coalesce(sum(x.amount_fen) FILTER (WHERE x.due_at < ${at}), 0)::text AS overdue
         FROM (${source}) x
        WHERE x.paid_at IS NULL AND x.accepted_at <= ${at} AND ${this.lineScope(ctx, p)}
        GROUP BY x.hospital_id, x.manufacturer_id ORDER BY x.hospital_id, x.manufacturer_id`,
      p.values,
    );
    return rows.map((r) => ({
      hospitalId: r.hospital_id, manufacturerId: r.manufacturer_id, days0To30Fen: BigInt(r.b0), days31To60Fen: BigInt(r.b1),
      days61To90Fen: BigInt(r.b2), over90Fen: BigInt(r.b3), overdueFen: BigInt(r.overdue), policyVersion: policy.version,
    }));
  }

  // ---- batches, instructions, accounts ------------------------------------------------------------------------

  async batch(ctx: RequestContext, id: string): Promise<SettlementBatch> {
    const batch = await this.db.manager.findOneBy(SettlementBatch, { id });
    const scope = scopeOf(ctx);
    if (!batch || (scope.kind === 'region' && !pathWithin(batch.regionPath, scope.pathPrefix)) || scope.kind === 'own') throw notFound('Settlement batch', 'id');
    return batch;
  }

  batches(ctx: RequestContext, page: PageArgs = {}): Promise<Page<SettlementBatch>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(SettlementBatch, 'b');
    if (scope.kind === 'region') qb.where('(b.region_path = :p OR b.region_path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    // an empty page rather than [] so `first` is still validated
    if (scope.kind === 'own') qb.where('1 = 0');
    return paginate(qb, page, 'started_at');
  }

  /** Payees (manufacturers, distributors, hospitals): their own payments; offices and regulators: those of batches in their region. */
  async instructions(ctx: RequestContext, batchId?: string | null, page: PageArgs = {}): Promise<Page<PaymentInstruction>> {
    const scope = scopeOf(ctx);
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(PaymentInstruction, 'i').innerJoin(SettlementBatch, 'b', 'b.id = i.batch_id');
    if (batchId) qb.andWhere('i.batch_id = :batchId', { batchId });
    if (scope.kind === 'region') qb.andWhere('(b.region_path = :p OR b.region_path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    if (scope.kind === 'own') {
      if (!['MANUFACTURER', 'DISTRIBUTOR', 'HOSPITAL'].includes(user.role)) throw forbidden('Only payees see their payments');
      qb.andWhere('i.manufacturer_id = :own', { own: user.organisationId });
    }
    return paginate(qb, page, 'issued_at');
  }

  /** Hospitals: their entitlement and prepayment; manufacturers: their payable; offices/regulators: their region's. */
  accounts(ctx: RequestContext, page: PageArgs = {}): Promise<Page<LedgerAccount>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(LedgerAccount, 'a');
    if (scope.kind === 'own') qb.where('a.owner_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') {
      qb.where(
        `(a.owner_id = :fund OR a.owner_id IN (SELECT o.id FROM organisation o JOIN region r ON r.code = o.region_code WHERE r.path = :p OR r.path LIKE :pl))`,
        { fund: FUND_OWNER_ID, p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` },
      );
    }
    return paginate(qb, page, 'kind');
  }

  /** Hospitals: their own posted prepayments; offices and regulators: their region's. Keyset on (posted_at, prepayment_due_id). */
  prepayments(ctx: RequestContext, page: PageArgs = {}): Promise<Page<PrepaymentPosting>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(PrepaymentPosting, 'pp');
    if (scope.kind === 'own') qb.where('pp.hospital_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') {
      qb.where(`pp.hospital_id IN (SELECT o.id FROM organisation o JOIN region r ON r.code = o.region_code WHERE r.path = :p OR r.path LIKE :pl)`, { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    }
    return paginate(qb, page, 'posted_at', { column: 'prepayment_due_id', property: 'prepaymentDueId' });
  }

  reconcile() {
    return this.ledger.reconcile(this.db.manager);
  }

  // ---- retained savings --------------------------------------------------------------------------------------

  async setHospitalScore(ctx: RequestContext, input: SetHospitalScoreInput): Promise<HospitalScoreRecord> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const [hospital] = await em.query<{ id: string; path: string }[]>(`SELECT o.id, r.path FROM organisation o JOIN region r ON r.code = o.region_code WHERE o.id = $1 AND o.kind = 'HOSPITAL'`, [input.hospitalId]);
      if (!hospital || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(hospital.path, user.regionPath))) throw notFound('Hospital', 'input.hospitalId');
      const now = this.clock.now();
      await em.query(
        `INSERT INTO hospital_score (hospital_id, round_id, score, set_by_user_id, set_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hospital_id, round_id) DO UPDATE SET score = EXCLUDED.score, set_by_user_id = EXCLUDED.set_by_user_id, set_at = EXCLUDED.set_at`,
        [input.hospitalId, input.roundId, input.score, user.id, now],
      );
      await this.audit.record(em, ctx, { action: 'settlement.hospital-score.set', entityType: 'hospital', entityId: input.hospitalId, data: { roundId: input.roundId, score: input.score } });
      return em.findOneByOrFail(HospitalScoreRecord, { hospitalId: input.hospitalId, roundId: input.roundId });
    });
  }

  /**
   * 结余留用 per hospital of a round: the projection over the whole cycle (budget = Σ agreed quantity × pre-VBP
   * price, spending = accepted VBP lines against those agreements net of returns, kept at its score's share —
   * libs/settlement-rules' retainedSavingsByHospital, as the year-end accrual computes it), and what the ledger
   * holds: the amounts accrued (the RETAINED_SAVINGS journals' postings) and those the bank has paid.
   */
  async retainedSavings(ctx: RequestContext, roundId: string): Promise<RetainedSavingsRow[]> {
    if (!(await this.viewExists('v_volume_agreement'))) return [];
    const inputs = await this.savings.savingsInputs(this.db.manager, ctx, roundId, 'agreed_quantity');
    if (!inputs) return [];
    const rows = retainedSavingsByHospital(
      inputs.agreements.map((a) => ({ hospitalId: a.hospital_id, quantity: BigInt(a.quantity), preVbpUnitPrice: a.pre_vbp_unit_price })),
      inputs.spent,
      inputs.scores,
    );
    const ledger = await this.db.manager.query<{ hospital_id: string; accrued: string; paid: string }[]>(
      `SELECT r.hospital_id, coalesce(-sum(p.amount_fen), 0)::text AS accrued,
              coalesce(sum(-p.amount_fen) FILTER (WHERE i.state = 'PAID'), 0)::text AS paid
         FROM retained_savings_accrual r
         JOIN ledger_posting p ON p.journal_id = r.journal_id
         JOIN ledger_account a ON a.id = p.account_id AND a.kind = 'RETAINED_SAVINGS'
         LEFT JOIN batch_payable bp ON bp.batch_id = r.batch_id AND bp.manufacturer_id = r.hospital_id
         LEFT JOIN payment_instruction i ON i.id = bp.instruction_id
        WHERE r.round_id = $1 AND r.hospital_id = ANY($2::uuid[])
        GROUP BY r.hospital_id`,
      [roundId, rows.map((r) => r.hospitalId)],
    );
    const byHospital = new Map(ledger.map((l) => [l.hospital_id, l]));
    // where each hospital's pre-VBP prices come from: the platform's receipts or an imported file (v_demand_baseline)
    const sourceRows = (await this.viewExists('v_demand_baseline'))
      ? await this.db.manager.query<{ hospital_id: string; sources: BaselineSource[] }[]>(
          `SELECT a.hospital_id, array_agg(DISTINCT b.source ORDER BY b.source) AS sources
             FROM v_volume_agreement a JOIN v_demand_baseline b ON b.hospital_id = a.hospital_id AND b.variety_id = a.variety_id
              AND b.year = EXTRACT(YEAR FROM (a.cycle_start AT TIME ZONE 'Asia/Shanghai'))::int - 1
            WHERE a.round_id = $1 AND a.hospital_id = ANY($2::uuid[]) GROUP BY a.hospital_id`,
          [roundId, rows.map((r) => r.hospitalId)],
        )
      : [];
    const sourcesOf = new Map(sourceRows.map((r) => [r.hospital_id, r.sources]));
    return rows.map((r) => ({
      ...r,
      roundId,
      accruedFen: BigInt(byHospital.get(r.hospitalId)?.accrued ?? '0'),
      paidFen: BigInt(byHospital.get(r.hospitalId)?.paid ?? '0'),
      baselineSources: sourcesOf.get(r.hospitalId) ?? [],
    }));
  }
}
