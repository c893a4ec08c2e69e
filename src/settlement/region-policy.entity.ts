import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn, Unique, Check } from 'typeorm';
import { PAYEE_RULES, PayeeRule } from '@libs/settlement-rules';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy } from '../platform/auth/read-policy';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';

export const PayeeRuleEnum = stateEnum(PAYEE_RULES, 'PayeeRule', 'Who the fund pays for a line: its MANUFACTURER (the distribution fee owed to the distributor) or its DISTRIBUTOR (who owes the manufacturer its invoice)');

/**
 * A region's settlement policy, versioned: each change is a new row with the instant it takes effect. The one
 * in force for a line is that of the nearest region (the line's own, else its closest ancestor) with the latest
 * effective date not after the batch taking the line; no policy at all means MANUFACTURER and no advances.
 */
@ReadPolicy({ roles: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'PLATFORM_ADMIN'], note: 'published rules: who is paid' })
@ObjectType('RegionSettlementPolicy')
@Entity('region_settlement_policy')
@Unique('UQ_region_settlement_policy_version', ['regionCode', 'version'])
@Unique('UQ_region_settlement_policy_effective', ['regionCode', 'effectiveFrom'])
@Check(inCheck('payee', PAYEE_RULES))
@Check(`version >= 1`)
@Check(`advance_limit_fen >= 0`)
export class RegionSettlementPolicy {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Int, { description: '1, 2, … per region' })
  @Column('int')
  version: number;

  @Field(() => Date)
  @Column('timestamptz')
  effectiveFrom: Date;

  @Field(() => PayeeRuleEnum)
  @Column('text')
  payee: PayeeRule;

  @Field(() => MoneyScalar, { name: 'advanceLimit', description: 'How far beyond a hospital’s allotment (per allotment) lines are paid as a recorded advance (垫付); 0: held' })
  @Column('bigint', { transformer: fenTransformer, default: 0 })
  advanceLimitFen: bigint;

  @Field(() => ID)
  @Column('uuid')
  setByUserId: string;

  @Field(() => Date)
  @Column('timestamptz')
  setAt: Date;
}
