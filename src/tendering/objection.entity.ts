import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';

export const OBJECTION_STATES = ['OPEN', 'ANSWERED'] as const;
export type ObjectionState = (typeof OBJECTION_STATES)[number];
export const ObjectionStateEnum = stateEnum(OBJECTION_STATES, 'ObjectionState', 'OPEN until a regulator answers');
export const OBJECTION_OUTCOMES = ['DISMISSED', 'UPHELD'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
export const ObjectionOutcomeEnum = stateEnum(OBJECTION_OUTCOMES, 'ObjectionOutcome', 'DISMISSED (answered only) or UPHELD (a bid excluded or reinstated, the lot re-evaluated)');
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

/** 异议: a manufacturer's objection to a publicized result, answered by a regulator. */
@ReadPolicy({ roles: 'ANY', scope: { MANUFACTURER: ownBy('manufacturerId'), REGULATOR: everyRow } })
@ObjectType('Objection')
@Entity('tender_objection')
@Check(inCheck('state', OBJECTION_STATES))
@Check(`(state = 'ANSWERED') = (answer IS NOT NULL)`)
@Check(inCheck('outcome', OBJECTION_OUTCOMES))
@Check(`(state = 'ANSWERED') = (outcome IS NOT NULL)`)
@Check(`(outcome = 'UPHELD') = (revision_id IS NOT NULL)`)
export class Objection {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  lotId: string | null;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => String)
  @Column('text')
  text: string;

  @Field(() => ObjectionStateEnum)
  @Column('text')
  state: ObjectionState;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  answer: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;

  @Column('uuid', { nullable: true })
  answeredByUserId: string | null;

  @Field(() => ObjectionOutcomeEnum, { nullable: true, description: 'Set when answered' })
  @Column('text', { nullable: true })
  outcome: ObjectionOutcome | null;

  @Field(() => ID, { nullable: true, description: 'UPHELD: the result revision it caused' })
  @Column('uuid', { nullable: true })
  revisionId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
