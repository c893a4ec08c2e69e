import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ALL_ROLES, ownBy, everyRow } from '../platform/auth/read-policy';

export const LISTING_STATES = ['PENDING_REVIEW', 'LISTED', 'SUSPENDED', 'WITHDRAWN'] as const;
export type ListingState = (typeof LISTING_STATES)[number];
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
}
