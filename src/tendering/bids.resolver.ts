import { EachInputValidationPipe } from '../platform/graphql/validation.pipe';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { Bid } from './bid.entity';
import { BidsService } from './bids.service';
import { Demand, DemandBaseline } from './demand.entity';
import { DemandService } from './demand.service';
import { BidTermsInput, DemandBaselineInput, ReportDemandInput, SubmitBidInput } from './dto/round.inputs';
import { BidReceipt } from './dto/result.types';

@Resolver(() => Bid)
export class BidsResolver {
  constructor(private readonly bids: BidsService) {}

  @Roles('MANUFACTURER')
  @Query(() => [Bid], { description: 'Your own bids in a round, with your prices' })
  myBids(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.bids.own(ctx, roundId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => [Bid], { description: 'Who bid on what; prices stay null until opening' })
  roundBids(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.bids.ofRound(ctx, roundId);
  }

  @Roles('MANUFACTURER')
  @Mutation(() => BidReceipt, { description: 'A sealed bid on a lot; keep the receipt’s salt' })
  submitBid(@Ctx() ctx: RequestContext, @Args('input') input: SubmitBidInput) {
    return this.bids.submit(ctx, input);
  }

  @Roles('MANUFACTURER')
  @Mutation(() => BidReceipt, { description: 'Replace your bid’s terms until the deadline' })
  replaceBid(@Ctx() ctx: RequestContext, @Args('bidId', { type: () => ID }) bidId: string, @Args('input') input: BidTermsInput) {
    return this.bids.replace(ctx, bidId, input);
  }

  @Roles('MANUFACTURER')
  @Mutation(() => Bid, { description: 'Withdraw your bid until the deadline' })
  withdrawBid(@Ctx() ctx: RequestContext, @Args('bidId', { type: () => ID }) bidId: string) {
    return this.bids.withdraw(ctx, bidId);
  }

  @ResolveField(() => UnitPriceScalar, { nullable: true })
  unitPrice(@Ctx() ctx: RequestContext, @Parent() bid: Bid) {
    return this.bids.visiblePrice(ctx, bid);
  }
}

@Resolver(() => Demand)
export class DemandResolver {
  constructor(private readonly demand: DemandService) {}

  @Roles('HOSPITAL')
  @Mutation(() => Demand, { description: '报量: report or change your annual quantity for a lot until the demand deadline' })
  reportDemand(@Ctx() ctx: RequestContext, @Args('input') input: ReportDemandInput) {
    return this.demand.report(ctx, input);
  }

  @Roles('HOSPITAL', 'REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => [Demand], { description: 'Hospitals: their own lines; regulators of the round: all' })
  roundDemand(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.demand.ofRound(ctx, roundId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => [DemandBaseline], { description: 'Set hospitals’ previous-year platform purchases per variety (import)' })
  setDemandBaselines(@Ctx() ctx: RequestContext, @Args('entries', { type: () => [DemandBaselineInput] }, new EachInputValidationPipe(DemandBaselineInput)) entries: DemandBaselineInput[]) {
    return this.demand.setBaselines(ctx, entries);
  }
}
