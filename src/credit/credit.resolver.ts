import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AnyRole, Public, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { CreditEvent, CreditPolicyAdoption } from './credit-event.entity';
import { CreditRating } from './credit-rating.entity';
import { CreditRepair } from './credit-repair.entity';
import { CommitmentLetter } from './commitment-letter.entity';
import { CreditService } from './credit.service';
import { FileCommitmentLetterInput, FileCreditRepairInput, RecordCreditEventInput } from './dto/credit.inputs';

@ObjectType('CreditDisclosure')
export class CreditDisclosure {
  @Field(() => ID) organisationId: string;
  @Field(() => String) organisationName: string;
  @Field(() => String, { description: '统一社会信用代码' }) creditCode: string;
  @Field(() => String) level: string;
  @Field(() => String) policyVersion: string;
  @Field(() => Date) ratedAt: Date;
  @Field(() => [String]) behaviours: string[];
}

@Resolver()
export class CreditResolver {
  constructor(private readonly credit: CreditService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CreditEvent, { description: 'Record a credit event against a manufacturer or distributor; re-rates at once' })
  recordCreditEvent(@Ctx() ctx: RequestContext, @Args('input') input: RecordCreditEventInput) {
    return this.credit.recordCreditEvent(ctx, input);
  }

  @Roles('MANUFACTURER', 'DISTRIBUTOR')
  @Mutation(() => CommitmentLetter, { description: 'File the organisation\'s commitment letter (承诺书)' })
  fileCommitmentLetter(@Ctx() ctx: RequestContext, @Args('input') input: FileCommitmentLetterInput) {
    return this.credit.fileCommitmentLetter(ctx, input);
  }

  @Roles('MANUFACTURER', 'DISTRIBUTOR')
  @Mutation(() => CreditRepair, { description: 'File corrective measures for credit repair (信用修复)' })
  fileCreditRepair(@Ctx() ctx: RequestContext, @Args('input') input: FileCreditRepairInput) {
    return this.credit.fileRepair(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CreditRepair, { description: 'Approve (rating cleared, sanctions lifted, history kept) or reject a credit repair' })
  decideCreditRepair(
    @Ctx() ctx: RequestContext,
    @Args('repairId', { type: () => ID }) repairId: string,
    @Args('approve', { type: () => Boolean }) approve: boolean,
    @Args('note', { type: () => String }) note: string,
  ) {
    return this.credit.decideRepair(ctx, repairId, approve, note);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CreditPolicyAdoption, { description: 'Adopt a credit policy version (CREDIT-2020-4L, CREDIT-2025-3L) from now; re-rates everyone' })
  adoptCreditPolicy(@Ctx() ctx: RequestContext, @Args('version', { type: () => String }) version: string) {
    return this.credit.adoptPolicy(ctx, version);
  }

  @AnyRole()
  @Query(() => CreditRating, { nullable: true, description: 'Current rating; manufacturers and distributors see their own' })
  creditRating(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string | null) {
    return this.credit.ratingOf(ctx, organisationId ?? requireUser(ctx).organisationId);
  }

  @AnyRole()
  @Query(() => [CreditRating], { description: 'Every rating the organisation had, newest first' })
  creditRatingHistory(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string | null) {
    return this.credit.ratingHistory(ctx, organisationId ?? requireUser(ctx).organisationId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR')
  @Query(() => [CreditEvent])
  creditEvents(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string | null) {
    return this.credit.eventsOf(ctx, organisationId ?? requireUser(ctx).organisationId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR')
  @Query(() => [CreditRepair])
  creditRepairs(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string | null) {
    return this.credit.repairsOf(ctx, organisationId ?? requireUser(ctx).organisationId);
  }

  @AnyRole()
  @Query(() => String, { nullable: true, description: 'The credit risk notice hospitals see on a manufacturer\'s products' })
  creditRiskNotice(@Args('manufacturerId', { type: () => ID }) manufacturerId: string) {
    return this.credit.riskNotice(manufacturerId);
  }

  @Public()
  @Query(() => [CreditDisclosure], { description: 'Public disclosure: current serious and particularly serious ratings (no login)' })
  creditDisclosures() {
    return this.credit.disclosures();
  }
}
