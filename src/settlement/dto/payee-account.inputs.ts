import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PayeeAccount } from '../payee-account.entity';

@InputType()
export class ProposePayeeAccountInput {
  @Field(() => ID, { description: 'The organisation paid into this account' })
  @IsUUID('all', { message: 'must be an organisation id' })
  organisationId: string;

  @Field(() => String, { description: 'Account name (户名): must equal the organisation’s registered name' })
  @IsString()
  @Length(1, 200)
  accountName: string;

  @Field(() => String, { description: 'Account number: 8–32 digits, no spaces' })
  @IsString()
  accountNumber: string;

  @Field(() => String, { description: 'Bank (开户银行)' })
  @IsString()
  @Length(1, 100)
  bankName: string;

  @Field(() => String, { description: 'Branch (开户网点)' })
  @IsString()
  @Length(1, 200)
  branchName: string;

  @Field(() => String, { description: '12-digit CNAPS code (大额支付系统行号) of the branch; digits 1–3 a known bank category' })
  @IsString()
  cnapsCode: string;

  @Field(() => String, { nullable: true, description: 'CNY (the only currency)' })
  @IsOptional()
  @IsString()
  currency?: string | null;

  @Field(() => Date, { description: 'Payments issued from this instant on use the account, once verified' })
  effectiveFrom: Date;
}

@ObjectType()
export class VerifyPayeeAccountResult {
  @Field(() => PayeeAccount) account: PayeeAccount;
  @Field(() => Int, { description: 'Held payment instructions of the organisation issued by this verification' }) releasedInstructions: number;
}

export const DISPUTE_OUTCOMES = ['RELEASE', 'UPHOLD'] as const;

@InputType()
export class DisputeSettlementLineInput {
  @Field(() => ID, { description: 'A payable line (v_payable_line.lineId) charged to the caller’s hospital' })
  @IsUUID('all', { message: 'must be a line id' })
  lineId: string;

  @Field(() => String)
  @IsString()
  @Length(1, 500)
  reason: string;
}

@InputType()
export class ResolveLineDisputeInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a dispute id' })
  disputeId: string;

  @Field(() => String, { description: 'RELEASE (the line is confirmed and goes to the next batch) or UPHOLD (it stays held; correct it by a return)' })
  @IsIn([...DISPUTE_OUTCOMES], { message: 'must be RELEASE or UPHOLD' })
  outcome: 'RELEASE' | 'UPHOLD';

  @Field(() => String)
  @IsString()
  @Length(1, 500)
  note: string;
}

@ObjectType()
export class ConfirmationRunResult {
  @Field(() => Int) confirmed: number;
  @Field(() => Date, { description: 'Lines accepted before this instant are past their dispute window' }) cutoff: Date;
  @Field(() => String) policyVersion: string;
}
