import { Injectable } from '@nestjs/common';
import { Dec } from '@libs/money';
import { shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { OrganisationsService } from '../catalog/organisations/organisations.service';
import { RegionsService } from '../catalog/regions/regions.service';
import { Variety } from '../catalog/products/product.entity';
import { Lot, Round } from './round.entity';
import { Demand, DemandBaseline } from './demand.entity';
import { DemandBaselineInput, ReportDemandInput } from './dto/round.inputs';
import { canManage, canSee, coversHospital, lockRound } from './round-access';
import { tenderingPolicy } from './tendering-policy';
import { TenderingErrors } from './tendering.errors';
import { refreshPlatformBaselines, upsertImportedBaseline } from './demand-baselines';

/** 报量: hospitals' demand per lot, checked against last year's platform purchases when known. */
@Injectable()
export class DemandService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly organisations: OrganisationsService,
    private readonly regions: RegionsService,
  ) {}

  /** Reports or changes the caller's demand for a lot, until the demand deadline. */
  async report(ctx: RequestContext, input: ReportDemandInput): Promise<Demand> {
    const receivedAt = this.clock.now();
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const lot = await em.findOne(Lot, { where: { id: input.lotId } });
      if (!lot) throw notFound('Lot', 'input.lotId');
      const round = await lockRound(em, lot.roundId, 'share');
      if (!canSee(ctx, round) && round.state !== 'DRAFT') throw TenderingErrors.hospitalNotCovered();
      if (round.state !== 'DEMAND_REPORTING' || receivedAt.getTime() >= round.demandDeadline.getTime()) throw TenderingErrors.demandWindowClosed();
      const supplyRegionCode = coversHospital(round, user.regionPath);
      if (!supplyRegionCode) throw TenderingErrors.hospitalNotCovered();
      if (input.preferredManufacturerId) {
        const manufacturer = await this.organisations.findById(input.preferredManufacturerId);
        if (!manufacturer || manufacturer.kind !== 'MANUFACTURER') throw TenderingErrors.invalid('input.preferredManufacturerId', 'Not a manufacturer');
      }
      const policy = tenderingPolicy(round.policyVersion);
      // last year = the calendar year before the demand deadline's, in Shanghai
      const year = Number(shanghaiDateOf(round.demandDeadline).slice(0, 4)) - 1;
      // the platform's own receipts of that year, when it has any, before an imported figure
      await refreshPlatformBaselines(em, { year, hospitalIds: [user.organisationId], varietyIds: [lot.varietyId] });
      const baseline = await em.findOne(DemandBaseline, { where: { hospitalId: user.organisationId, varietyId: lot.varietyId, year } });
      const reason = input.reason?.trim() || null;
      if (baseline) {
        const floor = new Dec(baseline.quantity).times(policy.demandFloorShare);
        if (new Dec(input.quantity).lt(floor) && !reason) throw TenderingErrors.demandReasonRequired(floor.toDecimalPlaces(0, Dec.ROUND_UP).toNumber());
      }
      const existing = await em.findOne(Demand, { where: { lotId: lot.id, hospitalId: user.organisationId } });
      const demand = existing ?? em.create(Demand, { roundId: round.id, lotId: lot.id, hospitalId: user.organisationId });
      Object.assign(demand, {
        hospitalRegionCode: user.regionCode,
        supplyRegionCode,
        quantity: input.quantity,
        preferredManufacturerId: input.preferredManufacturerId ?? null,
        reason,
        baselineQuantity: baseline?.quantity ?? null,
        baselineSource: baseline?.source ?? null,
        policyVersion: policy.version,
      });
      await em.save(demand);
      await this.audit.record(em, ctx, {
        action: existing ? 'demand.changed' : 'demand.reported',
        entityType: 'demand',
        entityId: demand.id,
        data: { roundId: round.id, lotId: lot.id, quantity: input.quantity, previousQuantity: existing ? existing.quantity : null, preferredManufacturerId: demand.preferredManufacturerId, reason },
      });
      return demand;
    });
  }

  /** A hospital's own demand lines of a round; a regulator's view of all of them. */
  async ofRound(ctx: RequestContext, roundId: string): Promise<Demand[]> {
    const user = requireUser(ctx);
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (canManage(ctx, round)) return this.db.manager.find(Demand, { where: { roundId }, order: { hospitalId: 'ASC' } });
    if (user.role === 'HOSPITAL') return this.db.manager.find(Demand, { where: { roundId, hospitalId: user.organisationId } });
    throw new AppError('FORBIDDEN', 'Demand is seen by the hospital and the round’s regulators');
  }

  /** Sets last year's platform purchases of a variety for hospitals in the regulator's region (import). */
  async setBaselines(ctx: RequestContext, entries: DemandBaselineInput[]): Promise<DemandBaseline[]> {
    const user = requireUser(ctx);
    if (!entries.length || entries.length > 1000) throw TenderingErrors.invalid('entries', 'Give 1–1000 entries');
    return this.db.transaction(async (em) => {
      const out: DemandBaseline[] = [];
      for (const [i, e] of entries.entries()) {
        const hospital = await this.organisations.findById(e.hospitalId);
        if (!hospital || hospital.kind !== 'HOSPITAL') throw TenderingErrors.invalid(`entries[${i}].hospitalId`, 'Not a hospital');
        if (!(await em.findOne(Variety, { where: { id: e.varietyId } }))) throw TenderingErrors.invalid(`entries[${i}].varietyId`, 'No such variety');
        const path = await this.regions.pathOf(em, hospital.regionCode, `entries[${i}].hospitalId`);
        if (user.role !== 'PLATFORM_ADMIN' && !pathWithin(path, user.regionPath)) throw TenderingErrors.invalid(`entries[${i}].hospitalId`, 'The hospital lies outside your region');
        const amountFen = e.amount ?? null;
        if (amountFen !== null && amountFen < 0n) throw TenderingErrors.invalid(`entries[${i}].amount`, 'An amount is not negative');
        // an entry replaces the year's figures whole: an amount kept from an earlier quantity would give a wrong average price;
        // but only fills a gap: where the platform has its own receipts of that year, their figure stands (source PLATFORM)
        await refreshPlatformBaselines(em, { year: e.year, hospitalIds: [e.hospitalId], varietyIds: [e.varietyId] });
        await upsertImportedBaseline(em, { hospitalId: e.hospitalId, varietyId: e.varietyId, year: e.year, quantity: e.quantity, amountFen });
        out.push(await em.findOneOrFail(DemandBaseline, { where: { hospitalId: e.hospitalId, varietyId: e.varietyId, year: e.year } }));
      }
      await this.audit.record(em, ctx, { action: 'demand-baseline.set', entityType: 'demand_baseline', entityId: out[0].id, data: { entries: entries.map(({ amount, ...e }) => ({ ...e, amountFen: amount == null ? null : amount.toString() })) } });
      return out;
    });
  }

  /** Baselines of a year for hospitals in the caller's region, with the source of each figure. */
  async baselines(ctx: RequestContext, year: number, filter: { hospitalId?: string | null; varietyId?: string | null }): Promise<DemandBaseline[]> {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(DemandBaseline, 'b').where('b.year = :year', { year }).orderBy('b.hospital_id').addOrderBy('b.variety_id');
    if (filter.hospitalId) qb.andWhere('b.hospital_id = :h', { h: filter.hospitalId });
    if (filter.varietyId) qb.andWhere('b.variety_id = :v', { v: filter.varietyId });
    if (user.role !== 'PLATFORM_ADMIN') {
      qb.andWhere(`b.hospital_id IN (SELECT o.id FROM organisation o JOIN region g ON g.code = o.region_code WHERE g.path = :p OR g.path LIKE :pl)`, { p: user.regionPath, pl: `${user.regionPath}/%` });
    }
    return qb.limit(10_000).getMany();
  }

  /** Recomputes a year's PLATFORM figures from accepted receipts for the caller's region (also run nightly). */
  async refreshBaselines(ctx: RequestContext, year: number): Promise<number> {
    const user = requireUser(ctx);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw TenderingErrors.invalid('year', '年份无效');
    return this.db.transaction(async (em) => {
      const written = await refreshPlatformBaselines(em, { year, regionPath: user.role === 'PLATFORM_ADMIN' ? undefined : user.regionPath });
      await this.audit.record(em, ctx, { action: 'demand-baseline.refreshed', entityType: 'demand_baseline', entityId: String(year), data: { year, written } });
      return written;
    });
  }
}
