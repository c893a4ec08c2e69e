import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

/**
 * What the fund allots a hospital for a period [periodStart, periodEnd), set by the settlement office. A batch
 * settles a hospital's receipt lines of the period only up to it (plus, where the region's policy allows, an
 * advance up to its limit: allotment_advance); the rest are held (allotment_hold).
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('FundAllotment')
@Entity('fund_allotment')
@Unique('UQ_fund_allotment_hospital_period', ['hospitalId', 'periodStart'])
@Check(`period_end > period_start`)
@Check(`amount_fen >= 0`)
export class FundAllotment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => Date)
  @Column('timestamptz')
  periodStart: Date;

  @Field(() => Date)
  @Column('timestamptz')
  periodEnd: Date;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => ID)
  @Column('uuid')
  setByUserId: string;

  @Field(() => Date)
  @Column('timestamptz')
  setAt: Date;
}

export const HOLD_REASONS = ['ALLOTMENT_EXCEEDED', 'ALLOTMENT_MISSING'] as const;

/**
 * A line a batch did not settle because it would take its hospital beyond its allotment (or the hospital has
 * none for the line's period): the settlement office's alert. The line stays unsettled; a later batch takes
 * it once the allotment allows.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('AllotmentHold')
@Entity('allotment_hold')
@Unique('UQ_allotment_hold_batch_line', ['batchId', 'lineId'])
@Index('allotment_hold_held_at_id', ['heldAt', 'id'])
@Check(`reason IN ('ALLOTMENT_EXCEEDED','ALLOTMENT_MISSING')`)
export class AllotmentHold {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  batchId: string;

  @Field(() => ID)
  @Column('uuid')
  lineId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  allotmentId: string | null;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => String, { description: 'ALLOTMENT_EXCEEDED or ALLOTMENT_MISSING' })
  @Column('text')
  reason: string;

  @Field(() => Date)
  @Column('timestamptz')
  heldAt: Date;
}

/**
 * A line a batch paid beyond its hospital's allotment because the region's policy allows advances (垫付): the
 * part beyond the allotment (`amount`) is drawn from the hospital's FUND_ADVANCE account, not its entitlement.
 * The office's record of what the fund advanced; a rejected batch's advances are deleted with its lines.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('AllotmentAdvance')
@Entity('allotment_advance')
@Unique('UQ_allotment_advance_batch_line', ['batchId', 'lineId'])
@Index('allotment_advance_advanced_at_id', ['advancedAt', 'id'])
@Check(`amount_fen > 0 AND amount_fen <= line_amount_fen`)
export class AllotmentAdvance {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  batchId: string;

  @Field(() => ID)
  @Column('uuid')
  lineId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => ID)
  @Column('uuid')
  allotmentId: string;

  @Field(() => MoneyScalar, { name: 'lineAmount' })
  @Column('bigint', { transformer: fenTransformer })
  lineAmountFen: bigint;

  @Field(() => MoneyScalar, { name: 'amount', description: 'The part of the line beyond the allotment, advanced by the fund' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => Date)
  @Column('timestamptz')
  advancedAt: Date;
}
