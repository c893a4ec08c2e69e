import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ENTRY_OUTCOMES, EXCEPTION_KINDS, STATEMENT_DIRECTIONS } from '@libs/settlement-rules';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy } from '../platform/auth/read-policy';

export const StatementDirectionEnum = stateEnum(STATEMENT_DIRECTIONS, 'StatementDirection', 'DEBIT: money left the fund’s account (a payment); CREDIT: money came back (a return, 退汇)');
export const StatementEntryOutcomeEnum = stateEnum(ENTRY_OUTCOMES, 'StatementEntryOutcome', 'MATCHED to its instruction, or an exception: RETURNED, UNMATCHED, PARTIAL (amount differs), DUPLICATE');
export const BankExceptionKindEnum = stateEnum(EXCEPTION_KINDS, 'BankExceptionKind');

export const BANK_EXCEPTION_STATES = ['OPEN', 'RESOLVED'] as const;
export type BankExceptionState = (typeof BANK_EXCEPTION_STATES)[number];
export const BankExceptionStateEnum = stateEnum(BANK_EXCEPTION_STATES, 'BankExceptionState', 'OPEN until a settlement user resolves it with a note (or a manual match)');

export const BANK_EXCEPTION_RESOLUTIONS = ['NOTED', 'MATCHED'] as const;
export type BankExceptionResolution = (typeof BANK_EXCEPTION_RESOLUTIONS)[number];
export const BankExceptionResolutionEnum = stateEnum(BANK_EXCEPTION_RESOLUTIONS, 'BankExceptionResolution', 'NOTED (worked outside the platform, note says how) or MATCHED (a debit matched by hand to an issued instruction, which is then PAID)');

/**
 * A bank statement (对账单) of the fund's account, imported by a settlement office. The same file imported
 * again is the same statement (sha256 per office); entries already imported from another file are skipped by
 * their bank serial, so overlapping statements never match a payment twice.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'] })
@ObjectType('BankStatement')
@Entity('bank_statement')
@Unique('UQ_bank_statement_file', ['organisationId', 'sha256'])
export class BankStatement {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The settlement office whose fund account the statement is of. */
  @Column('uuid')
  organisationId: string;

  @Field(() => String)
  @Column('text')
  fileName: string;

  @Field(() => String, { description: 'CSV or XLSX' })
  @Column('text')
  format: string;

  @Field(() => String)
  @Column('char', { length: 64 })
  sha256: string;

  @Field(() => Int, { description: 'Entries in the file' })
  @Column('int')
  entryCount: number;

  @Field(() => Int, { description: 'Entries matched to their instruction' })
  @Column('int')
  matchedCount: number;

  @Field(() => Int, { description: 'Entries sent to the exceptions queue' })
  @Column('int')
  exceptionCount: number;

  @Field(() => Int, { description: 'Entries skipped because an earlier statement already held them (same bank serial)' })
  @Column('int')
  alreadyImportedCount: number;

  @Field(() => ID)
  @Column('uuid')
  importedByUserId: string;

  @Field(() => Date)
  @Column('timestamptz')
  importedAt: Date;
}

/** One entry of a statement and what matching made of it. */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'] })
@ObjectType('BankStatementEntry')
@Entity('bank_statement_entry')
@Unique('UQ_bank_statement_entry_serial', ['organisationId', 'bankSerial'])
@Index(['instructionId'])
@Index(['statementId'])
@Check(inCheck('direction', STATEMENT_DIRECTIONS))
@Check(inCheck('outcome', ENTRY_OUTCOMES))
@Check(`amount_fen > 0`)
export class BankStatementEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  statementId: string;

  @Column('uuid')
  organisationId: string;

  @Field(() => Int, { description: 'Line of the file' })
  @Column('int')
  line: number;

  @Field(() => String, { description: 'The bank’s transaction serial (流水号), unique per fund account' })
  @Column('text')
  bankSerial: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Column('date')
  valueDate: string;

  @Field(() => StatementDirectionEnum)
  @Column('text')
  direction: string;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => String, { description: 'The reference the bank echoed (业务参考号); empty when it echoed none' })
  @Column('text')
  reference: string;

  @Field(() => String)
  @Column('text')
  counterpartyAccount: string;

  @Field(() => String)
  @Column('text')
  counterpartyName: string;

  @Field(() => String)
  @Column('text')
  remark: string;

  @Field(() => ID, { nullable: true, description: 'The instruction the reference names (also for exceptions, when it names one)' })
  @Column('uuid', { nullable: true })
  instructionId: string | null;

  @Field(() => StatementEntryOutcomeEnum)
  @Column('text')
  outcome: string;
}

/**
 * The exceptions queue: entries that did not simply match (returned, unmatched, partial, duplicate), worked by a
 * settlement user who resolves each with a note — or, for a debit, by matching it to an issued instruction.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'] })
@ObjectType('BankException')
@Entity('bank_exception')
@Unique('UQ_bank_exception_entry', ['entryId'])
@Index('bank_exception_raised_at_id', ['raisedAt', 'id'])
// the open exceptions of a batch and of an instruction: what reconciliation counts
@Index('bank_exception_open_batch', ['batchId'], { where: `state = 'OPEN'` })
@Index('bank_exception_open_instruction', ['instructionId'], { where: `state = 'OPEN'` })
@Check(inCheck('kind', EXCEPTION_KINDS))
@Check(inCheck('state', BANK_EXCEPTION_STATES))
@Check(`resolution IS NULL OR resolution IN ('NOTED','MATCHED')`)
@Check(`(state = 'RESOLVED') = (resolved_by_user_id IS NOT NULL AND resolution IS NOT NULL AND note IS NOT NULL)`)
export class BankException {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  entryId: string;

  @Column('uuid')
  organisationId: string;

  @Field(() => BankExceptionKindEnum)
  @Column('text')
  kind: string;

  @Field(() => String, { description: 'Why the entry is an exception' })
  @Column('text')
  detail: string;

  @Field(() => ID, { nullable: true, description: 'The instruction the entry’s reference names, if any' })
  @Column('uuid', { nullable: true })
  instructionId: string | null;

  @Field(() => ID, { nullable: true, description: 'That instruction’s batch' })
  @Column('uuid', { nullable: true })
  batchId: string | null;

  @Field(() => BankExceptionStateEnum)
  @Column('text', { default: 'OPEN' })
  state: BankExceptionState;

  @Field(() => Date)
  @Column('timestamptz')
  raisedAt: Date;

  @Field(() => BankExceptionResolutionEnum, { nullable: true })
  @Column('text', { nullable: true })
  resolution: BankExceptionResolution | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  resolvedByUserId: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;
}
