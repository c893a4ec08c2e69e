import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

export const RENEWAL_STATES = ['OFFERS_OPEN', 'COMPLETED', 'CANCELLED'] as const;
export type RenewalState = (typeof RENEWAL_STATES)[number];
export const RenewalStateEnum = stateEnum(RENEWAL_STATES, 'RenewalState', 'OFFERS_OPEN until the regulator completes the renewal after the response deadline, or cancels it (CANCELLED: the round may be renewed again or re-tendered)');
export const RENEWAL_OFFER_STATES = ['PENDING', 'ACCEPTED', 'DECLINED', 'LAPSED'] as const;
export type RenewalOfferState = (typeof RENEWAL_OFFER_STATES)[number];
export const RenewalOfferStateEnum = stateEnum(RENEWAL_OFFER_STATES, 'RenewalOfferState', 'PENDING until the incumbent confirms or lowers its price (ACCEPTED) or declines; LAPSED when unanswered at completion or cancellation');

/** 续约: renewing an agreed round with its incumbent winners instead of a new tender. */
@ReadPolicy({ roles: 'ANY', note: 'the service decides: who sees the renewed round' })
@ObjectType('Renewal')
@Entity('tender_renewal')
@Check(inCheck('state', RENEWAL_STATES))
@Check(`started_at < response_deadline AND response_deadline < cycle_start`)
@Check(`(state = 'COMPLETED') = (renewed_round_id IS NOT NULL)`)
@Check(`(state = 'CANCELLED') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL)`)
export class Renewal {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The round renewed' })
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => RenewalStateEnum)
  @Column('text')
  state: RenewalState;

  @Field(() => String, { description: 'Renewal rule preset (RENEWAL_STANDARD, RENEWAL_PRICE_ONLY)' })
  @Column('text')
  rulesCode: string;

  @Field(() => Int)
  @Column('int')
  rulesVersion: number;

  /** Served as JSON text by the resolver. */
  @Column('jsonb')
  rules: Record<string, unknown>;

  @Field(() => Date)
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { description: 'Incumbents answer and hospitals re-report until here' })
  @Column('timestamptz')
  responseDeadline: Date;

  @Field(() => Date, { description: 'The renewed agreements start here' })
  @Column('timestamptz')
  cycleStart: Date;

  @Field(() => ID, { nullable: true, description: 'The round holding the renewed agreements (CONFIRMED at completion; previousRoundId is the renewed one)' })
  @Column('uuid', { nullable: true })
  renewedRoundId: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the regulator cancelled it (state CANCELLED)' })
  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled' })
  @Column('text', { nullable: true })
  cancelReason: string | null;

  @Column('uuid', { nullable: true })
  createdByUserId: string | null;
}

/** One incumbent winning bid asked to confirm or lower its price. */
@ReadPolicy({ roles: ['MANUFACTURER', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], scope: { MANUFACTURER: ownBy('manufacturerId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('RenewalOffer')
@Entity('tender_renewal_offer')
@Unique(['renewalId', 'lotId', 'bidId'])
@Check(inCheck('state', RENEWAL_OFFER_STATES))
@Check(`(state = 'ACCEPTED') = (offered_unit_price IS NOT NULL)`)
export class RenewalOffer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  renewalId: string;

  @Field(() => ID, { description: 'The lot of the round being renewed' })
  @Column('uuid')
  lotId: string;

  @Field(() => ID, { description: 'The incumbent’s winning bid (a substitute’s, from another batch, included)' })
  @Column('uuid')
  bidId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Column('uuid')
  lotSpecId: string;

  @Column('numeric', { precision: 18, scale: 6 })
  comparableFactor: string;

  @Field(() => UnitPriceScalar, { description: 'The awarded unit price in force' })
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  currentUnitPrice: string;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'The lowest current price of the product in another province (v_reference_price), if any' })
  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  referenceUnitPrice: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  referenceProvinceCode: string | null;

  @Field(() => RenewalOfferStateEnum)
  @Column('text')
  state: RenewalOfferState;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'ACCEPTED: the confirmed or lowered price' })
  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  offeredUnitPrice: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  respondedAt: Date | null;
}

/** A hospital's re-reported annual quantity for a lot of the renewal (reference unit of the lot). */
@ReadPolicy({ roles: ['HOSPITAL', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('RenewalDemand')
@Entity('tender_renewal_demand')
@Unique(['renewalId', 'lotId', 'hospitalId'])
@Check(`quantity >= 0`)
export class RenewalDemand {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  renewalId: string;

  @Field(() => ID)
  @Column('uuid')
  lotId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  hospitalId: string;

  @Field(() => String, { description: 'The hospital’s own region (the agreements’ region)' })
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Int, { description: 'Annual quantity in the lot’s reference unit; seeded from the agreements in force, re-reported by the hospital' })
  @Column('bigint', { transformer: quantityTransformer })
  quantity: number;

  @Field(() => Int, { description: 'The seed: the annual agreed quantity in force, in reference units' })
  @Column('bigint', { transformer: quantityTransformer })
  previousQuantity: number;

  /** The hospital's agreement in force the renewal links to (its largest in the lot) and its bid. */
  @Field(() => ID)
  @Column('uuid')
  previousAgreementId: string;

  @Column('uuid')
  previousBidId: string;

  @Field(() => Date, { nullable: true, description: 'When the hospital re-reported (null: the seed stands)' })
  @Column('timestamptz', { nullable: true })
  reportedAt: Date | null;
}
