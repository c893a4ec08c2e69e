import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';

export const CREDIT_EVENT_SOURCES = ['REGULATOR', 'SUPPLY_FAILURE', 'SUPERVISION'] as const;

/** PENDING: notified, not counted until decided; IN_EFFECT: counted (upheld or reduced); WITHDRAWN: never counted. */
export const CREDIT_EVENT_STATUSES = ['PENDING', 'IN_EFFECT', 'WITHDRAWN'] as const;
export type CreditEventStatus = (typeof CREDIT_EVENT_STATUSES)[number];
export const CreditEventStatusEnum = stateEnum(CREDIT_EVENT_STATUSES, 'CreditEventStatus', 'PENDING until a regulator decides its notice; IN_EFFECT counts in the rating; WITHDRAWN never');

/** A recorded breach (失信行为) of a manufacturer or distributor. Never deleted; a repair clears it from rating. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR'], scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('organisationId'), DISTRIBUTOR: ownBy('organisationId') } })
@ObjectType('CreditEvent')
@Entity('credit_event')
@Check(`amount_fen IS NULL OR amount_fen >= 0`)
@Check(`behaviour IN ('KICKBACK','TAX_VIOLATION','MONOPOLY','UNFAIR_PRICE','DISTURBING_PROCUREMENT_ORDER','BREACH_OF_CONTRACT','BREACH_OF_SUPPLY')`)
@Check(`source IN ('REGULATOR','SUPPLY_FAILURE','SUPERVISION')`)
@Check(inCheck('status', CREDIT_EVENT_STATUSES))
@Check(`level_cap IS NULL OR level_cap IN ('GENERAL','MEDIUM','SERIOUS','PARTICULARLY_SERIOUS')`)
export class CreditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  organisationId: string;

  @Field(() => String, { description: 'KICKBACK, TAX_VIOLATION, MONOPOLY, UNFAIR_PRICE, DISTURBING_PROCUREMENT_ORDER, BREACH_OF_CONTRACT, BREACH_OF_SUPPLY' })
  @Column('text')
  behaviour: string;

  @Field(() => MoneyScalar, { name: 'amount', nullable: true, description: 'Single amount involved (e.g. of the kickback)' })
  @Column('bigint', { nullable: true, transformer: fenTransformer })
  amountFen: bigint | null;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Column('date')
  occurredOn: string;

  @Field(() => String)
  @Column('text')
  evidence: string;

  @Field(() => [ID])
  @Column('uuid', { array: true, default: () => "'{}'" })
  productIds: string[];

  @Field(() => String)
  @Column('text')
  source: string;

  /** Level this event earned when recorded, and under which policy (re-rating may use a newer one). */
  @Field(() => String)
  @Column('text')
  levelAtRecording: string;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => CreditEventStatusEnum, { description: 'Only IN_EFFECT events count in the rating (after the decision on their notice)' })
  @Column('text')
  status: CreditEventStatus;

  @Field(() => String, { nullable: true, description: 'A REDUCE decision\'s level: the event counts at most at it' })
  @Column('text', { nullable: true })
  levelCap: string | null;

  @Field(() => Int, { nullable: true, description: 'Credit points from the decision (by the level it took effect at)' })
  @Column('int', { nullable: true })
  points: number | null;

  @Field(() => ID, { nullable: true, description: 'The approved credit repair that cleared this event' })
  @Column('uuid', { nullable: true })
  clearedByRepairId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  recordedBy: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  recordedAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Which credit policy version is in force from when; the latest one effective at an instant applies. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('CreditPolicyAdoption')
@Entity('credit_policy_adoption')
export class CreditPolicyAdoption {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  version: string;

  @Field(() => Date)
  @Index()
  @Column('timestamptz')
  effectiveFrom: Date;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  adoptedBy: string | null;
}
