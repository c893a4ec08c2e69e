import { EntityManager } from 'typeorm';
import type { Sanctions } from '@libs/credit-policy';
import { RequestContext } from '../context/request-context';
import type { SqlPart } from '../database/sql-part';

/**
 * Ports between bounded contexts (see docs/context-contracts.md). A consumer injects the token; the owning
 * context's module provides it (`{ provide: TOKEN, useExisting: ItsService }`) and exports it. Keeping the
 * interfaces here lets each context be built and tested on its own and wired together by the module graph.
 */

export const CREDIT_CHECKS = Symbol('CREDIT_CHECKS');
export type CreditEventSource = 'REGULATOR' | 'SUPPLY_FAILURE' | 'SUPERVISION';

export interface CreditChecks {
  /** Commitment letter on file and no sanction barring bidding; else COMMITMENT_LETTER_MISSING / CREDIT_SANCTIONED. */
  assertMayBid(em: EntityManager, manufacturerId: string, productIds: string[]): Promise<void>;
  /** Same for applying to list a product. */
  assertMayList(em: EntityManager, manufacturerId: string, productId: string): Promise<void>;
  /**
   * CREDIT_SANCTIONED when a sanction suspends delivery of any of these products (one read per manufacturer);
   * the error's `productIds` lists the barred ones.
   */
  assertMayOrder(em: EntityManager, items: { manufacturerId: string; productId: string }[]): Promise<void>;
  /** The same check as a part of the caller's statement: reads the manufacturers' ratings, yields the check. */
  orderCheckPart(input: { manufacturerIds: string }): SqlPart<OrderCreditCheck>;
  /** The risk notice hospitals see on a manufacturer's products (medium level), or null. */
  riskNoticeFor(em: EntityManager, manufacturerId: string): Promise<string | null>;
  /** The same for many manufacturers in one read (a page of listings): a map holding only those with a notice. */
  riskNoticesFor(em: EntityManager, manufacturerIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Records a credit event and notifies the organisation (信用评价告知): the event is PENDING and counts in the
   * rating only once a regulator has decided its notice (after the reply period or the organisation's reply).
   */
  recordEvent(
    em: EntityManager,
    ctx: RequestContext,
    input: {
      organisationId: string;
      behaviour: string;
      amountFen: bigint | null;
      occurredOn: string;
      evidence: string;
      productIds: string[];
      source: CreditEventSource;
    },
  ): Promise<{ eventId: string }>;
  /** Listens to rating changes; the listener runs inside the transaction that changed the rating. */
  onRatingChanged(listener: RatingChangeListener): void;
  /** The organisation's credit grade and the rewards it earns (守信激励), e.g. simplified review of price decreases. */
  rewardsFor?(em: EntityManager, organisationId: string): Promise<{ grade: string; simplifiedPriceDecreaseReview: boolean }>;
}

/** Throws CREDIT_SANCTIONED (its `productIds` the barred ones) when a rating suspends delivery of an item. */
export type OrderCreditCheck = (items: { manufacturerId: string; productId: string }[]) => void;

/** A rating change as credit announces it: the organisation's sanctions before and after. */
export interface RatingChange {
  organisationId: string;
  before: { level: string; sanctions: Sanctions; suspendedProductIds: string[] };
  after: { level: string; policyVersion: string; sanctions: Sanctions; suspendedProductIds: string[] };
}
/** Called inside the transaction that changed a rating, so sanctions bite (and lift) atomically with it. */
export type RatingChangeListener = (em: EntityManager, ctx: RequestContext, change: RatingChange) => Promise<void>;

export const AGREEMENT_ISSUANCE = Symbol('AGREEMENT_ISSUANCE');

/** One agreement to create at confirmation, as tendering derives it from the stored result. */
export interface AgreementLine {
  lotId: string;
  varietyId: string;
  hospitalId: string;
  regionCode: string;
  manufacturerId: string;
  productId: string;
  bidId: string;
  /** Annual agreed quantity in units of the winning product's spec. */
  annualQuantity: number;
  awardedUnitPrice: string;
  cycleEnd: Date;
  cycleYears: number;
  backup: { bidId: string; manufacturerId: string; productId: string; unitPrice: string; quantityFactor: string } | null;
  /** 续约: the agreement of the renewed round this one renews. */
  renewsAgreementId?: string | null;
}

/** An agreement in force (ACTIVE) of a round, as tendering reads it for a renewal with incumbents. */
export interface AgreementInForce {
  id: string;
  lotId: string;
  hospitalId: string;
  regionCode: string;
  manufacturerId: string;
  productId: string;
  bidId: string;
  annualQuantity: number;
  awardedUnitPrice: string;
}

export interface AgreementIssuance {
  /** Creates a confirmed round's agreements and prepayments due, inside tendering's confirmation transaction. */
  createForRound(
    em: EntityManager,
    ctx: RequestContext,
    round: { id: string; cycleStart: Date },
    lines: AgreementLine[],
    prepayment: { share: string; policyVersion: number },
  ): Promise<{ agreements: number; prepayments: number; prepaymentTotalFen: bigint }>;
  /** The round's agreements in force (takeovers by backup winners and substitutes included), by id. */
  agreementsInForce(em: EntityManager, roundId: string): Promise<AgreementInForce[]>;
}

export const AGREEMENT_SUPPLY = Symbol('AGREEMENT_SUPPLY');

export interface AgreementForOrder {
  agreementId: string;
  unitPrice: string;
  manufacturerId: string;
  roundId: string;
  lotId: string;
  cycleStart: Date;
  cycleEnd: Date;
}

export interface AgreementSupply {
  /**
   * Per product, the hospital's agreement in effect at `at` whose winning bid offers it (the backup's after a
   * supply failure); products without one are absent from the map. One query for the whole order.
   */
  findForOrder(em: EntityManager, hospitalId: string, productIds: string[], at: Date): Promise<Map<string, AgreementForOrder>>;
  /** The same read as a part of the caller's statement (inputs are SQL expressions: uuid, uuid[], timestamptz). */
  forOrderPart(input: { hospitalId: string; productIds: string; at: string }): SqlPart<Map<string, AgreementForOrder>>;
  /** Atomic purchased_quantity += delta (a CHECK keeps it ≥ 0). */
  addAcceptedQuantity(em: EntityManager, agreementId: string, delta: number): Promise<void>;
}

export const LISTING_PRICES = Symbol('LISTING_PRICES');

export interface ListingPriceInForce {
  listingId: string;
  unitPrice: string;
  manufacturerId: string;
}

export interface ListingPrices {
  /** Per product, the LISTED price in force at `at` for the region; unlisted products are absent. One query. */
  pricesInForce(em: EntityManager, productIds: string[], regionCode: string, at: Date): Promise<Map<string, ListingPriceInForce>>;
  /** The same read as a part of the caller's statement (inputs are SQL expressions: uuid[], text, timestamptz). */
  pricesInForcePart(input: { productIds: string; regionCode: string; at: string }): SqlPart<Map<string, ListingPriceInForce>>;
}

export const LISTING_SUSPENSIONS = Symbol('LISTING_SUSPENSIONS');

export interface ListingSuspensions {
  /** Suspends a LISTED listing (delivery shortage, expired certificate) or lifts such a suspension; one transaction. */
  suspendOrReinstate(
    ctx: RequestContext,
    listingId: string,
    action: { suspend: 'DELIVERY' | 'CERTIFICATE' } | { reinstate: true },
    note: string,
  ): Promise<unknown>;
}

export const PAYMENT_STANDARDS = Symbol('PAYMENT_STANDARDS');

export interface PaymentStandardInForce {
  /** The payment standard (医保支付标准) per unit of the product's spec. */
  unitPrice: string;
  source: string;
}

export interface PaymentStandards {
  /** The payment standard in force for a product at `at`, or null; optional port (no provider: none published). */
  standardFor(em: EntityManager, productId: string, at: Date): Promise<PaymentStandardInForce | null>;
}
