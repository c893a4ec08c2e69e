import { createHash } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Dec } from '@libs/money';
import { evaluateRound, LotResult, RoundInput, RoundResult as EngineResult, validateInput } from '@libs/vbp-rules';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Db } from '../platform/database/db';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { canonicalJson } from '../platform/audit/canonical-json';
import { OrganisationsService } from '../catalog/organisations/organisations.service';
import { Lot, LotSpec, Round, RuleSetVersion } from './round.entity';
import { Demand } from './demand.entity';
import { Bid } from './bid.entity';
import { BidResult, RoundResult } from './result.entity';
import { canManage, canSee } from './round-access';
import { refusalOf } from './round-state-machine';
import { commitmentOf, OpeningKey, unsealStored } from './bid-sealing';
import { chooseRuleSet } from './rule-sets';
import { RuleSetChoiceInput } from './dto/round.inputs';
import { LotOutcome, LotWhatIf, PublicLot, PublicRound, RoundOutcome, WhatIfResult } from './dto/result.types';
import { TenderingErrors } from './tendering.errors';
import { effectiveOutput, latestRevisions } from './result-revisions';

const PUBLIC_STATES = ['PUBLICIZED', 'CONFIRMED', 'IN_EFFECT', 'EXPIRED'];

/** Annual spending of a lot's result: Σ allocation quantity × awarded price of its bid (spec-converted). */
function lotSpendingFen(lotInput: RoundInput['lots'][number], lotResult: LotResult): bigint {
  const awarded = new Map(lotResult.bids.map((b) => [b.id, b.awardedUnitPrice]));
  const factorOfBid = new Map(lotInput.bids.map((b) => [b.id, lotInput.specs.find((s) => s.id === b.specId)!.comparableFactor]));
  let total = new Dec(0);
  for (const a of lotResult.allocations) total = total.plus(new Dec(a.agreedQuantity).times(awarded.get(a.bidId)!).div(factorOfBid.get(a.bidId)!));
  return BigInt(total.times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
}

/**
 * Opening (开标): decrypt, verify every commitment, run the evaluation engine on the round's stored data
 * with its stored rule set, and keep input and output verbatim. Also the reads of the stored result,
 * what-if re-runs (nothing written) and the public results.
 */
@Injectable()
export class OpeningService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly organisations: OrganisationsService,
  ) {}

  /**
   * Runs on a round locked FOR UPDATE by the caller; `transition` moves it to OPENED and audits. A COMMITTEE
   * round needs `committeeKey`, the private key its committee's shares rebuilt (in memory, for this call);
   * a DEMO_SINGLE_KEY round is opened with the configured demo key.
   */
  async openLocked(
    em: EntityManager,
    ctx: RequestContext,
    round: Round,
    transition: (round: Round, data: Record<string, unknown>) => Promise<Round>,
    committeeKey?: Uint8Array,
  ): Promise<void> {
    const now = this.clock.now();
    const refusal = refusalOf('open', round.state, round, now);
    if (refusal) throw TenderingErrors.refused(refusal);
    let openingKey: OpeningKey;
    if (round.sealingMode === 'COMMITTEE') {
      if (!committeeKey) throw TenderingErrors.sharesMissing(0, round.openingThreshold ?? 0);
      openingKey = { mode: 'COMMITTEE', privateKey: committeeKey };
    } else {
      if (!this.config.bidSealingKey) throw new AppError('INTERNAL', 'This round was sealed with the demo key, and BID_SEALING_KEY is not configured');
      openingKey = { mode: 'DEMO_SINGLE_KEY', key: this.config.bidSealingKey };
    }
    const ruleSet = await em.findOneOrFail(RuleSetVersion, { where: { id: round.ruleSetVersionId } });
    const lots = await em.find(Lot, { where: { roundId: round.id }, order: { seq: 'ASC' } });
    const specs = lots.length ? await em.find(LotSpec, { where: { lotId: In(lots.map((l) => l.id)) }, order: { comparableFactor: 'ASC', id: 'ASC' } }) : [];
    const demand = await em.find(Demand, { where: { roundId: round.id }, order: { hospitalId: 'ASC' } });
    const bids = await em.find(Bid, { where: { roundId: round.id, state: 'ACTIVE' }, order: { submittedAt: 'ASC', id: 'ASC' } });

    const revealed = new Map<string, { unitPrice: string; salt: string }>();
    for (const bid of bids) {
      let opened: { unitPrice: string; salt: string };
      try {
        opened = unsealStored(openingKey, bid.id, bid);
      } catch {
        throw TenderingErrors.commitmentMismatch(bid.id);
      }
      const commitment = commitmentOf(
        {
          bidId: bid.id,
          roundId: bid.roundId,
          lotId: bid.lotId,
          manufacturerId: bid.manufacturerId,
          productId: bid.productId,
          unitPrice: opened.unitPrice,
          supplyCapacity: bid.supplyCapacity,
          acceptsRevival: bid.acceptsRevival,
          regionPreferences: bid.regionPreferences,
        },
        opened.salt,
      );
      if (commitment !== bid.commitment) throw TenderingErrors.commitmentMismatch(bid.id);
      revealed.set(bid.id, opened);
    }

    const input: RoundInput = {
      ruleSet: ruleSet.ruleSet as never,
      lots: lots.map((lot) => {
        const lotDemand = demand.filter((d) => d.lotId === lot.id);
        const total = lotDemand.reduce((sum, d) => sum + d.quantity, 0);
        return {
          id: lot.id,
          specs: specs.filter((s) => s.lotId === lot.id).map((s) => ({ id: s.id, comparableFactor: s.comparableFactor, ceilingUnitPrice: s.ceilingUnitPrice })),
          regions: [...round.coveredRegionCodes],
          demand: lotDemand.map((d) => ({ hospitalId: d.hospitalId, regionId: d.supplyRegionCode, quantity: d.quantity, preferredManufacturerId: d.preferredManufacturerId })),
          bids: bids
            .filter((b) => b.lotId === lot.id)
            .map((b) => {
              // 报量占比: the share of the lot's reported demand that names this manufacturer (a tie-break key)
              const named = lotDemand.filter((d) => d.preferredManufacturerId === b.manufacturerId).reduce((sum, d) => sum + d.quantity, 0);
              return {
                id: b.id,
                manufacturerId: b.manufacturerId,
                specId: b.lotSpecId,
                unitPrice: revealed.get(b.id)!.unitPrice,
                submittedAt: b.submittedAt.toISOString(),
                demandShare: total > 0 ? new Dec(named).div(total).toDecimalPlaces(10, Dec.ROUND_DOWN).toFixed() : '0',
                acceptsRevival: b.acceptsRevival,
                regionPreferences: [...b.regionPreferences],
              };
            }),
        };
      }),
    };
    const checked = validateInput(JSON.parse(JSON.stringify(input)));
    if (!checked.ok) throw new AppError('INTERNAL', `The round's data does not form a valid evaluation input: ${checked.error} at ${checked.path}`);
    const output = evaluateRound(checked.input);

    await em.insert(RoundResult, {
      roundId: round.id,
      ruleSetVersionId: ruleSet.id,
      engineInput: input as never,
      engineOutput: output as never,
      openedAt: now,
      openedByUserId: ctx.user?.id ?? null,
    });
    const bidById = new Map(bids.map((b) => [b.id, b]));
    const rows = output.lots.flatMap((lot) =>
      lot.bids.map((r) => {
        const bid = bidById.get(r.id)!;
        return {
          bidId: r.id,
          roundId: round.id,
          lotId: lot.id,
          manufacturerId: bid.manufacturerId,
          productId: bid.productId,
          lotSpecId: bid.lotSpecId,
          unitPrice: revealed.get(r.id)!.unitPrice,
          status: r.status,
          reason: r.reason,
          rank: r.rank,
          unitComparablePrice: r.unitComparablePrice,
          awardedUnitPrice: r.awardedUnitPrice,
          commitment: bid.commitment,
          salt: revealed.get(r.id)!.salt,
        };
      }),
    );
    if (rows.length) await em.insert(BidResult, rows);
    round.openedAt = now;
    // the audit entry names the result by digest and counts bids; prices are in the result, not the log
    await transition(round, { resultDigest: OpeningService.digest(output), bids: bids.length });
  }

  /** The digest of the stored output, for the audit entry of the opening. */
  static digest(output: EngineResult): string {
    return createHash('sha256').update(canonicalJson(output)).digest('hex');
  }

  async storedResult(em: EntityManager, roundId: string): Promise<RoundResult | null> {
    return em.findOne(RoundResult, { where: { roundId } });
  }

  /** Regulators of the round see the result from opening; everyone who sees the round, from publicity. */
  async outcome(ctx: RequestContext, roundId: string): Promise<RoundOutcome> {
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (!canManage(ctx, round) && !PUBLIC_STATES.includes(round.state)) throw TenderingErrors.noResult();
    return this.buildOutcome(this.db.manager, round);
  }

  async buildOutcome(em: EntityManager, round: Round): Promise<RoundOutcome> {
    const stored = await em.findOne(RoundResult, { where: { roundId: round.id } });
    if (!stored) throw TenderingErrors.noResult();
    const ruleSet = await em.findOneOrFail(RuleSetVersion, { where: { id: stored.ruleSetVersionId } });
    const lots = new Map((await em.find(Lot, { where: { roundId: round.id } })).map((l) => [l.id, l]));
    const bidRows = new Map((await em.find(BidResult, { where: { roundId: round.id } })).map((b) => [b.bidId, b]));
    // the result in force: a lot corrected after an upheld objection shows its latest revision
    const revisions = await latestRevisions(em, round.id);
    const output = await effectiveOutput(em, round.id, stored.engineOutput as unknown as EngineResult);
    return {
      roundId: round.id,
      openedAt: stored.openedAt,
      ruleSetCode: ruleSet.code,
      ruleSetVersion: ruleSet.version,
      lots: output.lots.map(
        (lot): LotOutcome => ({
          lotId: lot.id,
          name: lots.get(lot.id)?.name ?? '',
          status: lot.status,
          validBidCount: lot.validBidCount,
          winnerCount: lot.winnerCount,
          anchorUnitComparablePrice: lot.anchorUnitComparablePrice,
          revivalUnitComparablePrice: lot.revivalUnitComparablePrice,
          volumeShare: lot.volumeShare,
          cycleYears: lot.cycleYears,
          agreedQuantity: lot.agreedQuantity,
          revision: revisions.get(lot.id)?.revision ?? 0,
          bids: lot.bids.map((b) => ({ ...bidRows.get(b.id)!, status: b.status, reason: b.reason, rank: b.rank, unitComparablePrice: b.unitComparablePrice, awardedUnitPrice: b.awardedUnitPrice })),
          regions: lot.regions.map((r) => ({ regionCode: r.regionId, primaryBidId: r.primaryBidId, backupBidId: r.backupBidId })),
          allocations: lot.allocations.map((a) => ({ hospitalId: a.hospitalId, regionCode: a.regionId, bidId: a.bidId, agreedQuantity: a.agreedQuantity })),
        }),
      ),
    };
  }

  /** Re-runs the stored input under another rule set and reports what would change; writes nothing. */
  async whatIf(ctx: RequestContext, roundId: string, choice: RuleSetChoiceInput): Promise<WhatIfResult> {
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (!canManage(ctx, round)) throw new AppError('FORBIDDEN', 'Only a regulator of the round’s region runs what-if');
    const stored = await this.db.manager.findOne(RoundResult, { where: { roundId } });
    if (!stored) throw TenderingErrors.noResult();
    const chosen = chooseRuleSet(choice);
    // bids excluded by upheld objections stay excluded under any rule set
    const excluded = new Set([...(await latestRevisions(this.db.manager, roundId)).values()].flatMap((r) => r.excludedBidIds));
    const storedInput = stored.engineInput as unknown as RoundInput;
    const input = { ...storedInput, ruleSet: chosen.ruleSet, lots: storedInput.lots.map((l) => ({ ...l, bids: l.bids.map((b) => (excluded.has(b.id) ? { ...b, excluded: true } : b)) })) };
    const checked = validateInput(JSON.parse(JSON.stringify(input)));
    if (!checked.ok) throw TenderingErrors.ruleSetInvalid(checked.path, checked.error);
    const after = evaluateRound(checked.input);
    const before = await effectiveOutput(this.db.manager, roundId, stored.engineOutput as unknown as EngineResult);
    const lots = new Map((await this.db.manager.find(Lot, { where: { roundId } })).map((l) => [l.id, l]));
    const manufacturerOf = new Map(input.lots.flatMap((l) => l.bids.map((b) => [b.id, b.manufacturerId] as const)));
    const isWinner = (status: string) => status === 'WINNER' || status === 'REVIVED';
    const lotDiffs = before.lots.map((lotBefore, i): LotWhatIf => {
      const lotAfter = after.lots[i];
      const afterById = new Map(lotAfter.bids.map((b) => [b.id, b]));
      return {
        lotId: lotBefore.id,
        name: lots.get(lotBefore.id)?.name ?? '',
        winnersBefore: lotBefore.bids.filter((b) => isWinner(b.status)).map((b) => b.id),
        winnersAfter: lotAfter.bids.filter((b) => isWinner(b.status)).map((b) => b.id),
        changes: lotBefore.bids
          .filter((b) => b.status !== afterById.get(b.id)!.status || b.awardedUnitPrice !== afterById.get(b.id)!.awardedUnitPrice)
          .map((b) => ({
            bidId: b.id,
            manufacturerId: manufacturerOf.get(b.id)!,
            statusBefore: b.status,
            statusAfter: afterById.get(b.id)!.status,
            awardedUnitPriceBefore: b.awardedUnitPrice,
            awardedUnitPriceAfter: afterById.get(b.id)!.awardedUnitPrice,
          })),
        spendingBefore: lotSpendingFen(input.lots[i], lotBefore),
        spendingAfter: lotSpendingFen(input.lots[i], lotAfter),
      };
    });
    return {
      roundId,
      ruleSet: JSON.stringify(chosen.ruleSet),
      lots: lotDiffs,
      spendingBefore: lotDiffs.reduce((s, l) => s + l.spendingBefore, 0n),
      spendingAfter: lotDiffs.reduce((s, l) => s + l.spendingAfter, 0n),
    };
  }

  /** Results readable without login once a round is publicized. */
  async publicRounds(id?: string | null): Promise<PublicRound[]> {
    const rounds = await this.db.manager.find(Round, { where: { state: In(PUBLIC_STATES), ...(id ? { id } : {}) }, order: { openedAt: 'DESC' } });
    const out: PublicRound[] = [];
    for (const round of rounds) {
      const stored = await this.db.manager.findOne(RoundResult, { where: { roundId: round.id } });
      if (!stored) continue;
      const input = stored.engineInput as unknown as RoundInput;
      const output = await effectiveOutput(this.db.manager, round.id, stored.engineOutput as unknown as EngineResult);
      const lots = new Map((await this.db.manager.find(Lot, { where: { roundId: round.id } })).map((l) => [l.id, l]));
      const bidRows = new Map((await this.db.manager.find(BidResult, { where: { roundId: round.id } })).map((b) => [b.bidId, b]));
      const publicLots: PublicLot[] = [];
      for (const [i, lot] of output.lots.entries()) {
        const winners = [];
        for (const b of lot.bids.filter((x) => x.status === 'WINNER' || x.status === 'REVIVED')) {
          const row = bidRows.get(b.id)!;
          const organisation = await this.organisations.findById(row.manufacturerId);
          winners.push({
            manufacturerId: row.manufacturerId,
            manufacturerName: organisation?.name ?? '',
            productId: row.productId,
            status: b.status,
            awardedUnitPrice: b.awardedUnitPrice!,
            agreedQuantity: lot.allocations.filter((a) => a.bidId === b.id).reduce((s, a) => s + a.agreedQuantity, 0),
          });
        }
        publicLots.push({
          lotId: lot.id,
          name: lots.get(lot.id)?.name ?? '',
          referenceUnit: lots.get(lot.id)?.referenceUnit ?? '',
          status: lot.status,
          winners,
          agreedQuantity: lot.agreedQuantity,
          agreedAmount: lotSpendingFen(input.lots[i], lot),
        });
      }
      out.push({
        id: round.id,
        name: round.name,
        level: round.level,
        state: round.state,
        coveredRegionCodes: round.coveredRegionCodes,
        openedAt: round.openedAt,
        publicityEndsAt: round.publicityEndsAt,
        lots: publicLots,
      });
    }
    return out;
  }
}
