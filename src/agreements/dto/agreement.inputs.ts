import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

@InputType()
export class ReportSupplyFailureInput {
  @Field(() => ID)
  @IsUUID('all')
  agreementId: string;

  @Field(() => String)
  @IsString()
  @Length(5, 5000)
  description: string;
}

@ObjectType()
export class AgreementCompletion {
  @Field(() => String, { description: 'Purchased ÷ agreed quantity, 4 decimals' })
  purchasedShare: string;

  @Field(() => String, { description: 'Elapsed share of the cycle at the server’s time, 4 decimals' })
  elapsedShare: string;

  @Field(() => String, { description: 'Elapsed share − purchased share, in percentage points (positive = behind)' })
  pointsBehind: string;
}

@InputType()
export class ResignAgreementYearInput {
  @Field(() => ID)
  @IsUUID('all')
  agreementId: string;

  @Field(() => Int, { nullable: true, description: 'The next year’s quantity; omitted: the past year’s actual use' })
  @IsOptional()
  @IsInt()
  @Min(0)
  quantity?: number | null;
}
