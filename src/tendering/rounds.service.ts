import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { parseUnitPrice } from '@libs/money';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { JobsService } from '../platform/jobs/jobs.service';
import { logger } from '../platform/logging/logger';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { RegionsService } from '../catalog/regions/regions.service';
import { Variety, VarietySpec } from '../catalog/products/product.entity';
import { Lot, LotSpec, Round, RoundLevel, RoundState, RuleSetVersion, SealingMode } from './round.entity';
import { OpeningCommitteeMember } from './opening-committee.entity';
import { createRoundKey } from './round-sealing';
import { Demand } from './demand.entity';
import { RenewRoundInput, RoundInput } from './dto/round.inputs';
import { canManage, canSee, lockManagedRound, lockRound } from './round-access';
import { dueScheduledStep, refusalOf, RoundAction, roundHold, transitionOf } from './round-state-machine';
import { chooseRuleSet, storeRuleSet } from './rule-sets';
import { CURRENT_TENDERING_POLICY } from './tendering-policy';
import { TenderingErrors } from './tendering.errors';
import { OpeningService } from './opening.service';
import { PageArgs, paginate } from '../platform/graphql/pagination';
import { RoundOutcome } from './dto/result.types';

export const TICK_JOB = 'tendering.tick';
export const OPEN_DUE_JOB = 'tendering.open-due';

/** Round lifecycle: create, edit while DRAFT, publish, cancel, time-driven steps, renewal, reads. */
@Injectable()
export class RoundsService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly regions: RegionsService,
    private readonly opening: OpeningService,
  ) {}

  onModuleInit() {
    // every minute: take each scheduled step whose time has come (demand close, opening, cycle start/end)
    this.jobs.register(TICK_JOB, async () => void (await this.tick()), { cron: '* * * * *' });
    this.jobs.register(OPEN_DUE_JOB, async () => void (await this.tick(['BIDDING'])), { cron: '* * * * *' });
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** The rounds the caller may see (the same rule as canSee, in SQL), a page at a time by name. */
  list(ctx: RequestContext, state: string | null | undefined, page: PageArgs) {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(Round, 'r');
    if (state) qb.andWhere('r.state = :state', { state });
    const userPath = { userPath: user.regionPath, userPathLike: `${user.regionPath}/%` };
    const covers = `EXISTS (SELECT 1 FROM unnest(r.covered_region_paths) p WHERE :userPath = p OR :userPath LIKE p || '/%')`;
    const coveredWithin = `EXISTS (SELECT 1 FROM unnest(r.covered_region_paths) p WHERE p = :userPath OR p LIKE :userPathLike)`;
    const manages = `(r.owner_region_path = :userPath OR r.owner_region_path LIKE :userPathLike)`;
    if (user.role === 'REGULATOR') qb.andWhere(`(${manages} OR (r.state <> 'DRAFT' AND (${covers} OR ${coveredWithin})))`, userPath);
    else if (user.role === 'SETTLEMENT_OFFICE') qb.andWhere(`r.state <> 'DRAFT' AND (${covers} OR ${coveredWithin})`, userPath);
    else if (user.role === 'HOSPITAL') qb.andWhere(`r.state <> 'DRAFT' AND ${covers}`, userPath);
    else if (user.role !== 'PLATFORM_ADMIN') qb.andWhere(`r.state <> 'DRAFT'`);
    return paginate(qb, page, 'name');
  }

  async get(ctx: RequestContext, id: string): Promise<Round> {
    const round = await this.db.manager.findOne(Round, { where: { id } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'id');
    return round;
  }

  lots(roundId: string): Promise<Lot[]> {
    return this.db.manager.find(Lot, { where: { roundId }, order: { seq: 'ASC' } });
  }

  lotSpecs(lotId: string): Promise<LotSpec[]> {
    return this.db.manager.find(LotSpec, { where: { lotId }, order: { comparableFactor: 'ASC' } });
  }

  ruleSetVersion(id: string): Promise<RuleSetVersion | null> {
    return this.db.manager.findOne(RuleSetVersion, { where: { id } });
  }

  // ---- create and edit ----------------------------------------------------------------------------------

  /** The sealing mode asked for, else the current one, else the default: COMMITTEE in production. */
  private sealingModeOf(asked: string | null | undefined, current?: SealingMode): SealingMode {
    const production = this.config.nodeEnv === 'production';
    const mode = (asked ?? current ?? (production ? 'COMMITTEE' : 'DEMO_SINGLE_KEY')) as SealingMode;
    if (production && mode === 'DEMO_SINGLE_KEY') throw TenderingErrors.sealingModeNotAllowed();
    return mode;
  }

  private checkTimes(input: { demandDeadline: Date; bidDeadline: Date; cycleStart: Date }): void {
    const now = this.clock.now().getTime();
    if (input.demandDeadline.getTime() <= now) throw TenderingErrors.invalid('input.demandDeadline', 'The demand deadline must lie in the future');
    if (input.bidDeadline.getTime() <= input.demandDeadline.getTime()) throw TenderingErrors.invalid('input.bidDeadline', 'The bid deadline comes after the demand deadline');
    if (input.cycleStart.getTime() <= input.bidDeadline.getTime()) throw TenderingErrors.invalid('input.cycleStart', 'The cycle starts after the bid deadline');
  }

  /** Checks and normalises the round's lots and regions; returns what to write. */
  private async prepare(em: EntityManager, ctx: RequestContext, input: RoundInput) {
    const user = requireUser(ctx);
    this.checkTimes(input);
    const codes = input.coveredRegionCodes;
    if (new Set(codes).size !== codes.length) throw TenderingErrors.invalid('input.coveredRegionCodes', 'A region is listed twice');
    const paths: string[] = [];
    for (const [i, code] of codes.entries()) {
      const path = await this.regions.pathOf(em, code, `input.coveredRegionCodes[${i}]`);
      if (user.role !== 'PLATFORM_ADMIN' && !pathWithin(path, user.regionPath)) {
        throw TenderingErrors.invalid(`input.coveredRegionCodes[${i}]`, 'A covered region lies outside your own region');
      }
      paths.push(path);
    }
    paths.forEach((p, i) =>
      paths.forEach((q, j) => {
        if (i !== j && pathWithin(p, q)) throw TenderingErrors.invalid(`input.coveredRegionCodes[${i}]`, 'Covered regions may not contain one another');
      }),
    );
    const varietyIds = new Set<string>();
    const lots: { variety: Variety; specs: { spec: VarietySpec; ceiling: string; factor: string }[] }[] = [];
    for (const [i, lot] of input.lots.entries()) {
      if (varietyIds.has(lot.varietyId)) throw TenderingErrors.invalid(`input.lots[${i}].varietyId`, 'One lot per variety');
      varietyIds.add(lot.varietyId);
      const variety = await em.findOne(Variety, { where: { id: lot.varietyId } });
      if (!variety) throw TenderingErrors.invalid(`input.lots[${i}].varietyId`, 'No such variety');
      const specIds = new Set<string>();
      const specs = [];
      for (const [j, s] of lot.specs.entries()) {
        const field = `input.lots[${i}].specs[${j}]`;
        if (specIds.has(s.varietySpecId)) throw TenderingErrors.invalid(`${field}.varietySpecId`, 'A spec is listed twice');
        specIds.add(s.varietySpecId);
        const spec = await em.findOne(VarietySpec, { where: { id: s.varietySpecId } });
        if (!spec || spec.varietyId !== variety.id) throw TenderingErrors.invalid(`${field}.varietySpecId`, 'Not a spec of this lot’s variety');
        let ceiling: string;
        try {
          ceiling = parseUnitPrice(s.ceilingUnitPrice);
        } catch (error) {
          throw TenderingErrors.invalid(`${field}.ceilingUnitPrice`, (error as Error).message);
        }
        const factor = s.comparableFactor ?? spec.comparableFactor;
        if (!/[1-9]/.test(factor)) throw TenderingErrors.invalid(`${field}.comparableFactor`, 'A comparable factor is positive');
        specs.push({ spec, ceiling, factor });
      }
      lots.push({ variety, specs });
    }
    const chosen = chooseRuleSet(input.ruleSet);
    return { paths, lots, chosen };
  }

  private async writeLots(em: EntityManager, roundId: string, lots: Awaited<ReturnType<RoundsService['prepare']>>['lots']): Promise<void> {
    for (const [seq, lot] of lots.entries()) {
      const row = await em.save(em.create(Lot, { roundId, seq: seq + 1, varietyId: lot.variety.id, name: lot.variety.name, referenceUnit: lot.variety.referenceUnit }));
      await em.insert(
        LotSpec,
        lot.specs.map((s) => ({ lotId: row.id, varietySpecId: s.spec.id, spec: s.spec.spec, comparableFactor: s.factor, ceilingUnitPrice: s.ceiling })),
      );
    }
  }

  async create(ctx: RequestContext, input: RoundInput): Promise<Round> {
    const user = requireUser(ctx);
    const sealingMode = this.sealingModeOf(input.sealingMode);
    return this.db.transaction(async (em) => {
      const { paths, lots, chosen } = await this.prepare(em, ctx, input);
      const ruleSet = await storeRuleSet(em, chosen);
      const round = await em.save(
        em.create(Round, {
          name: input.name,
          level: input.level as RoundLevel,
          state: 'DRAFT',
          ownerRegionCode: user.regionCode,
          ownerRegionPath: user.regionPath,
          coveredRegionCodes: input.coveredRegionCodes,
          coveredRegionPaths: paths,
          ruleSetVersionId: ruleSet.id,
          demandDeadline: input.demandDeadline,
          bidDeadline: input.bidDeadline,
          cycleStart: input.cycleStart,
          cycleEnd: null,
          publicityDays: input.publicityDays ?? CURRENT_TENDERING_POLICY.defaultPublicityDays,
          publicityEndsAt: null,
          policyVersion: CURRENT_TENDERING_POLICY.version,
          previousRoundId: null,
          cancelReason: null,
          openedAt: null,
          confirmedAt: null,
          sealingMode,
          openingThreshold: null,
          sealingPublicKey: null,
          sealingKeyCreatedAt: null,
        }),
      );
      await this.writeLots(em, round.id, lots);
      await this.audit.record(em, ctx, {
        action: 'round.created',
        entityType: 'round',
        entityId: round.id,
        data: { name: round.name, level: round.level, coveredRegionCodes: round.coveredRegionCodes, ruleSet: { code: ruleSet.code, version: ruleSet.version }, lots: lots.length, sealingMode },
      });
      return round;
    });
  }

  /** Replaces a DRAFT round's definition as a whole. */
  async update(ctx: RequestContext, id: string, input: RoundInput): Promise<Round> {
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, id);
      if (round.state !== 'DRAFT') throw new AppError('INVALID_STATE', 'Only a DRAFT round is edited');
      const sealingMode = this.sealingModeOf(input.sealingMode, round.sealingMode);
      const { paths, lots, chosen } = await this.prepare(em, ctx, input);
      if (sealingMode !== 'COMMITTEE') {
        // a committee means nothing to a demo-sealed round
        await em.delete(OpeningCommitteeMember, { roundId: round.id });
        round.openingThreshold = null;
      }
      const ruleSet = await storeRuleSet(em, chosen);
      await em.delete(Lot, { roundId: round.id });
      Object.assign(round, {
        name: input.name,
        level: input.level as RoundLevel,
        coveredRegionCodes: input.coveredRegionCodes,
        coveredRegionPaths: paths,
        ruleSetVersionId: ruleSet.id,
        demandDeadline: input.demandDeadline,
        bidDeadline: input.bidDeadline,
        cycleStart: input.cycleStart,
        publicityDays: input.publicityDays ?? round.publicityDays,
        sealingMode,
      });
      await em.save(round);
      await this.writeLots(em, round.id, lots);
      await this.audit.record(em, ctx, { action: 'round.updated', entityType: 'round', entityId: round.id, data: { name: round.name, lots: lots.length, ruleSet: { code: ruleSet.code, version: ruleSet.version } } });
      return round;
    });
  }

  // ---- transitions --------------------------------------------------------------------------------------

  /** Guards, applies and audits one step of the state machine on a locked round. */
  async transition(em: EntityManager, ctx: RequestContext, round: Round, action: RoundAction, data: Record<string, unknown> = {}): Promise<Round> {
    const refusal = refusalOf(action, round.state, round, this.clock.now());
    if (refusal) {
      if (action === 'confirm' && refusal.code === 'DEADLINE_NOT_REACHED') throw TenderingErrors.publicityNotEnded(round.publicityEndsAt);
      throw TenderingErrors.refused(refusal);
    }
    const from = round.state;
    round.state = transitionOf(action).to;
    await em.save(round);
    await this.audit.record(em, ctx, { action: `round.${action}`, entityType: 'round', entityId: round.id, data: { from, to: round.state, ...data } });
    return round;
  }

  async publish(ctx: RequestContext, id: string): Promise<Round> {
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, id);
      if (round.state === 'DRAFT' && round.demandDeadline.getTime() <= this.clock.now().getTime()) {
        throw TenderingErrors.invalid('id', 'The demand deadline has passed; edit the timetable first');
      }
      round.publishedAt = this.clock.now();
      return this.transition(em, ctx, round, 'publish');
    });
  }

  async cancel(ctx: RequestContext, id: string, reason: string): Promise<Round> {
    if (!reason || reason.trim().length < 5) throw TenderingErrors.invalid('reason', 'Give a reason of at least 5 characters');
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, id);
      round.cancelReason = reason.trim();
      // a cancelled round is never opened: whatever shares the server still holds go now
      if (round.sealingMode === 'COMMITTEE') await em.update(OpeningCommitteeMember, { roundId: round.id }, { undeliveredShare: null, submittedShare: null });
      return this.transition(em, ctx, round, 'cancel', { reason: round.cancelReason });
    });
  }

  /** A regulator asks for the round's next time-driven step; refused before its time. */
  async advance(ctx: RequestContext, id: string): Promise<Round> {
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, id);
      return this.takeScheduledStep(em, ctx, round, true);
    });
  }

  private async takeScheduledStep(em: EntityManager, ctx: RequestContext, round: Round, refuse: boolean): Promise<Round> {
    const action: RoundAction | null =
      round.state === 'DEMAND_REPORTING' ? 'closeDemand' : round.state === 'BIDDING' ? 'open' : round.state === 'CONFIRMED' ? 'startCycle' : round.state === 'IN_EFFECT' ? 'expire' : null;
    if (!action) {
      if (refuse) throw new AppError('INVALID_STATE', `A round in state ${round.state} has no time-driven step; use its own operation`);
      return round;
    }
    if (action === 'closeDemand' && round.source !== 'PROVINCIAL') {
      // an imported national or alliance batch takes no bids: its results are implemented (implementExternalAwards)
      if (refuse) throw new AppError('INVALID_STATE', '国家或联盟集采结果在报量截止后执行（implementExternalAwards），没有投标环节');
      return round;
    }
    if (action === 'open') {
      if (round.sealingMode === 'COMMITTEE') {
        // the committee opens it: the k-th submitted share runs the opening (submitOpeningKeyShare)
        if (refuse) await this.refuseCommitteeOpening(em, round);
        return round;
      }
      await this.opening.openLocked(em, ctx, round, (r, data) => this.transition(em, ctx, r, 'open', data));
      return round;
    }
    if (action === 'closeDemand') return this.closeDemand(em, ctx, round);
    return this.transition(em, ctx, round, action);
  }

  /** DEMAND_REPORTING → BIDDING; a COMMITTEE round gets its key pair, split among its committee, first. */
  private async closeDemand(em: EntityManager, ctx: RequestContext, round: Round): Promise<Round> {
    const refusal = refusalOf('closeDemand', round.state, round, this.clock.now());
    if (refusal) throw TenderingErrors.refused(refusal);
    if (round.sealingMode === 'COMMITTEE') await createRoundKey(em, this.audit, ctx, round, this.clock.now());
    return this.transition(em, ctx, round, 'closeDemand');
  }

  /** Why a COMMITTEE round cannot be opened by a regulator's call: its time, or the shares still missing. */
  private async refuseCommitteeOpening(em: EntityManager, round: Round): Promise<never> {
    const refusal = refusalOf('open', round.state, round, this.clock.now());
    if (refusal) throw TenderingErrors.refused(refusal);
    const submitted = await em.count(OpeningCommitteeMember, { where: { roundId: round.id, submittedAt: Not(IsNull()) } });
    throw TenderingErrors.sharesMissing(submitted, round.openingThreshold ?? 0);
  }

  /**
   * 开标 by a regulator, once the bid deadline has passed. The round row is locked FOR UPDATE, so two
   * openings serialise; the second finds the stored result and returns it.
   */
  async openRound(ctx: RequestContext, id: string): Promise<RoundOutcome> {
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, id);
      if (!(await this.opening.storedResult(em, round.id))) {
        if (round.source !== 'PROVINCIAL') throw new AppError('INVALID_STATE', '国家或联盟集采结果没有开标环节，报量截止后执行（implementExternalAwards）');
        if (round.state === 'DEMAND_REPORTING' && dueScheduledStep(round.state, round, this.clock.now())) await this.closeDemand(em, ctx, round);
        if (round.sealingMode === 'COMMITTEE') await this.refuseCommitteeOpening(em, round);
        await this.opening.openLocked(em, ctx, round, (r, data) => this.transition(em, ctx, r, 'open', data));
      }
      return this.opening.buildOutcome(em, round);
    });
  }

  private readonly warned = new Set<string>();

  /** A waiting round is logged once per process, not at every tick. */
  private warnOnce(roundId: string, message: string): void {
    if (this.warned.has(roundId)) return;
    this.warned.add(roundId);
    logger.warn({ roundId }, message);
  }

  /** The scheduler: every round whose scheduled step is due takes it, each in its own transaction. */
  async tick(states?: RoundState[]): Promise<number> {
    const now = this.clock.now();
    const candidates = await this.db.manager.find(Round, { where: { state: In(states ?? ['DEMAND_REPORTING', 'BIDDING', 'CONFIRMED', 'IN_EFFECT']) } });
    let taken = 0;
    for (const candidate of candidates) {
      // a round may be several steps behind (e.g. the scheduler was down): catch up one step at a time
      for (let guard = 0; guard < 4; guard++) {
        const stepped = await this.db
          .transaction(async (em) => {
            const round = await lockRound(em, candidate.id, 'update');
            if (!dueScheduledStep(round.state, round, now)) return false;
            if (round.state === 'DEMAND_REPORTING' && round.source !== 'PROVINCIAL') return false; // the external-implement job's
            if (states && !states.includes(round.state)) return false;
            // a COMMITTEE round is opened by the k-th submitted key share, never by the scheduler, and its
            // bidding does not open before a committee is named (designation stays open while it waits)
            const hold = roundHold(round, now);
            if (hold === 'OPENING_COMMITTEE_MISSING') this.warnOnce(round.id, 'a COMMITTEE round is past its demand deadline without an opening committee; bidding opens once one is designated');
            if (hold) return false;
            await this.takeScheduledStep(em, systemContext('tendering.tick'), round, false);
            return true;
          })
          .catch((error) => {
            logger.error({ err: error, roundId: candidate.id }, 'scheduled round step failed');
            return false;
          });
        if (!stepped) break;
        taken++;
      }
    }
    return taken;
  }

  // ---- renewal ------------------------------------------------------------------------------------------

  /** 续约: a new DRAFT round seeded from an agreed round: its lots, specs, rule set and hospitals' demand. */
  async renew(ctx: RequestContext, id: string, input: RenewRoundInput): Promise<Round> {
    this.checkTimes(input);
    return this.db.transaction(async (em) => {
      const old = await lockManagedRound(em, ctx, id);
      if (!['CONFIRMED', 'IN_EFFECT', 'EXPIRED'].includes(old.state)) throw new AppError('INVALID_STATE', 'Only an agreed round is renewed');
      const round = await em.save(
        em.create(Round, {
          ...old,
          id: undefined,
          name: input.name,
          state: 'DRAFT' as RoundState,
          demandDeadline: input.demandDeadline,
          bidDeadline: input.bidDeadline,
          cycleStart: input.cycleStart,
          cycleEnd: null,
          publicityEndsAt: null,
          policyVersion: CURRENT_TENDERING_POLICY.version,
          previousRoundId: old.id,
          cancelReason: null,
          openedAt: null,
          confirmedAt: null,
          // the new round is sealed anew: its own key when its bidding opens, its committee designated again
          sealingMode: this.sealingModeOf(null, this.config.nodeEnv === 'production' ? 'COMMITTEE' : old.sealingMode),
          openingThreshold: null,
          sealingPublicKey: null,
          sealingKeyCreatedAt: null,
          createdAt: undefined,
          updatedAt: undefined,
        }),
      );
      const oldLots = await em.find(Lot, { where: { roundId: old.id }, order: { seq: 'ASC' } });
      let demandLines = 0;
      for (const lot of oldLots) {
        const copy = await em.save(em.create(Lot, { roundId: round.id, seq: lot.seq, varietyId: lot.varietyId, name: lot.name, referenceUnit: lot.referenceUnit }));
        const specs = await em.find(LotSpec, { where: { lotId: lot.id } });
        await em.insert(LotSpec, specs.map((s) => ({ lotId: copy.id, varietySpecId: s.varietySpecId, spec: s.spec, comparableFactor: s.comparableFactor, ceilingUnitPrice: s.ceilingUnitPrice })));
        const demand = await em.find(Demand, { where: { lotId: lot.id } });
        if (demand.length) {
          await em.insert(
            Demand,
            demand.map((d) => ({
              roundId: round.id,
              lotId: copy.id,
              hospitalId: d.hospitalId,
              hospitalRegionCode: d.hospitalRegionCode,
              supplyRegionCode: d.supplyRegionCode,
              quantity: d.quantity,
              preferredManufacturerId: d.preferredManufacturerId,
              reason: d.reason,
              baselineQuantity: d.baselineQuantity,
              policyVersion: CURRENT_TENDERING_POLICY.version,
            })),
          );
          demandLines += demand.length;
        }
      }
      await this.audit.record(em, ctx, { action: 'round.renewed', entityType: 'round', entityId: round.id, data: { previousRoundId: old.id, lots: oldLots.length, demandLines } });
      return round;
    });
  }

  isManagedBy(ctx: RequestContext, round: Round): boolean {
    return canManage(ctx, round);
  }
}
