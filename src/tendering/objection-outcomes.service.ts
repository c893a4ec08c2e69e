import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { evaluateRound, LotResult, RoundInput, validateInput } from '@libs/vbp-rules';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { canonicalJson } from '../platform/audit/canonical-json';
import { Round } from './round.entity';
import { BidResult, RoundResult } from './result.entity';
import { Objection } from './objection.entity';
import { ResultRevision, ResultRevisionAction } from './result-revision.entity';
import { latestRevisions } from './result-revisions';
import { canManage, canSee, lockManagedRound } from './round-access';
import { TenderingErrors } from './tendering.errors';

const DAY_MS = 86_400_000;
const PUBLIC_STATES = ['PUBLICIZED', 'CONFIRMED', 'IN_EFFECT', 'EXPIRED'];
const isWinner = (status: string) => status === 'WINNER' || status === 'REVIVED';
const digest = (lot: LotResult) => createHash('sha256').update(canonicalJson(lot)).digest('hex');

/**
 * 异议成立: a regulator upholds an objection by excluding or reinstating a bid; the lot is re-evaluated by the
 * same engine on its stored input, the corrected result is stored as a revision (the opening result stays),
 * and publicity of the lot restarts.
 */
@Injectable()
export class ObjectionOutcomesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async uphold(ctx: RequestContext, input: { objectionId: string; answer: string; action: ResultRevisionAction; bidId: string; reason: string }): Promise<Objection> {
    if (!input.answer || input.answer.trim().length < 2) throw TenderingErrors.invalid('input.answer', '请填写答复内容');
    if (!input.reason || input.reason.trim().length < 2) throw TenderingErrors.invalid('input.reason', '请填写剔除或恢复的理由');
    return this.db.transaction(async (em) => {
      const probe = await em.findOne(Objection, { where: { id: input.objectionId } });
      if (!probe) throw notFound('Objection', 'input.objectionId');
      const round = await lockManagedRound(em, ctx, probe.roundId);
      const objection = await em.createQueryBuilder(Objection, 'o').setLock('pessimistic_write').where('o.id = :id', { id: input.objectionId }).getOneOrFail();
      if (objection.state !== 'OPEN') throw new AppError('INVALID_STATE', '该异议已答复', { field: 'input.objectionId' });
      if (round.state !== 'PUBLICIZED') throw new AppError('INVALID_STATE', '只有公示中的批次可以更正结果', { field: 'input.objectionId' });
      const bid = await em.findOne(BidResult, { where: { bidId: input.bidId, roundId: round.id } });
      if (!bid || (objection.lotId && bid.lotId !== objection.lotId)) throw TenderingErrors.invalid('input.bidId', '该报价不属于异议所涉的批次或品种');
      const stored = await em.findOneOrFail(RoundResult, { where: { roundId: round.id } });
      const storedInput = stored.engineInput as unknown as RoundInput;
      const lotIndex = storedInput.lots.findIndex((l) => l.id === bid.lotId);
      const latest = (await latestRevisions(em, round.id)).get(bid.lotId) ?? null;
      const before = (latest?.engineOutput as unknown as LotResult | undefined) ?? (stored.engineOutput as unknown as { lots: LotResult[] }).lots[lotIndex];
      const excluded = new Set(latest?.excludedBidIds ?? []);
      if (input.action === 'EXCLUDE_BID') {
        if (excluded.has(bid.bidId)) throw new AppError('OBJECTION_BID_ACTION_INVALID', '该报价已被剔除', { field: 'input.bidId' });
        excluded.add(bid.bidId);
      } else {
        if (!excluded.has(bid.bidId)) throw new AppError('OBJECTION_BID_ACTION_INVALID', '只能恢复此前因异议被剔除的报价', { field: 'input.bidId' });
        excluded.delete(bid.bidId);
      }
      // the same engine on the same stored input, with the excluded flags: one lot re-evaluated
      const lotInput = { ...storedInput.lots[lotIndex], bids: storedInput.lots[lotIndex].bids.map((b) => ({ ...b, excluded: excluded.has(b.id) })) };
      const checked = validateInput(JSON.parse(JSON.stringify({ ruleSet: storedInput.ruleSet, lots: [lotInput] })));
      if (!checked.ok) throw new AppError('INTERNAL', `The lot's stored input no longer validates: ${checked.error} at ${checked.path}`);
      const after = evaluateRound(checked.input).lots[0];

      const afterById = new Map(after.bids.map((b) => [b.id, b]));
      const manufacturerOf = new Map((await em.find(BidResult, { where: { roundId: round.id, lotId: bid.lotId } })).map((b) => [b.bidId, b.manufacturerId]));
      const affectedManufacturerIds = [
        ...new Set(before.bids.filter((b) => b.status !== afterById.get(b.id)?.status || b.awardedUnitPrice !== afterById.get(b.id)?.awardedUnitPrice).map((b) => manufacturerOf.get(b.id)!)),
      ].sort();
      const allocationKey = (lot: LotResult, hospitalId: string) =>
        lot.allocations
          .filter((a) => a.hospitalId === hospitalId)
          .map((a) => `${a.bidId}:${a.agreedQuantity}`)
          .sort()
          .join(',');
      const hospitals = new Set([...before.allocations, ...after.allocations].map((a) => a.hospitalId));
      const affectedHospitalIds = [...hospitals].filter((h) => allocationKey(before, h) !== allocationKey(after, h)).sort();
      const now = this.clock.now();
      const publicityEndsAt = new Date(now.getTime() + round.publicityDays * DAY_MS);
      const previousPublicityEndsAt = round.publicityEndsAt;
      const revision = await em.save(
        em.create(ResultRevision, {
          roundId: round.id,
          lotId: bid.lotId,
          revision: (latest?.revision ?? 0) + 1,
          objectionId: objection.id,
          action: input.action,
          bidId: bid.bidId,
          reason: input.reason.trim(),
          excludedBidIds: [...excluded].sort(),
          winnersBefore: before.bids.filter((b) => isWinner(b.status)).map((b) => b.id),
          winnersAfter: after.bids.filter((b) => isWinner(b.status)).map((b) => b.id),
          affectedManufacturerIds,
          affectedHospitalIds,
          publicityEndsAt,
          previousPublicityEndsAt,
          engineInput: { ruleSet: storedInput.ruleSet, lots: [lotInput] } as never,
          engineOutput: after as never,
          resultDigestBefore: digest(before),
          resultDigestAfter: digest(after),
          createdAt: now,
          createdByUserId: ctx.user?.id ?? null,
        }),
      );
      // publicity restarts for the lot: the round is confirmed only once the lot's new publicity has ended too
      if (!round.publicityEndsAt || round.publicityEndsAt.getTime() < publicityEndsAt.getTime()) {
        round.publicityEndsAt = publicityEndsAt;
        await em.save(round);
      }
      Object.assign(objection, { state: 'ANSWERED', outcome: 'UPHELD', revisionId: revision.id, answer: input.answer.trim(), answeredAt: now, answeredByUserId: ctx.user?.id ?? null });
      await em.save(objection);
      await this.audit.record(em, ctx, { action: 'objection.answered', entityType: 'objection', entityId: objection.id, data: { roundId: round.id, outcome: 'UPHELD', revisionId: revision.id } });
      // both results in the log: each bid's status before and after, the winners, and the digests of both lot results
      await this.audit.record(em, ctx, {
        action: 'round.result-revised',
        entityType: 'round',
        entityId: round.id,
        data: {
          lotId: bid.lotId,
          revision: revision.revision,
          objectionId: objection.id,
          action: input.action,
          bidId: bid.bidId,
          reason: revision.reason,
          before: { digest: revision.resultDigestBefore, winners: revision.winnersBefore, bids: Object.fromEntries(before.bids.map((b) => [b.id, b.status])) },
          after: { digest: revision.resultDigestAfter, winners: revision.winnersAfter, bids: Object.fromEntries(after.bids.map((b) => [b.id, b.status])) },
          affectedManufacturerIds,
          affectedHospitalIds,
          publicityEndsAt,
        },
      });
      return objection;
    });
  }

  /** A round's result corrections: its regulators always, everyone who sees the round once its result is public. */
  async revisions(ctx: RequestContext, roundId: string): Promise<ResultRevision[]> {
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (!canManage(ctx, round) && !PUBLIC_STATES.includes(round.state)) return [];
    return this.db.manager.find(ResultRevision, { where: { roundId: In([roundId]) }, order: { lotId: 'ASC', revision: 'ASC' } });
  }
}
