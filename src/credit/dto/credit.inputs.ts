import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { CREDIT_BEHAVIOURS, CREDIT_DECISIONS } from '@libs/credit-policy';
import { CreditDecisionEnum } from '../credit-notice.entity';
import { MoneyScalar } from '../../platform/graphql/scalars';
import { REPAIR_MEASURES } from '../credit-repair.entity';
import { IsBusinessDate } from '../../platform/graphql/date-validators';

@InputType()
export class RecordCreditEventInput {
  @Field(() => ID, { description: 'The manufacturer or distributor' })
  @IsUUID('all')
  organisationId: string;

  @Field(() => String, { description: CREDIT_BEHAVIOURS.join(', ') })
  @IsIn([...CREDIT_BEHAVIOURS], { message: `must be one of ${CREDIT_BEHAVIOURS.join(', ')}` })
  behaviour: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'Single amount involved, ≥ 0' })
  @IsOptional()
  amount?: bigint | null;

  @Field(() => String, { description: 'YYYY-MM-DD, not in the future' })
  @IsBusinessDate()
  occurredOn: string;

  @Field(() => String, { description: 'Judgment, decision or case number and summary' })
  @IsString()
  @Length(1, 4000)
  evidence: string;

  @Field(() => [ID], { description: 'Products involved (the organisation\'s own)' })
  @IsUUID('all', { each: true })
  @ArrayMaxSize(200)
  productIds: string[];

  @Field(() => String, { nullable: true, description: 'Send the same key when retrying: the operation then happens at most once' })
  @IsOptional()
  @IsString()
  idempotencyKey?: string | null;
}

@InputType()
export class FileCreditRepairInput {
  @Field(() => [String], { description: REPAIR_MEASURES.join(', ') })
  @IsIn([...REPAIR_MEASURES], { each: true, message: `each must be one of ${REPAIR_MEASURES.join(', ')}` })
  @ArrayMinSize(1)
  @ArrayMaxSize(REPAIR_MEASURES.length)
  measures: string[];

  @Field(() => String)
  @IsString()
  @Length(1, 4000)
  statement: string;
}

@InputType()
export class FileCommitmentLetterInput {
  @Field(() => String)
  @IsString()
  @Length(1, 200)
  documentRef: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @IsBusinessDate()
  signedOn: string;
}

@InputType()
export class CreditDocumentInput {
  @Field(() => String, { description: 'Reference of the document (number, file id)' })
  @IsString()
  @Length(1, 200)
  documentRef: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string | null;
}

@InputType()
export class CreditStatementInput {
  @Field(() => String, { description: 'The statement (陈述申辩 or 申诉理由)' })
  @IsString()
  @Length(1, 8000)
  statement: string;

  @Field(() => [CreditDocumentInput], { nullable: true, description: 'Documents filed with it' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => CreditDocumentInput)
  @ArrayMaxSize(50)
  documents?: CreditDocumentInput[] | null;
}

@InputType()
export class CreditDecisionInput {
  @Field(() => CreditDecisionEnum)
  @IsIn([...CREDIT_DECISIONS], { message: `must be one of ${CREDIT_DECISIONS.join(', ')}` })
  decision: string;

  @Field(() => String, { nullable: true, description: 'REDUCE only: the milder level (GENERAL, MEDIUM, SERIOUS)' })
  @IsOptional()
  @IsString()
  level?: string | null;

  @Field(() => String, { description: 'Reasons of the decision (决定理由)' })
  @IsString()
  @Length(1, 8000)
  reasons: string;
}
