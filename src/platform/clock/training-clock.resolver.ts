import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../auth/roles.decorator';
import { Ctx } from '../auth/current-context.decorator';
import { RequestContext } from '../context/request-context';
import { TrainingClockService } from './training-clock.service';

@Resolver()
@Roles('PLATFORM_ADMIN')
export class TrainingClockResolver {
  constructor(private readonly training: TrainingClockService) {}

  @Query(() => Date, { description: 'Training mode (CLOCK_CONTROL=true): the platform clock every deadline follows; audited' })
  platformTime(@Ctx() ctx: RequestContext) {
    return this.training.platformTime(ctx);
  }

  @Mutation(() => Date, {
    description: 'Training mode (CLOCK_CONTROL=true): move the platform clock forward by 1 s … 366 days; jobs whose time passes run at once; audited',
  })
  advancePlatformClock(@Ctx() ctx: RequestContext, @Args('seconds', { type: () => Int }) seconds: number) {
    return this.training.advance(ctx, seconds);
  }
}
