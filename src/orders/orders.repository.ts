import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { byKeys } from '../platform/graphql/loaders';
import { OrderLine } from './purchase-order.entity';
import { Receipt, ReceiptLine, Shipment, ShipmentLine } from './shipment.entity';
import { GoodsReturn, GoodsReturnLine } from './goods-return.entity';
import { Invoice } from './invoice.entity';
import { ManufacturerInvoice } from './manufacturer-invoice.entity';

/**
 * The orders context's reads of the parts of an order: each is one statement for any number of parents,
 * batched per request through the request's DataLoaders, so `orders { nodes { lines shipments { … } } }`
 * costs one statement per level and field whatever the page size. The parent rows were already scoped by
 * the query that returned them (OrdersService.scoped); these read children of those parents only.
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly db: Db) {}

  linesOf(ctx: RequestContext, orderId: string): Promise<OrderLine[]> {
    return ctx.loaders
      .children<string, OrderLine>('orders.lines', (ids) => this.db.manager.find(OrderLine, { where: { orderId: In([...ids]) }, order: { orderId: 'ASC', lineNo: 'ASC' } }), (l) => l.orderId)
      .load(orderId);
  }

  shipmentsOf(ctx: RequestContext, orderId: string): Promise<Shipment[]> {
    return ctx.loaders
      .children<string, Shipment>('orders.shipments', (ids) => this.db.manager.find(Shipment, { where: { orderId: In([...ids]) }, order: { shippedAt: 'ASC' } }), (s) => s.orderId)
      .load(orderId);
  }

  returnsOf(ctx: RequestContext, orderId: string): Promise<GoodsReturn[]> {
    return ctx.loaders
      .children<string, GoodsReturn>('orders.returns', (ids) => this.db.manager.find(GoodsReturn, { where: { orderId: In([...ids]) }, order: { returnedAt: 'ASC' } }), (r) => r.orderId)
      .load(orderId);
  }

  shipmentLinesOf(ctx: RequestContext, shipmentId: string): Promise<ShipmentLine[]> {
    return ctx.loaders
      .children<string, ShipmentLine>('orders.shipmentLines', (ids) => this.db.manager.find(ShipmentLine, { where: { shipmentId: In([...ids]) } }), (l) => l.shipmentId)
      .load(shipmentId);
  }

  receiptOf(ctx: RequestContext, shipmentId: string): Promise<Receipt | null> {
    return ctx.loaders
      .get<string, Receipt>('orders.receiptOfShipment', async (ids) => byKeys(ids, await this.db.manager.find(Receipt, { where: { shipmentId: In([...ids]) } }), (r) => r.shipmentId))
      .load(shipmentId);
  }

  receiptLinesOf(ctx: RequestContext, receiptId: string): Promise<ReceiptLine[]> {
    return ctx.loaders
      .children<string, ReceiptLine>('orders.receiptLines', (ids) => this.db.manager.find(ReceiptLine, { where: { receiptId: In([...ids]) } }), (l) => l.receiptId)
      .load(receiptId);
  }

  invoicesOf(ctx: RequestContext, shipmentId: string): Promise<Invoice[]> {
    return ctx.loaders
      .children<string, Invoice>('orders.invoices', (ids) => this.db.manager.find(Invoice, { where: { shipmentId: In([...ids]) }, order: { submittedAt: 'ASC' } }), (i) => i.shipmentId)
      .load(shipmentId);
  }

  /** 两票制 manufacturer → distributor invoices of each shipment, oldest first. */
  manufacturerInvoicesOf(ctx: RequestContext, shipmentId: string): Promise<ManufacturerInvoice[]> {
    return ctx.loaders
      .children<string, ManufacturerInvoice>(
        'orders.manufacturerInvoices',
        (ids) => this.db.manager.find(ManufacturerInvoice, { where: { shipmentId: In([...ids]) }, order: { submittedAt: 'ASC', id: 'ASC' } }),
        (i) => i.shipmentId,
      )
      .load(shipmentId);
  }

  returnLinesOf(ctx: RequestContext, returnId: string): Promise<GoodsReturnLine[]> {
    return ctx.loaders
      .children<string, GoodsReturnLine>('orders.returnLines', (ids) => this.db.manager.find(GoodsReturnLine, { where: { returnId: In([...ids]) } }), (l) => l.returnId)
      .load(returnId);
  }
}
