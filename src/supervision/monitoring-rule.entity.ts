import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ReadPolicy } from '../platform/auth/read-policy';

/**
 * A version of a monitoring rule: thresholds as data. A new threshold is a new row (version + 1); alerts keep
 * the version they were raised under. The row in force for a period is the highest version whose effective
 * dates cover the period's first day.
 */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('MonitoringRule')
@Entity('monitoring_rule')
@Unique(['code', 'version'])
@Check(`version >= 1`)
@Check(`severity IN ('LOW','MEDIUM','HIGH')`)
@Check(`subject_kind IN ('HOSPITAL','MANUFACTURER','DISTRIBUTOR','PRODUCT','REGION')`)
@Check(`effective_to IS NULL OR effective_to > effective_from`)
export class MonitoringRule {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  code: string;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String)
  @Column('text')
  subjectKind: string;

  @Field(() => String)
  @Column('text')
  severity: string;

  /** Threshold parameters (decimal strings for ratios and multiples); served as `parameters`. */
  @Column('jsonb')
  params: Record<string, string | number>;

  @Field(() => String, { description: 'The policy text the rule rests on' })
  @Column('text')
  policy: string;

  @Field(() => String)
  @Column('date')
  effectiveFrom: string;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  effectiveTo: string | null;

  @Field(() => Boolean)
  @Column('boolean', { default: true })
  enabled: boolean;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
