import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';

export const MONITORING_RUN_STATES = ['RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type MonitoringRunState = (typeof MONITORING_RUN_STATES)[number];
export const MonitoringRunStateEnum = stateEnum(MONITORING_RUN_STATES, 'MonitoringRunState');
import { ReadPolicy } from '../platform/auth/read-policy';

@ObjectType('SkippedRule')
export class SkippedRule {
  @Field(() => String)
  code: string;

  @Field(() => String)
  reason: string;
}

/** One monitoring run over a month: its progress as rules complete, and which rules it had to skip and why. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('MonitoringRun')
@Entity('monitoring_run')
@Check(inCheck('state', MONITORING_RUN_STATES))
@Check(`trigger IN ('SCHEDULE','REQUEST')`)
@Check(`rules_done >= 0 AND rules_done <= rules_total`)
export class MonitoringRun {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { description: 'First day of the month monitored (Asia/Shanghai)' })
  @Index()
  @Column('date')
  period: string;

  @Field(() => String)
  @Column('text')
  trigger: 'SCHEDULE' | 'REQUEST';

  @Field(() => MonitoringRunStateEnum)
  @Column('text')
  state: MonitoringRunState;

  @Field(() => Int)
  @Column('int')
  rulesTotal: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  rulesDone: number;

  @Field(() => Int, { description: 'Alerts raised for the first time by this run' })
  @Column('int', { default: 0 })
  alertsRaised: number;

  @Field(() => Int, { description: 'Existing alerts whose figures this run refreshed' })
  @Column('int', { default: 0 })
  alertsUpdated: number;

  @Field(() => [SkippedRule])
  @Column('jsonb', { default: () => "'[]'" })
  skipped: SkippedRule[];

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  failure: string | null;

  @Column('uuid', { nullable: true })
  requestedBy: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
