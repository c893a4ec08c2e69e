import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

/**
 * 结余留用 accrued for one hospital and one agreement year of a round, at most once (the unique constraint).
 * Its journal moves the retained amount from the hospital's RETAINED_SAVINGS account to its PAYABLE; the next
 * settlement batch of its region takes it (batchId) and pays it like any other payable. A zero amount (no
 * savings, or score D) is recorded without a journal so accruing the year again stays a no-op.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('RetainedSavingsAccrual')
@Entity('retained_savings_accrual')
@Unique('UQ_retained_savings_accrual_hospital_year', ['hospitalId', 'roundId', 'agreementYear'])
@Index(['batchId'])
@Check(`agreement_year >= 1`)
@Check(`amount_fen >= 0`)
@Check(`(amount_fen = 0) = (journal_id IS NULL)`)
@Check(`score IN ('A','B','C','D')`)
export class RetainedSavingsAccrual {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID)
  @Column('uuid')
  roundId: string;

  @Field(() => Int, { description: 'Agreement year of the round’s cycle, from 1' })
  @Column('int')
  agreementYear: number;

  @Field(() => Date)
  @Column('timestamptz')
  yearStart: Date;

  @Field(() => Date)
  @Column('timestamptz')
  yearEnd: Date;

  @Field(() => MoneyScalar, { name: 'budget', description: 'Annual agreed quantities at the pre-VBP prices' })
  @Column('bigint', { transformer: fenTransformer })
  budgetFen: bigint;

  @Field(() => MoneyScalar, { name: 'spent', description: 'Accepted agreement lines of the year, net of returns' })
  @Column('bigint', { transformer: fenTransformer })
  spentFen: bigint;

  @Field(() => MoneyScalar, { name: 'savings' })
  @Column('bigint', { transformer: fenTransformer })
  savingsFen: bigint;

  @Field(() => String)
  @Column('char', { length: 1 })
  score: string;

  @Field(() => String, { description: 'Share of the savings retained at that score' })
  @Column('numeric', { precision: 6, scale: 4 })
  share: string;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => MoneyScalar, { name: 'amount', description: 'Retained savings accrued (what the hospital is paid)' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => ID, { nullable: true, description: 'The RETAINED_SAVINGS → PAYABLE journal; null for a zero amount' })
  @Column('uuid', { nullable: true })
  journalId: string | null;

  @Field(() => ID, { nullable: true, description: 'The settlement batch paying it; null until a batch takes it' })
  @Column('uuid', { nullable: true })
  batchId: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  accruedAt: Date;

  @Column('uuid')
  accruedByUserId: string;
}
