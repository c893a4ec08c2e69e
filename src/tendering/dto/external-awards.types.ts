import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ReadPolicy } from '../../platform/auth/read-policy';
import { stateEnum } from '../../platform/graphql/state-enum';
import { VbpSourceEnum, VbpSource } from '../../platform/ports/vbp-source';
import { ExternalAwardBatch, ExternalAwardVersion } from '../external-award.entity';
import { CHANGE_KINDS, ChangeKind } from '../external-awards-file';

export const ExternalAwardChangeKindEnum = stateEnum(CHANGE_KINDS, 'ExternalAwardChangeKind', 'What changed between two versions of external results');

@InputType()
export class ImportExternalAwardsInput {
  @Field(() => String, { description: 'CSV or XLSX' })
  @IsIn(['CSV', 'XLSX'], { message: 'must be CSV or XLSX' })
  format: string;

  @Field(() => String, {
    description:
      'The file, base64-encoded (at most 5 MB). One row per winner × spec; columns: batchCode, level, allianceName, cycleStart, cycleYears, volumeShare, varietyCode, spec, comparableFactor, manufacturerCode, approvalNumber, unitPrice, primaryRegions, backupRegions',
  })
  @IsString()
  contentBase64: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fileName?: string | null;

  @Field(() => Date, { nullable: true, description: 'Until when this province’s hospitals report demand; required for a batch’s first import, optional for a correction' })
  demandDeadline?: Date | null;
}

@InputType()
export class ExternalAwardSpecInput {
  @Field(() => String)
  @IsString()
  spec: string;

  @Field(() => String, { nullable: true, description: 'Comparable factor to the reference unit; defaults to the catalogue’s' })
  @IsOptional()
  @IsString()
  comparableFactor?: string | null;
}

@InputType()
export class ExternalAwardPriceInput {
  @Field(() => String)
  @IsString()
  spec: string;

  @Field(() => String, { description: 'The winning product’s approval (国药准字) or registration number' })
  @IsString()
  approvalNumber: string;

  @Field(() => String, { description: 'Awarded unit price per unit of the spec, yuan, at most 4 decimals' })
  @IsString()
  unitPrice: string;
}

@InputType()
export class ExternalAwardWinnerInput {
  @Field(() => String, { description: 'The manufacturer’s 统一社会信用代码 (its organisation code)' })
  @IsString()
  manufacturerCode: string;

  @Field(() => [String], { description: 'Regions of this province the winner supplies first (主供)' })
  @IsArray()
  primaryRegions: string[];

  @Field(() => [String], { nullable: true, description: 'Regions it supplies when the primary winner fails (备供)' })
  @IsOptional()
  @IsArray()
  backupRegions?: string[] | null;

  @Field(() => [ExternalAwardPriceInput])
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExternalAwardPriceInput)
  prices: ExternalAwardPriceInput[];
}

@InputType()
export class ExternalAwardVarietyInput {
  @Field(() => String, { description: 'The variety’s catalogue code' })
  @IsString()
  code: string;

  @Field(() => [ExternalAwardSpecInput])
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExternalAwardSpecInput)
  specs: ExternalAwardSpecInput[];

  @Field(() => [ExternalAwardWinnerInput])
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExternalAwardWinnerInput)
  winners: ExternalAwardWinnerInput[];
}

@InputType()
export class ImportExternalAwardsJsonInput {
  @Field(() => String)
  @IsString()
  batchCode: string;

  @Field(() => String, { description: 'NATIONAL or ALLIANCE' })
  @IsString()
  level: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  allianceName?: string | null;

  @Field(() => String, { description: 'First day of the procurement cycle, YYYY-MM-DD (Asia/Shanghai)' })
  @IsString()
  cycleStart: string;

  @Field(() => Int)
  @IsInt()
  cycleYears: number;

  @Field(() => String, { description: 'Agreed share of reported demand, e.g. "0.7"' })
  @IsString()
  volumeShare: string;

  @Field(() => [ExternalAwardVarietyInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ExternalAwardVarietyInput)
  varieties: ExternalAwardVarietyInput[];

  @Field(() => Date, { nullable: true, description: 'Until when hospitals report demand; required for a batch’s first import' })
  demandDeadline?: Date | null;
}

@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('ExternalAwardChange')
export class ExternalAwardChange {
  @Field(() => ExternalAwardChangeKindEnum)
  kind: ChangeKind;

  @Field(() => String, { nullable: true })
  varietyCode: string | null;

  @Field(() => String, { nullable: true })
  spec: string | null;

  @Field(() => String, { nullable: true })
  manufacturerCode: string | null;

  @Field(() => String, { nullable: true, description: 'TERMS_CHANGED: the term; PRICE_CHANGED: unitPrice or approvalNumber' })
  field: string | null;

  @Field(() => String, { nullable: true })
  before: string | null;

  @Field(() => String, { nullable: true })
  after: string | null;
}

@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('ExternalAwardImport')
export class ExternalAwardImport {
  @Field(() => ExternalAwardBatch)
  batch: ExternalAwardBatch;

  @Field(() => ExternalAwardVersion, { description: 'The version in force after the import' })
  version: ExternalAwardVersion;

  @Field(() => Boolean, { description: 'true when the content equals the version in force: nothing was written' })
  unchanged: boolean;
}

@ReadPolicy({ roles: 'ANY' })
@ObjectType('VbpVarietiesInForce')
export class VbpVarietiesInForce {
  @Field(() => VbpSourceEnum, { description: 'NATIONAL, ALLIANCE or PROVINCIAL (the platform’s own rounds)' })
  level: VbpSource;

  @Field(() => Int, { description: 'Distinct varieties with a round of this source in force (confirmed, cycle not ended)' })
  varieties: number;

  @Field(() => Int)
  rounds: number;
}

