import { Args, Field, ID, InputType, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IsBoolean, IsDate, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { Renewal, RenewalDemand, RenewalOffer } from './renewal.entity';
import { RenewalsService } from './renewals.service';

@InputType()
export class StartRenewalInput {
  @Field(() => String)
  @IsString()
  @Length(2, 200)
  name: string;

  @Field(() => String, { description: 'Renewal rule preset: RENEWAL_STANDARD or RENEWAL_PRICE_ONLY (its latest version)' })
  @IsString()
  rulesCode: string;

  @Field(() => Date, { description: 'Incumbents answer and hospitals re-report until here' })
  @IsDate()
  responseDeadline: Date;

  @Field(() => Date, { description: 'The renewed agreements start here (not before the old cycle ends)' })
  @IsDate()
  cycleStart: Date;
}

@InputType()
export class RespondRenewalOfferInput {
  @Field(() => ID)
  @IsUUID('all')
  offerId: string;

  @Field(() => Boolean, { description: 'true: confirm (no price) or lower the price; false: decline and drop out' })
  @IsBoolean()
  accept: boolean;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'The lowered unit price (never above the current one)' })
  @IsOptional()
  @IsString()
  unitPrice?: string | null;
}

@InputType()
export class ReportRenewalDemandInput {
  @Field(() => ID)
  @IsUUID('all')
  renewalId: string;

  @Field(() => ID, { description: 'The lot of the round being renewed' })
  @IsUUID('all')
  lotId: string;

  @Field(() => Int, { description: 'Annual quantity in the lot’s reference unit' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  quantity: number;
}

@Resolver(() => Renewal)
export class RenewalsResolver {
  constructor(private readonly renewalsService: RenewalsService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Renewal, { description: '续约 with incumbents: ask the winners in force to confirm or lower their price and hospitals to re-report volumes' })
  startRenewal(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string, @Args('input') input: StartRenewalInput) {
    return this.renewalsService.start(ctx, roundId, input);
  }

  @Roles('MANUFACTURER')
  @Mutation(() => RenewalOffer, { description: 'An incumbent confirms or lowers its price, or declines' })
  respondRenewalOffer(@Ctx() ctx: RequestContext, @Args('input') input: RespondRenewalOfferInput) {
    return this.renewalsService.respond(ctx, input.offerId, input.accept, input.unitPrice);
  }

  @Roles('HOSPITAL')
  @Mutation(() => RenewalDemand, { description: 'A hospital re-reports its annual quantity for a lot of the renewal' })
  reportRenewalDemand(@Ctx() ctx: RequestContext, @Args('input') input: ReportRenewalDemandInput) {
    return this.renewalsService.reportDemand(ctx, input.renewalId, input.lotId, input.quantity);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Renewal, { description: 'After the deadline: decliners and the silent drop out; the renewed agreements are made, linked to the old ones' })
  completeRenewal(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.renewalsService.complete(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Renewal, { description: 'Withdraw an open renewal with a reason: no agreements are made, pending offers lapse, the round may be renewed again' })
  cancelRenewal(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String }) reason: string) {
    return this.renewalsService.cancel(ctx, id, reason);
  }

  @AnyRole()
  @Query(() => [Renewal], { description: 'Renewals of a round: anyone who sees the round (offers and volumes as each role may see them)' })
  renewals(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.renewalsService.list(ctx, roundId);
  }

  @ResolveField(() => String, { description: 'The renewal rules as run (JSON text)' })
  rules(@Parent() renewal: Renewal) {
    return this.renewalsService.rulesJson(renewal);
  }

  @ResolveField(() => [RenewalOffer], { description: 'Regulators: every offer; a manufacturer: its own' })
  offers(@Ctx() ctx: RequestContext, @Parent() renewal: Renewal) {
    return this.renewalsService.offers(ctx, renewal);
  }

  @ResolveField(() => [RenewalDemand], { description: 'Regulators: every line; a hospital: its own' })
  demand(@Ctx() ctx: RequestContext, @Parent() renewal: Renewal) {
    return this.renewalsService.demand(ctx, renewal);
  }
}
