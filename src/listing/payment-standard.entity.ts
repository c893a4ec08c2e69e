import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { PAYMENT_STANDARD_BASES, PaymentStandardBasis } from '@libs/price-rules';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { ReadPolicy } from '../platform/auth/read-policy';

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

/**
 * A payment standard (医保支付标准) of one version, in force over [effectiveFrom, effectiveTo): per spec of a
 * VBP variety (product_id NULL, basis VBP_AWARD: the awarded price), or per non-winning product of the variety
 * (basis CONVERGENCE). Publishing a new version for the variety closes the open rows of the previous one.
 */
@ReadPolicy({ roles: 'PUBLIC', note: 'payment standards are public information (hospitals, patients, manufacturers)' })
@ObjectType('PaymentStandard', { description: '医保支付标准: per unit of the spec, in force over [effectiveFrom, effectiveTo)' })
@Entity('payment_standard')
@Index('payment_standard_created_at_id', ['createdAt', 'id'])
@Index('payment_standard_variety_effective', ['varietyId', 'effectiveFrom'])
@Index('payment_standard_spec_effective', ['varietySpecId', 'effectiveFrom'])
@Check(`basis IN (${inList(PAYMENT_STANDARD_BASES)})`)
@Check(`effective_to IS NULL OR effective_to > effective_from`)
@Check(`unit_price > 0`)
export class PaymentStandard {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  varietyId: string;

  @Field(() => ID)
  @Column('uuid')
  varietySpecId: string;

  @Field(() => ID, { nullable: true, description: 'The non-winning product a CONVERGENCE standard is for; null: every product of the spec' })
  @Column('uuid', { nullable: true })
  productId: string | null;

  @Field(() => Int, { description: 'The variety\'s publication number (1, 2, …)' })
  @Column('int')
  version: number;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => Date)
  @Column('timestamptz')
  effectiveFrom: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  effectiveTo: Date | null;

  @Field(() => String, { description: PAYMENT_STANDARD_BASES.join(' or ') })
  @Column('text')
  basis: PaymentStandardBasis;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => String, { description: 'What the standard was derived from (round, listing price, convergence step)' })
  @Column('text')
  source: string;

  /** Digest of the computed standards of the version (idempotent re-publishing). */
  @Column('text')
  inputsHash: string;

  @Column('uuid')
  createdBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  createdAt: Date;
}
