import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, forRoles, ownBy, REGION_ROLES, inRegion } from '../platform/auth/read-policy';

/** A hospital's report of a purchase made outside the platform, for the platform purchase rate (网采率). */
@ReadPolicy({ roles: 'ANY', scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, inRegion()) } })
@ObjectType('OffPlatformPurchase')
@Entity('off_platform_purchase')
@Index('off_platform_purchase_month_id', ['month', 'id'])
@Check(`quantity > 0 AND amount_fen >= 0`)
@Check(`product_id IS NOT NULL OR variety_id IS NOT NULL`)
@Check(`EXTRACT(DAY FROM month) = 1`)
@Index(['hospitalId', 'month'])
@Index(['regionCode', 'month'])
export class OffPlatformPurchase {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  productId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  varietyId: string | null;

  @Field(() => String, { description: 'First day of the month, YYYY-MM-01' })
  @Column('date')
  month: string;

  @Field(() => Int)
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  quantity: number;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => String)
  @Column('text')
  reason: string;

  @Field(() => Date)
  @Column('timestamptz')
  reportedAt: Date;

  @Column('uuid')
  reportedBy: string;
}
