import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { PrepaymentDue, SupplyFailure, VolumeAgreement } from './agreement.entity';
import { AgreementsService } from './agreements.service';
import { AgreementCompletion, AssignSubstituteSupplyInput, ReportSupplyFailureInput, ResignAgreementYearInput } from './dto/agreement.inputs';
import { SupplySubstitution } from './supply-substitution.entity';
import { SupplySubstitutionsService } from './supply-substitutions.service';
import { AgreementYear } from './agreement-year.entity';
import { AgreementYearsService } from './agreement-years.service';
import { completionShare } from './agreement-year-rules';
import { AgreementsRepository } from './agreements.repository';

const VolumeAgreementConnection = Connection(VolumeAgreement);
const PrepaymentDueConnection = Connection(PrepaymentDue);
const SupplyFailureConnection = Connection(SupplyFailure);
const AgreementYearConnection = Connection(AgreementYear);
const SupplySubstitutionConnection = Connection(SupplySubstitution);

@Resolver(() => VolumeAgreement)
export class AgreementsResolver {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly agreementYears: AgreementYearsService,
    private readonly reads: AgreementsRepository,
  ) {}

  @AnyRole()
  @Query(() => VolumeAgreementConnection, { description: 'Hospitals and manufacturers: their own; regulators: their region’s; oldest first' })
  volumeAgreements(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('roundId', { type: () => ID, nullable: true }) roundId?: string | null) {
    return this.agreements.list(ctx, roundId, page);
  }

  @Roles('HOSPITAL', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => PrepaymentDueConnection, { description: 'Prepayments the fund owes hospitals, by due date' })
  prepaymentsDue(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('roundId', { type: () => ID, nullable: true }) roundId?: string | null) {
    return this.agreements.prepayments(ctx, roundId, page);
  }

  @AnyRole()
  @Query(() => SupplyFailureConnection, { description: 'Supply failures: reporter and winner see their own, regulators their region’s; oldest first' })
  supplyFailures(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.agreements.supplyFailures(ctx, page);
  }

  @Roles('HOSPITAL')
  @Mutation(() => SupplyFailure, { description: '断供: report that the winner fails to supply' })
  reportSupplyFailure(@Ctx() ctx: RequestContext, @Args('input') input: ReportSupplyFailureInput) {
    return this.agreements.reportSupplyFailure(ctx, input.agreementId, input.description);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => SupplyFailure, { description: 'Verify a failure: the backup winner takes over the remaining volume' })
  verifySupplyFailure(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.agreements.verifySupplyFailure(ctx, id);
  }

  @ResolveField(() => AgreementCompletion)
  completion(@Parent() agreement: VolumeAgreement) {
    return this.agreements.completion(agreement);
  }

  @ResolveField(() => [AgreementYear], { description: '协议年度: one per cycle year, each with its agreed quantity and completion' })
  years(@Ctx() ctx: RequestContext, @Parent() agreement: VolumeAgreement) {
    return this.reads.yearsOf(ctx, agreement.id);
  }

  @Roles('HOSPITAL')
  @Mutation(() => AgreementYear, { description: '续签: sign the next agreement year; the quantity defaults to the past year’s actual use, adjustable within the rules’ bounds' })
  resignAgreementYear(@Ctx() ctx: RequestContext, @Args('input') input: ResignAgreementYearInput) {
    return this.agreementYears.resign(ctx, input.agreementId, input.quantity);
  }

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => AgreementYearConnection, { description: 'Closed agreement years that fell short of the agreed quantity (supervision), by year end' })
  agreementYearShortfalls(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.agreementYears.shortfalls(ctx, page);
  }
}

@Resolver(() => AgreementYear)
export class AgreementYearsResolver {
  @ResolveField(() => String, { description: 'Purchased ÷ agreed within the year, 4 decimals (0.0000 until signed)' })
  completion(@Parent() year: AgreementYear) {
    return completionShare(year.purchasedQuantity, year.agreedQuantity);
  }
}

@Resolver(() => SupplySubstitution)
export class SupplySubstitutionsResolver {
  constructor(
    private readonly substitutions: SupplySubstitutionsService,
    private readonly reads: AgreementsRepository,
  ) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => SupplySubstitution, {
    description: '断供替代: a lot’s only winner failed; assign another winner of the variety or a capped listing-price purchase, and move the hospitals’ agreements over',
  })
  assignSubstituteSupply(@Ctx() ctx: RequestContext, @Args('input') input: AssignSubstituteSupplyInput) {
    return this.substitutions.assign(ctx, input);
  }

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => SupplySubstitutionConnection, { description: 'Substitutions for failed sole winners touching the caller’s region (supervision), oldest first' })
  supplySubstitutions(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.substitutions.list(ctx, page);
  }

  @ResolveField(() => [VolumeAgreement], { description: 'The agreements the substitution made (each takes over a failed one)' })
  agreements(@Ctx() ctx: RequestContext, @Parent() substitution: SupplySubstitution) {
    return this.reads.agreementsOfSubstitution(ctx, substitution.id);
  }
}
