import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

export const ACCOUNT_KINDS = ['FUND_ENTITLEMENT', 'VBP_PREPAYMENT', 'PAYABLE', 'BANK_CLEARING', 'RETAINED_SAVINGS', 'CHAIN_PAYABLE', 'CHAIN_RECEIVABLE', 'FUND_ADVANCE'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** The fund's own accounts (bank clearing) belong to this owner rather than to an organisation. */
export const FUND_OWNER_ID = '00000000-0000-0000-0000-000000000000';

/**
 * A ledger account: per hospital FUND_ENTITLEMENT, VBP_PREPAYMENT, RETAINED_SAVINGS (结余留用 granted) and
 * FUND_ADVANCE (paid beyond its allotment as advances, 垫付),
 * PAYABLE per payee (manufacturers or distributors by the payee policy; hospitals for their retained savings),
 * the fund's BANK_CLEARING, and the invoice chain's sides outside the fund's payment: CHAIN_PAYABLE (what a
 * manufacturer or distributor owes the other party of the chain) against CHAIN_RECEIVABLE (what it is owed). `balance_fen` is kept in the same transaction as the postings and reconciled
 * against them; postings move money from one account (negative) to another (positive).
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('ownerId'), MANUFACTURER: ownBy('ownerId'), DISTRIBUTOR: ownBy('ownerId'), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('LedgerAccount')
@Entity('ledger_account')
@Index('ledger_account_kind_id', ['kind', 'id'])
@Unique('UQ_ledger_account_kind_owner', ['kind', 'ownerId'])
@Check(`kind IN ('FUND_ENTITLEMENT','VBP_PREPAYMENT','PAYABLE','BANK_CLEARING','RETAINED_SAVINGS','CHAIN_PAYABLE','CHAIN_RECEIVABLE','FUND_ADVANCE')`)
export class LedgerAccount {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { description: 'FUND_ENTITLEMENT, VBP_PREPAYMENT, PAYABLE, BANK_CLEARING, RETAINED_SAVINGS, CHAIN_PAYABLE, CHAIN_RECEIVABLE or FUND_ADVANCE' })
  @Column('text')
  kind: AccountKind;

  @Field(() => ID, { description: 'The hospital or manufacturer; the nil uuid for the fund' })
  @Column('uuid')
  ownerId: string;

  @Field(() => MoneyScalar, { name: 'balance' })
  @Column('bigint', { transformer: fenTransformer, default: 0 })
  balanceFen: bigint;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export const JOURNAL_KINDS = ['PREPAYMENT', 'SETTLEMENT', 'PAYMENT_ISSUED', 'PAYMENT_FAILED', 'REVERSAL', 'RETAINED_SAVINGS'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** One balanced set of postings; immutable once written (a trigger refuses UPDATE and DELETE). */
@ObjectType('LedgerJournal')
@Entity('ledger_journal')
@Check(`kind IN ('PREPAYMENT','SETTLEMENT','PAYMENT_ISSUED','PAYMENT_FAILED','REVERSAL','RETAINED_SAVINGS')`)
export class LedgerJournal {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  kind: JournalKind;

  @Field(() => String)
  @Column('text')
  description: string;

  @Index()
  @Column('uuid', { nullable: true })
  batchId: string | null;

  /** A reversal names the journal it corrects. */
  @Column('uuid', { nullable: true })
  reversesJournalId: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  postedAt: Date;
}

@Entity('ledger_posting')
@Index(['accountId'])
@Index(['journalId'])
@Check(`amount_fen <> 0`)
export class LedgerPosting {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid')
  journalId: string;

  @Column('uuid')
  accountId: string;

  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
