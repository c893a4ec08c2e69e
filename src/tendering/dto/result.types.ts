import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyScalar, UnitPriceScalar } from '../../platform/graphql/scalars';
import { BidResult } from '../result.entity';
import { RoundState, RoundStateEnum } from '../round.entity';

@ObjectType()
export class BidReceipt {
  @Field(() => ID)
  bidId: string;

  @Field(() => String, { description: 'sha256(committedDocument + salt), hex' })
  commitment: string;

  @Field(() => String, { description: 'Keep it: with it you can check your commitment against the published bid' })
  salt: string;

  @Field(() => String, { description: 'The canonical JSON of your bid that the commitment covers' })
  committedDocument: string;

  @Field(() => Date, { description: 'Server receipt time' })
  receivedAt: Date;
}

@ObjectType()
export class RegionOutcome {
  @Field(() => String)
  regionCode: string;

  @Field(() => ID, { nullable: true })
  primaryBidId: string | null;

  @Field(() => ID, { nullable: true })
  backupBidId: string | null;
}

@ObjectType()
export class AllocationOutcome {
  @Field(() => ID)
  hospitalId: string;

  @Field(() => String)
  regionCode: string;

  @Field(() => ID)
  bidId: string;

  @Field(() => Int, { description: 'Annual agreed quantity' })
  agreedQuantity: number;
}

@ObjectType()
export class LotOutcome {
  @Field(() => ID)
  lotId: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'AWARDED or FAILED' })
  status: string;

  @Field(() => Int, { description: '0: the opening result; n: the n-th correction after an upheld objection (resultRevisions)' })
  revision: number;

  @Field(() => Int)
  validBidCount: number;

  @Field(() => Int)
  winnerCount: number;

  @Field(() => String, { nullable: true })
  anchorUnitComparablePrice: string | null;

  @Field(() => String, { nullable: true })
  revivalUnitComparablePrice: string | null;

  @Field(() => String, { nullable: true })
  volumeShare: string | null;

  @Field(() => Int, { nullable: true })
  cycleYears: number | null;

  @Field(() => Int, { description: 'Annual agreed quantity of the lot' })
  agreedQuantity: number;

  @Field(() => [BidResult])
  bids: BidResult[];

  @Field(() => [RegionOutcome])
  regions: RegionOutcome[];

  @Field(() => [AllocationOutcome])
  allocations: AllocationOutcome[];
}

@ObjectType()
export class RoundOutcome {
  @Field(() => ID)
  roundId: string;

  @Field(() => Date)
  openedAt: Date;

  @Field(() => String)
  ruleSetCode: string;

  @Field(() => Int)
  ruleSetVersion: number;

  @Field(() => [LotOutcome])
  lots: LotOutcome[];
}

@ObjectType()
export class BidChange {
  @Field(() => ID)
  bidId: string;

  @Field(() => ID)
  manufacturerId: string;

  @Field(() => String)
  statusBefore: string;

  @Field(() => String)
  statusAfter: string;

  @Field(() => UnitPriceScalar, { nullable: true })
  awardedUnitPriceBefore: string | null;

  @Field(() => UnitPriceScalar, { nullable: true })
  awardedUnitPriceAfter: string | null;
}

@ObjectType()
export class LotWhatIf {
  @Field(() => ID)
  lotId: string;

  @Field(() => String)
  name: string;

  @Field(() => [ID])
  winnersBefore: string[];

  @Field(() => [ID])
  winnersAfter: string[];

  @Field(() => [BidChange], { description: 'Bids whose status or awarded price would change' })
  changes: BidChange[];

  @Field(() => MoneyScalar, { description: 'Σ agreed quantity × awarded price per year, as stored' })
  spendingBefore: bigint;

  @Field(() => MoneyScalar)
  spendingAfter: bigint;
}

@ObjectType()
export class WhatIfResult {
  @Field(() => ID)
  roundId: string;

  @Field(() => String, { description: 'The alternative rule set, as the engine read it (JSON)' })
  ruleSet: string;

  @Field(() => [LotWhatIf])
  lots: LotWhatIf[];

  @Field(() => MoneyScalar)
  spendingBefore: bigint;

  @Field(() => MoneyScalar)
  spendingAfter: bigint;
}

@ObjectType()
export class PublicWinner {
  @Field(() => ID)
  manufacturerId: string;

  @Field(() => String)
  manufacturerName: string;

  @Field(() => ID)
  productId: string;

  @Field(() => String, { description: 'WINNER or REVIVED' })
  status: string;

  @Field(() => UnitPriceScalar)
  awardedUnitPrice: string;

  @Field(() => Int, { description: 'Annual agreed quantity allocated to this winner' })
  agreedQuantity: number;
}

@ObjectType()
export class PublicLot {
  @Field(() => ID)
  lotId: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  referenceUnit: string;

  @Field(() => String)
  status: string;

  @Field(() => [PublicWinner])
  winners: PublicWinner[];

  @Field(() => Int, { description: 'Annual agreed quantity of the lot' })
  agreedQuantity: number;

  @Field(() => MoneyScalar, { description: 'Annual agreed amount at awarded prices' })
  agreedAmount: bigint;
}

@ObjectType()
export class PublicRound {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  level: string;

  @Field(() => RoundStateEnum)
  state: RoundState;

  @Field(() => [String])
  coveredRegionCodes: string[];

  @Field(() => Date, { nullable: true })
  openedAt: Date | null;

  @Field(() => Date, { nullable: true })
  publicityEndsAt: Date | null;

  @Field(() => [PublicLot])
  lots: PublicLot[];
}
