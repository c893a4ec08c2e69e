import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { MoneyScalar } from '../../platform/graphql/scalars';
import { FILE_ENCODINGS, FileEncoding, FileEncodingEnum } from '../payment-files.service';
import { BANK_EXCEPTION_RESOLUTIONS, BankExceptionResolution, BankExceptionResolutionEnum } from '../bank-statement.entity';

@InputType()
export class ImportBankStatementInput {
  @Field(() => String, { description: 'CSV or XLSX' })
  @IsIn(['CSV', 'XLSX'], { message: 'must be CSV or XLSX' })
  format: string;

  @Field(() => FileEncodingEnum, { nullable: true, description: 'CSV only: UTF8 (default; a BOM is skipped) or GBK' })
  @IsOptional()
  @IsIn([...FILE_ENCODINGS])
  encoding?: FileEncoding | null;

  @Field(() => String, {
    description: 'The statement, base64-encoded (at most 5 MB). Header row with the columns 交易日期, 流水号, 借贷标志 (借/贷), 金额, 对方账号, 对方户名, 业务参考号 and optionally 摘要 (or valueDate, bankSerial, direction, amount, counterpartyAccount, counterpartyName, reference, remark)',
  })
  @IsString()
  contentBase64: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fileName?: string | null;
}

@InputType()
export class ResolveBankExceptionInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a bank exception id' })
  exceptionId: string;

  @Field(() => BankExceptionResolutionEnum, { description: 'NOTED: worked outside the platform (the note says how); MATCHED: match the debit to an issued instruction, which becomes PAID' })
  @IsIn([...BANK_EXCEPTION_RESOLUTIONS])
  resolution: BankExceptionResolution;

  @Field(() => ID, { nullable: true, description: 'MATCHED only: the ISSUED instruction the entry paid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a payment instruction id' })
  instructionId?: string | null;

  @Field(() => String, { description: 'What was found and done (required)' })
  @IsString()
  @Length(1, 500)
  note: string;
}

/** One instruction of a batch, as the ledger, the instruction and the bank each see it. */
@ObjectType()
export class BankReconciliationRow {
  @Field(() => ID) instructionId: string;
  @Field(() => String) reference: string;
  @Field(() => ID) manufacturerId: string;
  @Field(() => String) payeeName: string;
  @Field(() => String, { description: 'The instruction’s state (HELD, ISSUED, PAID, FAILED)' }) instructionState: string;
  @Field(() => MoneyScalar, { name: 'settled', description: 'What this batch posted to the manufacturer’s payable (its lines, net of returns)' }) settledFen: bigint;
  @Field(() => MoneyScalar, { name: 'instructed', description: 'The instruction’s amount (may include amounts of earlier batches whose payment failed)' }) instructedFen: bigint;
  @Field(() => MoneyScalar, { name: 'ledgerPaid', description: 'Ledger: paid out of the payable for this instruction, net of failures and returns' }) ledgerPaidFen: bigint;
  @Field(() => MoneyScalar, { name: 'bankDebits', description: 'Bank: statement debits naming the instruction' }) bankDebitsFen: bigint;
  @Field(() => MoneyScalar, { name: 'bankCredits', description: 'Bank: statement credits (returns) naming the instruction' }) bankCreditsFen: bigint;
  @Field(() => MoneyScalar, { name: 'difference', description: 'ledgerPaid − (bankDebits − bankCredits)' }) differenceFen: bigint;
  @Field(() => String, { description: 'AGREED, DIFFERENT, AWAITING_BANK (nothing on a statement yet) or HELD (never sent)' }) status: string;
  @Field(() => Int) openExceptions: number;
}

@ObjectType()
export class BankReconciliation {
  @Field(() => ID) batchId: string;
  @Field(() => Boolean, { description: 'Every sent instruction agrees with the bank and no exception of the batch is open' }) ok: boolean;
  @Field(() => MoneyScalar, { name: 'settled', description: 'The batch’s amount as posted to the ledger' }) settledFen: bigint;
  @Field(() => MoneyScalar, { name: 'instructed' }) instructedFen: bigint;
  @Field(() => MoneyScalar, { name: 'ledgerPaid' }) ledgerPaidFen: bigint;
  @Field(() => MoneyScalar, { name: 'bankNet', description: 'Bank debits − credits naming the batch’s instructions' }) bankNetFen: bigint;
  @Field(() => MoneyScalar, { name: 'difference' }) differenceFen: bigint;
  @Field(() => Int, { description: 'Open exceptions naming the batch’s instructions' }) openExceptions: number;
  @Field(() => [BankReconciliationRow]) rows: BankReconciliationRow[];
}
