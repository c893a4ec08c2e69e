import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { CREDIT_BEHAVIOURS } from '@libs/credit-policy';
import { UnitPriceScalar } from '../../platform/graphql/scalars';
import { COST_OUTCOMES, CostOutcomeEnum } from '../cost-investigation.entity';

@InputType()
export class OpenCostInvestigationInput {
  @Field(() => ID, { nullable: true, description: 'The product investigated; or give varietyId for a whole variety' })
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  varietyId?: string | null;

  @Field(() => String)
  @IsString()
  @Length(1, 4000)
  reason: string;
}

@InputType()
export class RequestCostDocumentsInput {
  @Field(() => ID)
  @IsUUID('all')
  investigationId: string;

  @Field(() => ID, { nullable: true, description: 'The manufacturer asked; defaults to the product\'s (required for a variety)' })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => [String])
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  items: string[];

  @Field(() => Int, { description: 'Working days to submit (1–60)' })
  @IsInt()
  @Min(1)
  @Max(60)
  workingDays: number;
}

@InputType()
export class CostDocumentInput {
  @Field(() => String)
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
export class SubmitCostDocumentsInput {
  @Field(() => ID)
  @IsUUID('all')
  requestId: string;

  @Field(() => String)
  @IsString()
  @Length(1, 8000)
  statement: string;

  @Field(() => [CostDocumentInput])
  @ValidateNested({ each: true })
  @Type(() => CostDocumentInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  documents: CostDocumentInput[];
}

@InputType()
export class ConcludeCostInvestigationInput {
  @Field(() => ID)
  @IsUUID('all')
  investigationId: string;

  @Field(() => CostOutcomeEnum)
  @IsIn([...COST_OUTCOMES])
  outcome: string;

  @Field(() => String)
  @IsString()
  @Length(1, 8000)
  conclusion: string;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'PRICE_DECISION: the highest justified unit price' })
  @IsOptional()
  decidedUnitPrice?: string | null;

  @Field(() => String, { nullable: true, description: `CREDIT_EVENT: the behaviour (${CREDIT_BEHAVIOURS.join(', ')}); default UNFAIR_PRICE` })
  @IsOptional()
  @IsIn([...CREDIT_BEHAVIOURS])
  behaviour?: string | null;

  @Field(() => ID, { nullable: true, description: 'CREDIT_EVENT: the manufacturer (default: the one asked, when only one was)' })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;
}
