import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { DemandBaseline } from './demand.entity';
import { DemandService } from './demand.service';

/** Last year's purchases per hospital and variety, from the platform's receipts first (source PLATFORM). */
@Resolver(() => DemandBaseline)
export class DemandBaselinesResolver {
  constructor(private readonly demand: DemandService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => [DemandBaseline], { description: 'A year’s baselines for hospitals of your region, each with its source (PLATFORM receipts or IMPORTED file)' })
  demandBaselines(
    @Ctx() ctx: RequestContext,
    @Args('year', { type: () => Int }) year: number,
    @Args('hospitalId', { type: () => ID, nullable: true }) hospitalId?: string | null,
    @Args('varietyId', { type: () => ID, nullable: true }) varietyId?: string | null,
  ) {
    return this.demand.baselines(ctx, year, { hospitalId, varietyId });
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Int, { description: 'Recompute a year’s PLATFORM baselines from accepted receipts for your region (done nightly too); returns the rows written' })
  refreshDemandBaselines(@Ctx() ctx: RequestContext, @Args('year', { type: () => Int }) year: number) {
    return this.demand.refreshBaselines(ctx, year);
  }
}
