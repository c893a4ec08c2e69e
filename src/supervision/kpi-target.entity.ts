import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ReadPolicy } from '../platform/auth/read-policy';

/**
 * A version of a KPI's target: targets are data. A new target is a new row (version + 1) effective from a
 * date; a figure is compared with the version in force on the last day of its period.
 */
@ReadPolicy({ roles: ['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'] })
@ObjectType('KpiTarget')
@Entity('kpi_target')
@Unique(['code', 'version'])
@Check(`version >= 1`)
@Check(`effective_to IS NULL OR effective_to > effective_from`)
@Check(`comparator IN ('AT_LEAST','AT_MOST')`)
export class KpiTarget {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  code: string;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Field(() => String, { description: 'A ratio (0.9000) or a count (500)' })
  @Column('numeric', { precision: 18, scale: 4 })
  target: string;

  @Field(() => String, { description: 'AT_LEAST or AT_MOST' })
  @Column('text', { default: 'AT_LEAST' })
  comparator: string;

  @Field(() => String, { description: 'The policy text the target comes from' })
  @Column('text')
  policy: string;

  @Field(() => String)
  @Column('date')
  effectiveFrom: string;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  effectiveTo: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
