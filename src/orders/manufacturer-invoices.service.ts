import { Injectable } from '@nestjs/common';
import { supplyInvoiceMatch } from '@libs/order-rules';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { notFound, validationFailed } from '../platform/errors/app-error';
import { requireUser } from '../platform/auth/scope';
import { PurchaseOrder } from './purchase-order.entity';
import { Shipment } from './shipment.entity';
import { ManufacturerInvoice, ManufacturerInvoiceLine } from './manufacturer-invoice.entity';
import { OrdersErrors } from './orders.errors';
import { OrdersService } from './orders.service';
import { SubmitManufacturerInvoiceInput } from './dto/order.inputs';

/**
 * 两票制: the manufacturer → distributor invoice of a shipment, recorded beside the distributor → hospital one.
 * The manufacturer records its own, or the distributor records the one it received (naming the manufacturer).
 */
@Injectable()
export class ManufacturerInvoicesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly orders: OrdersService,
  ) {}

  async submit(ctx: RequestContext, input: SubmitManufacturerInvoiceInput): Promise<ManufacturerInvoice> {
    const user = requireUser(ctx);
    let manufacturerId: string;
    if (user.role === 'MANUFACTURER') {
      if (input.manufacturerId && input.manufacturerId !== user.organisationId) throw notFound('Manufacturer', 'input.manufacturerId');
      manufacturerId = user.organisationId;
    } else {
      if (!input.manufacturerId) throw validationFailed('input.manufacturerId', '请填写开票的生产企业');
      manufacturerId = input.manufacturerId;
    }
    return this.db.transaction(async (em) => {
      const shipment = await em.findOne(Shipment, { where: { id: input.shipmentId } });
      const order = shipment && (await this.orders.scoped(ctx, em.createQueryBuilder(PurchaseOrder, 'o')).andWhere('o.id = :id', { id: shipment.orderId }).setLock('pessimistic_write').getOne());
      if (!shipment || !order) throw notFound('Shipment', 'input.shipmentId');
      const expected = await em.query<{ order_line_id: string; unit_price: string; shipped: number }[]>(
        `SELECT sl.order_line_id, l.unit_price::text AS unit_price, sum(sl.quantity)::int AS shipped
           FROM shipment_line sl JOIN order_line l ON l.id = sl.order_line_id
          WHERE sl.shipment_id = $1 AND l.manufacturer_id = $2 GROUP BY sl.order_line_id, l.unit_price`,
        [shipment.id, manufacturerId],
      );
      if (expected.length === 0) throw notFound('Manufacturer lines in this shipment', 'input.manufacturerId');
      if (await em.exists(ManufacturerInvoice, { where: { shipmentId: shipment.id, manufacturerId, state: 'MATCHED' } })) throw OrdersErrors.alreadyInvoiced();
      const result = supplyInvoiceMatch(
        expected.map((e) => ({ orderLineId: e.order_line_id, unitPrice: e.unit_price, shippedQuantity: e.shipped })),
        input.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, amountFen: l.amount })),
      );
      const invoice = em.create(ManufacturerInvoice, {
        shipmentId: shipment.id,
        orderId: order.id,
        manufacturerId,
        distributorId: order.distributorId,
        hospitalId: order.hospitalId,
        regionCode: order.regionCode,
        invoiceNumber: input.invoiceNumber,
        state: result.matched ? 'MATCHED' : 'MISMATCHED',
        totalFen: result.invoicedTotalFen,
        saleTotalFen: result.expectedTotalFen,
        mismatches: result.mismatches,
        submittedAt: this.clock.now(),
        submittedBy: user.id,
      });
      await em.insert(ManufacturerInvoice, invoice);
      await em.insert(ManufacturerInvoiceLine, input.lines.map((l) => ({ invoiceId: invoice.id, orderLineId: l.orderLineId, quantity: l.quantity, amountFen: l.amount })));
      await this.audit.record(em, ctx, {
        action: result.matched ? 'manufacturer-invoice.matched' : 'manufacturer-invoice.mismatched',
        entityType: 'manufacturer_invoice',
        entityId: invoice.id,
        data: { shipmentId: shipment.id, manufacturerId, invoiceNumber: input.invoiceNumber, totalFen: result.invoicedTotalFen.toString(), mismatches: result.mismatches },
      });
      return invoice;
    });
  }
}
