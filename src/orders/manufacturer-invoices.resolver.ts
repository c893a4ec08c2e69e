import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Shipment } from './shipment.entity';
import { ManufacturerInvoice } from './manufacturer-invoice.entity';
import { ManufacturerInvoicesService } from './manufacturer-invoices.service';
import { SubmitManufacturerInvoiceInput } from './dto/order.inputs';
import { OrdersRepository } from './orders.repository';

@Resolver(() => ManufacturerInvoice)
export class ManufacturerInvoicesResolver {
  constructor(private readonly invoices: ManufacturerInvoicesService) {}

  @Roles('MANUFACTURER', 'DISTRIBUTOR')
  @Mutation(() => ManufacturerInvoice, { description: '两票制: record the manufacturer → distributor invoice of a shipment (shipped quantities, supply amounts)' })
  submitManufacturerInvoice(@Ctx() ctx: RequestContext, @Args('input') input: SubmitManufacturerInvoiceInput) {
    return this.invoices.submit(ctx, input);
  }
}

@Resolver(() => Shipment)
@AnyRole()
export class ShipmentSupplyInvoicesResolver {
  constructor(private readonly reads: OrdersRepository) {}

  @ResolveField(() => [ManufacturerInvoice], { description: 'Manufacturer → distributor invoices of the shipment (两票制, the first invoice)' })
  manufacturerInvoices(@Ctx() ctx: RequestContext, @Parent() shipment: Shipment) {
    return this.reads.manufacturerInvoicesOf(ctx, shipment.id);
  }
}
