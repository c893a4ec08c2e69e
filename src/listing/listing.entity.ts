import { defineStateMachine } from '@libs/state-machine';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ALL_ROLES, ownBy, everyRow } from '../platform/auth/read-policy';

import { LISTING_STATES, type ListingState } from '@libs/price-rules';

export { LISTING_STATES, type ListingState };
export const ListingStateEnum = stateEnum(LISTING_STATES, 'ListingState', 'A listing price: PENDING_REVIEW, LISTED (orderable), SUSPENDED (see suspensionReason) or WITHDRAWN');
export const SUSPENSION_REASONS = ['CREDIT', 'DELIVERY', 'LINKAGE', 'CERTIFICATE'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/**
 * Which state a listing may move to from which (the transition table); anything else is INVALID_STATE.
 * A SUSPENDED listing returns to LISTED when its reason goes away (a price cut, a repaired rating).
 */
export const LISTING_TRANSITIONS: Record<ListingState, readonly ListingState[]> = {
  PENDING_REVIEW: ['LISTED', 'WITHDRAWN', 'PENDING_REVIEW'],
  LISTED: ['LISTED', 'SUSPENDED', 'WITHDRAWN'],
  SUSPENDED: ['SUSPENDED', 'LISTED', 'WITHDRAWN'],
  WITHDRAWN: [],
};

/** The same table as a checked machine: a step is named by the state it moves to. */
export const LISTING_MACHINE = defineStateMachine<ListingState, ListingState>({
  name: 'listing',
  states: LISTING_STATES,
  // a product is listed at once when every check passes, else it waits for review
  initial: ['PENDING_REVIEW', 'LISTED'],
  transitions: LISTING_STATES.map((to) => ({ action: to, from: LISTING_STATES.filter((from) => LISTING_TRANSITIONS[from].includes(to)), to })).filter((t) => t.from.length > 0),
});

/** 挂网: one product listed in the province at a price. At most one listing per product is not withdrawn. */
@ReadPolicy({ roles: 'ANY', scope: { ...forRoles(ALL_ROLES, everyRow), MANUFACTURER: ownBy('manufacturerId') } })
@ObjectType('Listing')
@Entity('listing')
@Index('listing_created_at_id', ['createdAt', 'id'])
@Index('UQ_listing_active_product', ['productId', 'regionCode'], { unique: true, where: `state <> 'WITHDRAWN'` })
@Check(inCheck('state', LISTING_STATES))
@Check(`(state = 'SUSPENDED') = (suspension_reason IS NOT NULL)`)
@Check(`unit_price > 0`)
export class Listing {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  productId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => String, { description: 'The province the listing covers (GB/T 2260)' })
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ListingStateEnum)
  @Column('text')
  state: ListingState;

  @Field(() => String, { nullable: true, description: SUSPENSION_REASONS.join(', ') })
  @Column('text', { nullable: true })
  suspensionReason: SuspensionReason | null;

  @Field(() => UnitPriceScalar, { description: 'Current price (while PENDING_REVIEW: the price applied for)' })
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The dated history of a listing's price and state: exactly one open row (valid_to NULL) per listing. */
@ReadPolicy({ roles: 'ANY', scope: { ...forRoles(ALL_ROLES, everyRow), MANUFACTURER: ownBy('manufacturerId') } })
@ObjectType('ListingPricePeriod')
@Entity('listing_price_history')
@Index('UQ_listing_price_history_open', ['listingId'], { unique: true, where: 'valid_to IS NULL' })
@Index(['productId', 'validFrom'])
@Check(`valid_to IS NULL OR valid_to >= valid_from`)
@Check(inCheck('state', LISTING_STATES))
export class ListingPricePeriod {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  listingId: string;

  @Column('uuid')
  productId: string;

  @Column('uuid')
  manufacturerId: string;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => ListingStateEnum)
  @Column('text')
  state: ListingState;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  suspensionReason: SuspensionReason | null;

  @Field(() => Date)
  @Column('timestamptz')
  validFrom: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  validTo: Date | null;

  @Field(() => ID, { nullable: true, description: 'Who made the change (null: the system, e.g. a job)' })
  @Column('uuid', { nullable: true })
  changedBy: string | null;

  @Field(() => ID, { nullable: true, description: 'The application whose approval put this price in force' })
  @Column('uuid', { nullable: true })
  applicationId: string | null;

  @Field(() => String)
  @Column('text')
  reason: string;
}

@ObjectType('ListingCheck')
export class ListingCheckView {
  @Field(() => String, { description: 'FOUR_SAME_LOWEST, VBP_WINNER_PRICE, NON_EVALUATED_GENERIC, CREDIT' }) code: string;
  @Field(() => Boolean) applicable: boolean;
  @Field(() => Boolean) passed: boolean;
  @Field(() => UnitPriceScalar, { nullable: true, description: 'The reference (cap) the price was compared with' }) referencePrice: string | null;
  @Field(() => String, { nullable: true }) source: string | null;
  @Field(() => String) detail: string;
}

@ObjectType('PriceEvidence')
export class PriceEvidenceView {
  @Field(() => String, { description: 'COST_DOCUMENT, RAW_MATERIAL_NOTICE or OTHER' }) kind: string;
  @Field(() => String, { description: 'Reference of the document in the document store' }) documentRef: string;
  @Field(() => String, { nullable: true }) description: string | null;
}

@ObjectType('PricePoint')
export class PricePointView {
  @Field(() => UnitPriceScalar) unitPrice: string;
  @Field(() => ListingStateEnum) state: ListingState;
  @Field(() => Date) validFrom: Date;
  @Field(() => Date, { nullable: true }) validTo: Date | null;
  @Field(() => String) reason: string;
}

@ObjectType('OtherProvincePrice')
export class OtherProvincePriceView {
  @Field(() => UnitPriceScalar) unitPrice: string;
  @Field(() => String) provinceCode: string;
  @Field(() => String) source: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) effectiveOn: string;
}

@ObjectType('VbpAwardComparison')
export class VbpAwardView {
  @Field(() => ID) productId: string;
  @Field(() => UnitPriceScalar, { description: 'Awarded price per unit of the winner\'s own spec' }) awardedUnitPrice: string;
  @Field(() => UnitPriceScalar, { nullable: true, description: 'The award converted to this product\'s spec (差比价), when both factors are known' }) convertedUnitPrice: string | null;
  @Field(() => String) source: string;
}

@ObjectType('PaymentStandardComparison')
export class PaymentStandardView {
  @Field(() => UnitPriceScalar) unitPrice: string;
  @Field(() => String) source: string;
}

/** What a reviewer of a price change sees, fixed when the change is applied for. */
@ObjectType('PriceChangeComparison')
export class PriceChangeComparison {
  @Field(() => UnitPriceScalar) currentUnitPrice: string;
  @Field(() => UnitPriceScalar) proposedUnitPrice: string;
  @Field(() => String, { description: 'DECREASE or INCREASE' }) direction: string;
  @Field(() => String, { description: '(proposed − current) / current, 4 decimals' }) changeShare: string;
  @Field(() => String, { description: 'Why the change takes this route under the policy' }) route: string;
  @Field(() => [PricePointView], { description: 'The product\'s listing price history in this province, oldest first' }) history: PricePointView[];
  @Field(() => OtherProvincePriceView, { nullable: true, description: 'The lowest current four-same price among other provinces' }) lowestOtherProvince: OtherProvincePriceView | null;
  @Field(() => [VbpAwardView], { description: 'VBP awards in effect for the same variety' }) vbpAwards: VbpAwardView[];
  @Field(() => PaymentStandardView, { nullable: true, description: 'The payment standard (医保支付标准) in force, when one is published' }) paymentStandard: PaymentStandardView | null;
}

export const APPLICATION_STATES = ['PENDING_REVIEW', 'AUTO_APPROVED', 'APPROVED', 'REFUSED', 'RETURNED_FOR_PRICE_CUT'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export const ListingApplicationStateEnum = stateEnum(APPLICATION_STATES, 'ListingApplicationState', 'Where a listing application is: PENDING_REVIEW until a regulator decides, or decided');

/** An application to list a product or change a listed price, with every check's outcome. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'], scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('manufacturerId') } })
@ObjectType('ListingApplication')
@Entity('listing_application')
@Index('listing_application_submitted_at_id', ['submittedAt', 'id'])
@Index('UQ_listing_application_pending', ['listingId'], { unique: true, where: `state = 'PENDING_REVIEW'` })
@Check(inCheck('state', APPLICATION_STATES))
@Check(`kind IN ('NEW','PRICE_CHANGE')`)
@Check(`unit_price > 0`)
export class ListingApplication {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  listingId: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => String, { description: 'NEW or PRICE_CHANGE' })
  @Column('text')
  kind: string;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => ListingApplicationStateEnum)
  @Column('text')
  state: ApplicationState;

  @Field(() => [ListingCheckView])
  @Column('jsonb')
  checks: ListingCheckView[];

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => ID)
  @Column('uuid')
  submittedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  submittedAt: Date;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  decidedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  decisionNote: string | null;

  @Field(() => String, { nullable: true, description: 'The applicant\'s reason (required for a price change)' })
  @Column('text', { nullable: true })
  reason: string | null;

  @Field(() => [PriceEvidenceView], { description: 'Evidence for a price increase (cost documents, raw-material notices)' })
  @Column('jsonb', { default: () => "'[]'" })
  evidence: PriceEvidenceView[];

  @Field(() => UnitPriceScalar, { nullable: true, description: 'PRICE_CHANGE: the price in force when applied for' })
  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  previousUnitPrice: string | null;

  @Field(() => Int, { description: 'Different regulators who must approve (0: approved by policy)' })
  @Column('smallint', { default: 1 })
  reviewsRequired: number;

  @Field(() => String, { nullable: true, description: 'PRICE_CHANGE: the price-change policy version that routed it' })
  @Column('text', { nullable: true })
  priceChangePolicyVersion: string | null;

  @Field(() => PriceChangeComparison, { nullable: true, description: 'PRICE_CHANGE: history, other provinces, VBP awards and payment standard' })
  @Column('jsonb', { nullable: true })
  comparison: PriceChangeComparison | null;

  @Field(() => Date, { nullable: true, description: 'When the approved price took effect (the final approval instant)' })
  @Column('timestamptz', { nullable: true })
  effectiveAt: Date | null;
}

export const REVIEW_DECISION_VALUES = ['APPROVE', 'REFUSE', 'RETURN_FOR_PRICE_CUT'] as const;

/** One regulator's decision on an application; a regulator decides at most once per application. */
@ObjectType('ListingApplicationReview')
@Entity('listing_application_review')
@Index('UQ_listing_application_review_reviewer', ['applicationId', 'reviewerId'], { unique: true })
@Check(`decision IN ('APPROVE','REFUSE','RETURN_FOR_PRICE_CUT')`)
export class ListingApplicationReview {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  applicationId: string;

  @Field(() => ID)
  @Column('uuid')
  reviewerId: string;

  @Field(() => String, { description: REVIEW_DECISION_VALUES.join(', ') })
  @Column('text')
  decision: string;

  @Field(() => String)
  @Column('text')
  note: string;

  @Field(() => Date)
  @Column('timestamptz')
  decidedAt: Date;
}
