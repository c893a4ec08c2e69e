import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { PrepaymentDue, SupplyFailure, VolumeAgreement } from './agreement.entity';
import { AgreementsService } from './agreements.service';
import { AgreementCompletion, ReportSupplyFailureInput } from './dto/agreement.inputs';

const VolumeAgreementConnection = Connection(VolumeAgreement);
const PrepaymentDueConnection = Connection(PrepaymentDue);
const SupplyFailureConnection = Connection(SupplyFailure);

@Resolver(() => VolumeAgreement)
export class AgreementsResolver {
  constructor(private readonly agreements: AgreementsService) {}

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
}
