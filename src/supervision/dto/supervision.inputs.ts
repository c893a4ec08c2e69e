import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { CASE_STATES, RULE_CODES, SEVERITIES, type CaseState } from '@libs/supervision-rules';
import { CaseStateEnum } from '../alert.entity';
import { IsBusinessDate, IsBusinessMonth } from '../../platform/graphql/date-validators';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

@InputType()
export class RuleParamInput {
  @Field(() => String)
  @IsString()
  @Length(1, 60)
  name: string;

  @Field(() => String, { description: 'Decimal string for ratios and multiples, whole number for days and months' })
  @IsString()
  @Length(1, 20)
  value: string;
}

@InputType()
export class PublishRuleVersionInput {
  @Field(() => String, { description: RULE_CODES.join(', ') })
  @IsString()
  code: string;

  @Field(() => [RuleParamInput])
  @ValidateNested({ each: true })
  @Type(() => RuleParamInput)
  @ArrayMaxSize(10)
  params: RuleParamInput[];

  @Field(() => String, { nullable: true, description: SEVERITIES.join(', ') })
  @IsOptional()
  @IsString()
  severity?: string | null;

  @Field(() => String, { nullable: true, description: 'The policy text; the previous version\'s when omitted' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  policy?: string | null;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @IsBusinessDate()
  effectiveFrom: string;
}

@InputType()
export class AlertFilter {
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month YYYY-MM' })
  period?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...RULE_CODES], { message: `must be one of ${RULE_CODES.join(', ')}` })
  ruleCode?: string | null;

  @Field(() => CaseStateEnum, { nullable: true })
  @IsOptional()
  @IsIn([...CASE_STATES], { message: `must be one of ${CASE_STATES.join(', ')}` })
  state?: CaseState | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  subjectId?: string | null;
}

@InputType()
export class MoveCaseInput {
  @Field(() => ID)
  @IsUUID()
  alertId: string;

  @Field(() => CaseStateEnum)
  @IsIn([...CASE_STATES], { message: `must be one of ${CASE_STATES.join(', ')}` })
  to: CaseState;

  @Field(() => String)
  @IsString()
  @Length(1, 4000)
  note: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: the answer, interview or rectification deadline' })
  @IsOptional()
  @IsBusinessDate()
  deadline?: string | null;

  @Field(() => String, { nullable: true, description: 'Credit behaviour code, required when escalating to credit' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  behaviour?: string | null;
}

@InputType()
export class AnswerCaseInput {
  @Field(() => ID)
  @IsUUID()
  alertId: string;

  @Field(() => String)
  @IsString()
  @Length(1, 4000)
  answer: string;
}

@InputType()
export class DashboardInput {
  @Field(() => String, { description: 'First month, YYYY-MM' })
  @IsBusinessMonth()
  fromMonth: string;

  @Field(() => String, { description: 'Last month, YYYY-MM' })
  @IsBusinessMonth()
  toMonth: string;
}
