import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { ReadPolicy, forRoles, REGION_ROLES, inRegion } from '../platform/auth/read-policy';

/**
 * One hospital-month of insurance settlement lines (医保结算清单) as last imported: importing the same
 * hospital and month again replaces its lines, so a corrected file never counts twice.
 */
@ReadPolicy({ roles: ['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], scope: { ...forRoles(REGION_ROLES, inRegion()) } })
@ObjectType('InsuranceClaimImport')
@Entity('insurance_claim_import')
@Unique('uq_insurance_claim_import_hospital_month', ['hospitalId', 'month'])
@Check(`EXTRACT(DAY FROM month) = 1`)
@Check(`line_count >= 0 AND amount_fen >= 0`)
export class InsuranceClaimImport {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String, { description: 'The hospital\'s public code (统一社会信用代码)' })
  @Column('text')
  hospitalCode: string;

  @Field(() => String)
  @Index()
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => String, { description: 'First day of the month, YYYY-MM-01' })
  @Column('date')
  month: string;

  @Field(() => Int)
  @Column('int')
  lineCount: number;

  @Field(() => Int, { description: 'Lines whose insurance code names no product of the catalogue (left out of the estimate)' })
  @Column('int')
  unmatchedLines: number;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => String, { description: 'SHA-256 of this hospital-month\'s lines as imported' })
  @Column('text')
  sha256: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  fileName: string | null;

  @Field(() => Int, { description: 'How many times this hospital-month has been imported' })
  @Column('int', { default: 1 })
  revision: number;

  @Field(() => Date)
  @Column('timestamptz')
  importedAt: Date;

  @Column('uuid')
  importedBy: string;
}

/** A line of a hospital's insurance settlement list: what the fund was claimed for, by insurance code. */
@Entity('insurance_claim_line')
@Index(['hospitalId', 'month'])
@Check(`quantity > 0 AND amount_fen >= 0`)
export class InsuranceClaimLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  importId: string;

  @Column('uuid')
  hospitalId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Column('date')
  month: string;

  @Column('text')
  insuranceCode: string;

  /** The catalogue product with this insurance code, when there is one. */
  @Index()
  @Column('uuid', { nullable: true })
  productId: string | null;

  @Column('bigint', { transformer: quantityTransformer })
  quantity: number;

  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Column('int')
  lineNo: number;
}
