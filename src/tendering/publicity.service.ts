import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Dec } from '@libs/money';
import { RoundResult as EngineResult, RoundInput } from '@libs/vbp-rules';
import { addYearsShanghai } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { requireUser } from '../platform/auth/scope';
import { AGREEMENT_ISSUANCE, AgreementIssuance, AgreementLine } from '../platform/ports/context-ports';
import { specUnits } from '../agreements/agreement-rules';
import { Lot, Round } from './round.entity';
import { Demand } from './demand.entity';
import { BidResult, RoundResult } from './result.entity';
import { Objection } from './objection.entity';
import { FileObjectionInput } from './dto/round.inputs';
import { canManage, canSee, lockManagedRound, lockRound } from './round-access';
import { tenderingPolicy } from './tendering-policy';
import { TenderingErrors } from './tendering.errors';
import { RoundsService } from './rounds.service';
import { effectiveOutput, objectionDeadline } from './result-revisions';

const DAY_MS = 86_400_000;

/** 公示 and 异议, then confirmation, which turns the stored result into volume agreements. */
@Injectable()
export class PublicityService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly rounds: RoundsService,
    @Inject(AGREEMENT_ISSUANCE) private readonly agreements: AgreementIssuance,
  ) {}

  async publicize(ctx: RequestContext, roundId: string): Promise<Round> {
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, roundId);
      if (round.state === 'OPENED') round.publicityEndsAt = new Date(this.clock.now().getTime() + round.publicityDays * DAY_MS);
      return this.rounds.transition(em, ctx, round, 'publicize', { publicityEndsAt: round.publicityEndsAt });
    });
  }

  async fileObjection(ctx: RequestContext, input: FileObjectionInput): Promise<Objection> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const round = await lockRound(em, input.roundId, 'share');
      if (!canSee(ctx, round)) throw notFound('Round', 'input.roundId');
      // a lot whose result was corrected after an upheld objection has its own, restarted publicity
      const deadline = round.state === 'PUBLICIZED' ? await objectionDeadline(em, round, input.lotId ?? null) : null;
      if (!deadline || this.clock.now().getTime() >= deadline.getTime()) throw TenderingErrors.objectionPeriodClosed();
      if (input.lotId && !(await em.findOne(Lot, { where: { id: input.lotId, roundId: round.id } }))) throw TenderingErrors.invalid('input.lotId', 'Not a lot of this round');
      const objection = await em.save(
        em.create(Objection, { roundId: round.id, lotId: input.lotId ?? null, manufacturerId: user.organisationId, text: input.text, state: 'OPEN', answer: null, answeredAt: null, answeredByUserId: null }),
      );
      await this.audit.record(em, ctx, { action: 'objection.filed', entityType: 'objection', entityId: objection.id, data: { roundId: round.id, lotId: objection.lotId } });
      return objection;
    });
  }

  async answerObjection(ctx: RequestContext, objectionId: string, answer: string): Promise<Objection> {
    if (!answer || answer.trim().length < 2) throw TenderingErrors.invalid('answer', 'Give an answer');
    return this.db.transaction(async (em) => {
      const probe = await em.findOne(Objection, { where: { id: objectionId } });
      if (!probe) throw notFound('Objection', 'id');
      await lockManagedRound(em, ctx, probe.roundId);
      const objection = await em.createQueryBuilder(Objection, 'o').setLock('pessimistic_write').where('o.id = :objectionId', { objectionId }).getOneOrFail();
      if (objection.state !== 'OPEN') throw new AppError('INVALID_STATE', 'The objection was answered already');
      Object.assign(objection, { state: 'ANSWERED', outcome: 'DISMISSED', answer: answer.trim(), answeredAt: this.clock.now(), answeredByUserId: ctx.user?.id ?? null });
      await em.save(objection);
      await this.audit.record(em, ctx, { action: 'objection.answered', entityType: 'objection', entityId: objection.id, data: { roundId: objection.roundId } });
      return objection;
    });
  }

  async objections(ctx: RequestContext, roundId: string): Promise<Objection[]> {
    const user = requireUser(ctx);
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (canManage(ctx, round)) return this.db.manager.find(Objection, { where: { roundId }, order: { createdAt: 'ASC' } });
    return this.db.manager.find(Objection, { where: { roundId, manufacturerId: user.organisationId }, order: { createdAt: 'ASC' } });
  }

  /** After publicity, with every objection answered: agreements per hospital × lot × winning bid. */
  async confirm(ctx: RequestContext, roundId: string): Promise<Round> {
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, roundId);
      if (round.state !== 'PUBLICIZED') throw new AppError('INVALID_STATE', `A round in state ${round.state} cannot be confirmed; publicize it first`);
      {
        if (!round.publicityEndsAt || this.clock.now().getTime() < round.publicityEndsAt.getTime()) throw TenderingErrors.publicityNotEnded(round.publicityEndsAt);
        const open = await em.count(Objection, { where: { roundId, state: 'OPEN' } });
        if (open) throw TenderingErrors.objectionsOpen(open);
      }
      const { lines, cycleEnd } = await this.agreementLines(em, round);
      round.confirmedAt = this.clock.now();
      round.cycleEnd = cycleEnd;
      const confirmed = await this.rounds.transition(em, ctx, round, 'confirm', { agreements: lines.length });
      const policy = tenderingPolicy(round.policyVersion);
      await this.agreements.createForRound(em, ctx, round, lines, { share: policy.prepaymentShare, policyVersion: policy.version });
      return confirmed;
    });
  }

  /** Reads the stored result: one line per allocation, with the region's backup winner for takeover (also used by external awards). */
  async agreementLines(em: EntityManager, round: Round): Promise<{ lines: AgreementLine[]; cycleEnd: Date }> {
    const stored = await em.findOne(RoundResult, { where: { roundId: round.id } });
    if (!stored) throw TenderingErrors.noResult();
    const input = stored.engineInput as unknown as RoundInput;
    // the result in force: lots corrected after an upheld objection count as corrected
    const output = await effectiveOutput(em, round.id, stored.engineOutput as unknown as EngineResult);
    const awardedOf = new Map(output.lots.flatMap((l) => l.bids.map((b) => [b.id, b.awardedUnitPrice] as const)));
    const lots = new Map((await em.find(Lot, { where: { roundId: round.id } })).map((l) => [l.id, l]));
    const bids = new Map((await em.find(BidResult, { where: { roundId: round.id } })).map((b) => [b.bidId, b]));
    const demand = await em.find(Demand, { where: { roundId: round.id } });
    const regionOf = new Map(demand.map((d) => [`${d.lotId}|${d.hospitalId}`, d.hospitalRegionCode]));
    const lines: AgreementLine[] = [];
    let cycleEnd = round.cycleStart;
    output.lots.forEach((lot, i) => {
      if (lot.status !== 'AWARDED' || !lot.cycleYears) return;
      const lotEnd = addYearsShanghai(round.cycleStart, lot.cycleYears);
      if (lotEnd > cycleEnd) cycleEnd = lotEnd;
      const factorOfSpec = new Map(input.lots[i].specs.map((s) => [s.id, s.comparableFactor]));
      const factorOf = (bidId: string) => factorOfSpec.get(bids.get(bidId)!.lotSpecId)!;
      for (const allocation of lot.allocations) {
        const winner = bids.get(allocation.bidId)!;
        const region = lot.regions.find((r) => r.regionId === allocation.regionId);
        const backupId = [region?.backupBidId, region?.primaryBidId].find((id) => id && id !== winner.bidId) ?? null;
        const backup = backupId ? bids.get(backupId)! : null;
        // the engine's quantity is in reference units; agreements count units of the winning product's spec
        const annualQuantity = specUnits(allocation.agreedQuantity, factorOf(winner.bidId));
        if (annualQuantity <= 0) continue;
        lines.push({
          lotId: lot.id,
          varietyId: lots.get(lot.id)!.varietyId,
          hospitalId: allocation.hospitalId,
          regionCode: regionOf.get(`${lot.id}|${allocation.hospitalId}`) ?? allocation.regionId,
          manufacturerId: winner.manufacturerId,
          productId: winner.productId,
          bidId: winner.bidId,
          annualQuantity,
          awardedUnitPrice: awardedOf.get(winner.bidId)!,
          cycleEnd: lotEnd,
          cycleYears: lot.cycleYears,
          backup: backup
            ? {
                bidId: backup.bidId,
                manufacturerId: backup.manufacturerId,
                productId: backup.productId,
                unitPrice: awardedOf.get(backup.bidId)!,
                quantityFactor: new Dec(factorOf(winner.bidId)).div(factorOf(backup.bidId)).toDecimalPlaces(10, Dec.ROUND_HALF_UP).toFixed(),
              }
            : null,
        });
      }
    });
    return { lines, cycleEnd };
  }
}
