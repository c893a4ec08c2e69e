import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CN_CALENDAR_2025_2027, WorkingDayCalendar } from '@libs/calendar';
import { confirmationCutoff, CURRENT_CONFIRMATION_POLICY, disputeDeadline } from '@libs/settlement-rules';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { JobsService } from '../platform/jobs/jobs.service';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { notFound } from '../platform/errors/app-error';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { LineDispute } from './payee-account.entity';
import { SettlementErrors } from './settlement.errors';
import { ConfirmationRunResult, DisputeSettlementLineInput, ResolveLineDisputeInput } from './dto/payee-account.inputs';

export const CONFIRM_LINES_JOB = 'settlement.confirm-lines';
/** Serialises confirming lines and raising disputes, so a line is never both confirmed and disputed. */
const CONFIRMATION_LOCK = 4_100_703;

/**
 * Hospital confirmation of the lines charged to it. A receipt line enters a batch only once confirmed: its
 * dispute window (working days, versioned policy) ended without a dispute — the confirmation job records
 * that, set-based — or the office released the hospital's dispute. Disputed lines stay out of every batch.
 */
@Injectable()
export class LineConfirmationsService implements OnModuleInit {
  readonly calendar = new WorkingDayCalendar(CN_CALENDAR_2025_2027);

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(CONFIRM_LINES_JOB, async () => {
      await this.confirmDueLines();
    }, { cron: '5 * * * *' });
  }

  /** Confirms every receipt line whose window has ended undisputed; one INSERT … SELECT. */
  async confirmDueLines(): Promise<ConfirmationRunResult> {
    const policy = CURRENT_CONFIRMATION_POLICY;
    const now = this.clock.now();
    const cutoff = confirmationCutoff(now, this.calendar, policy);
    const confirmed = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [CONFIRMATION_LOCK]);
      const [row] = await em.query<{ n: number }[]>(
        `WITH ins AS (
           INSERT INTO line_confirmation (line_id, hospital_id, source, confirmed_at, policy_version)
           SELECT l.line_id, l.hospital_id, 'AUTO', $2, $3 FROM v_settleable_line l
            WHERE l.kind = 'RECEIPT' AND l.accepted_at < $1
              AND NOT EXISTS (SELECT 1 FROM line_dispute d WHERE d.line_id = l.line_id)
              AND NOT EXISTS (SELECT 1 FROM line_confirmation c WHERE c.line_id = l.line_id)
              AND NOT EXISTS (SELECT 1 FROM settled_line s WHERE s.line_id = l.line_id)
           ON CONFLICT (line_id) DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [cutoff, now, policy.version],
      );
      if (row.n > 0) {
        await this.audit.record(em, systemContext('confirmations'), {
          action: 'settlement.lines.confirmed', entityType: 'line_confirmation', entityId: `cutoff:${cutoff.toISOString()}`, data: { count: row.n, cutoff: cutoff.toISOString(), policyVersion: policy.version },
        });
      }
      return row.n;
    });
    return { confirmed, cutoff, policyVersion: policy.version };
  }

  /** A hospital disputes a line charged to it, before its window ends; the line is held from every batch. */
  async dispute(ctx: RequestContext, input: DisputeSettlementLineInput): Promise<LineDispute> {
    const user = requireUser(ctx);
    const id = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [CONFIRMATION_LOCK]);
      const [line] = await em.query<{ line_id: string; kind: string; hospital_id: string; accepted_at: Date }[]>('SELECT line_id, kind, hospital_id, accepted_at FROM v_settleable_line WHERE line_id = $1 AND hospital_id = $2', [input.lineId, user.organisationId]);
      if (!line) throw notFound('Line', 'input.lineId');
      if (line.kind !== 'RECEIPT') throw SettlementErrors.lineNotDisputable('退货明细是对医院的冲减，无需确认');
      const [state] = await em.query<{ confirmed: boolean; disputed: boolean; settled: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM line_confirmation WHERE line_id = $1) AS confirmed, EXISTS (SELECT 1 FROM line_dispute WHERE line_id = $1) AS disputed,
                EXISTS (SELECT 1 FROM settled_line WHERE line_id = $1) AS settled`,
        [input.lineId],
      );
      if (state.disputed) throw SettlementErrors.lineNotDisputable('已提出过异议');
      if (state.confirmed || state.settled) throw SettlementErrors.lineNotDisputable('已确认');
      const now = this.clock.now();
      const deadline = disputeDeadline(new Date(line.accepted_at), this.calendar);
      if (now >= deadline) throw SettlementErrors.disputeWindowClosed(deadline);
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO line_dispute (line_id, hospital_id, reason, raised_by_user_id, raised_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.lineId, user.organisationId, input.reason, user.id, now],
      );
      await this.audit.record(em, ctx, { action: 'settlement.line.disputed', entityType: 'line_dispute', entityId: row.id, data: { lineId: input.lineId, reason: input.reason } });
      return row.id;
    });
    return this.db.manager.findOneByOrFail(LineDispute, { id });
  }

  /** The office resolves an open dispute: RELEASE confirms the line (next batch pays it), UPHOLD keeps it held. */
  async resolve(ctx: RequestContext, input: ResolveLineDisputeInput): Promise<LineDispute> {
    const user = requireUser(ctx);
    await this.db.transaction(async (em) => {
      const dispute = await this.lockInScope(em, ctx, input.disputeId);
      if (dispute.state !== 'OPEN') throw SettlementErrors.disputeNotOpen(dispute.state);
      const now = this.clock.now();
      const state = input.outcome === 'RELEASE' ? 'RELEASED' : 'UPHELD';
      await em.query(`UPDATE line_dispute SET state = $2, resolved_by_user_id = $3, resolved_at = $4, resolution_note = $5 WHERE id = $1`, [dispute.id, state, user.id, now, input.note]);
      if (state === 'RELEASED') {
        await em.query(
          `INSERT INTO line_confirmation (line_id, hospital_id, source, confirmed_at, policy_version) VALUES ($1, $2, 'RELEASED', $3, $4) ON CONFLICT (line_id) DO NOTHING`,
          [dispute.line_id, dispute.hospital_id, now, CURRENT_CONFIRMATION_POLICY.version],
        );
      }
      await this.audit.record(em, ctx, { action: `settlement.dispute.${state.toLowerCase()}`, entityType: 'line_dispute', entityId: dispute.id, data: { lineId: dispute.line_id, note: input.note } });
    });
    return this.db.manager.findOneByOrFail(LineDispute, { id: input.disputeId });
  }

  private async lockInScope(em: EntityManager, ctx: RequestContext, disputeId: string) {
    const user = requireUser(ctx);
    const [dispute] = await em.query<{ id: string; state: string; line_id: string; hospital_id: string; path: string }[]>(
      `SELECT d.id, d.state, d.line_id, d.hospital_id, r.path FROM line_dispute d JOIN organisation o ON o.id = d.hospital_id JOIN region r ON r.code = o.region_code
        WHERE d.id = $1 FOR UPDATE OF d`,
      [disputeId],
    );
    if (!dispute || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(dispute.path, user.regionPath))) throw notFound('Dispute', 'input.disputeId');
    return dispute;
  }

  /** Hospitals: their own disputes; offices and regulators: their region's. Oldest first. */
  list(ctx: RequestContext, page: PageArgs, state?: string | null): Promise<Page<LineDispute>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(LineDispute, 'd');
    if (scope.kind === 'own') qb.where('d.hospital_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') {
      qb.where('d.hospital_id IN (SELECT o.id FROM organisation o JOIN region r ON r.code = o.region_code WHERE r.path = :p OR r.path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    }
    if (state) qb.andWhere('d.state = :state', { state });
    return paginate(qb, page, 'raised_at');
  }
}
