import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Dec, formatUnitPrice, parseUnitPrice } from '@libs/money';
import { judgeRenewalPrice, renewalPreset, RENEWAL_RULE_PRESETS, RenewalRules } from '@libs/vbp-rules';
import { addYearsShanghai, shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { requireUser } from '../platform/auth/scope';
import { AGREEMENT_ISSUANCE, AgreementIssuance, AgreementLine } from '../platform/ports/context-ports';
import { specUnits } from '../agreements/agreement-rules';
import { Lot, LotSpec, Round, RoundState } from './round.entity';
import { BidResult } from './result.entity';
import { Renewal, RenewalDemand, RenewalOffer } from './renewal.entity';
import { canManage, canSee, lockManagedRound } from './round-access';
import { CURRENT_TENDERING_POLICY, tenderingPolicy } from './tendering-policy';
import { TenderingErrors } from './tendering.errors';
import { RoundsRepository } from './rounds.repository';

/**
 * 续约 with incumbents: at the end of a cycle the regulator renews instead of re-tendering. Incumbent winners
 * (those holding agreements in force, substitutes included) confirm or lower their price under a versioned
 * renewal rule set; decliners drop out; hospitals re-report volumes; completion makes a CONFIRMED round whose
 * agreements link to the old ones.
 */
@Injectable()
export class RenewalsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(AGREEMENT_ISSUANCE) private readonly agreements: AgreementIssuance,
    private readonly reads: RoundsRepository,
  ) {}

  async start(ctx: RequestContext, roundId: string, input: { name: string; rulesCode: string; responseDeadline: Date; cycleStart: Date }): Promise<Renewal> {
    const preset = renewalPreset(input.rulesCode);
    if (!preset) throw TenderingErrors.invalid('input.rulesCode', `未知的续约规则，可选：${[...new Set(RENEWAL_RULE_PRESETS.map((p) => p.code))].join('、')}`);
    const now = this.clock.now();
    if (input.responseDeadline.getTime() <= now.getTime()) throw TenderingErrors.invalid('input.responseDeadline', '答复截止时间须晚于当前时间');
    if (input.cycleStart.getTime() <= input.responseDeadline.getTime()) throw TenderingErrors.invalid('input.cycleStart', '续约周期须在答复截止之后开始');
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, roundId);
      if (!['IN_EFFECT', 'EXPIRED'].includes(round.state)) throw new AppError('INVALID_STATE', '只有执行中或已到期的批次可以续约', { field: 'roundId' });
      if (round.cycleEnd && input.cycleStart.getTime() < round.cycleEnd.getTime()) throw TenderingErrors.invalid('input.cycleStart', '续约周期须在原协议周期结束后开始');
      // a cancelled renewal leaves the round free to be renewed again
      if (await em.count(Renewal, { where: { roundId, state: In(['OFFERS_OPEN', 'COMPLETED']) } })) throw new AppError('INVALID_STATE', '该批次已发起续约', { field: 'roundId' });
      const inForce = await this.agreements.agreementsInForce(em, roundId);
      // incumbents: the winning bids behind agreements in force (a substitute winner's bid from another batch too);
      // a temporary listing-price substitute has no bid and is no incumbent
      const bidIds = [...new Set(inForce.map((a) => a.bidId))];
      const bidRows = new Map((bidIds.length ? await em.find(BidResult, { where: { bidId: In(bidIds) } }) : []).map((b) => [b.bidId, b]));
      const specs = new Map((bidRows.size ? await em.find(LotSpec, { where: { id: In([...new Set([...bidRows.values()].map((b) => b.lotSpecId))]) } }) : []).map((s) => [s.id, s]));
      const incumbents = new Map<string, (typeof inForce)[number]>();
      for (const a of inForce) if (bidRows.has(a.bidId) && !incumbents.has(`${a.lotId}|${a.bidId}`)) incumbents.set(`${a.lotId}|${a.bidId}`, a);
      if (!incumbents.size) throw new AppError('INVALID_STATE', '该批次没有在执行协议的中选企业，请重新招标', { field: 'roundId' });
      const renewal = await em.save(
        em.create(Renewal, {
          roundId,
          name: input.name,
          state: 'OFFERS_OPEN',
          rulesCode: preset.code,
          rulesVersion: preset.version,
          rules: { ...preset.rules } as never,
          startedAt: now,
          responseDeadline: input.responseDeadline,
          cycleStart: input.cycleStart,
          renewedRoundId: null,
          completedAt: null,
          createdByUserId: ctx.user?.id ?? null,
        }),
      );
      const province = `${round.ownerRegionCode.slice(0, 2)}0000`;
      // per product, the lowest current price in another province: one read for every incumbent
      const references = new Map(
        (
          await em.query<{ product_id: string; unit_price: string; province_code: string }[]>(
            `SELECT DISTINCT ON (product_id) product_id, unit_price::text AS unit_price, province_code FROM (
               SELECT DISTINCT ON (product_id, province_code) product_id, unit_price, province_code FROM v_reference_price
                WHERE product_id = ANY($1::uuid[]) AND province_code <> $2 AND effective_on <= $3
                ORDER BY product_id, province_code, effective_on DESC, recorded_at DESC) latest
              ORDER BY product_id, unit_price, province_code`,
            [[...new Set([...incumbents.values()].map((a) => a.productId))], province, shanghaiDateOf(now)],
          )
        ).map((r) => [r.product_id, r]),
      );
      const offers: Partial<RenewalOffer>[] = [];
      for (const a of incumbents.values()) {
        const bid = bidRows.get(a.bidId)!;
        const reference = references.get(a.productId);
        offers.push({
          renewalId: renewal.id,
          lotId: a.lotId,
          bidId: a.bidId,
          manufacturerId: a.manufacturerId,
          productId: a.productId,
          lotSpecId: bid.lotSpecId,
          comparableFactor: specs.get(bid.lotSpecId)!.comparableFactor,
          currentUnitPrice: a.awardedUnitPrice,
          referenceUnitPrice: reference ? formatUnitPrice(reference.unit_price) : null,
          referenceProvinceCode: reference?.province_code ?? null,
          state: 'PENDING',
          offeredUnitPrice: null,
          respondedAt: null,
        });
      }
      await em.insert(RenewalOffer, offers);
      // volumes to re-report: seeded per hospital and lot with the annual agreed quantity in force (reference units)
      const factorOfBid = (bidId: string) => (bidRows.has(bidId) ? specs.get(bidRows.get(bidId)!.lotSpecId)!.comparableFactor : '1');
      const seeds = new Map<string, Partial<RenewalDemand> & { largest: number }>();
      for (const a of inForce) {
        const key = `${a.lotId}|${a.hospitalId}`;
        const reference = new Dec(a.annualQuantity).times(factorOfBid(a.bidId)).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
        const seed = seeds.get(key) ?? { renewalId: renewal.id, lotId: a.lotId, hospitalId: a.hospitalId, regionCode: a.regionCode, quantity: 0, previousQuantity: 0, reportedAt: null, largest: -1 };
        seed.quantity! += reference;
        seed.previousQuantity! += reference;
        if (a.annualQuantity > seed.largest) Object.assign(seed, { largest: a.annualQuantity, previousAgreementId: a.id, previousBidId: a.bidId });
        seeds.set(key, seed);
      }
      const demandRows = [...seeds.values()].map(({ largest: _largest, ...row }) => row);
      if (demandRows.length) await em.insert(RenewalDemand, demandRows);
      await this.audit.record(em, ctx, {
        action: 'renewal.started',
        entityType: 'renewal',
        entityId: renewal.id,
        data: { roundId, rules: { code: preset.code, version: preset.version }, offers: offers.length, demandLines: demandRows.length, responseDeadline: input.responseDeadline, cycleStart: input.cycleStart },
      });
      return renewal;
    });
  }

  /** The incumbent confirms or lowers its price (accept), or declines; it may change its answer until the deadline. */
  async respond(ctx: RequestContext, offerId: string, accept: boolean, unitPrice: string | null | undefined): Promise<RenewalOffer> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const offer = await em.createQueryBuilder(RenewalOffer, 'o').setLock('pessimistic_write').where('o.id = :offerId', { offerId }).getOne();
      if (!offer || offer.manufacturerId !== user.organisationId) throw notFound('Renewal offer', 'input.offerId');
      const renewal = await em.findOneOrFail(Renewal, { where: { id: offer.renewalId } });
      const now = this.clock.now();
      if (renewal.state !== 'OFFERS_OPEN' || now.getTime() >= renewal.responseDeadline.getTime()) throw new AppError('RENEWAL_CLOSED', '续约答复已截止', { field: 'input.offerId' });
      if (!accept) {
        Object.assign(offer, { state: 'DECLINED', offeredUnitPrice: null, respondedAt: now });
      } else {
        let price: string;
        try {
          price = unitPrice ? parseUnitPrice(unitPrice) : offer.currentUnitPrice;
        } catch (error) {
          throw TenderingErrors.invalid('input.unitPrice', (error as Error).message);
        }
        const refusal = judgeRenewalPrice(renewal.rules as unknown as RenewalRules, { currentUnitPrice: offer.currentUnitPrice, offeredUnitPrice: price, otherProvincesLowest: offer.referenceUnitPrice });
        if (refusal === 'RAISED') throw new AppError('RENEWAL_PRICE_RAISED', `续约价不得高于现行中选价 ${offer.currentUnitPrice} 元`, { field: 'input.unitPrice', currentUnitPrice: offer.currentUnitPrice });
        if (refusal === 'ABOVE_REFERENCE') {
          throw new AppError('RENEWAL_PRICE_ABOVE_REFERENCE', `续约价不得高于其他省份现行最低价 ${offer.referenceUnitPrice} 元（${offer.referenceProvinceCode}）`, {
            field: 'input.unitPrice',
            referenceUnitPrice: offer.referenceUnitPrice,
            referenceProvinceCode: offer.referenceProvinceCode,
          });
        }
        Object.assign(offer, { state: 'ACCEPTED', offeredUnitPrice: formatUnitPrice(price), respondedAt: now });
      }
      await em.save(offer);
      await this.audit.record(em, ctx, { action: accept ? 'renewal.offer-accepted' : 'renewal.offer-declined', entityType: 'renewal_offer', entityId: offer.id, data: { renewalId: renewal.id, lotId: offer.lotId, bidId: offer.bidId } });
      return offer;
    });
  }

  /** A hospital re-reports its annual quantity for a lot of the renewal (reference unit), until the deadline. */
  async reportDemand(ctx: RequestContext, renewalId: string, lotId: string, quantity: number): Promise<RenewalDemand> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const row = await em.createQueryBuilder(RenewalDemand, 'd').setLock('pessimistic_write').where('d.renewal_id = :renewalId AND d.lot_id = :lotId AND d.hospital_id = :h', { renewalId, lotId, h: user.organisationId }).getOne();
      if (!row) throw notFound('Renewal demand', 'input.lotId');
      const renewal = await em.findOneOrFail(Renewal, { where: { id: renewalId } });
      const now = this.clock.now();
      if (renewal.state !== 'OFFERS_OPEN' || now.getTime() >= renewal.responseDeadline.getTime()) throw new AppError('RENEWAL_CLOSED', '续约报量已截止', { field: 'input.renewalId' });
      Object.assign(row, { quantity, reportedAt: now });
      await em.save(row);
      await this.audit.record(em, ctx, { action: 'renewal.demand-reported', entityType: 'renewal_demand', entityId: row.id, data: { renewalId, lotId, quantity, previousQuantity: row.previousQuantity } });
      return row;
    });
  }

  /** Locks the renewed round (its managing regulator only) and then the renewal, which must still be OFFERS_OPEN. */
  private async lockOpenRenewal(em: EntityManager, ctx: RequestContext, renewalId: string, completedMessage: string): Promise<{ round: Round; renewal: Renewal }> {
    const probe = await em.findOne(Renewal, { where: { id: renewalId } });
    if (!probe) throw notFound('Renewal', 'id');
    const round = await lockManagedRound(em, ctx, probe.roundId);
    const renewal = await em.createQueryBuilder(Renewal, 'r').setLock('pessimistic_write').where('r.id = :renewalId', { renewalId }).getOneOrFail();
    if (renewal.state !== 'OFFERS_OPEN') throw new AppError('INVALID_STATE', renewal.state === 'CANCELLED' ? '该续约已取消' : completedMessage, { field: 'id' });
    return { round, renewal };
  }

  /**
   * The regulator withdraws an open renewal (started by mistake, or its completion window missed): no agreement
   * is made, pending offers lapse, and the round may be renewed again or re-tendered. A completed renewal stays.
   */
  async cancel(ctx: RequestContext, renewalId: string, reason: string): Promise<Renewal> {
    const why = reason?.trim() ?? '';
    if (why.length < 5) throw TenderingErrors.invalid('reason', '请填写取消原因（至少 5 个字）');
    return this.db.transaction(async (em) => {
      const { renewal } = await this.lockOpenRenewal(em, ctx, renewalId, '该续约已完成，不能取消');
      const now = this.clock.now();
      const lapsed = await em.update(RenewalOffer, { renewalId, state: 'PENDING' }, { state: 'LAPSED' });
      Object.assign(renewal, { state: 'CANCELLED', cancelledAt: now, cancelReason: why });
      await em.save(renewal);
      await this.audit.record(em, ctx, { action: 'renewal.cancelled', entityType: 'renewal', entityId: renewal.id, data: { roundId: renewal.roundId, reason: why, lapsedOffers: lapsed.affected ?? 0 } });
      return renewal;
    });
  }

  /**
   * After the deadline: unanswered offers lapse; each lot with an accepted incumbent gets a lot in a new CONFIRMED
   * round (previousRoundId = the renewed one) and each hospital's re-reported volume an agreement at the accepted
   * price, linked to its old agreement: with its own incumbent if it accepted, else with the lowest-priced one.
   */
  async complete(ctx: RequestContext, renewalId: string): Promise<Renewal> {
    return this.db.transaction(async (em) => {
      const { round: old, renewal } = await this.lockOpenRenewal(em, ctx, renewalId, '该续约已完成');
      const now = this.clock.now();
      if (now.getTime() < renewal.responseDeadline.getTime()) throw new AppError('DEADLINE_NOT_REACHED', `续约答复截止（${renewal.responseDeadline.toISOString()}）后方可完成`, { field: 'id' });
      if (now.getTime() >= renewal.cycleStart.getTime()) throw new AppError('INVALID_STATE', '续约周期已开始，不能再完成续约', { field: 'id' });
      await em.update(RenewalOffer, { renewalId, state: 'PENDING' }, { state: 'LAPSED' });
      const offers = await em.find(RenewalOffer, { where: { renewalId }, order: { lotId: 'ASC' } });
      const demand = await em.find(RenewalDemand, { where: { renewalId }, order: { hospitalId: 'ASC' } });
      const rules = renewal.rules as unknown as RenewalRules;
      const cycleEnd = addYearsShanghai(renewal.cycleStart, rules.cycleYears);
      const round = await em.save(
        em.create(Round, {
          ...old,
          id: undefined,
          name: renewal.name,
          state: 'CONFIRMED' as RoundState,
          demandDeadline: renewal.startedAt,
          bidDeadline: renewal.responseDeadline,
          cycleStart: renewal.cycleStart,
          cycleEnd,
          publicityEndsAt: null,
          policyVersion: CURRENT_TENDERING_POLICY.version,
          previousRoundId: old.id,
          cancelReason: null,
          publishedAt: renewal.startedAt,
          openedAt: null,
          confirmedAt: now,
          openingThreshold: null,
          sealingPublicKey: null,
          sealingKeyCreatedAt: null,
          createdAt: undefined,
          updatedAt: undefined,
        }),
      );
      const oldLots = await em.find(Lot, { where: { roundId: old.id }, order: { seq: 'ASC' } });
      const lines: AgreementLine[] = [];
      const summary: Record<string, unknown>[] = [];
      for (const lot of oldLots) {
        const accepted = offers
          .filter((o) => o.lotId === lot.id && o.state === 'ACCEPTED')
          .sort((a, b) => new Dec(a.offeredUnitPrice!).comparedTo(b.offeredUnitPrice!) || a.bidId.localeCompare(b.bidId));
        summary.push({ lotId: lot.id, accepted: accepted.map((o) => o.bidId), declined: offers.filter((o) => o.lotId === lot.id && o.state !== 'ACCEPTED').map((o) => ({ bidId: o.bidId, state: o.state })) });
        if (!accepted.length) continue; // every incumbent dropped out: the lot goes to a new tender
        const copy = await em.save(em.create(Lot, { roundId: round.id, seq: lot.seq, varietyId: lot.varietyId, name: lot.name, referenceUnit: lot.referenceUnit }));
        const specs = await em.find(LotSpec, { where: { lotId: lot.id } });
        await em.insert(LotSpec, specs.map((s) => ({ lotId: copy.id, varietySpecId: s.varietySpecId, spec: s.spec, comparableFactor: s.comparableFactor, ceilingUnitPrice: s.ceilingUnitPrice })));
        for (const d of demand.filter((x) => x.lotId === lot.id && x.quantity > 0)) {
          const target = accepted.find((o) => o.bidId === d.previousBidId) ?? accepted[0];
          const backup = accepted.find((o) => o.bidId !== target.bidId) ?? null;
          const annualQuantity = specUnits(d.quantity, target.comparableFactor);
          if (annualQuantity <= 0) continue;
          lines.push({
            lotId: copy.id,
            varietyId: lot.varietyId,
            hospitalId: d.hospitalId,
            regionCode: d.regionCode,
            manufacturerId: target.manufacturerId,
            productId: target.productId,
            bidId: target.bidId,
            annualQuantity,
            awardedUnitPrice: target.offeredUnitPrice!,
            cycleEnd,
            cycleYears: rules.cycleYears,
            renewsAgreementId: d.previousAgreementId,
            backup: backup
              ? {
                  bidId: backup.bidId,
                  manufacturerId: backup.manufacturerId,
                  productId: backup.productId,
                  unitPrice: backup.offeredUnitPrice!,
                  quantityFactor: new Dec(target.comparableFactor).div(backup.comparableFactor).toDecimalPlaces(10, Dec.ROUND_HALF_UP).toFixed(),
                }
              : null,
          });
        }
      }
      const policy = tenderingPolicy(round.policyVersion);
      const made = await this.agreements.createForRound(em, ctx, round, lines, { share: policy.prepaymentShare, policyVersion: policy.version });
      Object.assign(renewal, { state: 'COMPLETED', renewedRoundId: round.id, completedAt: now });
      await em.save(renewal);
      await this.audit.record(em, ctx, { action: 'round.renewed-with-incumbents', entityType: 'round', entityId: round.id, data: { previousRoundId: old.id, renewalId, agreements: made.agreements, lots: summary } });
      return renewal;
    });
  }

  // ---- reads --------------------------------------------------------------------------------------------

  async list(ctx: RequestContext, roundId: string): Promise<Renewal[]> {
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    return this.db.manager.find(Renewal, { where: { roundId }, order: { startedAt: 'ASC' } });
  }

  /** Regulators of the round: every offer; a manufacturer: its own; others: none. */
  async offers(ctx: RequestContext, renewal: Renewal): Promise<RenewalOffer[]> {
    const user = requireUser(ctx);
    const round = await this.reads.round(ctx, renewal.roundId);
    if (!round) throw notFound('Round', 'roundId');
    if (canManage(ctx, round) || user.role === 'REGULATOR' || user.role === 'SETTLEMENT_OFFICE') return this.reads.renewalOffersOf(ctx, renewal.id, null);
    if (user.role === 'MANUFACTURER') return this.reads.renewalOffersOf(ctx, renewal.id, user.organisationId);
    return [];
  }

  /** Regulators: every line; a hospital: its own; others: none. */
  async demand(ctx: RequestContext, renewal: Renewal): Promise<RenewalDemand[]> {
    const user = requireUser(ctx);
    if (user.role === 'PLATFORM_ADMIN' || user.role === 'REGULATOR' || user.role === 'SETTLEMENT_OFFICE') return this.reads.renewalDemandOf(ctx, renewal.id, null);
    if (user.role === 'HOSPITAL') return this.reads.renewalDemandOf(ctx, renewal.id, user.organisationId);
    return [];
  }

  rulesJson(renewal: Renewal): string {
    return JSON.stringify(renewal.rules);
  }
}
