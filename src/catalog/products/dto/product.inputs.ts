import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CONSISTENCY_STATUSES, PRODUCT_KINDS } from '../product.entity';
import { IsBusinessDate } from '../../../platform/graphql/date-validators';

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;

@InputType()
export class VarietySpecInput {
  @Field(() => String)
  @IsString()
  @Length(1, 50)
  spec: string;

  @Field(() => String, { description: 'Comparable factor to the reference unit (差比价), an exact decimal string' })
  @Matches(DECIMAL, { message: 'must be a positive decimal string with up to 6 decimals' })
  comparableFactor: string;
}

@InputType()
export class CreateVarietyInput {
  @Field(() => String)
  @Matches(/^[A-Z0-9-]{2,40}$/, { message: 'must be 2–40 upper-case letters, digits or dashes' })
  code: string;

  @Field(() => String, { description: PRODUCT_KINDS.join(', ') })
  @IsIn([...PRODUCT_KINDS], { message: `must be one of ${PRODUCT_KINDS.join(', ')}` })
  kind: string;

  @Field(() => String)
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  dosageForm?: string | null;

  @Field(() => String)
  @IsString()
  @Length(1, 30)
  referenceUnit: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  highValue?: boolean | null;

  @Field(() => [VarietySpecInput])
  @ValidateNested({ each: true })
  @Type(() => VarietySpecInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  specs: VarietySpecInput[];
}

@InputType()
export class RegisterDrugInput {
  @Field(() => ID, { nullable: true, description: 'Platform admins only: the manufacturer; others register for their own organisation' })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  varietySpecId?: string | null;

  @Field(() => String, { description: '通用名' })
  @IsString()
  @Length(1, 100)
  genericName: string;

  @Field(() => String, { description: '剂型' })
  @IsString()
  @Length(1, 50)
  dosageForm: string;

  @Field(() => String, { description: '规格, e.g. 20mg' })
  @IsString()
  @Length(1, 50)
  spec: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(100000)
  unitsPerPack: number;

  @Field(() => String, { description: '批准文号: 国药准字 + H/Z/S/J + 8 digits' })
  @IsString()
  approvalNumber: string;

  @Field(() => String, { nullable: true, description: '医保药品编码' })
  @IsOptional()
  @IsString()
  insuranceCode?: string | null;

  @Field(() => String, { description: CONSISTENCY_STATUSES.join(', ') })
  @IsIn([...CONSISTENCY_STATUSES], { message: `must be one of ${CONSISTENCY_STATUSES.join(', ')}` })
  consistencyStatus: string;

  @Field(() => String, { nullable: true, description: 'Approval expiry, YYYY-MM-DD' })
  @IsOptional()
  @IsBusinessDate()
  certificateExpiresOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A TCM decoction piece (中药饮片): left out of the 90 % drug purchase target' })
  @IsOptional()
  @IsBoolean()
  decoctionPiece?: boolean | null;
}

@InputType()
export class RegisterConsumableInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  varietySpecId?: string | null;

  @Field(() => String)
  @IsString()
  @Length(1, 100)
  productName: string;

  @Field(() => String, { description: 'e.g. 冠脉药物洗脱支架' })
  @IsString()
  @Length(1, 50)
  category: string;

  @Field(() => String, { description: 'Model and specification' })
  @IsString()
  @Length(1, 100)
  modelSpec: string;

  @Field(() => String, { description: '注册证号' })
  @IsString()
  registrationNumber: string;

  @Field(() => String, { nullable: true, description: 'UDI-DI (GTIN-14)' })
  @IsOptional()
  @IsString()
  udiDi?: string | null;

  @Field(() => String, { nullable: true, description: '医保耗材编码' })
  @IsOptional()
  @IsString()
  insuranceCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsBusinessDate()
  certificateExpiresOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'High-value consumable (高值医用耗材); default: as its variety says, else low-value' })
  @IsOptional()
  @IsBoolean()
  highValue?: boolean | null;

  @Field(() => String, { nullable: true, description: 'National insurance consumable classification code (2–11 digits); default: from the insurance code' })
  @IsOptional()
  @Matches(/^[0-9]{2,11}$/, { message: 'must be 2–11 digits' })
  nationalCategoryCode?: string | null;
}

@InputType()
export class ProductFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...PRODUCT_KINDS], { message: `must be one of ${PRODUCT_KINDS.join(', ')}` })
  kind?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  varietyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, spec, approval or registration number' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  search?: string | null;
}
