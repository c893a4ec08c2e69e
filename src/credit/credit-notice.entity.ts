import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CREDIT_DECISIONS, CREDIT_GRADES, type CreditDecision } from '@libs/credit-policy';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

/**
 * NOTIFIED: the organisation may reply until `replyDeadline`; REPLIED: it has (and may add more until then);
 * DECIDED: a regulator upheld, reduced or withdrew it (the event counts from then); APPEALED: the organisation
 * asked the provincial regulator to review the decision (the decision stays in effect meanwhile);
 * APPEAL_DECIDED: the provincial regulator decided the appeal.
 */
export const CREDIT_NOTICE_STATES = ['NOTIFIED', 'REPLIED', 'DECIDED', 'APPEALED', 'APPEAL_DECIDED'] as const;
export type CreditNoticeState = (typeof CREDIT_NOTICE_STATES)[number];
export const CreditNoticeStateEnum = stateEnum(CREDIT_NOTICE_STATES, 'CreditNoticeState', 'Where the due process of a credit notice is (告知 → 陈述申辩 → 决定 → 申诉 → 复核决定)');
export const CreditDecisionEnum = stateEnum(CREDIT_DECISIONS, 'CreditDecision', 'UPHOLD (维持), REDUCE (降低等级), WITHDRAW (撤销)');

export const CREDIT_STATEMENT_KINDS = ['REPLY', 'APPEAL'] as const;
export type CreditStatementKind = (typeof CREDIT_STATEMENT_KINDS)[number];
export const CreditStatementKindEnum = stateEnum(CREDIT_STATEMENT_KINDS, 'CreditStatementKind', 'REPLY (陈述申辩) or APPEAL (申诉)');

const CREDIT_READERS = ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR'] as const;

@ReadPolicy({ roles: CREDIT_READERS, note: 'read through its statement' })
@ObjectType('CreditDocument')
export class CreditDocument {
  @Field(() => String, { description: 'Reference of the document filed (number, file id)' })
  documentRef: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

/**
 * 信用评价告知书: a credit event notified to the rated organisation before it counts. One per event.
 */
@ReadPolicy({ roles: CREDIT_READERS, scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('organisationId'), DISTRIBUTOR: ownBy('organisationId') } })
@ObjectType('CreditNotice')
@Entity('credit_notice')
@Unique('UQ_credit_notice_event', ['eventId'])
@Check(inCheck('state', CREDIT_NOTICE_STATES))
@Check(`decision IS NULL OR decision IN (${CREDIT_DECISIONS.map((d) => `'${d}'`).join(',')})`)
@Check(`appeal_decision IS NULL OR appeal_decision IN (${CREDIT_DECISIONS.map((d) => `'${d}'`).join(',')})`)
@Index(['state', 'replyDeadline'])
export class CreditNotice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  organisationId: string;

  @Field(() => ID)
  @Column('uuid')
  eventId: string;

  @Field(() => CreditNoticeStateEnum)
  @Column('text')
  state: CreditNoticeState;

  @Field(() => String, { description: 'The level the event would take effect at (NONE: none) under the credit policy when notified' })
  @Column('text')
  proposedLevel: string;

  @Field(() => String, { description: 'The credit policy the proposed level follows' })
  @Column('text')
  creditPolicyVersion: string;

  @Field(() => String, { description: 'The due-process policy (reply and appeal periods, points)' })
  @Column('text')
  processPolicyVersion: string;

  @Field(() => Date)
  @Column('timestamptz')
  notifiedAt: Date;

  @Field(() => Date, { description: 'Statements and documents are taken until this instant (end of the last working day, Asia/Shanghai)' })
  @Column('timestamptz')
  replyDeadline: Date;

  @Field(() => CreditDecisionEnum, { nullable: true })
  @Column('text', { nullable: true })
  decision: CreditDecision | null;

  @Field(() => String, { nullable: true, description: 'The level the event took effect at by the decision (NONE when withdrawn)' })
  @Column('text', { nullable: true })
  decidedLevel: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  decisionReasons: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  decidedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'An appeal to the provincial regulator is taken until this instant' })
  @Column('timestamptz', { nullable: true })
  appealDeadline: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  appealedAt: Date | null;

  @Field(() => CreditDecisionEnum, { nullable: true })
  @Column('text', { nullable: true })
  appealDecision: CreditDecision | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  appealLevel: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  appealReasons: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  appealDecidedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  appealDecidedAt: Date | null;
}

/** A statement of the rated organisation on a notice: a reply (陈述申辩) or an appeal (申诉). Append-only. */
@ReadPolicy({ roles: CREDIT_READERS, scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('organisationId'), DISTRIBUTOR: ownBy('organisationId') } })
@ObjectType('CreditNoticeStatement')
@Entity('credit_notice_statement')
@Check(inCheck('kind', CREDIT_STATEMENT_KINDS))
export class CreditNoticeStatement {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  noticeId: string;

  @Field(() => ID)
  @Column('uuid')
  organisationId: string;

  @Field(() => CreditStatementKindEnum)
  @Column('text')
  kind: CreditStatementKind;

  @Field(() => String)
  @Column('text')
  statement: string;

  @Field(() => [CreditDocument])
  @Column('jsonb')
  documents: CreditDocument[];

  @Field(() => ID)
  @Column('uuid')
  filedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  filedAt: Date;
}

@ReadPolicy({ roles: 'ANY', note: 'read through its standing' })
@ObjectType('CreditPeriodPoints')
export class CreditPeriodPoints {
  @Field(() => String, { description: 'Calendar year of the events\' occurrence' }) period: string;
  @Field(() => Int) points: number;
  @Field(() => Int) events: number;
}

@ReadPolicy({ roles: 'ANY', note: 'read through its standing' })
@ObjectType('CreditRewards')
export class CreditRewardsView {
  @Field(() => Boolean, { description: 'Price decreases are approved at once (simplified review)' }) simplifiedPriceDecreaseReview: boolean;
  @Field(() => Boolean, { description: 'On the public good-credit list' }) publicCommendation: boolean;
}

/** Points per period and the grade they give, with the grade's rewards (守信激励). */
@ReadPolicy({ roles: 'ANY', note: 'a manufacturer or distributor reads its own (service-scoped); grades are read by hospitals and regulators' })
@ObjectType('CreditStanding')
export class CreditStandingView {
  @Field(() => ID) organisationId: string;
  @Field(() => String) policyVersion: string;
  @Field(() => String, { description: CREDIT_GRADES.join(', ') + ' (A best)' }) grade: string;
  @Field(() => Int, { description: 'Points within the grade window' }) points: number;
  @Field(() => [CreditPeriodPoints]) periods: CreditPeriodPoints[];
  @Field(() => CreditRewardsView) rewards: CreditRewardsView;
}
