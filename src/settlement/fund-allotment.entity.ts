import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

/**
 * What the fund allots a hospital for a period [periodStart, periodEnd), set by the settlement office. A batch
 * settles a hospital's receipt lines of the period only up to it; the rest are held (allotment_hold).
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
