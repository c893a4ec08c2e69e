import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addYearsShanghai } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { JobsService } from '../platform/jobs/jobs.service';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { pathWithinSql, requireUser, scopeOf } from '../platform/auth/scope';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { VolumeAgreement } from './agreement.entity';
import { AgreementYear } from './agreement-year.entity';
import { agreementYearRules, CURRENT_AGREEMENT_YEAR_RULES, resignBounds, yearEndFigures } from './agreement-year-rules';
import { convertUnits } from './agreement-rules';

export const YEAR_END_JOB = 'agreements.year-end';
const DAY_MS = 86_400_000;
/** Years closed or default-signed per transaction of the year-end job. */
const YEAR_END_CHUNK = 2000;

/**
 * 协议年度: each agreement's cycle split into years (created with the agreement), re-signing (续签) of the
 * next year, and year-end (shortfall recorded for supervision, surplus bought at the awarded price).
 */
@Injectable()
export class AgreementYearsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit() {
    // hourly: close the years that have ended, sign the default for years whose re-signing window has passed
    this.jobs.register(YEAR_END_JOB, async () => void (await this.runYearEnd()), { cron: '7 * * * *' });
  }

  /** The years of a new agreement: year 1 signed at the annual quantity, later years awaiting re-signing. */
  static yearRows(agreement: Pick<VolumeAgreement, 'id' | 'hospitalId' | 'manufacturerId' | 'regionCode' | 'annualQuantity' | 'cycleStart' | 'cycleEnd'>, cycleYears: number): Partial<AgreementYear>[] {
    const rows: Partial<AgreementYear>[] = [];
    for (let i = 1; i <= cycleYears; i++) {
      const startsAt = addYearsShanghai(agreement.cycleStart, i - 1);
      const endsAt = i === cycleYears ? agreement.cycleEnd : addYearsShanghai(agreement.cycleStart, i);
      if (endsAt.getTime() <= startsAt.getTime()) break;
      rows.push({
        agreementId: agreement.id,
        hospitalId: agreement.hospitalId,
        manufacturerId: agreement.manufacturerId,
        regionCode: agreement.regionCode,
        yearIndex: i,
        startsAt,
        endsAt,
        state: i === 1 ? 'SIGNED' : 'AWAITING_RESIGN',
        agreedQuantity: i === 1 ? agreement.annualQuantity : null,
        purchasedQuantity: 0,
        defaultQuantity: null,
        resignedAt: null,
        resignedBy: null,
        rulesVersion: CURRENT_AGREEMENT_YEAR_RULES.version,
        shortfallQuantity: null,
        surplusQuantity: null,
        closedAt: null,
      });
    }
    return rows;
  }

  /**
   * A takeover (backup winner or substitute) inherits the failed agreement's years still running: the current
   * year's remaining quantity and later years' quantities, converted to the new product's units. The failed
   * agreement's open years close without a shortfall (the failure, not the hospital, stopped the buying).
   */
  async carryOverYears(em: EntityManager, failed: VolumeAgreement, takeover: VolumeAgreement, factor: string, now: Date): Promise<void> {
    const years = await em.find(AgreementYear, { where: { agreementId: failed.id }, order: { yearIndex: 'ASC' } });
    const rows: Partial<AgreementYear>[] = [];
    for (const year of years) {
      if (year.state === 'CLOSED' || year.endsAt.getTime() <= now.getTime()) continue;
      // a temporary takeover (listing price until a date) takes the years it runs in, the last one cut short
      if (year.startsAt.getTime() >= takeover.cycleEnd.getTime()) continue;
      const current = year.startsAt.getTime() <= now.getTime();
      const agreed = year.agreedQuantity === null ? null : convertUnits(current ? Math.max(year.agreedQuantity - year.purchasedQuantity, 0) : year.agreedQuantity, factor);
      rows.push({
        agreementId: takeover.id,
        hospitalId: takeover.hospitalId,
        manufacturerId: takeover.manufacturerId,
        regionCode: takeover.regionCode,
        yearIndex: year.yearIndex,
        startsAt: current ? takeover.cycleStart : year.startsAt,
        endsAt: year.endsAt.getTime() > takeover.cycleEnd.getTime() ? takeover.cycleEnd : year.endsAt,
        state: year.state,
        agreedQuantity: agreed,
        purchasedQuantity: 0,
        defaultQuantity: year.defaultQuantity === null ? null : convertUnits(year.defaultQuantity, factor),
        resignedAt: year.resignedAt,
        resignedBy: year.resignedBy,
        rulesVersion: year.rulesVersion,
        shortfallQuantity: null,
        surplusQuantity: null,
        closedAt: null,
      });
      await em.update(AgreementYear, { id: year.id }, { state: 'CLOSED', closedAt: now, agreedQuantity: year.agreedQuantity ?? year.purchasedQuantity });
    }
    if (rows.length) await em.insert(AgreementYear, rows);
  }

  /** Counts an accepted (or returned) quantity in the year running at `at`; never below zero. */
  async addToYear(em: EntityManager, agreementId: string, delta: number, at: Date): Promise<void> {
    await em.query(
      `UPDATE agreement_year SET purchased_quantity = GREATEST(purchased_quantity + $2, 0) WHERE agreement_id = $1 AND starts_at <= $3 AND ends_at > $3`,
      [agreementId, delta, at],
    );
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** Closed years that fell short, for supervision: regulators their region's, hospitals and manufacturers their own. */
  shortfalls(ctx: RequestContext, page: PageArgs = {}): Promise<Page<AgreementYear>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(AgreementYear, 'y').where(`y.state = 'CLOSED' AND y.shortfall_quantity > 0`);
    if (scope.kind === 'own') qb.andWhere('(y.hospital_id = :own OR y.manufacturer_id = :own)', { own: scope.organisationId });
    if (scope.kind === 'region') {
      const [sql, params] = pathWithinSql('r.path', scope.pathPrefix);
      qb.andWhere(`y.region_code IN (SELECT r.code FROM region r WHERE ${sql})`, params);
    }
    return paginate(qb, page, 'ends_at');
  }

  // ---- 续签 ----------------------------------------------------------------------------------------------

  /** The hospital re-signs its agreement's next year: the default (past year's use) or a quantity within the bounds. */
  async resign(ctx: RequestContext, agreementId: string, quantity: number | null | undefined): Promise<AgreementYear> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const agreement = await em.createQueryBuilder(VolumeAgreement, 'a').setLock('pessimistic_write').where('a.id = :agreementId', { agreementId }).getOne();
      if (!agreement || agreement.hospitalId !== user.organisationId) throw notFound('Agreement', 'input.agreementId');
      if (agreement.state !== 'ACTIVE') throw new AppError('INVALID_STATE', '协议已不在执行中，不能续签', { field: 'input.agreementId' });
      const years = await em.find(AgreementYear, { where: { agreementId }, order: { yearIndex: 'ASC' } });
      const year = years.find((y) => y.state === 'AWAITING_RESIGN');
      if (!year) throw new AppError('RESIGN_NOT_OPEN', '该协议没有待续签的协议年度', { field: 'input.agreementId' });
      const now = this.clock.now();
      if (year.defaultQuantity === null) throw new AppError('RESIGN_NOT_OPEN', '上一协议年度结束并完成年终结算后方可续签', { field: 'input.agreementId', opensAt: year.startsAt });
      const rules = agreementYearRules(year.rulesVersion);
      const closesAt = new Date(year.startsAt.getTime() + rules.resignWithinDays * DAY_MS);
      if (now.getTime() >= closesAt.getTime()) throw new AppError('RESIGN_NOT_OPEN', '续签期限已过，已按默认量签订', { field: 'input.agreementId', closedAt: closesAt });
      const bounds = resignBounds(year.defaultQuantity, rules);
      const chosen = quantity ?? year.defaultQuantity;
      if (!Number.isSafeInteger(chosen) || chosen < bounds.min || chosen > bounds.max) {
        throw new AppError('RESIGN_QUANTITY_OUT_OF_BOUNDS', `续签量须在上一年度实际采购量 ${year.defaultQuantity} 的 ${rules.minShareOfLastYearUse}–${rules.maxShareOfLastYearUse} 倍之间（${bounds.min}–${bounds.max}）`, {
          field: 'input.quantity',
          min: bounds.min,
          max: bounds.max,
          defaultQuantity: year.defaultQuantity,
          rulesVersion: rules.version,
        });
      }
      Object.assign(year, { state: 'SIGNED', agreedQuantity: chosen, resignedAt: now, resignedBy: 'HOSPITAL' });
      await em.save(year);
      await this.recomputeAgreed(em, [agreementId]);
      await this.audit.record(em, ctx, {
        action: 'agreement-year.resigned',
        entityType: 'agreement_year',
        entityId: year.id,
        data: { agreementId, yearIndex: year.yearIndex, quantity: chosen, defaultQuantity: year.defaultQuantity, bounds, rulesVersion: rules.version },
      });
      return year;
    });
  }

  /** Each agreement's cycle total follows its years: signed quantities, the annual quantity for years not yet signed. */
  private async recomputeAgreed(em: EntityManager, agreementIds: string[]): Promise<void> {
    await em.query(
      `UPDATE volume_agreement a SET agreed_quantity = s.total
         FROM (SELECT y.agreement_id, sum(COALESCE(y.agreed_quantity, v.annual_quantity)) AS total
                 FROM agreement_year y JOIN volume_agreement v ON v.id = y.agreement_id
                WHERE y.agreement_id = ANY($1::uuid[]) GROUP BY y.agreement_id) s
        WHERE a.id = s.agreement_id AND s.total IS NOT NULL`,
      [agreementIds],
    );
  }

  // ---- year-end -----------------------------------------------------------------------------------------

  /**
   * Closes every signed year that has ended and signs the default for years whose window passed. A round's
   * agreements share their cycle, so their years end together: the work goes in chunks of YEAR_END_CHUNK
   * years, each chunk one transaction of set-based statements (figures by the rules in agreement-year-rules).
   */
  async runYearEnd(): Promise<{ closed: number; defaulted: number }> {
    const now = this.clock.now();
    const ctx = systemContext(YEAR_END_JOB);
    let closed = 0;
    for (;;) {
      const n = await this.db.transaction((em) => this.closeDueYears(em, ctx, now));
      closed += n;
      if (n < YEAR_END_CHUNK) break;
    }
    let defaulted = 0;
    for (let after = ''; ; ) {
      const { seen, signed, last } = await this.db.transaction((em) => this.signDefaults(em, ctx, now, after));
      defaulted += signed;
      if (seen < YEAR_END_CHUNK) break;
      after = last;
    }
    return { closed, defaulted };
  }

  /** One chunk of signed years that have ended: closed with their figures; the next year's default is what was purchased. */
  private async closeDueYears(em: EntityManager, ctx: RequestContext, now: Date): Promise<number> {
    const due = await em
      .createQueryBuilder(AgreementYear, 'y')
      .setLock('pessimistic_write')
      .where(`y.state = 'SIGNED' AND y.ends_at <= :now`, { now })
      .andWhere(`EXISTS (SELECT 1 FROM volume_agreement a WHERE a.id = y.agreement_id AND a.state = 'ACTIVE')`)
      .orderBy('y.agreement_id')
      .addOrderBy('y.year_index')
      .limit(YEAR_END_CHUNK)
      .getMany();
    if (!due.length) return 0;
    const figures = due.map((year) => yearEndFigures(year.agreedQuantity!, year.purchasedQuantity));
    await em.query(
      `UPDATE agreement_year y SET state = 'CLOSED', closed_at = $1, shortfall_quantity = c.shortfall, surplus_quantity = c.surplus
         FROM unnest($2::uuid[], $3::bigint[], $4::bigint[]) AS c(id, shortfall, surplus) WHERE y.id = c.id`,
      [now, due.map((y) => y.id), figures.map((f) => f.shortfall), figures.map((f) => f.surplus)],
    );
    await em.query(
      `UPDATE agreement_year y SET default_quantity = n.purchased
         FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS n(agreement_id, year_index, purchased)
        WHERE y.agreement_id = n.agreement_id AND y.year_index = n.year_index AND y.state = 'AWAITING_RESIGN'`,
      [due.map((y) => y.agreementId), due.map((y) => y.yearIndex + 1), due.map((y) => y.purchasedQuantity)],
    );
    await this.audit.recordMany(
      em,
      ctx,
      due.map((year, i) => ({
        action: figures[i].shortfall > 0 ? 'agreement-year.shortfall' : 'agreement-year.closed',
        entityType: 'agreement_year',
        entityId: year.id,
        data: { agreementId: year.agreementId, yearIndex: year.yearIndex, agreed: year.agreedQuantity, purchased: year.purchasedQuantity, ...figures[i] },
      })),
    );
    return due.length;
  }

  /** One chunk (by id, after `after`) of years awaiting re-signing: those whose window has closed are signed at their default. */
  private async signDefaults(em: EntityManager, ctx: RequestContext, now: Date, after: string): Promise<{ seen: number; signed: number; last: string }> {
    const awaiting = await em
      .createQueryBuilder(AgreementYear, 'y')
      .setLock('pessimistic_write')
      .where(`y.state = 'AWAITING_RESIGN' AND y.default_quantity IS NOT NULL AND y.starts_at <= :now`, { now })
      .andWhere(after ? 'y.id > :after' : 'true', { after })
      .orderBy('y.id')
      .limit(YEAR_END_CHUNK)
      .getMany();
    const due = awaiting.filter((year) => now.getTime() >= year.startsAt.getTime() + agreementYearRules(year.rulesVersion).resignWithinDays * DAY_MS);
    if (due.length) {
      await em.query(
        `UPDATE agreement_year y SET state = 'SIGNED', agreed_quantity = y.default_quantity, resigned_at = $1, resigned_by = 'DEFAULT' WHERE y.id = ANY($2::uuid[])`,
        [now, due.map((y) => y.id)],
      );
      await this.recomputeAgreed(em, [...new Set(due.map((y) => y.agreementId))]);
      await this.audit.recordMany(
        em,
        ctx,
        due.map((year) => ({ action: 'agreement-year.default-signed', entityType: 'agreement_year', entityId: year.id, data: { agreementId: year.agreementId, yearIndex: year.yearIndex, quantity: year.defaultQuantity } })),
      );
    }
    return { seen: awaiting.length, signed: due.length, last: awaiting.length ? awaiting[awaiting.length - 1].id : after };
  }
}
