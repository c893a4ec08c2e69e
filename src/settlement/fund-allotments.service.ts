import { Injectable } from '@nestjs/common';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound, validationFailed } from '../platform/errors/app-error';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { AllotmentAdvance, AllotmentHold, FundAllotment } from './fund-allotment.entity';
import { SetFundAllotmentInput } from './dto/fund-allotment.inputs';

/** Fund allotments per hospital and period (set by the settlement office) and the lines held beyond them. */
@Injectable()
export class FundAllotmentsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Sets a hospital's allotment for a period: a new period, or a new amount for the same period (the audit log
   * keeps the previous amount). A period overlapping another of the hospital's is refused.
   */
  async set(ctx: RequestContext, input: SetFundAllotmentInput): Promise<FundAllotment> {
    const user = requireUser(ctx);
    if (!(input.periodEnd > input.periodStart)) throw validationFailed('input.periodEnd', '期间结束时间必须晚于开始时间');
    if (input.amount < 0n) throw validationFailed('input.amount', '额度不能为负数');
    const id = await this.db.transaction(async (em) => {
      const [hospital] = await em.query<{ id: string; path: string }[]>(
        `SELECT o.id, r.path FROM organisation o JOIN region r ON r.code = o.region_code WHERE o.id = $1 AND o.kind = 'HOSPITAL' FOR UPDATE OF o`,
        [input.hospitalId],
      );
      if (!hospital || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(hospital.path, user.regionPath))) throw notFound('Hospital', 'input.hospitalId');
      const [same] = await em.query<{ id: string; period_end: Date; amount: string }[]>('SELECT id, period_end, amount_fen::text AS amount FROM fund_allotment WHERE hospital_id = $1 AND period_start = $2', [input.hospitalId, input.periodStart]);
      const [overlap] = await em.query<{ id: string }[]>(
        'SELECT id FROM fund_allotment WHERE hospital_id = $1 AND period_start < $3 AND period_end > $2 AND id IS DISTINCT FROM $4::uuid',
        [input.hospitalId, input.periodStart, input.periodEnd, same?.id ?? null],
      );
      if (overlap || (same && new Date(same.period_end).getTime() !== input.periodEnd.getTime())) {
        throw new AppError('ALLOTMENT_PERIOD_OVERLAPS', '该医院在此期间已有额度（期间重叠）', { field: 'input.periodStart' });
      }
      const now = this.clock.now();
      const [row] = same
        ? await em.query<{ id: string }[]>('WITH u AS (UPDATE fund_allotment SET amount_fen = $2, set_by_user_id = $3, set_at = $4 WHERE id = $1 RETURNING id) SELECT id FROM u', [same.id, input.amount.toString(), user.id, now])
        : await em.query<{ id: string }[]>(
            `INSERT INTO fund_allotment (hospital_id, period_start, period_end, amount_fen, set_by_user_id, set_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [input.hospitalId, input.periodStart, input.periodEnd, input.amount.toString(), user.id, now],
          );
      await this.audit.record(em, ctx, {
        action: 'settlement.allotment.set', entityType: 'fund_allotment', entityId: row.id,
        data: { hospitalId: input.hospitalId, periodStart: input.periodStart.toISOString(), periodEnd: input.periodEnd.toISOString(), amountFen: input.amount.toString(), previousAmountFen: same?.amount ?? null },
      });
      return row.id;
    });
    return this.db.manager.findOneByOrFail(FundAllotment, { id });
  }

  /** Hospitals: their own; offices and regulators: their region's. */
  list(ctx: RequestContext, hospitalId?: string | null): Promise<FundAllotment[]> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(FundAllotment, 'a');
    if (scope.kind === 'own') qb.where('a.hospital_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') {
      qb.where('a.hospital_id IN (SELECT o.id FROM organisation o JOIN region r ON r.code = o.region_code WHERE r.path = :p OR r.path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    }
    if (hospitalId) qb.andWhere('a.hospital_id = :h', { h: hospitalId });
    return qb.orderBy('a.hospital_id').addOrderBy('a.period_start').limit(500).getMany();
  }

  /** Lines held beyond allotments (the office's alerts), oldest first; hospitals see their own. */
  holds(ctx: RequestContext, page: PageArgs, batchId?: string | null): Promise<Page<AllotmentHold>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(AllotmentHold, 'h');
    if (scope.kind === 'own') qb.where('h.hospital_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') {
      qb.where('h.hospital_id IN (SELECT o.id FROM organisation o JOIN region r ON r.code = o.region_code WHERE r.path = :p OR r.path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    }
    if (batchId) qb.andWhere('h.batch_id = :b', { b: batchId });
    return paginate(qb, page, 'held_at');
  }

  /** Lines paid beyond allotments as advances (垫付), oldest first; hospitals see their own. */
  advances(ctx: RequestContext, page: PageArgs, batchId?: string | null): Promise<Page<AllotmentAdvance>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(AllotmentAdvance, 'v');
    if (scope.kind === 'own') qb.where('v.hospital_id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') {
      qb.where('v.hospital_id IN (SELECT o.id FROM organisation o JOIN region r ON r.code = o.region_code WHERE r.path = :p OR r.path LIKE :pl)', { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    }
    if (batchId) qb.andWhere('v.batch_id = :b', { b: batchId });
    return paginate(qb, page, 'advanced_at');
  }
}
