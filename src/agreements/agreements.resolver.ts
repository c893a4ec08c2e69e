import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { PrepaymentDue, SupplyFailure, VolumeAgreement } from './agreement.entity';
import { AgreementsService } from './agreements.service';
import { AgreementCompletion, ReportSupplyFailureInput } from './dto/agreement.inputs';

@Resolver(() => VolumeAgreement)
export class AgreementsResolver {
  constructor(private readonly agreements: AgreementsService) {}

  @AnyRole()
  @Query(() => [VolumeAgreement], { description: 'Hospitals and manufacturers: their own; regulators: their region’s' })
  volumeAgreements(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID, nullable: true }) roundId?: string | null) {
    return this.agreements.list(ctx, roundId);
  }

  @Roles('HOSPITAL', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => [PrepaymentDue])
  prepaymentsDue(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID, nullable: true }) roundId?: string | null) {
    return this.agreements.prepayments(ctx, roundId);
  }

  @AnyRole()
  @Query(() => [SupplyFailure])
  supplyFailures(@Ctx() ctx: RequestContext) {
    return this.agreements.supplyFailures(ctx);
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
}
