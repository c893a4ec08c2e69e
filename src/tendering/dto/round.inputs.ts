import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MoneyScalar, UnitPriceScalar } from '../../platform/graphql/scalars';
import { ROUND_LEVELS, SEALING_MODES } from '../round.entity';

const REGION_CODE = /^\d{6}$/;

@InputType()
export class RuleSetChoiceInput {
  @Field(() => String, { nullable: true, description: 'A preset: BATCH_7, BATCH_10, BATCH_11 or SPECIAL_ANTIBIOTICS (latest version)' })
  @IsOptional()
  @IsString()
  presetCode?: string | null;

  @Field(() => String, { nullable: true, description: 'A custom rule set as the engine’s ruleSet JSON (see the evaluation contract)' })
  @IsOptional()
  @IsString()
  @Length(2, 10_000)
  customJson?: string | null;
}

@InputType()
export class LotSpecInput {
  @Field(() => ID)
  @IsUUID('all')
  varietySpecId: string;

  @Field(() => UnitPriceScalar, { description: 'Maximum valid unit price (最高有效申报价), up to 4 decimals' })
  @IsString()
  ceilingUnitPrice: string;

  @Field(() => String, { nullable: true, description: 'Comparable factor for this round; defaults to the variety’s' })
  @IsOptional()
  @Matches(/^\d{1,12}(\.\d{1,6})?$/, { message: 'must be a positive decimal string with up to 6 decimals' })
  comparableFactor?: string | null;
}

@InputType()
export class LotInput {
  @Field(() => ID)
  @IsUUID('all')
  varietyId: string;

  @Field(() => [LotSpecInput])
  @ValidateNested({ each: true })
  @Type(() => LotSpecInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  specs: LotSpecInput[];
}

@InputType()
export class RoundInput {
  @Field(() => String)
  @IsString()
  @Length(2, 200)
  name: string;

  @Field(() => String, { description: ROUND_LEVELS.join(', ') })
  @IsIn([...ROUND_LEVELS], { message: `must be one of ${ROUND_LEVELS.join(', ')}` })
  level: string;

  @Field(() => [String], { description: 'Supply regions (GB/T 2260 codes) within your own region' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(REGION_CODE, { each: true, message: 'must be 6-digit region codes' })
  coveredRegionCodes: string[];

  @Field(() => [LotInput])
  @ValidateNested({ each: true })
  @Type(() => LotInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  lots: LotInput[];

  @Field(() => RuleSetChoiceInput)
  @ValidateNested()
  @Type(() => RuleSetChoiceInput)
  ruleSet: RuleSetChoiceInput;

  @Field(() => Date, { description: 'Demand reporting ends (Asia/Shanghai offsets accepted)' })
  demandDeadline: Date;

  @Field(() => Date, { description: 'Bids are accepted strictly before this instant' })
  bidDeadline: Date;

  @Field(() => Date, { description: 'Agreements start here' })
  cycleStart: Date;

  @Field(() => Int, { nullable: true, description: 'Publicity period in days (policy default when absent)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  publicityDays?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `${SEALING_MODES.join(' or ')}: bids sealed to the round's opening committee, or with the demo key (demo and tests; refused in production). Default: COMMITTEE in production, DEMO_SINGLE_KEY elsewhere; on update, the round's current mode`,
  })
  @IsOptional()
  @IsIn([...SEALING_MODES], { message: `must be one of ${SEALING_MODES.join(', ')}` })
  sealingMode?: string | null;
}

@InputType()
export class OpeningCommitteeInput {
  @Field(() => Int, { description: 'k: how many members’ shares open the round (2 ≤ k ≤ n)' })
  @IsInt()
  @Min(2)
  @Max(15)
  threshold: number;

  @Field(() => [ID], { description: 'n named regulator users (2..15), each receives one key share; share i goes to the i-th' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(15)
  @IsUUID('all', { each: true, message: 'must be user ids' })
  memberUserIds: string[];
}

@InputType()
export class RenewRoundInput {
  @Field(() => String)
  @IsString()
  @Length(2, 200)
  name: string;

  @Field(() => Date)
  demandDeadline: Date;

  @Field(() => Date)
  bidDeadline: Date;

  @Field(() => Date)
  cycleStart: Date;
}

@InputType()
export class ReportDemandInput {
  @Field(() => ID)
  @IsUUID('all')
  lotId: string;

  @Field(() => Int, { description: 'Expected annual quantity in the lot’s reference unit' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  quantity: number;

  @Field(() => ID, { nullable: true, description: 'Brand demand: the manufacturer the hospital prefers' })
  @IsOptional()
  @IsUUID('all')
  preferredManufacturerId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  reason?: string | null;
}

@InputType()
export class DemandBaselineInput {
  @Field(() => ID)
  @IsUUID('all')
  hospitalId: string;

  @Field(() => ID)
  @IsUUID('all')
  varietyId: string;

  @Field(() => Int)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  quantity: number;

  @Field(() => MoneyScalar, { nullable: true, description: 'What those purchases cost (gives the pre-VBP unit price for retained savings); omitted: unknown' })
  amount?: bigint | null;
}

@InputType()
export class BidTermsInput {
  @Field(() => ID, { description: 'Your registered product of the lot’s variety' })
  @IsUUID('all')
  productId: string;

  @Field(() => UnitPriceScalar, { description: 'Unit price per unit of the product’s spec, yuan, up to 4 decimals; sealed until opening' })
  @IsString()
  unitPrice: string;

  @Field(() => Int, { description: 'Annual supply capacity in the reference unit' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  supplyCapacity: number;

  @Field(() => [String], { nullable: true, description: 'Covered regions in order of preference' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(REGION_CODE, { each: true, message: 'must be 6-digit region codes' })
  regionPreferences?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  acceptsRevival?: boolean | null;
}

@InputType()
export class SubmitBidInput extends BidTermsInput {
  @Field(() => ID)
  @IsUUID('all')
  lotId: string;
}

@InputType()
export class FileObjectionInput {
  @Field(() => ID)
  @IsUUID('all')
  roundId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  lotId?: string | null;

  @Field(() => String)
  @IsString()
  @Length(5, 5000)
  text: string;
}

@InputType()
export class UpholdObjectionInput {
  @Field(() => ID)
  @IsUUID('all')
  objectionId: string;

  @Field(() => String, { description: 'The answer the objector reads' })
  @IsString()
  @Length(2, 5000)
  answer: string;

  @Field(() => String, { description: 'EXCLUDE_BID or REINSTATE_BID (a bid excluded by an earlier upheld objection)' })
  @IsIn(['EXCLUDE_BID', 'REINSTATE_BID'], { message: 'must be EXCLUDE_BID or REINSTATE_BID' })
  action: 'EXCLUDE_BID' | 'REINSTATE_BID';

  @Field(() => ID)
  @IsUUID('all')
  bidId: string;

  @Field(() => String, { description: 'Why the bid is excluded or reinstated (published with the revision)' })
  @IsString()
  @Length(2, 2000)
  reason: string;
}
