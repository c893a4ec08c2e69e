import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { UnitPriceScalar } from '../../platform/graphql/scalars';

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

@InputType()
export class AssignSubstituteSupplyInput {
  @Field(() => ID, { description: 'The lot whose only winner failed' })
  @IsUUID('all')
  lotId: string;

  @Field(() => ID)
  @IsUUID('all')
  failedManufacturerId: string;

  @Field(() => String, { description: 'WINNER (another winner of the variety) or LISTING_PRICE (temporary purchase at the listing price, capped)' })
  @IsIn(['WINNER', 'LISTING_PRICE'], { message: 'must be WINNER or LISTING_PRICE' })
  kind: 'WINNER' | 'LISTING_PRICE';

  @Field(() => ID, { nullable: true, description: 'WINNER: a winning bid of the same variety in another lot, batch or level, with agreements in effect' })
  @IsOptional()
  @IsUUID('all')
  substituteBidId?: string | null;

  @Field(() => ID, { nullable: true, description: 'LISTING_PRICE: another manufacturer’s listed product of the variety' })
  @IsOptional()
  @IsUUID('all')
  substituteProductId?: string | null;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'LISTING_PRICE: the highest unit price paid (yuan, up to 4 decimals)' })
  @IsOptional()
  @IsString()
  priceCap?: string | null;

  @Field(() => Date, { nullable: true, description: 'LISTING_PRICE: when the temporary purchase ends (default: the cycle end)' })
  @IsOptional()
  @IsDate()
  temporaryUntil?: Date | null;

  @Field(() => String)
  @IsString()
  @Length(5, 2000)
  reason: string;
}
