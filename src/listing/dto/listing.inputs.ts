import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { UnitPriceScalar } from '../../platform/graphql/scalars';
import { IsBusinessDate } from '../../platform/graphql/date-validators';

export const EVIDENCE_KINDS = ['COST_DOCUMENT', 'RAW_MATERIAL_NOTICE', 'OTHER'] as const;

@InputType()
export class PriceEvidenceInput {
  @Field(() => String, { description: EVIDENCE_KINDS.join(', ') })
  @IsIn([...EVIDENCE_KINDS], { message: `must be one of ${EVIDENCE_KINDS.join(', ')}` })
  kind: string;

  @Field(() => String, { description: 'Reference of the uploaded document (e.g. its document-store key)' })
  @IsString()
  @Length(1, 200)
  documentRef: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;
}

@InputType()
export class ApplyForListingInput {
  @Field(() => ID)
  @IsUUID('all')
  productId: string;

  @Field(() => UnitPriceScalar, { description: 'Price per smallest unit of the product\'s spec' })
  unitPrice: string;

  @Field(() => String, { nullable: true, description: 'Why the price is set or changed (required to change a listed price)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string | null;

  @Field(() => [PriceEvidenceInput], { nullable: true, description: 'Evidence for an increase: cost documents, raw-material notices (at least one for any increase)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PriceEvidenceInput)
  evidence?: PriceEvidenceInput[] | null;

  @Field(() => String, { nullable: true, description: 'Send the same key when retrying: the operation then happens at most once' })
  @IsOptional()
  @IsString()
  idempotencyKey?: string | null;
}

export const REVIEW_DECISIONS = ['APPROVE', 'REFUSE', 'RETURN_FOR_PRICE_CUT'] as const;

@InputType()
export class ReviewListingInput {
  @Field(() => ID)
  @IsUUID('all')
  applicationId: string;

  @Field(() => String, { description: REVIEW_DECISIONS.join(', ') })
  @IsIn([...REVIEW_DECISIONS], { message: `must be one of ${REVIEW_DECISIONS.join(', ')}` })
  decision: string;

  @Field(() => String)
  @IsString()
  @Length(1, 2000)
  note: string;
}

@InputType()
export class RecordReferencePriceInput {
  @Field(() => ID)
  @IsUUID('all')
  productId: string;

  @Field(() => String, { description: 'Province code (GB/T 2260) of the other province' })
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit region code' })
  provinceCode: string;

  @Field(() => UnitPriceScalar)
  unitPrice: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @IsBusinessDate()
  effectiveOn: string;

  @Field(() => String)
  @IsString()
  @Length(1, 200)
  source: string;
}

@InputType()
export class ImportReferencePricesInput {
  @Field(() => String, { description: 'CSV or XLSX' })
  @IsIn(['CSV', 'XLSX'], { message: 'must be CSV or XLSX' })
  format: string;

  @Field(() => String, { description: 'The file, base64-encoded (at most 5 MB). Columns: provinceCode, approvalNumber (or registrationNumber), unitPrice, effectiveOn, source' })
  @IsString() // its size: at most 5 MB decoded (PAYLOAD_TOO_LARGE), and the request body limit before that
  contentBase64: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fileName?: string | null;

  @Field(() => String, { nullable: true, description: 'Send the same key when retrying: the operation then happens at most once' })
  @IsOptional()
  @IsString()
  idempotencyKey?: string | null;
}
