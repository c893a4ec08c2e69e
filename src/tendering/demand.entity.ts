import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn, CreateDateColumn } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';
import { inCheck } from '../platform/database/state-check';
import { BASELINE_SOURCES, BaselineSource, BaselineSourceEnum } from '../platform/ports/vbp-source';

/** 报量: a hospital's expected annual quantity for a lot, in the lot's reference unit. */
@ReadPolicy({ roles: ['HOSPITAL', 'REGULATOR', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), REGULATOR: everyRow } })
@ObjectType('Demand')
@Entity('tender_demand')
@Unique(['lotId', 'hospitalId'])
@Check(`quantity >= 0`)
@Check(`baseline_source IS NULL OR baseline_source IN ('PLATFORM','IMPORTED')`)
export class Demand {
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
  @Index()
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  hospitalRegionCode: string;

  /** The covered region whose subtree holds the hospital: the region the engine allocates by. */
  @Field(() => String)
  @Column('char', { length: 6 })
  supplyRegionCode: string;

  @Field(() => Int)
  @Column('bigint', { transformer: quantityTransformer })
  quantity: number;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  preferredManufacturerId: string | null;

  @Field(() => String, { nullable: true, description: 'Why the quantity is below the policy floor of last year’s purchases' })
  @Column('text', { nullable: true })
  reason: string | null;

  @Field(() => Int, { nullable: true, description: 'Previous-year platform purchases of the variety, when known' })
  @Column('bigint', { nullable: true, transformer: quantityTransformer })
  baselineQuantity: number | null;

  @Field(() => BaselineSourceEnum, { nullable: true, description: 'Where baselineQuantity comes from: PLATFORM receipts or an IMPORTED file' })
  @Column('text', { nullable: true })
  baselineSource: BaselineSource | null;

  @Field(() => Int)
  @Column('int')
  policyVersion: number;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  reportedAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A hospital's platform purchases of a variety in a year. Orders will feed it; until then a regulator
 * imports or sets it, and demand reporting checks the policy floor against it when present. The amount
 * spent gives the pre-VBP unit price that retained savings are measured against (v_volume_agreement).
 */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('DemandBaseline')
@Entity('demand_baseline')
@Unique(['hospitalId', 'varietyId', 'year'])
@Check(`quantity >= 0`)
@Check(`amount_fen >= 0`)
@Check(inCheck('source', BASELINE_SOURCES))
export class DemandBaseline {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => ID)
  @Column('uuid')
  varietyId: string;

  @Field(() => Int)
  @Column('int')
  year: number;

  @Field(() => Int)
  @Column('bigint', { transformer: quantityTransformer })
  quantity: number;

  @Field(() => MoneyScalar, { name: 'amount', nullable: true, description: 'What those purchases cost, when known' })
  @Column('bigint', { nullable: true, transformer: fenTransformer })
  amountFen: bigint | null;

  @Field(() => BaselineSourceEnum, { description: 'PLATFORM: summed from the platform’s accepted receipts (net of returns); IMPORTED: from setDemandBaselines, kept only where the platform has no receipts' })
  @Column('text', { default: 'IMPORTED' })
  source: BaselineSource;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
