import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyRole, Public, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { PaymentStandard } from './payment-standard.entity';
import { PaymentStandardsService } from './payment-standards.service';

const PaymentStandardConnection = Connection(PaymentStandard);

@Resolver(() => PaymentStandard)
export class PaymentStandardsResolver {
  constructor(private readonly standards: PaymentStandardsService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => [PaymentStandard], {
    description:
      'Regulators: compute and publish a new version of a variety\'s payment standards (医保支付标准) from its confirmed VBP awards and the listing prices in force, effective from the given instant (the previous version ends there); unchanged inputs return the version in force',
  })
  publishPaymentStandards(
    @Ctx() ctx: RequestContext,
    @Args('varietyId', { type: () => ID }) varietyId: string,
    @Args('effectiveFrom', { type: () => Date }) effectiveFrom: Date,
  ) {
    return this.standards.publish(ctx, varietyId, effectiveFrom);
  }

  @AnyRole()
  @Query(() => PaymentStandardConnection, { description: 'Payment standards of every version (history included), oldest publication first' })
  paymentStandards(@Args() page: PageArgs, @Args('varietyId', { type: () => ID, nullable: true }) varietyId?: string | null) {
    return this.standards.list(varietyId ?? null, page);
  }

  @Public()
  @Query(() => PaymentStandardConnection, { description: 'Payment standards in force or scheduled (no login), oldest publication first' })
  publicPaymentStandards(@Args() page: PageArgs, @Args('varietyId', { type: () => ID, nullable: true }) varietyId?: string | null) {
    return this.standards.inForce(varietyId ?? null, page);
  }
}
