import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, everyRow, ownBy } from '../platform/auth/read-policy';
import type { AuthUser } from '../platform/context/request-context';

/** OPEN → (documents requested, answered) → FINDINGS_RECORDED → CONCLUDED. */
export const COST_INVESTIGATION_STATES = ['OPEN', 'FINDINGS_RECORDED', 'CONCLUDED'] as const;
export type CostInvestigationState = (typeof COST_INVESTIGATION_STATES)[number];
export const CostInvestigationStateEnum = stateEnum(COST_INVESTIGATION_STATES, 'CostInvestigationState', 'OPEN (documents requested and answered), FINDINGS_RECORDED, CONCLUDED');

export const COST_OUTCOMES = ['PRICE_DECISION', 'CREDIT_EVENT', 'NO_ACTION'] as const;
export type CostOutcome = (typeof COST_OUTCOMES)[number];
export const CostOutcomeEnum = stateEnum(COST_OUTCOMES, 'CostInvestigationOutcome', 'PRICE_DECISION (a decided price), CREDIT_EVENT (a credit event, notified to the manufacturer), NO_ACTION');

export const COST_REQUEST_STATES = ['REQUESTED', 'SUBMITTED'] as const;
export type CostRequestState = (typeof COST_REQUEST_STATES)[number];
export const CostRequestStateEnum = stateEnum(COST_REQUEST_STATES, 'CostDocumentRequestState', 'REQUESTED until the manufacturer submits (before the deadline)');

const involves = (row: CostInvestigation, user: AuthUser) => row.manufacturerIds.includes(user.organisationId);

@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'], note: 'read through its investigation' })
@ObjectType('CostDocument')
export class CostDocument {
  @Field(() => String) documentRef: string;
  @Field(() => String, { nullable: true }) description?: string | null;
}

/** 价格成本调查: a regulator's investigation of a product's or a variety's costs. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'], scope: { REGULATOR: everyRow, MANUFACTURER: involves }, note: 'a manufacturer sees investigations that asked it for documents' })
@ObjectType('CostInvestigation')
@Entity('cost_investigation')
@Check(inCheck('state', COST_INVESTIGATION_STATES))
@Check(`outcome IS NULL OR outcome IN (${COST_OUTCOMES.map((o) => `'${o}'`).join(',')})`)
@Check(`product_id IS NOT NULL OR variety_id IS NOT NULL`)
@Index(['state', 'openedAt'])
export class CostInvestigation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { nullable: true, description: 'The product investigated (or null: the whole variety)' })
  @Column('uuid', { nullable: true })
  productId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  varietyId: string | null;

  @Field(() => [ID], { description: 'Manufacturers asked for documents' })
  @Column('uuid', { array: true, default: () => "'{}'" })
  manufacturerIds: string[];

  @Field(() => CostInvestigationStateEnum)
  @Column('text')
  state: CostInvestigationState;

  @Field(() => String, { description: 'Why it was opened (价格异常线索, 涨价申请, …)' })
  @Column('text')
  reason: string;

  @Field(() => ID)
  @Column('uuid')
  openedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  openedAt: Date;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  findings: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  findingsRecordedAt: Date | null;

  @Field(() => CostOutcomeEnum, { nullable: true })
  @Column('text', { nullable: true })
  outcome: CostOutcome | null;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'PRICE_DECISION: the highest unit price the investigation found justified' })
  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  decidedUnitPrice: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  conclusion: string | null;

  @Field(() => ID, { nullable: true, description: 'CREDIT_EVENT: the event recorded (a credit notice to the manufacturer)' })
  @Column('uuid', { nullable: true })
  creditEventId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  concludedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  concludedAt: Date | null;
}

/** A request to a manufacturer for cost documents, with a deadline in working days. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'], scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('manufacturerId') } })
@ObjectType('CostDocumentRequest')
@Entity('cost_document_request')
@Check(inCheck('state', COST_REQUEST_STATES))
export class CostDocumentRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  investigationId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => [String], { description: 'What is asked for (成本核算表, 原料采购发票, …)' })
  @Column('text', { array: true })
  items: string[];

  @Field(() => CostRequestStateEnum)
  @Column('text')
  state: CostRequestState;

  @Field(() => Date, { description: 'End of the last working day (Asia/Shanghai) to submit' })
  @Column('timestamptz')
  deadline: Date;

  @Field(() => Date)
  @Column('timestamptz')
  requestedAt: Date;

  @Column('uuid')
  requestedBy: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  statement: string | null;

  @Field(() => [CostDocument])
  @Column('jsonb', { default: () => "'[]'" })
  documents: CostDocument[];

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;
}
