import { Injectable } from '@nestjs/common';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { byKeys } from '../platform/graphql/loaders';
import { rowsByKeys } from '../platform/database/rows-by-keys';
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
      .children<string, OrderLine>('orders.lines', (ids) => rowsByKeys(this.db.dataSource, OrderLine, 'orderId', [...ids], [['orderId', 'ASC'], ['lineNo', 'ASC']]), (l) => l.orderId)
      .load(orderId);
  }

  shipmentsOf(ctx: RequestContext, orderId: string): Promise<Shipment[]> {
    return ctx.loaders
      .children<string, Shipment>('orders.shipments', (ids) => rowsByKeys(this.db.dataSource, Shipment, 'orderId', [...ids], [['shippedAt', 'ASC']]), (s) => s.orderId)
      .load(orderId);
  }

  returnsOf(ctx: RequestContext, orderId: string): Promise<GoodsReturn[]> {
    return ctx.loaders
      .children<string, GoodsReturn>('orders.returns', (ids) => rowsByKeys(this.db.dataSource, GoodsReturn, 'orderId', [...ids], [['returnedAt', 'ASC']]), (r) => r.orderId)
      .load(orderId);
  }

  shipmentLinesOf(ctx: RequestContext, shipmentId: string): Promise<ShipmentLine[]> {
    return ctx.loaders
      .children<string, ShipmentLine>('orders.shipmentLines', (ids) => rowsByKeys(this.db.dataSource, ShipmentLine, 'shipmentId', [...ids]), (l) => l.shipmentId)
      .load(shipmentId);
  }

  receiptOf(ctx: RequestContext, shipmentId: string): Promise<Receipt | null> {
    return ctx.loaders
      .get<string, Receipt>('orders.receiptOfShipment', async (ids) => byKeys(ids, await rowsByKeys(this.db.dataSource, Receipt, 'shipmentId', [...ids]), (r) => r.shipmentId))
      .load(shipmentId);
  }

  receiptLinesOf(ctx: RequestContext, receiptId: string): Promise<ReceiptLine[]> {
    return ctx.loaders
      .children<string, ReceiptLine>('orders.receiptLines', (ids) => rowsByKeys(this.db.dataSource, ReceiptLine, 'receiptId', [...ids]), (l) => l.receiptId)
      .load(receiptId);
  }

  invoicesOf(ctx: RequestContext, shipmentId: string): Promise<Invoice[]> {
    return ctx.loaders
      .children<string, Invoice>('orders.invoices', (ids) => rowsByKeys(this.db.dataSource, Invoice, 'shipmentId', [...ids], [['submittedAt', 'ASC']]), (i) => i.shipmentId)
      .load(shipmentId);
  }

  /** 两票制 manufacturer → distributor invoices of each shipment, oldest first. */
  manufacturerInvoicesOf(ctx: RequestContext, shipmentId: string): Promise<ManufacturerInvoice[]> {
    return ctx.loaders
      .children<string, ManufacturerInvoice>(
        'orders.manufacturerInvoices',
        (ids) => rowsByKeys(this.db.dataSource, ManufacturerInvoice, 'shipmentId', [...ids], [['submittedAt', 'ASC'], ['id', 'ASC']]),
        (i) => i.shipmentId,
      )
      .load(shipmentId);
  }

  returnLinesOf(ctx: RequestContext, returnId: string): Promise<GoodsReturnLine[]> {
    return ctx.loaders
      .children<string, GoodsReturnLine>('orders.returnLines', (ids) => rowsByKeys(this.db.dataSource, GoodsReturnLine, 'returnId', [...ids]), (l) => l.returnId)
      .load(returnId);
  }
}
