import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import {
  checkFourSameLowest,
  checkNonEvaluatedGeneric,
  checkVbpWinnerPrice,
  creditCheckResult,
  DEFAULT_LISTING_POLICY,
  ListingCheckResult,
  ListingPolicy,
  listingOutcome,
  needsLinkageCut,
  DEFAULT_PRICE_CHANGE_POLICY,
  priceChangeRoute,
  PriceChangeRoute,
} from '@libs/price-rules';
import { compareUnitPrices, Dec, formatUnitPrice } from '@libs/money';
import { productSuspended } from '@libs/credit-policy';
import { shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { JobsService } from '../platform/jobs/jobs.service';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { idempotent } from '../platform/idempotency/idempotency';
import { CREDIT_CHECKS, CreditChecks, ListingPriceInForce, ListingPrices, ListingSuspensions, PAYMENT_STANDARDS, PaymentStandards, RatingChange } from '../platform/ports/context-ports';
import { Product, VarietySpec } from '../catalog/products/product.entity';
import { Region } from '../catalog/regions/region.entity';
import { Listing, LISTING_MACHINE, ListingApplication, ListingApplicationReview, ListingPricePeriod, ListingState, PriceChangeComparison, SuspensionReason } from './listing.entity';
import { LinkageNotice } from './reference-price.entity';
import { ListingErrors } from './listing.errors';
import { VBP_WINNER_PRICES, VbpWinnerPrices } from './vbp-winner-prices';
import { ApplyForListingInput, ReviewListingInput } from './dto/listing.inputs';
import { runPart, SqlPart } from '../platform/database/sql-part';

export const CERTIFICATE_EXPIRY_JOB = 'listing.certificate-expiry';

export interface ListingChange {
  state: ListingState;
  unitPrice?: string;
  suspensionReason?: SuspensionReason | null;
  reason: string;
  /** The application whose approval makes this change. */
  applicationId?: string | null;
}

@Injectable()
export class ListingService implements ListingPrices, ListingSuspensions, OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(CREDIT_CHECKS) private readonly creditChecks: CreditChecks,
    @Inject(VBP_WINNER_PRICES) private readonly winners: VbpWinnerPrices,
    private readonly jobs: JobsService,
    @Optional() @Inject(PAYMENT_STANDARDS) private readonly paymentStandards: PaymentStandards | null,
  ) {}

  onModuleInit() {
    this.creditChecks.onRatingChanged((em, ctx, change) => this.applyCreditSanctions(em, ctx, change));
    this.jobs.register(CERTIFICATE_EXPIRY_JOB, async () => {
      await this.suspendExpiredCertificates(systemContext('certificate-expiry'));
    }, { cron: '10 0 * * *' });
  }

  // ---- the LISTING_PRICES port ----------------------------------------------------------------------------

  pricesInForce(em: EntityManager, productIds: string[], regionCode: string, at: Date): Promise<Map<string, ListingPriceInForce>> {
    return runPart(em, 'listing.prices-in-force', (b) => this.pricesInForcePart({ productIds: b.bind(productIds, 'uuid[]'), regionCode: b.bind(regionCode, 'text'), at: b.bind(at, 'timestamptz') }));
  }

  pricesInForcePart(input: { productIds: string; regionCode: string; at: string }): SqlPart<Map<string, ListingPriceInForce>> {
    const { productIds, regionCode, at } = input;
    return {
      // listings are province-wide: the region's province code
      sql: `SELECT DISTINCT ON (h.product_id) h.product_id, h.listing_id, h.unit_price::text AS unit_price, h.manufacturer_id
         FROM listing_price_history h JOIN listing l ON l.id = h.listing_id
        WHERE h.product_id = ANY(${productIds}) AND l.region_code = left(${regionCode}, 2) || '0000'
          AND h.state = 'LISTED' AND h.valid_from <= ${at} AND (h.valid_to IS NULL OR h.valid_to > ${at})
        ORDER BY h.product_id, h.valid_from DESC`,
      read: (rows) =>
        new Map(rows.map((r) => [String(r.product_id), { listingId: String(r.listing_id), unitPrice: formatUnitPrice(String(r.unit_price)), manufacturerId: String(r.manufacturer_id) }])),
    };
  }

  async priceInForce(em: EntityManager, productId: string, regionCode: string, at: Date): Promise<ListingPriceInForce | null> {
    return (await this.pricesInForce(em, [productId], regionCode, at)).get(productId) ?? null;
  }

  // ---- applications ---------------------------------------------------------------------------------------

  /** The province the platform serves: the platform organisation's province. */
  async homeProvince(em: EntityManager): Promise<string> {
    const [row] = await em.query<{ region_code: string }[]>(`SELECT region_code FROM organisation WHERE kind = 'PLATFORM' ORDER BY created_at LIMIT 1`);
    return `${String(row?.region_code ?? '410000').slice(0, 2)}0000`;
  }

  async apply(ctx: RequestContext, input: ApplyForListingInput): Promise<ListingApplication> {
    const user = requireUser(ctx);
    const { idempotencyKey, ...request } = input;
    if (!idempotencyKey) return this.db.transaction((em) => this.applyIn(em, ctx, request));
    return this.db.transaction(async (em) => {
      const { id } = await idempotent(em, { organisationId: user.organisationId, operation: 'listing.apply', key: idempotencyKey, request }, async () => ({ id: (await this.applyIn(em, ctx, request)).id }));
      return em.findOneOrFail(ListingApplication, { where: { id } });
    });
  }

  private async applyIn(em: EntityManager, ctx: RequestContext, input: ApplyForListingInput): Promise<ListingApplication> {
    const user = requireUser(ctx);
    const product = await em.findOne(Product, { where: { id: input.productId } });
    if (!product) throw ListingErrors.invalid('input.productId', 'Unknown product');
    if (product.manufacturerId !== user.organisationId) throw new AppError('FORBIDDEN', 'A manufacturer lists only its own products');
    await this.lockProduct(em, product.id);
    const region = await this.homeProvince(em);
    const listing = await em.createQueryBuilder(Listing, 'l').setLock('pessimistic_write')
      .where(`l.product_id = :p AND l.region_code = :r AND l.state <> 'WITHDRAWN'`, { p: product.id, r: region }).getOne();
    if (listing && (await em.findOne(ListingApplication, { where: { listingId: listing.id, state: 'PENDING_REVIEW' } }))) throw ListingErrors.exists();
    if (listing?.state === 'LISTED' && compareUnitPrices(listing.unitPrice, input.unitPrice) === 0) {
      throw ListingErrors.invalid('input.unitPrice', 'The product is listed at this price already');
    }
    await this.creditChecks.assertMayList(em, product.manufacturerId, product.id);
    const policy = DEFAULT_LISTING_POLICY;
    const checks = await this.runChecks(em, product, input.unitPrice, region, policy);
    const now = this.clock.now();
    // A change of a listed price follows the price-change policy: any increase waits for regulators.
    const isChange = !!listing && listing.state !== 'PENDING_REVIEW';
    const reason = input.reason?.trim() || null;
    const evidence = (input.evidence ?? []).map((e) => ({ kind: e.kind, documentRef: e.documentRef.trim(), description: e.description?.trim() || null }));
    const changePolicy = DEFAULT_PRICE_CHANGE_POLICY;
    let route: PriceChangeRoute | null = null;
    let comparison: PriceChangeComparison | null = null;
    if (isChange) {
      if (!reason) throw ListingErrors.invalid('input.reason', '调整挂网价格须说明理由');
      // 守信激励: the credit context says whether the applicant's decreases get simplified review
      const decrease = compareUnitPrices(input.unitPrice, listing.unitPrice) < 0;
      const rewards = decrease && this.creditChecks.rewardsFor ? await this.creditChecks.rewardsFor(em, product.manufacturerId) : null;
      route = priceChangeRoute(changePolicy, listing.unitPrice, input.unitPrice, checks, {
        simplifiedDecreaseReview: rewards?.simplifiedPriceDecreaseReview ?? false,
        grade: rewards?.grade,
      });
      if (route.direction === 'INCREASE' && evidence.length < changePolicy.minIncreaseEvidence) {
        throw ListingErrors.evidenceRequired('input.evidence', '涨价申请须附成本资料、原材料涨价通知等证明材料');
      }
      comparison = await this.comparison(em, product, listing, input.unitPrice, route, region);
    }
    const outcome = route ? (route.reviewsRequired === 0 ? 'LISTED' : 'PENDING_REVIEW') : listingOutcome(checks);
    let target = listing;
    if (!target) {
      target = em.create(Listing, { productId: product.id, manufacturerId: product.manufacturerId, regionCode: region, state: 'PENDING_REVIEW', suspensionReason: null, unitPrice: input.unitPrice, policyVersion: policy.version });
      await em.save(target);
    }
    const application = em.create(ListingApplication, {
      listingId: target.id,
      productId: product.id,
      manufacturerId: product.manufacturerId,
      kind: listing && listing.state !== 'PENDING_REVIEW' ? 'PRICE_CHANGE' : 'NEW',
      unitPrice: input.unitPrice,
      state: outcome === 'LISTED' ? 'AUTO_APPROVED' : 'PENDING_REVIEW',
      checks,
      policyVersion: policy.version,
      submittedBy: user.id,
      submittedAt: now,
      decidedBy: null,
      decidedAt: outcome === 'LISTED' ? now : null,
      decisionNote: outcome === 'LISTED' ? (route ? `All checks passed; ${route.detail}` : 'All checks passed') : null,
      reason,
      evidence,
      previousUnitPrice: isChange ? listing.unitPrice : null,
      reviewsRequired: route ? route.reviewsRequired : outcome === 'LISTED' ? 0 : 1,
      priceChangePolicyVersion: route ? changePolicy.version : null,
      comparison,
      effectiveAt: outcome === 'LISTED' ? now : null,
    });
    await em.save(application);
    if (outcome === 'LISTED') {
      await this.putInForce(em, ctx, target, input.unitPrice, `application ${application.id}: all checks passed${reason ? `; reason: ${reason}` : ''}`, application.id);
    } else if (target.state === 'PENDING_REVIEW') {
      await this.changeListing(em, ctx, target, { state: 'PENDING_REVIEW', unitPrice: input.unitPrice, reason: `application ${application.id} held for review` });
    }
    await this.audit.record(em, ctx, {
      action: 'listing.applied',
      entityType: 'listing_application',
      entityId: application.id,
      data: {
        listingId: target.id,
        productId: product.id,
        kind: application.kind,
        unitPrice: input.unitPrice,
        previousUnitPrice: application.previousUnitPrice,
        reason,
        evidence: evidence.map((e) => e.documentRef),
        outcome: application.state,
        reviewsRequired: application.reviewsRequired,
        policyVersion: policy.version,
        priceChangePolicyVersion: application.priceChangePolicyVersion,
        failed: checks.filter((c) => !c.passed).map((c) => c.code),
      },
    });
    return application;
  }

  async review(ctx: RequestContext, input: ReviewListingInput): Promise<ListingApplication> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const found = await em.findOne(ListingApplication, { where: { id: input.applicationId } });
      if (!found) throw notFound('Listing application', 'applicationId');
      if (user.organisationId === found.manufacturerId) throw ListingErrors.selfReview();
      if (user.role !== 'REGULATOR' && user.role !== 'PLATFORM_ADMIN') throw new AppError('FORBIDDEN', 'Only a regulator reviews listing applications');
      await this.lockProduct(em, found.productId);
      const listing = await em.createQueryBuilder(Listing, 'l').setLock('pessimistic_write').where('l.id = :id', { id: found.listingId }).getOneOrFail();
      const scope = scopeOf(ctx);
      if (scope.kind === 'region') {
        const region = await em.findOne(Region, { where: { code: listing.regionCode } });
        if (!region || !pathWithin(region.path, scope.pathPrefix)) throw new AppError('FORBIDDEN', 'The listing is outside your region');
      }
      const application = await em.findOneOrFail(ListingApplication, { where: { id: found.id } });
      if (application.state !== 'PENDING_REVIEW') throw ListingErrors.invalidState(`The application is ${application.state} already`);
      const now = this.clock.now();
      // maker-checker: each regulator decides once; a second approval must come from another regulator
      const earlier = await em.find(ListingApplicationReview, { where: { applicationId: application.id }, order: { decidedAt: 'ASC' } });
      if (earlier.some((r) => r.reviewerId === user.id)) throw ListingErrors.sameReviewer();
      await em.insert(ListingApplicationReview, { applicationId: application.id, reviewerId: user.id, decision: input.decision, note: input.note, decidedAt: now });
      const approvals = earlier.filter((r) => r.decision === 'APPROVE').length + (input.decision === 'APPROVE' ? 1 : 0);
      if (input.decision === 'APPROVE' && approvals < Math.max(1, application.reviewsRequired)) {
        await this.audit.record(em, ctx, {
          action: 'listing.review-recorded',
          entityType: 'listing_application',
          entityId: application.id,
          data: { decision: input.decision, note: input.note, listingId: listing.id, unitPrice: application.unitPrice, approvals, reviewsRequired: application.reviewsRequired },
        });
        return application;
      }
      if (input.decision === 'APPROVE') {
        // a sanction may have arrived since the application
        await this.creditChecks.assertMayList(em, listing.manufacturerId, listing.productId);
        application.state = 'APPROVED';
        application.effectiveAt = now;
        const approvers = [...earlier.filter((r) => r.decision === 'APPROVE').map((r) => r.reviewerId), user.id];
        await this.putInForce(
          em,
          ctx,
          listing,
          application.unitPrice,
          `application ${application.id} approved by ${approvers.join(', ')}: ${input.note}${application.reason ? `; reason: ${application.reason}` : ''}`,
          application.id,
        );
      } else if (input.decision === 'REFUSE') {
        application.state = 'REFUSED';
        if (listing.state === 'PENDING_REVIEW') await this.changeListing(em, ctx, listing, { state: 'WITHDRAWN', reason: `application ${application.id} refused: ${input.note}` });
      } else {
        application.state = 'RETURNED_FOR_PRICE_CUT';
      }
      application.decidedBy = user.id;
      application.decidedAt = now;
      application.decisionNote = input.note;
      await em.save(application);
      await this.audit.record(em, ctx, { action: 'listing.reviewed', entityType: 'listing_application', entityId: application.id, data: { decision: input.decision, note: input.note, listingId: listing.id, unitPrice: application.unitPrice } });
      return application;
    });
  }

  async withdraw(ctx: RequestContext, listingId: string, reason: string): Promise<Listing> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const found = await em.findOne(Listing, { where: { id: listingId } });
      if (!found || (user.role === 'MANUFACTURER' && found.manufacturerId !== user.organisationId)) throw notFound('Listing', 'listingId');
      await this.lockProduct(em, found.productId);
      const listing = await em.createQueryBuilder(Listing, 'l').setLock('pessimistic_write').where('l.id = :id', { id: listingId }).getOneOrFail();
      await em.update(ListingApplication, { listingId, state: 'PENDING_REVIEW' }, { state: 'REFUSED', decisionNote: 'listing withdrawn', decidedAt: this.clock.now(), decidedBy: user.id });
      await em.update(LinkageNotice, { listingId, state: 'OPEN' }, { state: 'CLOSED', resolvedAt: this.clock.now() });
      await this.changeListing(em, ctx, listing, { state: 'WITHDRAWN', reason: `withdrawn: ${reason}` });
      return listing;
    });
  }

  /** Runs checks (a)–(c) and records the passed credit check (a failing one has refused already). */
  async runChecks(em: EntityManager, product: Product, unitPrice: string, region: string, policy: ListingPolicy): Promise<ListingCheckResult[]> {
    const today = shanghaiDateOf(this.clock.now());
    const references: { unit_price: string; province_code: string; source: string }[] = await em.query(
      `SELECT DISTINCT ON (province_code) unit_price::text, province_code, source
         FROM reference_price
        WHERE generic_name = $1 AND manufacturer_id = $2 AND coalesce(dosage_form, '') = coalesce($3, '') AND spec = $4
          AND province_code <> $5 AND effective_on <= $6
        ORDER BY province_code, effective_on DESC, recorded_at DESC`,
      [product.name, product.manufacturerId, product.dosageForm, product.spec, region, today],
    );
    const spec = product.varietySpecId ? await em.findOne(VarietySpec, { where: { id: product.varietySpecId } }) : null;
    const winners = product.varietyId ? await this.winners.winnersFor(em, product.varietyId, this.clock.now()) : [];
    const [{ n }] = await em.query<{ n: number }[]>(
      `SELECT count(DISTINCT p.manufacturer_id)::int AS n FROM listing l JOIN product p ON p.id = l.product_id
        WHERE l.state = 'LISTED' AND l.region_code = $1 AND p.name = $2 AND coalesce(p.dosage_form, '') = coalesce($3, '') AND p.consistency_status = ANY($4)`,
      [region, product.name, product.dosageForm, policy.evaluatedStatuses],
    );
    return [
      checkFourSameLowest(unitPrice, references.map((r) => ({ unitPrice: r.unit_price, provinceCode: r.province_code, source: r.source }))),
      checkVbpWinnerPrice(policy, unitPrice, { productId: product.id, specFactor: spec?.comparableFactor ?? null, regionCode: region }, winners),
      checkNonEvaluatedGeneric(policy, { kind: product.kind, consistencyStatus: product.consistencyStatus }, n),
      creditCheckResult(true, 'Commitment letter on file; no credit sanction bars listing'),
    ];
  }

  /**
   * What a reviewer compares a price change with, fixed at application: the product's price history here, the
   * lowest current four-same price of other provinces, the VBP awards of the variety (converted to this spec
   * where both comparable factors are known) and the payment standard when one is published.
   */
  private async comparison(em: EntityManager, product: Product, listing: Listing, proposed: string, route: PriceChangeRoute, region: string): Promise<PriceChangeComparison> {
    const now = this.clock.now();
    const history: { unit_price: string; state: string; valid_from: Date; valid_to: Date | null; reason: string }[] = await em.query(
      `SELECT h.unit_price::text AS unit_price, h.state, h.valid_from, h.valid_to, h.reason
         FROM listing_price_history h JOIN listing l ON l.id = h.listing_id
        WHERE h.product_id = $1 AND l.region_code = $2 ORDER BY h.valid_from, h.id`,
      [product.id, region],
    );
    const [lowest]: { unit_price: string; province_code: string; source: string; effective_on: string }[] = await em.query(
      `SELECT unit_price::text AS unit_price, province_code, source, effective_on::text AS effective_on FROM (
         SELECT DISTINCT ON (province_code) unit_price, province_code, source, effective_on
           FROM reference_price
          WHERE generic_name = $1 AND manufacturer_id = $2 AND coalesce(dosage_form, '') = coalesce($3, '') AND spec = $4
            AND province_code <> $5 AND effective_on <= $6
          ORDER BY province_code, effective_on DESC, recorded_at DESC) latest
        ORDER BY unit_price, province_code LIMIT 1`,
      [product.name, product.manufacturerId, product.dosageForm, product.spec, region, shanghaiDateOf(now)],
    );
    const spec = product.varietySpecId ? await em.findOne(VarietySpec, { where: { id: product.varietySpecId } }) : null;
    const winners = product.varietyId ? await this.winners.winnersFor(em, product.varietyId, now) : [];
    const standard = this.paymentStandards ? await this.paymentStandards.standardFor(em, product.id, now) : null;
    return {
      currentUnitPrice: formatUnitPrice(listing.unitPrice),
      proposedUnitPrice: formatUnitPrice(proposed),
      direction: route.direction,
      changeShare: route.changeShare,
      route: route.detail,
      history: history.map((h) => ({ unitPrice: formatUnitPrice(h.unit_price), state: h.state as ListingState, validFrom: h.valid_from, validTo: h.valid_to, reason: h.reason })),
      lowestOtherProvince: lowest ? { unitPrice: formatUnitPrice(lowest.unit_price), provinceCode: lowest.province_code, source: lowest.source, effectiveOn: lowest.effective_on } : null,
      vbpAwards: winners.map((w) => ({
        productId: w.productId,
        awardedUnitPrice: formatUnitPrice(w.awardedUnitPrice),
        convertedUnitPrice: spec?.comparableFactor && new Dec(w.specFactor).gt(0) ? formatUnitPrice(new Dec(w.awardedUnitPrice).div(w.specFactor).times(spec.comparableFactor)) : null,
        source: w.source,
      })),
      paymentStandard: standard ? { unitPrice: formatUnitPrice(standard.unitPrice), source: standard.source } : null,
    };
  }

  /** Puts a price in force: LISTED, or still SUSPENDED when suspended for a reason a price does not cure. */
  private async putInForce(em: EntityManager, ctx: RequestContext, listing: Listing, unitPrice: string, reason: string, applicationId: string | null = null) {
    const stillSuspended = listing.state === 'SUSPENDED' && listing.suspensionReason !== 'LINKAGE';
    await this.changeListing(
      em,
      ctx,
      listing,
      stillSuspended ? { state: 'SUSPENDED', suspensionReason: listing.suspensionReason, unitPrice, reason, applicationId } : { state: 'LISTED', unitPrice, reason, applicationId },
    );
    // a price at or below a notice's reference answers it
    const open = await em.find(LinkageNotice, { where: { listingId: listing.id, state: 'OPEN' } });
    for (const notice of open) {
      if (compareUnitPrices(unitPrice, notice.referenceUnitPrice) <= 0) {
        await em.update(LinkageNotice, { id: notice.id }, { state: 'CUT', resolvedAt: this.clock.now() });
        await this.audit.record(em, ctx, { action: 'listing.linkage-cut', entityType: 'linkage_notice', entityId: notice.id, data: { listingId: listing.id, unitPrice } });
      }
    }
  }

  /**
   * The one way a listing's state or price changes: checks the transition table, closes the open history
   * period and opens the next, and audits. The caller holds the listing's lock.
   */
  async changeListing(em: EntityManager, ctx: RequestContext, listing: Listing, change: ListingChange): Promise<void> {
    if (!LISTING_MACHINE.allows(change.state, listing.state, change.state)) throw ListingErrors.invalidState(`A ${listing.state} listing cannot become ${change.state}`);
    const now = this.clock.now();
    const from = { state: listing.state, unitPrice: listing.unitPrice, suspensionReason: listing.suspensionReason };
    listing.state = change.state;
    listing.unitPrice = change.unitPrice ?? listing.unitPrice;
    listing.suspensionReason = change.state === 'SUSPENDED' ? (change.suspensionReason ?? listing.suspensionReason) : null;
    await em.save(listing);
    await em.update(ListingPricePeriod, { listingId: listing.id, validTo: IsNull() }, { validTo: now });
    // WITHDRAWN gets a period too, so the history says who withdrew it and why
    await em.insert(ListingPricePeriod, {
      listingId: listing.id,
      productId: listing.productId,
      manufacturerId: listing.manufacturerId,
      unitPrice: listing.unitPrice,
      state: listing.state,
      suspensionReason: listing.suspensionReason,
      validFrom: now,
      validTo: null,
      changedBy: ctx.user?.id ?? null,
      reason: change.reason,
      applicationId: change.applicationId ?? null,
    });
    await this.audit.record(em, ctx, {
      action: 'listing.changed',
      entityType: 'listing',
      entityId: listing.id,
      data: { from, to: { state: listing.state, unitPrice: listing.unitPrice, suspensionReason: listing.suspensionReason }, reason: change.reason },
    });
  }

  /** Credit sanctions bite at once on listings: suspended with reason CREDIT, and relisted when lifted. */
  private async applyCreditSanctions(em: EntityManager, ctx: RequestContext, change: RatingChange): Promise<void> {
    const listings = await em.createQueryBuilder(Listing, 'l').setLock('pessimistic_write')
      .where(`l.manufacturer_id = :m AND l.state IN ('LISTED','SUSPENDED')`, { m: change.organisationId }).orderBy('l.id').getMany();
    for (const listing of listings) {
      const barred = productSuspended(change.after, listing.productId);
      if (barred && listing.state === 'LISTED') {
        await this.changeListing(em, ctx, listing, { state: 'SUSPENDED', suspensionReason: 'CREDIT', reason: `credit rating ${change.after.level} (${change.after.policyVersion})` });
      } else if (!barred && listing.state === 'SUSPENDED' && listing.suspensionReason === 'CREDIT') {
        // a linkage deadline that passed during the credit suspension still holds until the price is cut
        const missed = await em.findOne(LinkageNotice, { where: { listingId: listing.id, state: 'SUSPENDED' }, order: { resolvedAt: 'DESC' } });
        if (missed && needsLinkageCut(listing.unitPrice, missed.referenceUnitPrice)) {
          await this.changeListing(em, ctx, listing, { state: 'SUSPENDED', suspensionReason: 'LINKAGE', reason: `credit sanction lifted; linkage notice ${missed.id} still unanswered` });
        } else {
          await this.changeListing(em, ctx, listing, { state: 'LISTED', reason: `credit sanction lifted: rating ${change.after.level}` });
        }
      }
    }
  }

  /**
   * Suspends a listing for delivery failure or an expired certificate (regulators; supervision's shortage
   * signal and the certificate job call it too), or reinstates one so suspended. Credit and linkage
   * suspensions lift only through repair and a price cut.
   */
  async suspendOrReinstate(ctx: RequestContext, listingId: string, action: { suspend: 'DELIVERY' | 'CERTIFICATE' } | { reinstate: true }, note: string): Promise<Listing> {
    return this.db.transaction(async (em) => {
      const found = await em.findOne(Listing, { where: { id: listingId } });
      if (!found) throw notFound('Listing', 'listingId');
      await this.lockProduct(em, found.productId);
      const listing = await em.createQueryBuilder(Listing, 'l').setLock('pessimistic_write').where('l.id = :id', { id: listingId }).getOneOrFail();
      if ('suspend' in action) {
        if (listing.state !== 'LISTED') throw ListingErrors.invalidState(`Only a LISTED listing can be suspended; this one is ${listing.state}`);
        await this.changeListing(em, ctx, listing, { state: 'SUSPENDED', suspensionReason: action.suspend, reason: note });
      } else {
        if (listing.state !== 'SUSPENDED' || (listing.suspensionReason !== 'DELIVERY' && listing.suspensionReason !== 'CERTIFICATE')) {
          throw ListingErrors.invalidState('Only a delivery or certificate suspension is lifted this way');
        }
        await this.changeListing(em, ctx, listing, { state: 'LISTED', reason: note });
      }
      return listing;
    });
  }

  /** LISTED listings whose product's certificate expired before today (Asia/Shanghai) are suspended. */
  async suspendExpiredCertificates(ctx: RequestContext): Promise<number> {
    const rows: { id: string }[] = await this.db.manager.query(
      `SELECT l.id FROM listing l JOIN product p ON p.id = l.product_id
        WHERE l.state = 'LISTED' AND p.certificate_expires_on IS NOT NULL AND p.certificate_expires_on < $1 ORDER BY l.id`,
      [shanghaiDateOf(this.clock.now())],
    );
    for (const row of rows) await this.suspendOrReinstate(ctx, row.id, { suspend: 'CERTIFICATE' }, 'certificate expired');
    return rows.length;
  }

  private async lockProduct(em: EntityManager, productId: string) {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`listing:${productId}`]);
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  listings(ctx: RequestContext, filter: { state?: string | null; productId?: string | null }, page: PageArgs = {}): Promise<Page<Listing>> {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(Listing, 'l');
    if (user.role === 'MANUFACTURER') qb.andWhere('l.manufacturer_id = :own', { own: user.organisationId });
    // buyers see what they may order from, not applications under review or withdrawn listings
    if (user.role === 'HOSPITAL' || user.role === 'DISTRIBUTOR') qb.andWhere(`l.state IN ('LISTED','SUSPENDED')`);
    if (filter.state) qb.andWhere('l.state = :state', { state: filter.state });
    if (filter.productId) qb.andWhere('l.product_id = :productId', { productId: filter.productId });
    return paginate(qb, page, 'created_at');
  }

  async listing(ctx: RequestContext, id: string): Promise<Listing> {
    const user = requireUser(ctx);
    const listing = await this.db.manager.findOne(Listing, { where: { id } });
    if (!listing || (user.role === 'MANUFACTURER' && listing.manufacturerId !== user.organisationId)) throw notFound('Listing', 'id');
    return listing;
  }

  history(listingId: string): Promise<ListingPricePeriod[]> {
    return this.db.manager.find(ListingPricePeriod, { where: { listingId }, order: { validFrom: 'ASC' } });
  }

  reviewsOf(applicationId: string): Promise<ListingApplicationReview[]> {
    return this.db.manager.find(ListingApplicationReview, { where: { applicationId }, order: { decidedAt: 'ASC', id: 'ASC' } });
  }

  applicationsOf(listingId: string): Promise<ListingApplication[]> {
    return this.db.manager.find(ListingApplication, { where: { listingId }, order: { submittedAt: 'ASC' } });
  }

  applications(ctx: RequestContext, state: string | null | undefined, page: PageArgs = {}): Promise<Page<ListingApplication>> {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(ListingApplication, 'a');
    if (user.role === 'MANUFACTURER') qb.andWhere('a.manufacturer_id = :own', { own: user.organisationId });
    if (state) qb.andWhere('a.state = :state', { state });
    return paginate(qb, page, 'submitted_at');
  }

  /** The manufacturer's credit risk notice hospitals see on its listings (through the CREDIT_CHECKS port). */
  creditRiskNotice(manufacturerId: string): Promise<string | null> {
    return this.creditChecks.riskNoticeFor(this.db.manager, manufacturerId);
  }

  noticesOf(listingId: string): Promise<LinkageNotice[]> {
    return this.db.manager.find(LinkageNotice, { where: { listingId }, order: { issuedAt: 'ASC' } });
  }

  /** Public read of a price in force (for hospitals and the public price list). */
  priceAt(productId: string, regionCode: string, at: Date) {
    return this.priceInForce(this.db.manager, productId, regionCode, at);
  }
}
