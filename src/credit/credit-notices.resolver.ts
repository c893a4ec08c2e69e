import { Args, Field, ID, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { ReadPolicy } from '../platform/auth/read-policy';
import { ExportFile } from '../platform/export/tabular-file';
import { CreditEvent } from './credit-event.entity';
import { CreditNotice, CreditNoticeState, CreditNoticeStateEnum, CreditNoticeStatement, CreditStandingView } from './credit-notice.entity';
import { CreditNoticesService } from './credit-notices.service';
import { CreditService } from './credit.service';
import { CreditRepository } from './credit.repository';
import { CreditDecisionInput, CreditStatementInput } from './dto/credit.inputs';

@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'], note: 'the joint punishment list goes to other agencies through regulators' })
@ObjectType('CreditJointPunishmentEntry', { description: '失信联合惩戒名单 entry: an organisation whose rating in effect is disclosed' })
export class CreditJointPunishmentEntryView {
  @Field(() => ID) organisationId: string;
  @Field(() => String) organisationName: string;
  @Field(() => String, { description: '统一社会信用代码' }) creditCode: string;
  @Field(() => String) level: string;
  @Field(() => String) policyVersion: string;
  @Field(() => Date) ratedAt: Date;
  @Field(() => String, { description: 'The behaviours deciding the level' }) behaviours: string;
  @Field(() => String, { description: 'The sanctions in effect' }) measures: string;
  @Field(() => Int) suspendedProductCount: number;
  @Field(() => Boolean, { description: 'An appeal to the provincial regulator is pending' }) appealPending: boolean;
}

@Resolver(() => CreditNotice)
export class CreditNoticesResolver {
  constructor(
    private readonly notices: CreditNoticesService,
    private readonly credit: CreditService,
    private readonly reads: CreditRepository,
  ) {}

  @Roles('MANUFACTURER', 'DISTRIBUTOR')
  @Mutation(() => CreditNotice, { description: 'Reply to a credit notice of the own organisation (陈述申辩) with statements and documents, until its reply deadline' })
  replyToCreditNotice(@Ctx() ctx: RequestContext, @Args('noticeId', { type: () => ID }) noticeId: string, @Args('input') input: CreditStatementInput) {
    return this.notices.reply(ctx, noticeId, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CreditNotice, { description: 'Decide a credit notice (UPHOLD, REDUCE, WITHDRAW) with reasons, after the reply or the reply deadline; the rating changes only now' })
  decideCreditNotice(@Ctx() ctx: RequestContext, @Args('noticeId', { type: () => ID }) noticeId: string, @Args('input') input: CreditDecisionInput) {
    return this.notices.decide(ctx, noticeId, input);
  }

  @Roles('MANUFACTURER', 'DISTRIBUTOR')
  @Mutation(() => CreditNotice, { description: 'Appeal a credit decision to the provincial regulator (申诉), until the appeal deadline' })
  appealCreditDecision(@Ctx() ctx: RequestContext, @Args('noticeId', { type: () => ID }) noticeId: string, @Args('input') input: CreditStatementInput) {
    return this.notices.appeal(ctx, noticeId, input);
  }

  @Roles('REGULATOR')
  @Mutation(() => CreditNotice, { description: 'A provincial regulator (not the first decider) decides an appeal: UPHOLD, REDUCE or WITHDRAW' })
  decideCreditAppeal(@Ctx() ctx: RequestContext, @Args('noticeId', { type: () => ID }) noticeId: string, @Args('input') input: CreditDecisionInput) {
    return this.notices.decideAppeal(ctx, noticeId, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR')
  @Query(() => [CreditNotice], { description: 'Credit notices, newest first (at most 500): regulators all or one organisation\'s; an organisation its own' })
  creditNotices(
    @Ctx() ctx: RequestContext,
    @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string | null,
    @Args('state', { type: () => CreditNoticeStateEnum, nullable: true }) state?: CreditNoticeState | null,
  ) {
    return this.notices.notices(ctx, organisationId ?? null, state ?? null);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR')
  @Query(() => CreditNotice)
  creditNotice(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.notices.notice(ctx, id);
  }

  @AnyRole()
  @Query(() => CreditStandingView, { description: 'Credit points per period, grade and rewards (守信激励); manufacturers and distributors see their own' })
  creditStanding(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string | null) {
    return this.credit.standing(ctx, organisationId ?? requireUser(ctx).organisationId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => [CreditJointPunishmentEntryView], { description: '失信联合惩戒名单: organisations whose rating in effect is disclosed, for other agencies' })
  creditJointPunishmentEntries() {
    return this.notices.jointPunishmentEntries();
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => ExportFile, { description: 'The joint punishment list as a CSV or XLSX file for other agencies (format CSV or XLSX); audited' })
  exportCreditJointPunishment(@Ctx() ctx: RequestContext, @Args('format', { type: () => String }) format: string) {
    return this.notices.exportJointPunishment(ctx, format);
  }

  @ResolveField(() => [CreditNoticeStatement], { description: 'Replies and the appeal, oldest first' })
  statements(@Ctx() ctx: RequestContext, @Parent() notice: CreditNotice) {
    return this.reads.statementsOf(ctx, notice.id);
  }

  @ResolveField(() => CreditEvent)
  event(@Ctx() ctx: RequestContext, @Parent() notice: CreditNotice) {
    return this.reads.eventOf(ctx, notice.eventId);
  }
}

@Resolver(() => CreditEvent)
export class CreditEventNoticeResolver {
  constructor(private readonly reads: CreditRepository) {}

  @ResolveField(() => CreditNotice, { nullable: true, description: 'The notice of the event (null for events recorded before due process)' })
  notice(@Ctx() ctx: RequestContext, @Parent() event: CreditEvent) {
    return this.reads.noticeOfEvent(ctx, event.id);
  }
}
