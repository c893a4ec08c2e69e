import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

export const REPAIR_MEASURES = ['STOPPED_CONDUCT', 'RETURNED_GAINS', 'CUT_INFLATED_PRICE', 'PUBLIC_APOLOGY', 'COMPLIANCE_REPORT'] as const;

export const CREDIT_REPAIR_STATES = ['FILED', 'APPROVED', 'REJECTED'] as const;
export type CreditRepairState = (typeof CREDIT_REPAIR_STATES)[number];
export const CreditRepairStateEnum = stateEnum(CREDIT_REPAIR_STATES, 'CreditRepairState', 'FILED until a regulator approves or rejects it');

/** 信用修复: corrective measures filed by the rated organisation, decided by a regulator. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR'], scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('organisationId'), DISTRIBUTOR: ownBy('organisationId') } })
@ObjectType('CreditRepair')
@Entity('credit_repair')
@Index('UQ_credit_repair_open', ['organisationId'], { unique: true, where: `state = 'FILED'` })
@Check(inCheck('state', CREDIT_REPAIR_STATES))
export class CreditRepair {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  organisationId: string;

  @Field(() => ID, { description: 'The rating this repair answers' })
  @Column('uuid')
  ratingId: string;

  @Field(() => [String], { description: REPAIR_MEASURES.join(', ') })
  @Column('text', { array: true })
  measures: string[];

  @Field(() => String)
  @Column('text')
  statement: string;

  @Field(() => CreditRepairStateEnum)
  @Column('text')
  state: CreditRepairState;

  @Field(() => ID)
  @Column('uuid')
  filedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  filedAt: Date;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  decidedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  decisionNote: string | null;
}
