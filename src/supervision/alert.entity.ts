import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, VersionColumn } from 'typeorm';
import { CASE_STATES, type CaseState } from '@libs/supervision-rules';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';

import { ReadPolicy, forRoles, ownBy, ORGANISATION_ROLES } from '../platform/auth/read-policy';
import { pathWithin } from '../platform/auth/scope';

export const CaseStateEnum = stateEnum(CASE_STATES, 'AlertCaseState', 'Where the case on an alert is (workflow in libs/supervision-rules)');

@ObjectType('NamedValue')
export class NamedValue {
  @Field(() => String)
  name: string;

  @Field(() => String)
  value: string;
}

/**
 * A finding of a monitoring rule about one subject in one month, and the case regulators work on it.
 * At most one per (rule, subject, period): a re-run refreshes the figures and rule version, never duplicates.
 */
@ReadPolicy({ roles: 'ANY', scope: { ...forRoles(ORGANISATION_ROLES, ownBy('answeringOrganisationId')), REGULATOR: (row: Alert, user) => pathWithin(row.regionPath, user.regionPath) } })
@ObjectType('Alert')
@Entity('alert')
@Unique('uq_alert_rule_subject_period', ['ruleCode', 'subjectKey', 'period'])
@Check(inCheck('state', CASE_STATES))
@Check(`subject_kind IN ('HOSPITAL','MANUFACTURER','DISTRIBUTOR','PRODUCT','REGION')`)
@Index(['regionPath', 'period'])
export class Alert {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  ruleCode: string;

  @Field(() => Int, { description: 'The rule version the current figures were computed under' })
  @Column('int')
  ruleVersion: number;

  @Column('uuid')
  ruleId: string;

  @Field(() => String)
  @Column('text')
  severity: string;

  @Field(() => String)
  @Column('text')
  subjectKind: string;

  /** The organisation or product the alert is about. */
  @Field(() => ID)
  @Index()
  @Column('uuid')
  subjectId: string;

  /** subject plus the detail that distinguishes findings (e.g. hospital:variety); part of the uniqueness. */
  @Column('text')
  subjectKey: string;

  @Field(() => String, { nullable: true, description: 'Subject name at the time of the run' })
  @Column('text', { nullable: true })
  subjectName: string | null;

  /** The organisation that sees the alert and answers inquiries (the hospital, manufacturer or distributor). */
  @Index()
  @Column('uuid', { nullable: true })
  answeringOrganisationId: string | null;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Column('text')
  regionPath: string;

  @Field(() => String, { description: 'First day of the month' })
  @Column('date')
  period: string;

  /** The figures and thresholds behind the finding. */
  @Column('jsonb')
  evidence: Record<string, unknown>;

  @Field(() => CaseStateEnum)
  @Column('text', { default: 'OPEN' })
  state: CaseState;

  @Field(() => String, { nullable: true, description: 'Deadline of the current step (answer, interview, rectification)' })
  @Column('date', { nullable: true })
  deadline: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  creditEventId: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  raisedAt: Date;

  @Field(() => Date)
  @Column('timestamptz')
  refreshedAt: Date;

  @Column('uuid')
  lastRunId: string;

  @VersionColumn()
  rowVersion: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A step of a case: a transition with its note and deadline, or the subject's answer. Append-only. */
@ReadPolicy({ roles: 'ANY', note: 'read through its alert' })
@ObjectType('AlertCaseEntry')
@Entity('alert_case_entry')
@Check(`kind IN ('TRANSITION','ANSWER')`)
@Check(inCheck('from_state', CASE_STATES))
@Check(inCheck('to_state', CASE_STATES))
export class AlertCaseEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  alertId: string;

  @ManyToOne(() => Alert, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id' })
  alert?: Alert;

  @Field(() => String)
  @Column('text')
  kind: 'TRANSITION' | 'ANSWER';

  @Field(() => CaseStateEnum, { nullable: true })
  @Column('text', { nullable: true })
  fromState: CaseState | null;

  @Field(() => CaseStateEnum, { nullable: true })
  @Column('text', { nullable: true })
  toState: CaseState | null;

  @Field(() => String)
  @Column('text')
  note: string;

  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  deadline: string | null;

  @Column('uuid', { nullable: true })
  authorUserId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  authorOrganisationId: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  at: Date;
}
