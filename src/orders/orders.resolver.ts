import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { OrdersService } from './orders.service';
import { OrdersRepository } from './orders.repository';
import { DistributorsService } from './distributors.service';
import { OffPlatformPurchasesService } from './off-platform-purchases.service';
import { OrderLine, PurchaseOrder } from './purchase-order.entity';
import { Receipt, ReceiptLine, Shipment, ShipmentLine } from './shipment.entity';
import { GoodsReturn, GoodsReturnLine } from './goods-return.entity';
import { Invoice } from './invoice.entity';
import { DistributorAppointment } from './distributor-appointment.entity';
import { OffPlatformPurchase } from './off-platform-purchase.entity';
import {
  AppointDistributorInput,
  OrderFilter,
  PlaceOrderInput,
  ReceiveShipmentInput,
  ReportOffPlatformPurchaseInput,
  ReturnGoodsInput,
  ShipOrderInput,
  SubmitInvoiceInput,
} from './dto/order.inputs';

const PurchaseOrderConnection = Connection(PurchaseOrder);
const OffPlatformPurchaseConnection = Connection(OffPlatformPurchase);

@Resolver(() => PurchaseOrder)
@AnyRole()
export class OrdersResolver {
  constructor(
    private readonly ordersService: OrdersService,
    private readonly reads: OrdersRepository,
  ) {}

  @Query(() => PurchaseOrderConnection, { description: 'Orders the caller may see: own (hospital), routed to it (distributor), of its products (manufacturer), its region (regulator)' })
  orders(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('filter', { type: () => OrderFilter, nullable: true }) filter?: OrderFilter) {
    return this.ordersService.list(ctx, filter ?? {}, page);
  }

  @Query(() => PurchaseOrder)
  order(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.ordersService.get(ctx, id);
  }

  @Roles('HOSPITAL')
  @Mutation(() => PurchaseOrder, { description: 'Place an order; a retry with the same idempotency key returns the first order' })
  placeOrder(@Ctx() ctx: RequestContext, @Args('input') input: PlaceOrderInput) {
    return this.ordersService.place(ctx, input);
  }

  @Roles('DISTRIBUTOR')
  @Mutation(() => PurchaseOrder)
  confirmOrder(@Ctx() ctx: RequestContext, @Args('orderId', { type: () => ID }) orderId: string) {
    return this.ordersService.confirm(ctx, orderId);
  }

  @Roles('DISTRIBUTOR')
  @Mutation(() => PurchaseOrder)
  rejectOrder(@Ctx() ctx: RequestContext, @Args('orderId', { type: () => ID }) orderId: string, @Args('reason', { type: () => String }) reason: string) {
    return this.ordersService.reject(ctx, orderId, reason);
  }

  @Roles('HOSPITAL')
  @Mutation(() => PurchaseOrder)
  cancelOrder(@Ctx() ctx: RequestContext, @Args('orderId', { type: () => ID }) orderId: string, @Args('reason', { type: () => String }) reason: string) {
    return this.ordersService.cancel(ctx, orderId, reason);
  }

  @Roles('DISTRIBUTOR')
  @Mutation(() => Shipment, { description: 'Ship part or all of a confirmed order, with batch numbers and expiry dates' })
  shipOrder(@Ctx() ctx: RequestContext, @Args('input') input: ShipOrderInput) {
    return this.ordersService.ship(ctx, input);
  }

  @Roles('HOSPITAL')
  @Mutation(() => Receipt, { description: 'Receive a shipment: accepted and rejected quantities per shipment line' })
  receiveShipment(@Ctx() ctx: RequestContext, @Args('input') input: ReceiveShipmentInput) {
    return this.ordersService.receive(ctx, input);
  }

  @Roles('HOSPITAL')
  @Mutation(() => GoodsReturn)
  returnGoods(@Ctx() ctx: RequestContext, @Args('input') input: ReturnGoodsInput) {
    return this.ordersService.returnGoods(ctx, input);
  }

  @Roles('HOSPITAL', 'DISTRIBUTOR')
  @Mutation(() => Invoice, { description: 'Record the invoice of a received shipment; it is matched three ways at once' })
  submitInvoice(@Ctx() ctx: RequestContext, @Args('input') input: SubmitInvoiceInput) {
    return this.ordersService.submitInvoice(ctx, input);
  }

  @ResolveField(() => [OrderLine])
  lines(@Ctx() ctx: RequestContext, @Parent() order: PurchaseOrder) {
    return order.placedLines ?? this.reads.linesOf(ctx, order.id);
  }

  @ResolveField(() => [Shipment])
  shipments(@Ctx() ctx: RequestContext, @Parent() order: PurchaseOrder) {
    return this.reads.shipmentsOf(ctx, order.id);
  }

  @ResolveField(() => [GoodsReturn])
  returns(@Ctx() ctx: RequestContext, @Parent() order: PurchaseOrder) {
    return this.reads.returnsOf(ctx, order.id);
  }
}

@Resolver(() => Shipment)
@AnyRole()
export class ShipmentsResolver {
  constructor(private readonly reads: OrdersRepository) {}

  @ResolveField(() => [ShipmentLine])
  lines(@Ctx() ctx: RequestContext, @Parent() shipment: Shipment) {
    return this.reads.shipmentLinesOf(ctx, shipment.id);
  }

  @ResolveField(() => Receipt, { nullable: true })
  receipt(@Ctx() ctx: RequestContext, @Parent() shipment: Shipment) {
    return this.reads.receiptOf(ctx, shipment.id);
  }

  @ResolveField(() => [Invoice])
  invoices(@Ctx() ctx: RequestContext, @Parent() shipment: Shipment) {
    return this.reads.invoicesOf(ctx, shipment.id);
  }
}

@Resolver(() => Receipt)
@AnyRole()
export class ReceiptsResolver {
  constructor(private readonly reads: OrdersRepository) {}

  @ResolveField(() => [ReceiptLine])
  lines(@Ctx() ctx: RequestContext, @Parent() receipt: Receipt) {
    return this.reads.receiptLinesOf(ctx, receipt.id);
  }
}

@Resolver(() => GoodsReturn)
@AnyRole()
export class GoodsReturnsResolver {
  constructor(private readonly reads: OrdersRepository) {}

  @ResolveField(() => [GoodsReturnLine])
  lines(@Ctx() ctx: RequestContext, @Parent() goodsReturn: GoodsReturn) {
    return this.reads.returnLinesOf(ctx, goodsReturn.id);
  }
}

@Resolver(() => DistributorAppointment)
@AnyRole()
export class DistributorAppointmentsResolver {
  constructor(private readonly distributors: DistributorsService) {}

  @Query(() => [DistributorAppointment])
  distributorAppointments(@Ctx() ctx: RequestContext) {
    return this.distributors.list(ctx);
  }

  @Roles('MANUFACTURER', 'PLATFORM_ADMIN')
  @Mutation(() => DistributorAppointment, { description: 'Appoint a distributor for a region (and its subtree) for a period' })
  appointDistributor(@Ctx() ctx: RequestContext, @Args('input') input: AppointDistributorInput) {
    return this.distributors.appoint(ctx, input);
  }
}

@Resolver(() => OffPlatformPurchase)
@AnyRole()
export class OffPlatformPurchasesResolver {
  constructor(private readonly reports: OffPlatformPurchasesService) {}

  @Query(() => OffPlatformPurchaseConnection, { description: 'Off-platform purchase reports, by month (oldest first): own (hospital) or the region (regulator)' })
  offPlatformPurchases(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.reports.list(ctx, page);
  }

  @Roles('HOSPITAL')
  @Mutation(() => OffPlatformPurchase)
  reportOffPlatformPurchase(@Ctx() ctx: RequestContext, @Args('input') input: ReportOffPlatformPurchaseInput) {
    return this.reports.report(ctx, input);
  }
}
