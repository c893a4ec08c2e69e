import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { MoneyScalar } from '../../platform/graphql/scalars';

@InputType()
export class SetFundAllotmentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a hospital id' })
  hospitalId: string;

  @Field(() => Date, { description: 'Lines accepted at or after this instant draw on the allotment' })
  periodStart: Date;

  @Field(() => Date, { description: 'Lines accepted before this instant' })
  periodEnd: Date;

  @Field(() => MoneyScalar, { description: 'What the fund allots the hospital for the period (budget, prepayment and retained savings together)' })
  amount: bigint;
}
