import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer, unitPriceTransformer } from '@libs/money';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { MoneyScalar, UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { VBP_SOURCES, VbpSource, VbpSourceEnum } from '../platform/ports/vbp-source';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES, ORGANISATION_ROLES } from '../platform/auth/read-policy';

export const AGREEMENT_STATES = ['ACTIVE', 'SUPPLY_FAILED'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];
export const AgreementStateEnum = stateEnum(AGREEMENT_STATES, 'AgreementState', 'ACTIVE, or SUPPLY_FAILED once a supply failure is verified');
export const SUPPLY_FAILURE_STATES = ['REPORTED', 'VERIFIED'] as const;
export type SupplyFailureState = (typeof SUPPLY_FAILURE_STATES)[number];
export const SupplyFailureStateEnum = stateEnum(SUPPLY_FAILURE_STATES, 'SupplyFailureState', 'REPORTED by the hospital, VERIFIED by a regulator');

/**
 * 带量采购协议: one hospital's commitment to buy a lot's agreed quantity from one winner over the cycle.
 * `agreed_quantity` covers the whole cycle (annual agreed quantity × cycle years); `purchased_quantity` is
 * moved only by atomic SQL from orders (receipts and returns), never below zero.
 */
@ReadPolicy({ roles: 'ANY', scope: { ...forRoles(ORGANISATION_ROLES, ownBy('hospitalId', 'manufacturerId')), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('VolumeAgreement')
@Entity('volume_agreement')
@Index('volume_agreement_created_at_id', ['createdAt', 'id'])
@Index('uq_volume_agreement_original', ['roundId', 'lotId', 'hospitalId', 'bidId'], { unique: true, where: 'takes_over_agreement_id IS NULL' })
@Index('uq_volume_agreement_takeover', ['takesOverAgreementId'], { unique: true, where: 'takes_over_agreement_id IS NOT NULL' })
@Check(inCheck('state', AGREEMENT_STATES))
@Check(`purchased_quantity >= 0`)
@Check(`agreed_quantity >= 0 AND annual_quantity >= 0`)
@Check(`cycle_start < cycle_end`)
@Check(inCheck('source', VBP_SOURCES))
@Index(['hospitalId', 'productId'])
export class VolumeAgreement {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => ID)
  @Column('uuid')
  lotId: string;

  @Field(() => ID)
  @Column('uuid')
  varietyId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Field(() => ID)
  @Column('uuid')
  bidId: string;

  @Field(() => Int, { description: 'Agreed quantity per year (reference unit)' })
  @Column('bigint', { transformer: quantityTransformer })
  annualQuantity: number;

  @Field(() => Int, { description: 'Agreed quantity over the whole cycle (reference unit)' })
  @Column('bigint', { transformer: quantityTransformer })
  agreedQuantity: number;

  @Field(() => Int)
  @Column('bigint', { default: 0, transformer: quantityTransformer })
  purchasedQuantity: number;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  awardedUnitPrice: string;

  @Field(() => Date)
  @Column('timestamptz')
  cycleStart: Date;

  @Field(() => Date)
  @Column('timestamptz')
  cycleEnd: Date;

  @Field(() => AgreementStateEnum)
  @Column('text', { default: 'ACTIVE' })
  state: AgreementState;

  /** Set by a trigger from the agreement's round on every insert: an agreement's source is its round's. */
  @Field(() => VbpSourceEnum, { description: 'Where the agreement’s result comes from: the platform’s own round (PROVINCIAL) or an imported national or alliance batch' })
  @Column('text', { default: 'PROVINCIAL' })
  source: VbpSource;

  /** The region's backup winner, who takes over after a verified supply failure. */
  @Column('uuid', { nullable: true })
  backupBidId: string | null;

  @Column('uuid', { nullable: true })
  backupManufacturerId: string | null;

  @Column('uuid', { nullable: true })
  backupProductId: string | null;

  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  backupUnitPrice: string | null;

  /** Winner's comparable factor ÷ backup's: remaining units of the winner's spec → units of the backup's. */
  @Column('numeric', { precision: 24, scale: 10, nullable: true })
  backupQuantityFactor: string | null;

  @Field(() => ID, { nullable: true, description: 'The failed agreement this one takes over' })
  @Column('uuid', { nullable: true })
  takesOverAgreementId: string | null;

  @Field(() => ID, { nullable: true, description: 'Set when this agreement took over from a failed sole winner by a substitution (supplySubstitutions)' })
  @Index('volume_agreement_substitution', { where: 'substitution_id IS NOT NULL' })
  @Column('uuid', { nullable: true })
  substitutionId: string | null;

  @Field(() => ID, { nullable: true, description: '续约: the agreement of the renewed round this one renews' })
  @Column('uuid', { nullable: true })
  renewsAgreementId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The prepayment the fund owes a hospital for a confirmed round (settlement reads v_prepayment_due). */
@ReadPolicy({ roles: ['HOSPITAL', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('PrepaymentDue')
@Entity('prepayment_due')
@Index('prepayment_due_due_at_id', ['dueAt', 'id'])
@Unique(['roundId', 'hospitalId'])
@Check(`amount_fen >= 0`)
export class PrepaymentDue {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  roundId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => MoneyScalar, { name: 'amount', description: '30% (policy) of the annual agreed amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => String, { description: 'Share of the annual agreed amount' })
  @Column('text')
  share: string;

  @Field(() => Int)
  @Column('int')
  policyVersion: number;

  @Field(() => Date)
  @Column('timestamptz')
  dueAt: Date;
}

/** 断供: a hospital's report that a winner fails to supply, verified by a regulator. */
@ReadPolicy({ roles: 'ANY', scope: { HOSPITAL: ownBy('hospitalId'), MANUFACTURER: everyRow, ...forRoles(REGION_ROLES, everyRow) }, note: 'manufacturers: failures of their agreements (the service joins the agreement)' })
@ObjectType('SupplyFailure')
@Entity('supply_failure')
@Index('supply_failure_reported_at_id', ['reportedAt', 'id'])
@Index('uq_supply_failure_one_per_agreement', ['agreementId'], { unique: true })
@Check(inCheck('state', SUPPLY_FAILURE_STATES))
export class SupplyFailure {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  agreementId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => String)
  @Column('text')
  description: string;

  @Field(() => SupplyFailureStateEnum)
  @Column('text')
  state: SupplyFailureState;

  @Field(() => Date)
  @Column('timestamptz')
  reportedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  verifiedAt: Date | null;

  @Column('uuid', { nullable: true })
  verifiedByUserId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  takeoverAgreementId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  creditEventId: string | null;
}
