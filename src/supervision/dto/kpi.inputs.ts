import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsString, Length } from 'class-validator';
import { KPI_LEVELS, KpiLevelEnum } from '../kpi-levels';

@InputType()
export class KpiScopeInput {
  @Field(() => KpiLevelEnum)
  @IsIn([...KPI_LEVELS], { message: `must be one of ${KPI_LEVELS.join(', ')}` })
  level: string;

  @Field(() => String, { description: 'Region code (PROVINCE 410000, CITY 410100) or the hospital\'s public code or id (HOSPITAL)' })
  @IsString()
  @Length(6, 40)
  code: string;
}
