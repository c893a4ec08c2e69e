import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Public, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Lot, LotSpec, Round, RoundState, RoundStateEnum, RuleSetVersion } from './round.entity';
import { RoundsService } from './rounds.service';
import { RoundsRepository } from './rounds.repository';
import { PublicityService } from './publicity.service';
import { OpeningService } from './opening.service';
import { RenewRoundInput, RoundInput, RuleSetChoiceInput, FileObjectionInput, UpholdObjectionInput } from './dto/round.inputs';
import { ObjectionOutcomesService } from './objection-outcomes.service';
import { ResultRevision } from './result-revision.entity';
import { PublicRound, RoundOutcome, WhatIfResult } from './dto/result.types';
import { Objection } from './objection.entity';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { stateEnum } from '../platform/graphql/state-enum';
import { Clock } from '../platform/clock/clock';
import { ROUND_HOLDS, roundHold } from './round-state-machine';

const RoundConnection = Connection(Round);
const RoundHoldEnum = stateEnum(ROUND_HOLDS, 'RoundHold', 'What a committee-sealed round waits for past a deadline: a committee to be named, or its members’ key shares');

@Resolver(() => Round)
export class RoundsResolver {
  constructor(
    private readonly roundsService: RoundsService,
    private readonly publicity: PublicityService,
    private readonly opening: OpeningService,
    private readonly objectionOutcomes: ObjectionOutcomesService,
    private readonly reads: RoundsRepository,
    private readonly clock: Clock,
  ) {}

  @AnyRole()
  @Query(() => RoundConnection, { description: 'Rounds the caller may see (regulators: their region’s, drafts included), by name' })
  rounds(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('state', { type: () => RoundStateEnum, nullable: true }) state?: RoundState | null) {
    return this.roundsService.list(ctx, state, page);
  }

  @AnyRole()
  @Query(() => Round)
  round(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.roundsService.get(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'Create a DRAFT round with its lots, timetable and rule set' })
  createRound(@Ctx() ctx: RequestContext, @Args('input') input: RoundInput) {
    return this.roundsService.create(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'Replace a DRAFT round’s definition' })
  updateRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string, @Args('input') input: RoundInput) {
    return this.roundsService.update(ctx, id, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'DRAFT → DEMAND_REPORTING' })
  publishRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.roundsService.publish(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round)
  cancelRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String }) reason: string) {
    return this.roundsService.cancel(ctx, id, reason);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'Take the round’s time-driven step now that its time has passed (never before)' })
  advanceRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.roundsService.advance(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => RoundOutcome, { description: '开标 after the bid deadline; opening again returns the stored result' })
  openRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.roundsService.openRound(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'OPENED → PUBLICIZED for the round’s publicity days' })
  publicizeRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.publicity.publicize(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'After publicity with every objection answered: creates the volume agreements' })
  confirmRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.publicity.confirm(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: '续约: a new DRAFT round seeded from an agreed one' })
  renewRound(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string, @Args('input') input: RenewRoundInput) {
    return this.roundsService.renew(ctx, id, input);
  }

  @AnyRole()
  @Query(() => RoundOutcome, { description: 'The stored result: regulators of the round from opening, others from publicity' })
  roundResult(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.opening.outcome(ctx, roundId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => WhatIfResult, { description: 'Re-run an opened round under another rule set; nothing is changed' })
  whatIf(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string, @Args('ruleSet') ruleSet: RuleSetChoiceInput) {
    return this.opening.whatIf(ctx, roundId, ruleSet);
  }

  @AnyRole()
  @Query(() => [Objection], { description: 'Regulators: all of the round’s; manufacturers: their own' })
  objections(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.publicity.objections(ctx, roundId);
  }

  @Roles('MANUFACTURER')
  @Mutation(() => Objection, { description: '异议 during publicity' })
  fileObjection(@Ctx() ctx: RequestContext, @Args('input') input: FileObjectionInput) {
    return this.publicity.fileObjection(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Objection)
  answerObjection(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string, @Args('answer', { type: () => String }) answer: string) {
    return this.publicity.answerObjection(ctx, id, answer);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Objection, { description: '异议成立: answer by excluding or reinstating a bid; the lot is re-evaluated, its result republished and its publicity restarted' })
  upholdObjection(@Ctx() ctx: RequestContext, @Args('input') input: UpholdObjectionInput) {
    return this.objectionOutcomes.uphold(ctx, input);
  }

  @AnyRole()
  @Query(() => [ResultRevision], { description: 'Corrections of the round’s result after upheld objections: regulators of the round always, others once the result is public' })
  resultRevisions(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.objectionOutcomes.revisions(ctx, roundId);
  }

  @ResolveField(() => [Lot])
  lots(@Ctx() ctx: RequestContext, @Parent() round: Round) {
    return this.reads.lotsOf(ctx, round.id);
  }

  @ResolveField(() => RuleSetVersion)
  ruleSet(@Ctx() ctx: RequestContext, @Parent() round: Round) {
    return this.reads.ruleSetVersion(ctx, round.ruleSetVersionId);
  }

  @ResolveField(() => String, { nullable: true, description: 'COMMITTEE rounds: the X25519 public key (hex) bids are sealed to, from bidding on' })
  sealingPublicKey(@Parent() round: Round) {
    return round.sealingPublicKey ? round.sealingPublicKey.toString('hex') : null;
  }

  @ResolveField(() => RoundHoldEnum, {
    nullable: true,
    description: 'Past a deadline, what the round waits for before it moves on: OPENING_COMMITTEE_MISSING (a regulator names the committee; the next scheduler pass opens bidding) or OPENING_SHARES_MISSING (members submit their key shares; the k-th opens the round). null otherwise',
  })
  awaiting(@Parent() round: Round) {
    return roundHold(round, this.clock.now());
  }
}

@Resolver(() => Lot)
export class LotsResolver {
  constructor(private readonly reads: RoundsRepository) {}

  @ResolveField(() => [LotSpec])
  specs(@Ctx() ctx: RequestContext, @Parent() lot: Lot) {
    return this.reads.specsOf(ctx, lot.id);
  }
}

@Resolver(() => PublicRound)
export class PublicResultsResolver {
  constructor(private readonly opening: OpeningService) {}

  @Public()
  @Query(() => [PublicRound], { description: 'Results of publicized rounds: lots, winners, awarded prices, agreed totals (no login)' })
  publicRoundResults(@Args('id', { type: () => ID, nullable: true }) id?: string | null) {
    return this.opening.publicRounds(id);
  }
}

@Resolver(() => RuleSetVersion)
export class RuleSetVersionResolver {
  @ResolveField('ruleSet', () => String, { description: 'The rule set as the evaluation engine reads it (JSON text)' })
  ruleSetJson(@Parent() version: RuleSetVersion) {
    return JSON.stringify(version.ruleSet);
  }
}
