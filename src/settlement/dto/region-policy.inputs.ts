import { Field, InputType } from '@nestjs/graphql';
import { Matches } from 'class-validator';
import type { PayeeRule } from '@libs/settlement-rules';
import { NotBeforeEpoch } from '../../platform/graphql/date-validators';
import { MoneyScalar } from '../../platform/graphql/scalars';
import { PayeeRuleEnum } from '../region-policy.entity';

@InputType()
export class SetRegionSettlementPolicyInput {
  @Field(() => String, { description: 'GB/T 2260 code of the region; its subtree follows the policy unless a nearer region sets its own' })
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit GB/T 2260 code' })
  regionCode: string;

  @Field(() => Date, { description: 'When it takes effect (not in the past): batches taking lines from then on follow it' })
  @NotBeforeEpoch()
  effectiveFrom: Date;

  @Field(() => PayeeRuleEnum)
  payee: PayeeRule;

  @Field(() => MoneyScalar, { nullable: true, description: 'Advance (垫付) allowed beyond a hospital’s allotment, per allotment; omitted or 0: lines beyond it are held' })
  advanceLimit?: bigint | null;
}
