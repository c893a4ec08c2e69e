import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { MoneyScalar } from '../../platform/graphql/scalars';
import { BaselineSource, BaselineSourceEnum } from '../../platform/ports/vbp-source';
import { NotBeforeEpoch } from '../../platform/graphql/date-validators';

@InputType()
export class StartSettlementBatchInput {
  @Field(() => String, { description: 'GB/T 2260 code of the region whose subtree is settled' })
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit GB/T 2260 code' })
  regionCode: string;

  @Field(() => Date, { description: 'Lines accepted at or after this instant' })
  @NotBeforeEpoch()
  periodStart: Date;

  @Field(() => Date, { description: 'Lines accepted before this instant' })
  @NotBeforeEpoch()
  periodEnd: Date;

  @Field(() => String, { description: 'Retrying with the same key resumes the same batch; 8–100 of A–Z a–z 0–9 ._:-' })
  @IsString()
  idempotencyKey: string;
}

export const BANK_OUTCOMES = ['PAID', 'FAILED'] as const;

@InputType()
export class BankResultInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a payment instruction id' })
  instructionId: string;

  @Field(() => String, { description: 'PAID or FAILED' })
  @IsIn([...BANK_OUTCOMES], { message: 'must be PAID or FAILED' })
  outcome: 'PAID' | 'FAILED';

  @Field(() => String, { nullable: true, description: 'Required when FAILED: the bank’s reason' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string | null;
}

@InputType()
export class ImportBankResultsInput {
  @Field(() => [BankResultInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => BankResultInput)
  results: BankResultInput[];
}

@InputType()
export class SetHospitalScoreInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a hospital id' })
  hospitalId: string;

  @Field(() => ID, { description: 'The procurement round whose cycle the score is for' })
  @IsUUID('all', { message: 'must be a round id' })
  roundId: string;

  @Field(() => String, { description: 'A, B, C or D' })
  @IsIn(['A', 'B', 'C', 'D'], { message: 'must be A, B, C or D' })
  score: string;
}

@InputType()
export class PayableLineFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  hospitalId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  batchId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only unpaid lines past their due date' })
  @IsOptional()
  overdueOnly?: boolean | null;
}

// ---- read models -------------------------------------------------------------------------------------------

@ObjectType()
export class PayableLine {
  @Field(() => ID) lineId: string;
  @Field(() => ID) hospitalId: string;
  @Field(() => String) regionCode: string;
  @Field(() => ID) manufacturerId: string;
  @Field(() => MoneyScalar, { name: 'amount' }) amountFen: bigint;
  @Field(() => Date) acceptedAt: Date;
  @Field(() => Date) dueAt: Date;
  @Field(() => Date, { nullable: true }) paidAt: Date | null;
  @Field(() => ID, { nullable: true, description: 'Null while no batch has settled the line' }) batchId: string | null;
  @Field(() => Boolean) overdue: boolean;
  @Field(() => String, { description: 'Hospital confirmation: PENDING (within the dispute window), CONFIRMED, DISPUTED (held) or UPHELD (dispute upheld, held)' })
  confirmation: string;
  @Field(() => Date, { nullable: true, description: 'While PENDING: when the dispute window ends and the line is confirmed' })
  disputeDeadline: Date | null;
}

@ObjectType()
export class AgeingRow {
  @Field(() => ID) hospitalId: string;
  @Field(() => ID) manufacturerId: string;
  @Field(() => MoneyScalar, { name: 'days0To30', description: '0–30 days since acceptance' }) days0To30Fen: bigint;
  @Field(() => MoneyScalar, { name: 'days31To60' }) days31To60Fen: bigint;
  @Field(() => MoneyScalar, { name: 'days61To90' }) days61To90Fen: bigint;
  @Field(() => MoneyScalar, { name: 'over90' }) over90Fen: bigint;
  @Field(() => MoneyScalar, { name: 'overdue', description: 'Unpaid and past the due date' }) overdueFen: bigint;
  @Field(() => String) policyVersion: string;
}

@ObjectType()
export class PaymentFile {
  @Field(() => String) filename: string;
  @Field(() => String) contentType: string;
  @Field(() => String, { description: 'The file, base64-encoded' }) contentBase64: string;
  @Field(() => Int, { description: 'Instructions in the file (the control count)' }) rows: number;
  @Field(() => MoneyScalar, { name: 'total', description: 'Sum of the instructions in the file (the control total)' }) totalFen: bigint;
}

@ObjectType()
export class AccountDifference {
  @Field(() => ID) accountId: string;
  @Field(() => String) kind: string;
  @Field(() => ID) ownerId: string;
  @Field(() => MoneyScalar, { name: 'balance' }) balanceFen: bigint;
  @Field(() => MoneyScalar, { name: 'postings' }) postingsFen: bigint;
}

@ObjectType()
export class Reconciliation {
  @Field(() => Boolean, { description: 'Every balance equals its postings, every journal and the ledger sum to zero' }) ok: boolean;
  @Field(() => Int) accountsChecked: number;
  @Field(() => MoneyScalar, { name: 'ledgerTotal', description: 'Sum of all postings; zero when the ledger balances' }) ledgerTotalFen: bigint;
  @Field(() => [AccountDifference]) differences: AccountDifference[];
  @Field(() => [ID], { description: 'Journals whose postings do not sum to zero' }) unbalancedJournalIds: string[];
}

@ObjectType()
export class RetainedSavingsRow {
  @Field(() => ID) hospitalId: string;
  @Field(() => ID) roundId: string;
  @Field(() => String, { nullable: true, description: 'Null until a regulator scores the hospital' }) score: string | null;
  @Field(() => MoneyScalar, { name: 'budget' }) budgetFen: bigint;
  @Field(() => MoneyScalar, { name: 'spent' }) spentFen: bigint;
  @Field(() => MoneyScalar, { name: 'savings' }) savingsFen: bigint;
  @Field(() => MoneyScalar, { name: 'retained' }) retainedFen: bigint;
  @Field(() => String) share: string;
  @Field(() => String) policyVersion: string;
  @Field(() => MoneyScalar, { name: 'accrued', description: 'Retained savings of the round accrued in the ledger (year-end journals), all years' })
  accruedFen: bigint;
  @Field(() => MoneyScalar, { name: 'paid', description: 'Accrued savings whose payment the bank confirmed' })
  paidFen: bigint;
  @Field(() => [BaselineSourceEnum], { description: 'Where the budget’s pre-VBP prices come from: PLATFORM receipts, IMPORTED figures, or both (empty: no baseline)' })
  baselineSources: BaselineSource[];
}

@ObjectType()
export class PrepaymentRunResult {
  @Field(() => Int) posted: number;
  @Field(() => MoneyScalar, { name: 'amount' }) amountFen: bigint;
}
