import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { agreementYearWindow, CURRENT_SETTLEMENT_POLICY, HospitalScore, retainedSavingsByHospital } from '@libs/settlement-rules';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { notFound, validationFailed } from '../platform/errors/app-error';
import { requireUser, scopeOf } from '../platform/auth/scope';
import { LedgerService } from './ledger.service';
import { RetainedSavingsAccrual } from './retained-savings.entity';
import { AccrueRetainedSavingsInput, AccrueRetainedSavingsResult } from './dto/retained-savings.inputs';
import { SettlementErrors } from './settlement.errors';

/** Serialises accruals (the unique constraint is the backstop). */
const ACCRUAL_LOCK = 4_100_705;

/**
 * 结余留用 through the ledger. At the end of an agreement year the office accrues each hospital's retained
 * savings — computed by libs/settlement-rules' retainedSavingsByHospital, the same function as the report —
 * as one journal per hospital (RETAINED_SAVINGS → PAYABLE), at most once per hospital, round and year. The next
 * settlement batch of the hospital's region pays it like any other payable.
 */
@Injectable()
export class RetainedSavingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {}

  /** SQL restricting v_volume_agreement rows (alias a) to the caller's region (hospitals: their own). */
  private agreementScope(ctx: RequestContext, params: unknown[]): string {
    const scope = scopeOf(ctx);
    if (scope.kind === 'all') return 'TRUE';
    if (scope.kind === 'region') {
      params.push(scope.pathPrefix, `${scope.pathPrefix}/%`);
      return `a.region_code IN (SELECT code FROM region WHERE path = $${params.length - 1} OR path LIKE $${params.length})`;
    }
    params.push(scope.organisationId);
    return `a.hospital_id = $${params.length}`;
  }

  /**
   * The round's agreements in the caller's scope, and each hospital's spending on them in [from, to) (all time
   * when null), read through v_volume_agreement and v_payable_line (settled or not yet claimed, returns net).
   */
  async savingsInputs(em: EntityManager, ctx: RequestContext, roundId: string, quantity: 'agreed_quantity' | 'annual_quantity', window?: { start: Date; end: Date }) {
    const params: unknown[] = [roundId];
    const scope = this.agreementScope(ctx, params);
    const agreements = await em.query<{ agreement_id: string; hospital_id: string; region_code: string; quantity: string; pre_vbp_unit_price: string | null; cycle_start: Date; cycle_end: Date }[]>(
      `SELECT a.agreement_id, a.hospital_id, a.region_code, a.${quantity}::text AS quantity, a.pre_vbp_unit_price::text, a.cycle_start, a.cycle_end
         FROM v_volume_agreement a WHERE a.round_id = $1 AND ${scope} ORDER BY a.hospital_id, a.agreement_id`,
      params,
    );
    if (agreements.length === 0) return null;
    const spentRows = await em.query<{ hospital_id: string; spent: string }[]>(
      `SELECT x.hospital_id, sum(x.amount_fen)::text AS spent FROM v_payable_line x
        WHERE x.agreement_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR x.accepted_at >= $2) AND ($3::timestamptz IS NULL OR x.accepted_at < $3)
        GROUP BY x.hospital_id`,
      [agreements.map((a) => a.agreement_id), window?.start ?? null, window?.end ?? null],
    );
    const scores = await em.query<{ hospital_id: string; score: HospitalScore }[]>('SELECT hospital_id, score FROM hospital_score WHERE round_id = $1', [roundId]);
    return {
      agreements,
      spent: new Map(spentRows.map((r) => [r.hospital_id, BigInt(r.spent)])),
      scores: new Map(scores.map((s) => [s.hospital_id, s.score])),
    };
  }

  async accrue(ctx: RequestContext, input: AccrueRetainedSavingsInput): Promise<AccrueRetainedSavingsResult> {
    const user = requireUser(ctx);
    const policy = CURRENT_SETTLEMENT_POLICY;
    const outcome = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [ACCRUAL_LOCK]);
      const [cycle] = await this.roundCycle(em, ctx, input.roundId);
      if (!cycle) throw notFound('Round', 'input.roundId');
      const window = agreementYearWindow(new Date(cycle.cycle_start), input.agreementYear);
      if (window.start.getTime() >= new Date(cycle.cycle_end).getTime()) {
        throw validationFailed('input.agreementYear', `该轮次的协议周期没有第 ${input.agreementYear} 个协议年度`);
      }
      const now = this.clock.now();
      if (now.getTime() < window.end.getTime()) throw SettlementErrors.agreementYearNotEnded(window.end);
      const inputs = await this.savingsInputs(em, ctx, input.roundId, 'annual_quantity', window);
      if (!inputs) throw notFound('Round', 'input.roundId');
      // agreements in effect during the year (a cycle's later years, a takeover's start)
      const inYear = inputs.agreements.filter((a) => new Date(a.cycle_start) < window.end && new Date(a.cycle_end) > window.start);
      const regionOf = new Map(inputs.agreements.map((a) => [a.hospital_id, a.region_code]));
      const rows = retainedSavingsByHospital(
        inYear.map((a) => ({ hospitalId: a.hospital_id, quantity: BigInt(a.quantity), preVbpUnitPrice: a.pre_vbp_unit_price })),
        inputs.spent,
        inputs.scores,
        policy,
      );
      const done = new Set(
        (await em.query<{ hospital_id: string }[]>(
          'SELECT hospital_id FROM retained_savings_accrual WHERE round_id = $1 AND agreement_year = $2 AND hospital_id = ANY($3::uuid[])',
          [input.roundId, input.agreementYear, rows.map((r) => r.hospitalId)],
        )).map((r) => r.hospital_id),
      );
      const accruedIds: string[] = [];
      const unscored: string[] = [];
      let total = 0n;
      for (const row of rows) {
        if (done.has(row.hospitalId)) continue;
        if (!row.score) {
          unscored.push(row.hospitalId);
          continue;
        }
        let journalId: string | null = null;
        if (row.retainedFen > 0n) {
          const savingsAccount = await this.ledger.accountId(em, 'RETAINED_SAVINGS', row.hospitalId);
          const payable = await this.ledger.accountId(em, 'PAYABLE', row.hospitalId);
          journalId = await this.ledger.post(em, 'RETAINED_SAVINGS', `retained savings of round ${input.roundId} year ${input.agreementYear} for hospital ${row.hospitalId}`, now, [
            { accountId: savingsAccount, amountFen: -row.retainedFen },
            { accountId: payable, amountFen: row.retainedFen },
          ]);
          total += row.retainedFen;
        }
        const [inserted] = await em.query<{ id: string }[]>(
          `INSERT INTO retained_savings_accrual (hospital_id, region_code, round_id, agreement_year, year_start, year_end, budget_fen, spent_fen, savings_fen, score, share,
                                                 policy_version, amount_fen, journal_id, accrued_at, accrued_by_user_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
          [row.hospitalId, regionOf.get(row.hospitalId), input.roundId, input.agreementYear, window.start, window.end, row.budgetFen.toString(), row.spentFen.toString(),
            row.savingsFen.toString(), row.score, row.share, row.policyVersion, row.retainedFen.toString(), journalId, now, user.id],
        );
        accruedIds.push(inserted.id);
      }
      if (accruedIds.length > 0) {
        await this.audit.record(em, ctx, {
          action: 'settlement.retained-savings.accrued', entityType: 'round', entityId: input.roundId,
          data: { agreementYear: input.agreementYear, hospitals: accruedIds.length, amountFen: total.toString(), policyVersion: policy.version },
        });
      }
      return { accruedIds, alreadyAccrued: done.size, unscored };
    });
    const accrued = outcome.accruedIds.length
      ? await this.db.manager.getRepository(RetainedSavingsAccrual).createQueryBuilder('r').where('r.id IN (:...ids)', { ids: outcome.accruedIds }).orderBy('r.hospital_id').getMany()
      : [];
    return { accrued, alreadyAccrued: outcome.alreadyAccrued, unscoredHospitalIds: outcome.unscored };
  }

  /** The round's cycle as its agreements in the caller's scope give it: the earliest start (a takeover starts later). */
  private roundCycle(em: EntityManager, ctx: RequestContext, roundId: string) {
    const params: unknown[] = [roundId];
    const scope = this.agreementScope(ctx, params);
    return em.query<{ cycle_start: Date; cycle_end: Date }[]>(
      `SELECT min(a.cycle_start) AS cycle_start, max(a.cycle_end) AS cycle_end FROM v_volume_agreement a WHERE a.round_id = $1 AND ${scope} HAVING count(*) > 0`,
      params,
    );
  }

  /** Accruals of a round (optionally one year): hospitals their own, offices and regulators their region. */
  list(ctx: RequestContext, roundId: string, agreementYear?: number | null): Promise<RetainedSavingsAccrual[]> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(RetainedSavingsAccrual, 'r').where('r.round_id = :roundId', { roundId });
    if (scope.kind === 'own') qb.andWhere('r.hospital_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') qb.andWhere('r.region_code IN (SELECT code FROM region WHERE path = :p OR path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    if (agreementYear) qb.andWhere('r.agreement_year = :y', { y: agreementYear });
    return qb.orderBy('r.agreement_year').addOrderBy('r.hospital_id').limit(1000).getMany();
  }
}
