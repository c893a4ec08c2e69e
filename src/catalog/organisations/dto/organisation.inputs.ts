import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { HOSPITAL_LEVELS, ORGANISATION_KINDS } from '../organisation.entity';

@InputType()
export class CreateOrganisationInput {
  @Field(() => String, {
    description: 'Public code: the 统一社会信用代码 (18 characters, valid check character) — or, for a regulator, the region code it administers',
  })
  @IsString()
  @Length(6, 18, { message: 'must be a 6-digit region code (regulators) or an 18-character unified social credit code' })
  code: string;

  @Field(() => String, {
    nullable: true,
    description: '统一社会信用代码: required for regulators (whose code is their region code); for others it is the code, and may be omitted',
  })
  @IsOptional()
  @IsString()
  @Length(18, 18, { message: 'must be exactly 18 characters' })
  creditCode?: string | null;

  @Field(() => String)
  @IsString()
  @Length(2, 100)
  name: string;

  @Field(() => String, { description: ORGANISATION_KINDS.join(', ') })
  @IsIn([...ORGANISATION_KINDS], { message: `must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind: string;

  @Field(() => String)
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit GB/T 2260 code' })
  regionCode: string;

  @Field(() => String, { nullable: true, description: `Hospitals only: ${HOSPITAL_LEVELS.join(', ')}` })
  @IsOptional()
  @IsIn([...HOSPITAL_LEVELS], { message: `must be one of ${HOSPITAL_LEVELS.join(', ')}` })
  hospitalLevel?: string | null;
}

@InputType()
export class UpdateOrganisationInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...HOSPITAL_LEVELS], { message: `must be one of ${HOSPITAL_LEVELS.join(', ')}` })
  hospitalLevel?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean | null;
}

@InputType()
export class OrganisationFilter {
  @Field(() => String, { nullable: true, description: 'Exactly this public code (within the caller\'s scope; `organisation(code:)` looks up any)' })
  @IsOptional()
  @IsString()
  @Length(1, 18)
  code?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...ORGANISATION_KINDS], { message: `must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind?: string | null;

  @Field(() => String, { nullable: true, description: 'Only organisations in this region or below it' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit GB/T 2260 code' })
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  search?: string | null;
}
