import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { OpeningCommitteeInput } from './dto/round.inputs';
import { OpeningCommittee, OpeningKeyShare, OpeningProgress } from './dto/opening-committee.types';
import { OpeningCommitteeService } from './opening-committee.service';

@Resolver(() => OpeningCommittee)
export class OpeningCommitteeResolver {
  constructor(private readonly committee: OpeningCommitteeService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => OpeningCommittee, { description: 'Name a COMMITTEE round’s opening committee (k of n regulator users) before bidding opens; replaces an earlier designation' })
  designateOpeningCommittee(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string, @Args('input') input: OpeningCommitteeInput) {
    return this.committee.designate(ctx, roundId, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => OpeningCommittee, { description: 'The round’s opening committee: members, who fetched and who submitted their share' })
  openingCommittee(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.committee.committee(ctx, roundId);
  }

  @Roles('REGULATOR')
  @Mutation(() => OpeningKeyShare, { description: 'Committee members: fetch your key share, exactly once, once bidding has opened' })
  myOpeningKeyShare(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.committee.deliverShare(ctx, roundId);
  }

  @Roles('REGULATOR')
  @Mutation(() => OpeningProgress, { description: 'Committee members: submit your key share after the bid deadline; the k-th share opens the round' })
  submitOpeningKeyShare(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string, @Args('share', { type: () => String }) share: string) {
    return this.committee.submitShare(ctx, roundId, share);
  }
}
