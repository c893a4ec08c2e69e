import { defineStateMachine } from '@libs/state-machine';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer, unitPriceTransformer } from '@libs/money';
import { MoneyScalar, UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

export const BATCH_STATES = ['RUNNING', 'PREPARED', 'COMPLETED', 'REJECTED'] as const;
export type BatchState = (typeof BATCH_STATES)[number];
export const SettlementBatchStateEnum = stateEnum(BATCH_STATES, 'SettlementBatchState');
export type BatchAction = 'prepare' | 'approve' | 'reject';
/** A batch runs until its lines are frozen (PREPARED); a second user then approves (COMPLETED) or rejects it. */
export const SETTLEMENT_BATCH_MACHINE = defineStateMachine<BatchState, BatchAction>({
  name: 'settlement batch',
  states: BATCH_STATES,
  initial: 'RUNNING',
  transitions: [
    { action: 'prepare', from: ['RUNNING'], to: 'PREPARED' },
    { action: 'approve', from: ['PREPARED'], to: 'COMPLETED' },
    { action: 'reject', from: ['PREPARED'], to: 'REJECTED' },
  ],
});

/**
 * A settlement run for a period [periodStart, periodEnd) and a region subtree. It claims lines chunk by
 * chunk (each chunk its own transaction) until none is left, then issues one payment instruction per
 * manufacturer. Started again with the same idempotency key, it resumes the same row.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('SettlementBatch')
@Entity('settlement_batch')
@Index('settlement_batch_started_at_id', ['startedAt', 'id'])
@Unique('UQ_settlement_batch_key', ['organisationId', 'idempotencyKey'])
@Check(inCheck('state', BATCH_STATES))
@Check(`period_end > period_start`)
@Check(`(state = 'REJECTED') = (rejection_reason IS NOT NULL)`)
export class SettlementBatch {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  organisationId: string;

  @Column('text')
  idempotencyKey: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  /** Region path at start, so the subtree filter is one LIKE. */
  @Column('text')
  regionPath: string;

  @Field(() => Date)
  @Column('timestamptz')
  periodStart: Date;

  @Field(() => Date)
  @Column('timestamptz')
  periodEnd: Date;

  @Field(() => SettlementBatchStateEnum)
  @Column('text', { default: 'RUNNING' })
  state: BatchState;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => Int, { description: 'Chunks committed so far' })
  @Column('int', { default: 0 })
  chunksDone: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  linesSettled: number;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer, default: 0 })
  amountFen: bigint;

  @Field(() => MoneyScalar, { name: 'savingsAmount', description: 'Retained savings (结余留用) accruals this batch pays, besides its lines' })
  @Column('bigint', { transformer: fenTransformer, default: 0 })
  savingsAmountFen: bigint;

  /** Keyset cursor: the last line_id this batch looked at, so each chunk starts where the last one ended. */
  @Column('uuid', { nullable: true })
  cursorLineId: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  /** The settlement-office user who started (prepared) the batch; null for batches from before maker-checker. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  preparedByUserId: string | null;

  @Field(() => Date, { nullable: true, description: 'When the last line was frozen and the totals were final' })
  @Column('timestamptz', { nullable: true })
  preparedAt: Date | null;

  /** The second settlement-office user who approved or rejected the batch. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  decidedByUserId: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  rejectionReason: string | null;

  /** When the batch copied its candidate lines out of v_settleable_line (null until its first run). */
  @Column('timestamptz', { nullable: true })
  candidatesTakenAt: Date | null;
}

/**
 * The lines a batch will settle, copied from v_settleable_line once when it first runs, in line_id order.
 * Chunks then walk this table by keyset instead of re-evaluating orders' view (joins over every receipt,
 * order line and invoice) once per chunk. Lines that become settleable later go to the next batch.
 */
@Entity('settlement_candidate')
export class SettlementCandidate {
  @PrimaryColumn('uuid')
  batchId: string;

  @PrimaryColumn('uuid')
  lineId: string;

  @Column('text')
  kind: string;

  @Column('uuid')
  hospitalId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Column('uuid')
  manufacturerId: string;

  @Column('uuid')
  productId: string;

  @Column('uuid', { nullable: true })
  agreementId: string | null;

  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Column('bigint')
  quantity: string;

  @Column('timestamptz')
  acceptedAt: Date;

  /** Who the fund pays for the line: its manufacturer, or its distributor under a DISTRIBUTOR payee policy. */
  @Column('uuid')
  payeeId: string;

  @Column('uuid', { nullable: true })
  distributorId: string | null;

  /** The manufacturer → distributor invoice's amount for the line (pro rata of its quantity); null without one. */
  @Column('bigint', { nullable: true, transformer: fenTransformer })
  supplyAmountFen: bigint | null;
}

/**
 * A settleable line claimed by a batch. The primary key on line_id is what makes a line settle at most once,
 * whichever batches race for it. The amount is computed once, here, and never again.
 */
@ObjectType('SettledLine')
@Entity('settled_line')
@Index(['batchId', 'chunkNo'])
@Index(['manufacturerId'])
@Index(['hospitalId'])
export class SettledLine {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  lineId: string;

  @Field(() => ID)
  @Column('uuid')
  batchId: string;

  @Column('int')
  chunkNo: number;

  @Field(() => String, { description: 'RECEIPT or RETURN' })
  @Column('text')
  kind: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  agreementId: string | null;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => String)
  @Column('bigint')
  quantity: string;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Field(() => Date)
  @Column('timestamptz')
  acceptedAt: Date;

  @Field(() => Date)
  @Column('timestamptz')
  dueAt: Date;

  @Column('text')
  policyVersion: string;

  /** Who the fund pays for it (the payee policy in force when its batch took it): manufacturer or distributor. */
  @Field(() => ID)
  @Column('uuid')
  payeeId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  distributorId: string | null;

  /** The manufacturer → distributor invoice's amount for the line; null when none was recorded. */
  @Field(() => MoneyScalar, { name: 'supplyAmount', nullable: true })
  @Column('bigint', { nullable: true, transformer: fenTransformer })
  supplyAmountFen: bigint | null;
}

/**
 * What a batch owes one payee (a manufacturer, a distributor, a hospital's retained savings; the column keeps its
 * first name) (its lines' net amount), kept per chunk, and the payment instruction
 * that pays it — cleared again when that payment fails, so the next batch's instruction picks it up.
 * Linking this summary rather than every line keeps issuing instructions cheap for a million lines.
 */
@Entity('batch_payable')
@Index(['instructionId'])
export class BatchPayable {
  @PrimaryColumn('uuid')
  batchId: string;

  @PrimaryColumn('uuid')
  manufacturerId: string;

  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Column('uuid', { nullable: true })
  instructionId: string | null;
}

export const INSTRUCTION_STATES = ['HELD', 'ISSUED', 'PAID', 'FAILED'] as const;
export type InstructionState = (typeof INSTRUCTION_STATES)[number];
export const PaymentInstructionStateEnum = stateEnum(INSTRUCTION_STATES, 'PaymentInstructionState', 'HELD (not sent to the bank; see holdReason), ISSUED to the bank, then PAID or FAILED by its result');

/** What the bank is asked to pay one payee (manufacturer, distributor, or a hospital's retained savings) when a batch is approved. */
@ReadPolicy({
  roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'MANUFACTURER', 'DISTRIBUTOR', 'HOSPITAL', 'PLATFORM_ADMIN'],
  scope: { MANUFACTURER: ownBy('manufacturerId'), DISTRIBUTOR: ownBy('manufacturerId'), HOSPITAL: ownBy('manufacturerId'), ...forRoles(REGION_ROLES, everyRow) },
  note: 'payees (manufacturer_id holds the payee) read their own payments',
})
@ObjectType('PaymentInstruction')
@Entity('payment_instruction')
@Index('payment_instruction_issued_at_id', ['issuedAt', 'id'])
@Unique('UQ_payment_instruction_batch_manufacturer', ['batchId', 'manufacturerId'])
@Unique('UQ_payment_instruction_reference', ['reference'])
@Check(inCheck('state', INSTRUCTION_STATES))
@Check(`amount_fen > 0`)
@Check(`(state = 'HELD') = (hold_reason IS NOT NULL)`)
@Check(`(state = 'HELD') = (issue_journal_id IS NULL)`)
@Check(`(state = 'FAILED') = (failure_reason IS NOT NULL)`)
export class PaymentInstruction {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  batchId: string;

  /** The payee: a manufacturer, a distributor (DISTRIBUTOR payee policy) or a hospital (retained savings). */
  @Field(() => ID, { description: 'The payee organisation (kept under this name: a distributor under a DISTRIBUTOR payee policy, a hospital for retained savings); same as payeeId' })
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID, { description: 'The organisation paid: a manufacturer, a distributor or a hospital (retained savings)' })
  get payeeId(): string {
    return this.manufacturerId;
  }

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  /**
   * The reference sent to the bank with the instruction (业务参考号, e.g. VBP000000000042) and echoed on its
   * statement; unique, set by the database when the instruction is written (trigger payment_instruction_reference).
   */
  @Field(() => String, { description: 'Reference the bank echoes on its statement (业务参考号), unique per instruction' })
  @Column('text')
  reference: string;

  @Field(() => PaymentInstructionStateEnum)
  @Column('text', { default: 'ISSUED' })
  state: InstructionState;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  failureReason: string | null;

  @Field(() => String, { nullable: true, description: 'Why a HELD instruction is not sent, e.g. PAYEE_ACCOUNT_MISSING' })
  @Column('text', { nullable: true })
  holdReason: string | null;

  @Field(() => ID, { nullable: true, description: 'The verified payee account in effect when the instruction was issued' })
  @Column('uuid', { nullable: true })
  payeeAccountId: string | null;

  @Field(() => Date, { description: 'When issued to the bank (when created, while HELD)' })
  @Column('timestamptz')
  issuedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  resultAt: Date | null;

  /** The payable → clearing journal; null while HELD (the money stays in the manufacturer's payable). */
  @Column('uuid', { nullable: true })
  issueJournalId: string | null;
}

/** A prepayment posted for one `v_prepayment_due` row; the primary key makes it post at most once. */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('Prepayment')
@Entity('prepayment_posting')
@Index(['hospitalId'])
@Index('prepayment_posting_posted_at_key', ['postedAt', 'prepaymentDueId'])
export class PrepaymentPosting {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  prepaymentDueId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => ID)
  @Column('uuid')
  roundId: string;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @Column('uuid')
  journalId: string;

  @Field(() => Date)
  @Column('timestamptz')
  postedAt: Date;
}

/** A hospital's score for a cycle (round), set by a regulator; decides its share of retained savings. */
@ReadPolicy({ roles: ['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'] })
@ObjectType('HospitalScore')
@Entity('hospital_score')
@Check(`score IN ('A','B','C','D')`)
export class HospitalScoreRecord {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  hospitalId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  roundId: string;

  @Field(() => String)
  @Column('char', { length: 1 })
  score: string;

  @Column('uuid')
  setByUserId: string;

  @Field(() => Date)
  @Column('timestamptz')
  setAt: Date;
}
