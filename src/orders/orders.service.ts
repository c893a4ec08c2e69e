import { randomUUID } from 'crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { lineAmountFen, sumFen } from '@libs/money';
import {
  CURRENT_ORDER_SLA_POLICY,
  LineProgress,
  OrderAction,
  OrderState,
  autoReceiveAt,
  batchExpiryProblem,
  mayTake,
  orderDeadlines,
  stateAfterReceipt,
  stateAfterShipment,
  threeWayMatch,
} from '@libs/order-rules';
import { Db } from '../platform/database/db';
import { preparedQuery } from '../platform/database/prepared-query';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { AuditRecord, AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { AuthUser, RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { applyScope, requireUser } from '../platform/auth/scope';
import { checkedRequestHash, claimSql, IdempotencyScope, PriorUse, priorResult, priorUse, priorUsePart } from '../platform/idempotency/idempotency';
import { Bindings, SqlPart } from '../platform/database/sql-part';
import { PageArgs, paginate } from '../platform/graphql/pagination';
import {
  AGREEMENT_SUPPLY,
  AgreementForOrder,
  AgreementSupply,
  CREDIT_CHECKS,
  CreditChecks,
  LISTING_PRICES,
  ListingPriceInForce,
  ListingPrices,
  OrderCreditCheck,
} from '../platform/ports/context-ports';
import { ProductsService } from '../catalog/products/products.service';
import { DistributorsService } from './distributors.service';
import { OrderLine, OrderLineSource, PurchaseOrder } from './purchase-order.entity';
import { Receipt, ReceiptLine, Shipment, SHIPMENT_MACHINE, ShipmentLine } from './shipment.entity';
import { GoodsReturn, GoodsReturnLine } from './goods-return.entity';
import { Invoice, InvoiceLine } from './invoice.entity';
import { OrdersErrors } from './orders.errors';
import { MAX_QUANTITY, OrderFilter, PlaceOrderInput, ReceiveShipmentInput, ReturnGoodsInput, ShipOrderInput, SubmitInvoiceInput } from './dto/order.inputs';

export const AUTO_RECEIVE_JOB = 'orders.auto-receive';

/** What placing an order depends on, read in one statement. */
interface PlacingFacts {
  prior: PriorUse | null;
  varieties: Map<string, string | null>;
  agreements: Map<string, AgreementForOrder>;
  listings: Map<string, ListingPriceInForce>;
  creditCheck: OrderCreditCheck | null;
  distributors: Map<string, string>;
}

interface PricedLine {
  productId: string;
  quantity: number;
  manufacturerId: string;
  varietyId: string | null;
  source: OrderLineSource;
  agreementId: string | null;
  listingId: string | null;
  unitPrice: string;
}

/**
 * Purchase orders from placement to closing. Every mutation is one transaction that locks the order row
 * first (then the shipment), so concurrent steps on one order serialise and counters cannot overshoot;
 * the CHECK constraints on the counters are the last line of defence.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly distributors: DistributorsService,
    private readonly products: ProductsService,
    @Optional() @Inject(AGREEMENT_SUPPLY) private readonly agreements: AgreementSupply | null,
    @Optional() @Inject(LISTING_PRICES) private readonly listings: ListingPrices | null,
    @Optional() @Inject(CREDIT_CHECKS) private readonly credit: CreditChecks | null,
  ) {}

  // ---- reads --------------------------------------------------------------------------------------------

  /** Restricts `o` (purchase_order) to what the caller may see; never trusts ids in arguments. */
  scoped(ctx: RequestContext, qb: SelectQueryBuilder<PurchaseOrder>): SelectQueryBuilder<PurchaseOrder> {
    return applyScope(qb, ctx, {
      region: { code: 'o.region_code' },
      own: {
        HOSPITAL: 'o.hospital_id',
        DISTRIBUTOR: 'o.distributor_id',
        MANUFACTURER: 'EXISTS (SELECT 1 FROM order_line ml WHERE ml.order_id = o.id AND ml.manufacturer_id = :scopeOwn)',
      },
    });
  }

  list(ctx: RequestContext, filter: OrderFilter = {}, page: PageArgs = {}) {
    const qb = this.scoped(ctx, this.db.manager.createQueryBuilder(PurchaseOrder, 'o'));
    if (filter.state) qb.andWhere('o.state = :state', { state: filter.state });
    return paginate(qb, page, 'ordered_at');
  }

  async get(ctx: RequestContext, id: string, em: EntityManager = this.db.manager): Promise<PurchaseOrder> {
    const order = await this.scoped(ctx, em.createQueryBuilder(PurchaseOrder, 'o')).andWhere('o.id = :id', { id }).getOne();
    if (!order) throw notFound('Order', 'id');
    return order;
  }

  linesOf(orderId: string): Promise<OrderLine[]> {
    return this.db.manager.find(OrderLine, { where: { orderId }, order: { lineNo: 'ASC' } });
  }

  shipmentsOf(orderId: string): Promise<Shipment[]> {
    return this.db.manager.find(Shipment, { where: { orderId }, order: { shippedAt: 'ASC' } });
  }

  shipmentLinesOf(shipmentId: string): Promise<ShipmentLine[]> {
    return this.db.manager.find(ShipmentLine, { where: { shipmentId } });
  }

  receiptOf(shipmentId: string): Promise<Receipt | null> {
    return this.db.manager.findOne(Receipt, { where: { shipmentId } });
  }

  receiptLinesOf(receiptId: string): Promise<ReceiptLine[]> {
    return this.db.manager.find(ReceiptLine, { where: { receiptId } });
  }

  invoicesOf(shipmentId: string): Promise<Invoice[]> {
    return this.db.manager.find(Invoice, { where: { shipmentId }, order: { submittedAt: 'ASC' } });
  }

  returnsOf(orderId: string): Promise<GoodsReturn[]> {
    return this.db.manager.find(GoodsReturn, { where: { orderId }, order: { returnedAt: 'ASC' } });
  }

  returnLinesOf(returnId: string): Promise<GoodsReturnLine[]> {
    return this.db.manager.find(GoodsReturnLine, { where: { returnId } });
  }

  // ---- placing ------------------------------------------------------------------------------------------

  /**
   * Two round trips, whatever the number of lines: one statement reads everything the order depends on (an
   * earlier use of the idempotency key, the products' varieties, agreements, listing prices, credit ratings,
   * appointed distributors), each context contributing its own part; then, the lines priced and checked, one
   * statement claims the key and writes the order, its lines and the audit entry atomically. A key claimed
   * meanwhile by a concurrent retry makes the write a no-op, and the first order is returned.
   */
  async place(ctx: RequestContext, input: PlaceOrderInput): Promise<PurchaseOrder> {
    const user = requireUser(ctx);
    if (user.role !== 'HOSPITAL') throw new AppError('FORBIDDEN', 'Only a hospital places orders');
    const seen = new Map<string, number>();
    input.lines.forEach((line, i) => {
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
        throw new AppError('VALIDATION_FAILED', `A quantity is a whole number from 1 to ${MAX_QUANTITY}`, { field: `input.lines[${i}].quantity` });
      }
      if (seen.has(line.productId)) throw new AppError('VALIDATION_FAILED', `Product already on line ${seen.get(line.productId)}; one line per product`, { field: `input.lines[${i}].productId` });
      seen.set(line.productId, i);
    });
    const { idempotencyKey, ...request } = input;
    const scope = { organisationId: user.organisationId, operation: 'placeOrder', key: idempotencyKey, request };
    const requestHash = checkedRequestHash(scope);
    const now = this.clock.now();
    const facts = await this.readForPlacing(user, scope, input.lines.map((l) => l.productId), now);
    // a retry returns the first order, whatever has changed since
    if (facts.prior) return this.get(ctx, priorResult<{ orderId: string }>(facts.prior, requestHash).orderId);
    const priced = this.priceLines(input.lines, facts);
    const order = this.newOrder(user, input, priced, facts.distributors, now);
    const b = new Bindings();
    const claim = claimSql(b, scope, requestHash, { orderId: order.id });
    const [id, hospital, region, at] = [b.bind(order.id, 'uuid'), b.bind(order.hospitalId, 'uuid'), b.bind(order.regionCode, 'text'), b.bind(now, 'timestamptz')];
    const column = <K extends keyof PricedLine>(key: K, type: string) => b.bind(priced.map((l) => l[key]), type);
    const claimed = 'EXISTS (SELECT 1 FROM claim)';
    const [written] = await this.db.statement<{ claimed: boolean; created_at: Date | null; line_ids: string[] | null }>(
      'orders.place',
      `WITH claim AS (${claim}),
       o AS (
         INSERT INTO purchase_order (id, hospital_id, region_code, distributor_id, state, emergency, note, total_fen, ordered_at, placed_by,
                                     sla_policy_version, confirm_by, deliver_by, cancellable_from, version)
         SELECT ${id}, ${hospital}, ${region}, ${b.bind(order.distributorId, 'uuid')}, 'SUBMITTED', ${b.bind(order.emergency, 'boolean')}, ${b.bind(order.note, 'text')},
                ${b.bind(order.totalFen.toString(), 'bigint')}, ${at}, ${b.bind(order.placedBy, 'uuid')}, ${b.bind(order.slaPolicyVersion, 'text')},
                ${b.bind(order.confirmBy, 'timestamptz')}, ${b.bind(order.deliverBy, 'timestamptz')}, ${b.bind(order.cancellableFrom, 'timestamptz')}, 1
          WHERE ${claimed}
         RETURNING created_at),
       l AS (
         INSERT INTO order_line (order_id, line_no, hospital_id, region_code, product_id, manufacturer_id, variety_id, source, agreement_id, listing_id, unit_price, quantity, ordered_at)
         SELECT ${id}, t.line_no, ${hospital}, ${region}, t.product_id, t.manufacturer_id, t.variety_id, t.source, t.agreement_id, t.listing_id, t.unit_price, t.quantity, ${at}
           FROM unnest(${b.bind(priced.map((_, i) => i + 1), 'int[]')}, ${column('productId', 'uuid[]')}, ${column('manufacturerId', 'uuid[]')}, ${column('varietyId', 'uuid[]')},
                       ${column('source', 'text[]')}, ${column('agreementId', 'uuid[]')}, ${column('listingId', 'uuid[]')}, ${column('unitPrice', 'numeric[]')}, ${column('quantity', 'int[]')})
                AS t(line_no, product_id, manufacturer_id, variety_id, source, agreement_id, listing_id, unit_price, quantity)
          WHERE ${claimed}
         RETURNING id, line_no),
       audit AS (${this.audit.recordSql(b, ctx, this.placedAudit(order, priced), claimed)})
       SELECT ${claimed} AS claimed, (SELECT created_at FROM o) AS created_at, (SELECT array_agg(l.id ORDER BY l.line_no) FROM l) AS line_ids`,
      b.values,
    );
    if (!written.claimed) {
      // a concurrent call with the same key claimed it first (and has committed by now)
      return this.get(ctx, priorResult<{ orderId: string }>(await priorUse(this.db.manager, scope), requestHash).orderId);
    }
    order.createdAt = written.created_at!;
    order.placedLines = priced.map((l, i) =>
      this.db.manager.create(OrderLine, {
        id: written.line_ids![i],
        orderId: order.id,
        lineNo: i + 1,
        hospitalId: order.hospitalId,
        regionCode: order.regionCode,
        productId: l.productId,
        manufacturerId: l.manufacturerId,
        varietyId: l.varietyId,
        source: l.source,
        agreementId: l.agreementId,
        listingId: l.listingId,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        shippedQuantity: 0,
        acceptedQuantity: 0,
        rejectedQuantity: 0,
        returnedQuantity: 0,
        deliveredWithinSlaQuantity: 0,
        orderedAt: now,
      }),
    );
    return order;
  }

  /**
   * Everything placing depends on, in one statement of parts owned by their contexts (a missing provider's
   * part is left out: nothing is orderable from it). Listing prices are read for every product, and ratings
   * and distributors for every candidate manufacturer, so no part waits on another's answer in JavaScript.
   */
  private async readForPlacing(user: AuthUser, scope: IdempotencyScope, productIds: string[], at: Date): Promise<PlacingFacts> {
    const b = new Bindings();
    const products = b.bind(productIds, 'uuid[]');
    const when = b.bind(at, 'timestamptz');
    const parts: [string, SqlPart<unknown>][] = [
      ['part_prior', priorUsePart(b, scope)],
      ['part_varieties', this.products.varietiesPart({ productIds: products })],
    ];
    // the manufacturers that could supply: those of the agreements and listings found
    const sources: string[] = [];
    if (this.agreements) {
      parts.push(['part_agreements', this.agreements.forOrderPart({ hospitalId: b.bind(user.organisationId, 'uuid'), productIds: products, at: when })]);
      sources.push('SELECT manufacturer_id FROM part_agreements');
    }
    if (this.listings) {
      parts.push(['part_listings', this.listings.pricesInForcePart({ productIds: products, regionCode: b.bind(user.regionCode, 'text'), at: when })]);
      sources.push('SELECT manufacturer_id FROM part_listings');
    }
    const manufacturerIds = sources.length ? `ARRAY(${sources.join(' UNION ')})` : `'{}'::uuid[]`;
    if (this.credit) parts.push(['part_ratings', this.credit.orderCheckPart({ manufacturerIds })]);
    parts.push(['part_distributors', this.distributors.appointedPart({ manufacturerIds, hospitalRegionPath: b.bind(user.regionPath, 'text'), at: when })]);
    const [row] = await preparedQuery<Record<string, Record<string, unknown>[]>>(
      this.db.manager,
      // one prepared statement per set of wired providers (names are at most 63 characters)
      `orders.place-read:${parts.map(([name]) => name.slice(5, 8)).join(',')}`,
      `WITH ${parts.map(([name, part]) => `${name} AS (${part.sql})`).join(',\n')}
       SELECT ${parts.map(([name]) => `(SELECT coalesce(json_agg(${name}), '[]') FROM ${name}) AS ${name}`).join(', ')}`,
      b.values,
    );
    const read = <T>(name: string, fallback: T): T => {
      const part = parts.find(([n]) => n === name);
      return part ? (part[1].read(row[name]) as T) : fallback;
    };
    return {
      prior: read<PriorUse | null>('part_prior', null),
      varieties: read('part_varieties', new Map<string, string | null>()),
      agreements: read('part_agreements', new Map<string, AgreementForOrder>()),
      listings: read('part_listings', new Map<string, ListingPriceInForce>()),
      creditCheck: read<OrderCreditCheck | null>('part_ratings', null),
      distributors: read('part_distributors', new Map<string, string>()),
    };
  }

  /** Agreement first, then listing; then the credit check of the whole order. Errors name the line at fault. */
  private priceLines(lines: { productId: string; quantity: number }[], facts: PlacingFacts): PricedLine[] {
    lines.forEach((line, i) => {
      if (!facts.varieties.has(line.productId)) throw OrdersErrors.notOrderable(`input.lines[${i}].productId`, 'No such product');
    });
    const priced = lines.map(({ productId, quantity }, i): PricedLine => {
      const varietyId = facts.varieties.get(productId) ?? null;
      const agreement = facts.agreements.get(productId);
      if (agreement) {
        return { productId, quantity, manufacturerId: agreement.manufacturerId, varietyId, source: 'AGREEMENT', agreementId: agreement.agreementId, listingId: null, unitPrice: agreement.unitPrice };
      }
      const listing = facts.listings.get(productId);
      if (!listing) throw OrdersErrors.notOrderable(`input.lines[${i}].productId`, 'The product is neither under an agreement for your hospital nor listed now');
      return { productId, quantity, manufacturerId: listing.manufacturerId, varietyId, source: 'LISTING', agreementId: null, listingId: listing.listingId, unitPrice: listing.unitPrice };
    });
    try {
      facts.creditCheck?.(priced.map((l) => ({ manufacturerId: l.manufacturerId, productId: l.productId })));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // the field names the first line whose product is barred
      const barred = ((error.extensions as { productIds?: string[] }).productIds ?? [])[0];
      const index = Math.max(0, lines.findIndex((l) => l.productId === barred));
      throw new AppError(error.code, error.message, { ...(error.extensions as object), field: `input.lines[${index}].productId` });
    }
    return priced;
  }

  /** The order as it will be written: routed to the one distributor its manufacturers appointed, with its deadlines. */
  private newOrder(user: AuthUser, input: PlaceOrderInput, priced: PricedLine[], appointed: Map<string, string>, now: Date): PurchaseOrder {
    let distributorId: string | null = null;
    for (const [i, line] of priced.entries()) {
      const distributor = appointed.get(line.manufacturerId);
      if (!distributor) throw OrdersErrors.noDistributor(`input.lines[${i}].productId`);
      if (distributorId && distributorId !== distributor) throw OrdersErrors.mixedDistributors(`input.lines[${i}].productId`);
      distributorId = distributor;
    }
    const policy = CURRENT_ORDER_SLA_POLICY;
    const deadlines = orderDeadlines(policy, now, input.emergency ?? false);
    return this.db.manager.create(PurchaseOrder, {
      // the id is chosen up front so the idempotency claim carries the result from the start
      id: randomUUID(),
      hospitalId: user.organisationId,
      regionCode: user.regionCode,
      distributorId: distributorId!,
      state: 'SUBMITTED',
      emergency: input.emergency ?? false,
      note: input.note ?? null,
      totalFen: sumFen(priced.map((l) => lineAmountFen(l.unitPrice, l.quantity))),
      orderedAt: now,
      placedBy: user.id,
      slaPolicyVersion: policy.version,
      confirmBy: deadlines.confirmBy,
      deliverBy: deadlines.deliverBy,
      cancellableFrom: deadlines.cancellableFrom,
      confirmedAt: null,
      closedAt: null,
      stateReason: null,
      version: 1,
    });
  }

  private placedAudit(order: PurchaseOrder, priced: PricedLine[]): AuditRecord {
    return {
      action: 'order.placed',
      entityType: 'purchase_order',
      entityId: order.id,
      data: {
        distributorId: order.distributorId,
        emergency: order.emergency,
        totalFen: order.totalFen.toString(),
        slaPolicyVersion: order.slaPolicyVersion,
        lines: priced.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, source: l.source, agreementId: l.agreementId, listingId: l.listingId })),
      },
    };
  }

  // ---- distributor steps --------------------------------------------------------------------------------

  /** Locks the order within the caller's scope; outside it the order does not exist for them. */
  private async lockOrder(em: EntityManager, ctx: RequestContext, orderId: string): Promise<PurchaseOrder> {
    const order = await this.scoped(ctx, em.createQueryBuilder(PurchaseOrder, 'o'))
      .andWhere('o.id = :orderId', { orderId })
      .setLock('pessimistic_write')
      .getOne();
    if (!order) throw notFound('Order', 'orderId');
    return order;
  }

  private guard(action: OrderAction, order: PurchaseOrder): void {
    const verdict = mayTake(action, order.state);
    if (!verdict.ok) throw OrdersErrors.invalidState(verdict.reason);
  }

  private async transition(em: EntityManager, ctx: RequestContext, order: PurchaseOrder, to: OrderState, changes: Partial<PurchaseOrder>, data: Record<string, unknown> = {}) {
    const from = order.state;
    await em.update(PurchaseOrder, { id: order.id }, { state: to, ...changes, version: order.version + 1 });
    Object.assign(order, { state: to, ...changes, version: order.version + 1 });
    await this.audit.record(em, ctx, { action: `order.${to.toLowerCase()}`, entityType: 'purchase_order', entityId: order.id, data: { from, to, ...data } });
  }

  confirm(ctx: RequestContext, orderId: string): Promise<PurchaseOrder> {
    return this.db.transaction(async (em) => {
      const order = await this.lockOrder(em, ctx, orderId);
      this.requireDistributorOf(ctx, order);
      this.guard('CONFIRM', order);
      const now = this.clock.now();
      await this.transition(em, ctx, order, 'CONFIRMED', { confirmedAt: now }, { withinSla: now <= order.confirmBy });
      return order;
    });
  }

  reject(ctx: RequestContext, orderId: string, reason: string): Promise<PurchaseOrder> {
    return this.db.transaction(async (em) => {
      const order = await this.lockOrder(em, ctx, orderId);
      this.requireDistributorOf(ctx, order);
      this.guard('REJECT', order);
      await this.transition(em, ctx, order, 'REJECTED', { stateReason: reason }, { reason });
      return order;
    });
  }

  cancel(ctx: RequestContext, orderId: string, reason: string): Promise<PurchaseOrder> {
    return this.db.transaction(async (em) => {
      const order = await this.lockOrder(em, ctx, orderId);
      if (requireUser(ctx).role !== 'HOSPITAL') throw new AppError('FORBIDDEN', 'Only the ordering hospital cancels an order');
      this.guard('CANCEL', order);
      // once the distributor has confirmed, the hospital waits out the SLA policy's period before cancelling
      if (order.state === 'CONFIRMED' && this.clock.now() < order.cancellableFrom) throw OrdersErrors.cancelNotYetAllowed(order.cancellableFrom);
      await this.transition(em, ctx, order, 'CANCELLED', { stateReason: reason }, { reason });
      return order;
    });
  }

  private requireDistributorOf(ctx: RequestContext, order: PurchaseOrder): void {
    const user = requireUser(ctx);
    // scoping already hides other distributors' orders; this refuses hospitals and regulators who can see it
    if (user.role !== 'DISTRIBUTOR' || user.organisationId !== order.distributorId) throw new AppError('FORBIDDEN', "Only the order's distributor takes this step");
  }

  async ship(ctx: RequestContext, input: ShipOrderInput): Promise<Shipment> {
    return this.db.transaction(async (em) => {
      const order = await this.lockOrder(em, ctx, input.orderId);
      this.requireDistributorOf(ctx, order);
      this.guard('SHIP', order);
      const now = this.clock.now();
      for (const [i, line] of input.lines.entries()) {
        const expired = batchExpiryProblem(line.expiresOn, now);
        if (expired) throw OrdersErrors.batchExpired(`input.lines[${i}].expiresOn`, expired);
      }
      const shipment = em.create(Shipment, {
        orderId: order.id,
        hospitalId: order.hospitalId,
        regionCode: order.regionCode,
        distributorId: order.distributorId,
        state: 'SHIPPED',
        shippedAt: now,
        autoReceiveAt: autoReceiveAt(CURRENT_ORDER_SLA_POLICY, now),
        withinSla: now <= order.deliverBy,
      });
      await em.insert(Shipment, shipment);
      for (const [i, line] of input.lines.entries()) {
        const updated: unknown[] = await em.query(
          `UPDATE order_line SET shipped_quantity = shipped_quantity + $1
            WHERE id = $2 AND order_id = $3 AND shipped_quantity + $1 <= quantity RETURNING id`,
          [line.quantity, line.orderLineId, order.id],
        );
        if (!(updated[0] as unknown[])?.length) {
          const exists = await em.findOne(OrderLine, { where: { id: line.orderLineId, orderId: order.id } });
          if (!exists) throw notFound('Order line', `input.lines[${i}].orderLineId`);
          throw OrdersErrors.exceedsOrdered(`input.lines[${i}].quantity`);
        }
      }
      await em.insert(
        ShipmentLine,
        input.lines.map((l) => ({ shipmentId: shipment.id, orderLineId: l.orderLineId, regionCode: order.regionCode, quantity: l.quantity, batchNumber: l.batchNumber, expiresOn: l.expiresOn })),
      );
      const progress = await this.progress(em, order.id);
      const anyReceived = await em.exists(Receipt, { where: { orderId: order.id } });
      await this.transition(em, ctx, order, stateAfterShipment(progress, anyReceived), {}, {
        shipmentId: shipment.id,
        withinSla: shipment.withinSla,
        lines: input.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, batchNumber: l.batchNumber, expiresOn: l.expiresOn })),
      });
      return shipment;
    });
  }

  private async progress(em: EntityManager, orderId: string): Promise<LineProgress[]> {
    const lines = await em.find(OrderLine, { where: { orderId } });
    return lines.map((l) => ({ ordered: l.quantity, shipped: l.shippedQuantity, received: l.acceptedQuantity + l.rejectedQuantity }));
  }

  // ---- hospital steps -----------------------------------------------------------------------------------

  async receive(ctx: RequestContext, input: ReceiveShipmentInput): Promise<Receipt> {
    const user = requireUser(ctx);
    if (user.role !== 'HOSPITAL') throw new AppError('FORBIDDEN', 'Only the ordering hospital receives a shipment');
    return this.db.transaction(async (em) => {
      const shipment = await em.findOne(Shipment, { where: { id: input.shipmentId, hospitalId: user.organisationId } });
      if (!shipment) throw notFound('Shipment', 'input.shipmentId');
      const order = await this.lockOrder(em, ctx, shipment.orderId);
      return this.receiveLocked(em, ctx, order, shipment.id, input.lines, false);
    });
  }

  /** Order locked first, then the shipment: a second receipt of the same shipment waits and then finds it received. */
  private async receiveLocked(
    em: EntityManager,
    ctx: RequestContext,
    order: PurchaseOrder,
    shipmentId: string,
    lines: { shipmentLineId: string; acceptedQuantity: number; rejectedQuantity?: number | null; rejectionReason?: string | null }[] | 'ALL_ACCEPTED',
    automatic: boolean,
  ): Promise<Receipt> {
    const shipment = await em.createQueryBuilder(Shipment, 's').where('s.id = :id', { id: shipmentId }).setLock('pessimistic_write').getOneOrFail();
    if (!SHIPMENT_MACHINE.guard('receive', shipment.state).ok) throw OrdersErrors.alreadyReceived();
    this.guard('RECEIVE', order);
    const shipped = await em.find(ShipmentLine, { where: { shipmentId } });
    const byId = new Map(shipped.map((s) => [s.id, s]));
    const counted =
      lines === 'ALL_ACCEPTED'
        ? shipped.map((s) => ({ shipmentLine: s, accepted: s.quantity, rejected: 0, reason: null as string | null }))
        : lines.map((l, i) => {
            const shipmentLine = byId.get(l.shipmentLineId);
            if (!shipmentLine) throw notFound('Shipment line', `input.lines[${i}].shipmentLineId`);
            const rejected = l.rejectedQuantity ?? 0;
            if (l.acceptedQuantity + rejected > shipmentLine.quantity) throw OrdersErrors.exceedsShipped(`input.lines[${i}].acceptedQuantity`);
            if (l.acceptedQuantity + rejected < shipmentLine.quantity) {
              throw new AppError('VALIDATION_FAILED', `Account for all ${shipmentLine.quantity} units shipped: record missing or damaged ones as rejected`, { field: `input.lines[${i}].rejectedQuantity` });
            }
            if (rejected > 0 && !l.rejectionReason) throw new AppError('VALIDATION_FAILED', 'Give a reason for rejected units', { field: `input.lines[${i}].rejectionReason` });
            return { shipmentLine, accepted: l.acceptedQuantity, rejected, reason: l.rejectionReason ?? null };
          });
    if (lines !== 'ALL_ACCEPTED') {
      const named = new Set<string>();
      lines.forEach((l, i) => {
        if (named.has(l.shipmentLineId)) throw new AppError('VALIDATION_FAILED', 'Each shipment line is received once', { field: `input.lines[${i}].shipmentLineId` });
        named.add(l.shipmentLineId);
      });
      const missing = shipped.find((s) => !named.has(s.id));
      if (missing) throw new AppError('VALIDATION_FAILED', `Shipment line ${missing.id} is not accounted for`, { field: 'input.lines' });
    }
    const now = this.clock.now();
    const receipt = em.create(Receipt, { shipmentId, orderId: order.id, hospitalId: order.hospitalId, regionCode: order.regionCode, receivedAt: now, automatic });
    await em.insert(Receipt, receipt);
    await em.insert(
      ReceiptLine,
      counted.map((c) => ({
        receiptId: receipt.id,
        shipmentLineId: c.shipmentLine.id,
        orderLineId: c.shipmentLine.orderLineId,
        regionCode: order.regionCode,
        acceptedQuantity: c.accepted,
        rejectedQuantity: c.rejected,
        rejectionReason: c.reason,
      })),
    );
    const agreementDeltas = new Map<string, number>();
    for (const c of counted) {
      const [rows] = await em.query<[{ agreement_id: string | null }[]]>(
        `UPDATE order_line SET accepted_quantity = accepted_quantity + $1, rejected_quantity = rejected_quantity + $2,
                delivered_within_sla_quantity = delivered_within_sla_quantity + $3
          WHERE id = $4 RETURNING agreement_id`,
        [c.accepted, c.rejected, shipment.withinSla ? c.accepted + c.rejected : 0, c.shipmentLine.orderLineId],
      );
      const agreementId = rows[0]?.agreement_id;
      if (agreementId && c.accepted > 0) agreementDeltas.set(agreementId, (agreementDeltas.get(agreementId) ?? 0) + c.accepted);
    }
    await this.applyAgreementDeltas(em, agreementDeltas);
    await em.update(Shipment, { id: shipmentId }, { state: 'RECEIVED' });
    const next = stateAfterReceipt(await this.progress(em, order.id));
    await this.transition(em, ctx, order, next, {}, {
      shipmentId,
      receiptId: receipt.id,
      automatic,
      lines: counted.map((c) => ({ shipmentLineId: c.shipmentLine.id, accepted: c.accepted, rejected: c.rejected })),
    });
    return receipt;
  }

  /** In agreement-id order, so two transactions touching the same agreements never deadlock. */
  private async applyAgreementDeltas(em: EntityManager, deltas: Map<string, number>): Promise<void> {
    if (!deltas.size) return;
    if (!this.agreements) throw new Error('An agreement line exists but no agreement supply is wired');
    for (const agreementId of [...deltas.keys()].sort()) await this.agreements.addAcceptedQuantity(em, agreementId, deltas.get(agreementId)!);
  }

  async returnGoods(ctx: RequestContext, input: ReturnGoodsInput): Promise<GoodsReturn> {
    const user = requireUser(ctx);
    if (user.role !== 'HOSPITAL') throw new AppError('FORBIDDEN', 'Only the ordering hospital returns goods');
    return this.db.transaction(async (em) => {
      const order = await this.lockOrder(em, ctx, input.orderId);
      const now = this.clock.now();
      const goodsReturn = em.create(GoodsReturn, { orderId: order.id, hospitalId: order.hospitalId, regionCode: order.regionCode, reason: input.reason, returnedAt: now });
      await em.insert(GoodsReturn, goodsReturn);
      const deltas = new Map<string, number>();
      const returned: { receiptLineId: string; orderLineId: string; quantity: number }[] = [];
      for (const [i, line] of input.lines.entries()) {
        const [rows] = await em.query<[{ order_line_id: string }[]]>(
          `UPDATE receipt_line rl SET returned_quantity = rl.returned_quantity + $1
             FROM receipt r
            WHERE rl.id = $2 AND r.id = rl.receipt_id AND r.order_id = $3 AND rl.returned_quantity + $1 <= rl.accepted_quantity
           RETURNING rl.order_line_id`,
          [line.quantity, line.receiptLineId, order.id],
        );
        if (!rows.length) {
          const known = await em.query<unknown[]>(`SELECT 1 FROM receipt_line rl JOIN receipt r ON r.id = rl.receipt_id WHERE rl.id = $1 AND r.order_id = $2`, [line.receiptLineId, order.id]);
          if (!known.length) throw notFound('Receipt line', `input.lines[${i}].receiptLineId`);
          throw OrdersErrors.exceedsAccepted(`input.lines[${i}].quantity`);
        }
        const orderLineId = rows[0].order_line_id;
        const [lineRows] = await em.query<[{ agreement_id: string | null }[]]>(
          `UPDATE order_line SET returned_quantity = returned_quantity + $1 WHERE id = $2 RETURNING agreement_id`,
          [line.quantity, orderLineId],
        );
        const agreementId = lineRows[0]?.agreement_id;
        if (agreementId) deltas.set(agreementId, (deltas.get(agreementId) ?? 0) - line.quantity);
        returned.push({ receiptLineId: line.receiptLineId, orderLineId, quantity: line.quantity });
      }
      await em.insert(GoodsReturnLine, returned.map((r) => ({ ...r, returnId: goodsReturn.id, regionCode: order.regionCode })));
      await this.applyAgreementDeltas(em, deltas);
      await this.audit.record(em, ctx, { action: 'order.goods_returned', entityType: 'purchase_order', entityId: order.id, data: { returnId: goodsReturn.id, reason: input.reason, lines: returned } });
      return goodsReturn;
    });
  }

  /** Distributor or hospital records the invoice for a received shipment; it is matched three ways at once. */
  async submitInvoice(ctx: RequestContext, input: SubmitInvoiceInput): Promise<Invoice> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const shipment = await em.findOne(Shipment, { where: { id: input.shipmentId } });
      const order = shipment && (await this.scoped(ctx, em.createQueryBuilder(PurchaseOrder, 'o')).andWhere('o.id = :id', { id: shipment.orderId }).setLock('pessimistic_write').getOne());
      if (!shipment || !order || !['HOSPITAL', 'DISTRIBUTOR'].includes(user.role)) throw notFound('Shipment', 'input.shipmentId');
      if (shipment.state !== 'RECEIVED') throw OrdersErrors.notReceived();
      if (await em.exists(Invoice, { where: { shipmentId: shipment.id, state: 'MATCHED' } })) throw OrdersErrors.alreadyInvoiced();
      const expected: { order_line_id: string; unit_price: string; accepted: string }[] = await em.query(
        `SELECT rl.order_line_id, l.unit_price::text AS unit_price, SUM(rl.accepted_quantity)::text AS accepted
           FROM receipt_line rl JOIN receipt r ON r.id = rl.receipt_id JOIN order_line l ON l.id = rl.order_line_id
          WHERE r.shipment_id = $1 GROUP BY rl.order_line_id, l.unit_price`,
        [shipment.id],
      );
      const result = threeWayMatch(
        expected.map((e) => ({ orderLineId: e.order_line_id, unitPrice: e.unit_price, acceptedQuantity: quantityTransformer.from(e.accepted)! })),
        input.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, amountFen: l.amount })),
      );
      const now = this.clock.now();
      const invoice = em.create(Invoice, {
        shipmentId: shipment.id,
        orderId: order.id,
        hospitalId: order.hospitalId,
        regionCode: order.regionCode,
        invoiceNumber: input.invoiceNumber,
        state: result.matched ? 'MATCHED' : 'MISMATCHED',
        totalFen: result.invoicedTotalFen,
        expectedTotalFen: result.expectedTotalFen,
        mismatches: result.mismatches,
        submittedAt: now,
        submittedBy: user.id,
      });
      await em.insert(Invoice, invoice);
      await em.insert(InvoiceLine, input.lines.map((l) => ({ invoiceId: invoice.id, orderLineId: l.orderLineId, quantity: l.quantity, amountFen: l.amount })));
      await this.audit.record(em, ctx, {
        action: result.matched ? 'invoice.matched' : 'invoice.mismatched',
        entityType: 'invoice',
        entityId: invoice.id,
        data: { shipmentId: shipment.id, invoiceNumber: input.invoiceNumber, totalFen: result.invoicedTotalFen.toString(), mismatches: result.mismatches },
      });
      if (result.matched && mayTake('CLOSE', order.state).ok) {
        const [{ open }] = await em.query<{ open: number }[]>(
          `SELECT count(*)::int AS open FROM shipment s WHERE s.order_id = $1
              AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.shipment_id = s.id AND i.state = 'MATCHED')`,
          [order.id],
        );
        if (open === 0) await this.transition(em, ctx, order, 'CLOSED', { closedAt: now }, { reason: 'received in full and every shipment invoiced' });
      }
      return invoice;
    });
  }

  // ---- jobs ---------------------------------------------------------------------------------------------

  /** Receives, all accepted, every shipment past its auto-receipt instant; one transaction per shipment. */
  async autoReceiveDue(ctx: RequestContext, batch = 200): Promise<number> {
    const due: { id: string; order_id: string }[] = await this.db.manager.query(
      `SELECT id, order_id FROM shipment WHERE state = 'SHIPPED' AND auto_receive_at <= $1 ORDER BY auto_receive_at LIMIT $2`,
      [this.clock.now(), batch],
    );
    let received = 0;
    for (const s of due) {
      await this.db.transaction(async (em) => {
        const order = await em.createQueryBuilder(PurchaseOrder, 'o').where('o.id = :id', { id: s.order_id }).setLock('pessimistic_write').getOneOrFail();
        const shipment = await em.findOneOrFail(Shipment, { where: { id: s.id } });
        if (shipment.state !== 'SHIPPED') return; // the hospital got there first
        await this.receiveLocked(em, ctx, order, s.id, 'ALL_ACCEPTED', true);
        received++;
      });
    }
    return received;
  }
}
