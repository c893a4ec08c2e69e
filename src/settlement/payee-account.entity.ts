import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

export const PAYEE_ACCOUNT_STATES = ['PROPOSED', 'VERIFIED'] as const;
export type PayeeAccountState = (typeof PAYEE_ACCOUNT_STATES)[number];
export const PayeeAccountStateEnum = stateEnum(PAYEE_ACCOUNT_STATES, 'PayeeAccountState', 'PROPOSED by one settlement-office user, VERIFIED by another');

/**
 * A bank account an organisation is paid into. Proposed by one settlement-office user, verified by another
 * (maker-checker); the verified account with the latest effective date not after now is the one in effect.
 * Changing an account is proposing a new one with a later effective date. Rows are never updated after
 * verification; the audit log holds who proposed and verified what.
 */
@ReadPolicy({
  roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'MANUFACTURER', 'DISTRIBUTOR', 'PLATFORM_ADMIN'],
  scope: { MANUFACTURER: ownBy('organisationId'), DISTRIBUTOR: ownBy('organisationId'), ...forRoles(REGION_ROLES, everyRow) },
})
@ObjectType('PayeeAccount')
@Entity('payee_account')
@Index(['organisationId', 'effectiveFrom'])
@Check(inCheck('state', PAYEE_ACCOUNT_STATES))
@Check(`currency = 'CNY'`)
@Check(`account_number ~ '^[0-9]{8,32}$'`)
@Check(`cnaps_code ~ '^[0-9]{12}$'`)
@Check(`(state = 'VERIFIED') = (verified_by_user_id IS NOT NULL)`)
@Check(`verified_by_user_id IS NULL OR verified_by_user_id <> proposed_by_user_id`)
export class PayeeAccount {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  organisationId: string;

  @Field(() => String, { description: 'Equals the organisation’s registered name' })
  @Column('text')
  accountName: string;

  @Field(() => String)
  @Column('text')
  accountNumber: string;

  @Field(() => String)
  @Column('text')
  bankName: string;

  @Field(() => String)
  @Column('text')
  branchName: string;

  @Field(() => String, { description: '12-digit CNAPS code (大额支付系统行号) of the branch' })
  @Column('char', { length: 12 })
  cnapsCode: string;

  @Field(() => String)
  @Column('char', { length: 3, default: 'CNY' })
  currency: string;

  @Field(() => Date, { description: 'Payments issued from this instant on use this account (once verified)' })
  @Column('timestamptz')
  effectiveFrom: Date;

  @Field(() => PayeeAccountStateEnum)
  @Column('text', { default: 'PROPOSED' })
  state: PayeeAccountState;

  @Field(() => ID)
  @Column('uuid')
  proposedByUserId: string;

  @Field(() => Date)
  @Column('timestamptz')
  proposedAt: Date;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  verifiedByUserId: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  verifiedAt: Date | null;
}

export const CONFIRMATION_SOURCES = ['AUTO', 'RELEASED'] as const;

/**
 * A receipt line the hospital no longer disputes: its window ended without a dispute (AUTO, written by the
 * confirmation job) or the office released a dispute (RELEASED). Only confirmed receipt lines enter a batch.
 */
@Entity('line_confirmation')
@Check(`source IN ('AUTO','RELEASED')`)
export class LineConfirmation {
  @PrimaryColumn('uuid')
  lineId: string;

  @Column('uuid')
  hospitalId: string;

  @Column('text')
  source: string;

  @Column('timestamptz')
  confirmedAt: Date;

  @Column('text')
  policyVersion: string;
}

export const DISPUTE_STATES = ['OPEN', 'RELEASED', 'UPHELD'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];
export const LineDisputeStateEnum = stateEnum(DISPUTE_STATES, 'LineDisputeState', 'OPEN (line held), RELEASED (line confirmed, goes to the next batch) or UPHELD (line stays held)');

/** A hospital's dispute of a line charged to it, raised within the window; the line is held until released. */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('LineDispute')
@Entity('line_dispute')
@Unique('UQ_line_dispute_line', ['lineId'])
@Index(['hospitalId'])
@Check(inCheck('state', DISPUTE_STATES))
export class LineDispute {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  lineId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('text')
  reason: string;

  @Field(() => LineDisputeStateEnum)
  @Column('text', { default: 'OPEN' })
  state: DisputeState;

  @Field(() => ID)
  @Column('uuid')
  raisedByUserId: string;

  @Field(() => Date)
  @Column('timestamptz')
  raisedAt: Date;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  resolvedByUserId: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  resolutionNote: string | null;
}
