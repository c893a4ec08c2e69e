import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

@InputType()
export class ImportInsuranceClaimsInput {
  @Field(() => String, { description: 'CSV or XLSX' })
  @IsIn(['CSV', 'XLSX'], { message: 'must be CSV or XLSX' })
  format: string;

  @Field(() => String, {
    description: 'The file, base64-encoded (at most 5 MB). Columns: hospitalCode, month (YYYY-MM), insuranceCode, quantity, amount (yuan); or 医疗机构代码, 结算月份, 医保编码, 数量, 金额',
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
export class InsuranceClaimImportFilter {
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' })
  month?: string | null;
}
