import { randomUUID } from 'crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { parseUnitPrice } from '@libs/money';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Db, isUniqueViolation } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { canonicalJson } from '../platform/audit/canonical-json';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { requireUser } from '../platform/auth/scope';
import { CREDIT_CHECKS, CreditChecks } from '../platform/ports/context-ports';
import { ProductsService } from '../catalog/products/products.service';
import { Lot, LotSpec, Round } from './round.entity';
import { Bid, BID_MACHINE } from './bid.entity';
import { BidResult } from './result.entity';
import { BidTermsInput, SubmitBidInput } from './dto/round.inputs';
import { BidReceipt } from './dto/result.types';
import { canManage, canSee, lockRound } from './round-access';
import { BidDocument, commitmentOf, newSalt, sealPrice, sealPriceToRound, StoredSeal, unsealStored } from './bid-sealing';
import { TenderingErrors } from './tendering.errors';

const EVALUATED = ['PASSED', 'REFERENCE', 'ORIGINATOR'];

/**
 * Sealed bids. The price is validated, sealed and committed to before anything is written; audit entries
 * carry the commitment, never the price. Each write locks the round row FOR SHARE, so the deadline check
 * and the write are atomic with respect to opening (which locks it FOR UPDATE).
 */
@Injectable()
export class BidsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly products: ProductsService,
    @Optional() @Inject(CREDIT_CHECKS) private readonly credit?: CreditChecks,
  ) {}

  private parseTerms(terms: BidTermsInput) {
    let unitPrice: string;
    try {
      unitPrice = parseUnitPrice(terms.unitPrice);
    } catch (error) {
      // the message names the rule broken, never the value typed
      throw TenderingErrors.invalid('input.unitPrice', (error as Error).message.replace(/"[^"]*"/, 'the price'));
    }
    const regionPreferences = terms.regionPreferences ?? [];
    if (new Set(regionPreferences).size !== regionPreferences.length) throw TenderingErrors.invalid('input.regionPreferences', 'A region is listed twice');
    return { unitPrice, regionPreferences, acceptsRevival: terms.acceptsRevival ?? false, supplyCapacity: terms.supplyCapacity };
  }

  /** The round must take bids at the server's receipt time, under the lock that opening waits for. */
  private assertBiddingOpen(round: Round, receivedAt: Date): void {
    if (round.state === 'DRAFT' || round.state === 'DEMAND_REPORTING') throw TenderingErrors.biddingNotOpen();
    if (round.state !== 'BIDDING' || receivedAt.getTime() >= round.bidDeadline.getTime()) throw TenderingErrors.bidDeadlinePassed();
  }

  private async eligibleSpec(em: EntityManager, manufacturerId: string, lot: Lot, productId: string): Promise<LotSpec> {
    const product = await this.products.findById(em, productId);
    if (!product) throw notFound('Product', 'input.productId');
    if (product.manufacturerId !== manufacturerId) throw TenderingErrors.productNotOwned();
    if (product.varietyId !== lot.varietyId || !product.varietySpecId) throw TenderingErrors.productNotEligible('The product is not of this lot’s variety');
    const spec = await em.findOne(LotSpec, { where: { lotId: lot.id, varietySpecId: product.varietySpecId } });
    if (!spec) throw TenderingErrors.productNotEligible('The product’s spec is not admitted to this lot');
    if (product.kind === 'DRUG' && !EVALUATED.includes(product.consistencyStatus ?? '')) {
      throw TenderingErrors.productNotEligible('A drug must have passed consistency evaluation (or be the reference or originator)');
    }
    if (this.credit) await this.credit.assertMayBid(em, manufacturerId, [productId]);
    return spec;
  }

  /** Seals to the round's public key (COMMITTEE) or with the demo key (DEMO_SINGLE_KEY). */
  private seal(round: Round, bidId: string, document: BidDocument): { salt: string; sealed: StoredSeal; commitment: string } {
    const salt = newSalt();
    let sealed: StoredSeal;
    if (round.sealingMode === 'COMMITTEE') {
      if (!round.sealingPublicKey) throw TenderingErrors.biddingNotOpen();
      sealed = sealPriceToRound(round.sealingPublicKey, bidId, document.unitPrice, salt);
    } else {
      if (!this.config.bidSealingKey) throw new AppError('INTERNAL', 'A demo-sealed round needs BID_SEALING_KEY');
      const demo = sealPrice(this.config.bidSealingKey, bidId, document.unitPrice, salt);
      sealed = { sealedPrice: demo.ciphertext, sealIv: demo.iv, sealTag: demo.tag, sealEphemeralKey: null };
    }
    return { salt, sealed, commitment: commitmentOf(document, salt) };
  }

  async submit(ctx: RequestContext, input: SubmitBidInput): Promise<BidReceipt> {
    const receivedAt = this.clock.now();
    const user = requireUser(ctx);
    const terms = this.parseTerms(input);
    return this.db.transaction(async (em) => {
      const lot = await em.findOne(Lot, { where: { id: input.lotId } });
      if (!lot) throw notFound('Lot', 'input.lotId');
      const round = await lockRound(em, lot.roundId, 'share');
      if (!canSee(ctx, round)) throw notFound('Lot', 'input.lotId');
      this.assertBiddingOpen(round, receivedAt);
      terms.regionPreferences.forEach((code, i) => {
        if (!round.coveredRegionCodes.includes(code)) throw TenderingErrors.invalid(`input.regionPreferences[${i}]`, 'Not a covered region of this round');
      });
      const spec = await this.eligibleSpec(em, user.organisationId, lot, input.productId);
      if (await em.findOne(Bid, { where: { lotId: lot.id, manufacturerId: user.organisationId, state: 'ACTIVE' } })) throw TenderingErrors.bidExists();
      const id = randomUUID();
      const document: BidDocument = { bidId: id, roundId: round.id, lotId: lot.id, manufacturerId: user.organisationId, productId: input.productId, ...terms };
      const { salt, sealed, commitment } = this.seal(round, id, document);
      try {
        await em.insert(Bid, {
          id,
          roundId: round.id,
          lotId: lot.id,
          manufacturerId: user.organisationId,
          productId: input.productId,
          lotSpecId: spec.id,
          supplyCapacity: terms.supplyCapacity,
          regionPreferences: terms.regionPreferences,
          acceptsRevival: terms.acceptsRevival,
          ...sealed,
          commitment,
          state: 'ACTIVE',
          submittedAt: receivedAt,
          withdrawnAt: null,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw TenderingErrors.bidExists();
        throw error;
      }
      await this.audit.record(em, ctx, { action: 'bid.submitted', entityType: 'bid', entityId: id, data: { roundId: round.id, lotId: lot.id, productId: input.productId, commitment } });
      return { bidId: id, commitment, salt, committedDocument: canonicalJson(document), receivedAt };
    });
  }

  private async lockOwnBid(em: EntityManager, ctx: RequestContext, bidId: string): Promise<{ bid: Bid; round: Round }> {
    const user = requireUser(ctx);
    const probe = await em.findOne(Bid, { where: { id: bidId } });
    if (!probe || probe.manufacturerId !== user.organisationId) throw notFound('Bid', 'bidId');
    const round = await lockRound(em, probe.roundId, 'share');
    const bid = await em.createQueryBuilder(Bid, 'b').setLock('pessimistic_write').where('b.id = :bidId', { bidId }).getOneOrFail();
    // replacing and withdrawing both start from ACTIVE
    if (!BID_MACHINE.guard('withdraw', bid.state).ok) throw new AppError('INVALID_STATE', 'The bid was withdrawn');
    return { bid, round };
  }

  /** Replaces the terms of an active bid until the deadline; a new salt and commitment, a new receipt. */
  async replace(ctx: RequestContext, bidId: string, input: BidTermsInput): Promise<BidReceipt> {
    const receivedAt = this.clock.now();
    const terms = this.parseTerms(input);
    return this.db.transaction(async (em) => {
      const { bid, round } = await this.lockOwnBid(em, ctx, bidId);
      this.assertBiddingOpen(round, receivedAt);
      terms.regionPreferences.forEach((code, i) => {
        if (!round.coveredRegionCodes.includes(code)) throw TenderingErrors.invalid(`input.regionPreferences[${i}]`, 'Not a covered region of this round');
      });
      const lot = await em.findOneOrFail(Lot, { where: { id: bid.lotId } });
      const spec = await this.eligibleSpec(em, bid.manufacturerId, lot, input.productId);
      const document: BidDocument = { bidId: bid.id, roundId: round.id, lotId: lot.id, manufacturerId: bid.manufacturerId, productId: input.productId, ...terms };
      const { salt, sealed, commitment } = this.seal(round, bid.id, document);
      await em.update(Bid, { id: bid.id }, {
        productId: input.productId,
        lotSpecId: spec.id,
        supplyCapacity: terms.supplyCapacity,
        regionPreferences: terms.regionPreferences,
        acceptsRevival: terms.acceptsRevival,
        ...sealed,
        commitment,
        submittedAt: receivedAt,
      });
      await this.audit.record(em, ctx, { action: 'bid.replaced', entityType: 'bid', entityId: bid.id, data: { roundId: round.id, lotId: lot.id, productId: input.productId, commitment, previousCommitment: bid.commitment } });
      return { bidId: bid.id, commitment, salt, committedDocument: canonicalJson(document), receivedAt };
    });
  }

  async withdraw(ctx: RequestContext, bidId: string): Promise<Bid> {
    const receivedAt = this.clock.now();
    return this.db.transaction(async (em) => {
      const { bid, round } = await this.lockOwnBid(em, ctx, bidId);
      this.assertBiddingOpen(round, receivedAt);
      bid.state = 'WITHDRAWN';
      bid.withdrawnAt = receivedAt;
      await em.save(bid);
      await this.audit.record(em, ctx, { action: 'bid.withdrawn', entityType: 'bid', entityId: bid.id, data: { roundId: round.id, lotId: bid.lotId, commitment: bid.commitment } });
      return bid;
    });
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** A manufacturer's own bids of a round (active and withdrawn). */
  async own(ctx: RequestContext, roundId: string): Promise<Bid[]> {
    const user = requireUser(ctx);
    return this.db.manager.find(Bid, { where: { roundId, manufacturerId: user.organisationId }, order: { submittedAt: 'ASC' } });
  }

  /** The round's bids for its regulators: who bid on what, with prices only after opening. */
  async ofRound(ctx: RequestContext, roundId: string): Promise<Bid[]> {
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (!canManage(ctx, round)) throw new AppError('FORBIDDEN', 'Only a regulator of the round’s region lists its bids');
    return this.db.manager.find(Bid, { where: { roundId, state: 'ACTIVE' }, order: { submittedAt: 'ASC' } });
  }

  /**
   * The price a caller may see: its own demo-sealed bid's (decrypted for the owner only), or anyone's once
   * the round is opened (from the stored result); otherwise null — regulators included. A bid sealed to an
   * opening committee cannot be read back by the server before opening, not even for its bidder: the
   * bidder's receipt (committedDocument) is their copy.
   */
  async visiblePrice(ctx: RequestContext, bid: Bid): Promise<string | null> {
    const user = requireUser(ctx);
    if (bid.manufacturerId === user.organisationId && !bid.sealEphemeralKey && this.config.bidSealingKey) {
      return unsealStored({ mode: 'DEMO_SINGLE_KEY', key: this.config.bidSealingKey }, bid.id, bid).unitPrice;
    }
    const result = await ctx.loaders
      .get<string, BidResult | null>('bidResult', async (ids) => {
        const rows = await this.db.manager.find(BidResult, { where: { bidId: In([...ids]) } });
        return ids.map((id) => rows.find((r) => r.bidId === id) ?? null);
      })
      .load(bid.id);
    return result?.unitPrice ?? null;
  }
}
