import { startTestApp, TestApp } from '@test/harness';
import { addTestAgreement, addTestListing, demoIds } from './support/test-supply';
import { recordInEffect } from './support/credit-process';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  id state emergency total distributorId regionCode slaPolicyVersion confirmBy deliverBy
  lines { id lineNo productId source agreementId listingId unitPrice quantity } } }`;
const CONFIRM = `mutation($id: ID!) { confirmOrder(orderId: $id) { id state } }`;
const SHIP = `mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id state withinSla lines { id orderLineId quantity batchNumber expiresOn } } }`;
const RECEIVE = `mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id automatic lines { id shipmentLineId orderLineId acceptedQuantity rejectedQuantity } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id state lines { id acceptedQuantity rejectedQuantity shippedQuantity returnedQuantity } shipments { id state receipt { id automatic } invoices { state } } } }`;

jest.setTimeout(60_000);

describe('orders: appointments, ordering, delivery, receipt, returns, invoices', () => {
  let t: TestApp;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let atorva: string; // under agreement for hosp-zz-1
  let omep: string; // listed
  let amox: string; // neither
  let amlo: string; // listed, manufacturer without a distributor
  let agreementId: string;
  let key = 0;
  const nextKey = () => `test-order-${++key}-${Date.now()}`;
  const countOrders = async () => Number((await t.sql(`SELECT count(*)::int AS n FROM purchase_order`))[0].n);
  const purchased = async (id: string) => Number((await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [id]))[0].purchased_quantity);

  beforeAll(async () => {
    t = await startTestApp();
    ids = await demoIds(t);
    atorva = ids.product('atorva-20-alpha');
    omep = ids.product('omep-20-alpha');
    amox = ids.product('amox-025-alpha');
    amlo = ids.product('amlo-5-beta');
    agreementId = await addTestAgreement(t, {
      hospitalId: ids.org('hosp-zz-1'),
      productId: atorva,
      manufacturerId: ids.manufacturerOf('atorva-20-alpha'),
      unitPrice: '0.8100',
      agreedQuantity: 10_000,
      from: '2026-01-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
    });
    await addTestListing(t, { productId: omep, manufacturerId: ids.manufacturerOf('omep-20-alpha'), unitPrice: '0.5000', from: '2026-01-01T00:00:00+08:00' });
    await addTestListing(t, { productId: amlo, manufacturerId: ids.manufacturerOf('amlo-5-beta'), unitPrice: '0.3000', from: '2026-01-01T00:00:00+08:00' });
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id regionCode } }`, {
      input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });
  });
  afterAll(() => t.close());

  it('refuses an overlapping appointment for the same region', async () => {
    const refusal = await t.as('mfr-alpha').refused(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: ids.org('dist-yj'), regionCode: '410100', startsAt: '2026-06-01T00:00:00+08:00' },
    });
    expect(refusal.code).toBe('APPOINTMENT_OVERLAPS');
    const list = await t.as('dist-yj').ok(`{ distributorAppointments { id } }`);
    expect(list.distributorAppointments).toHaveLength(0);
  });

  it('prices each line from the agreement or listing in force and routes to the appointed distributor', async () => {
    const res = await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: atorva, quantity: 100 }, { productId: omep, quantity: 50 }] } });
    const order = res.placeOrder;
    expect(order).toMatchObject({ state: 'SUBMITTED', emergency: false, total: '106.00', distributorId: ids.org('dist-zy'), regionCode: '410103', slaPolicyVersion: 'order-sla-2026.1' });
    expect(new Date(order.deliverBy).getTime() - new Date(order.confirmBy).getTime()).toBe(24 * 3600_000);
    expect(order.lines).toEqual([
      expect.objectContaining({ lineNo: 1, productId: atorva, source: 'AGREEMENT', agreementId, listingId: null, unitPrice: '0.8100', quantity: 100 }),
      expect.objectContaining({ lineNo: 2, productId: omep, source: 'LISTING', agreementId: null, unitPrice: '0.5000', quantity: 50 }),
    ]);
    const facts = await t.sql(`SELECT source, ordered_quantity, distributor_id, region_code, state FROM v_order_line_fact WHERE order_id = $1 ORDER BY source`, [order.id]);
    expect(facts).toEqual([
      { source: 'AGREEMENT', ordered_quantity: '100', distributor_id: ids.org('dist-zy'), region_code: '410103', state: 'SUBMITTED' },
      { source: 'LISTING', ordered_quantity: '50', distributor_id: ids.org('dist-zy'), region_code: '410103', state: 'SUBMITTED' },
    ]);
  });

  it('returns the first order for a retry with the same key and refuses the key with a different body', async () => {
    const idempotencyKey = nextKey();
    const first = await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey, emergency: true, lines: [{ productId: omep, quantity: 7 }] } });
    const before = await countOrders();
    const again = await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey, emergency: true, lines: [{ productId: omep, quantity: 7 }] } });
    expect(again.placeOrder.id).toBe(first.placeOrder.id);
    const reused = await t.as('hosp-zz-1').refused(PLACE, { input: { idempotencyKey, emergency: true, lines: [{ productId: omep, quantity: 8 }] } });
    expect(reused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await countOrders()).toBe(before);
  });

  it('refuses products not available to the hospital, and unroutable ones, writing nothing', async () => {
    const before = await countOrders();
    const notOrderable = await t.as('hosp-zz-1').refused(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: omep, quantity: 1 }, { productId: amox, quantity: 5 }] } });
    expect(notOrderable).toMatchObject({ code: 'PRODUCT_NOT_ORDERABLE', field: 'input.lines[1].productId' });
    // the agreement is hosp-zz-1's, not hosp-zz-2's
    const otherHospital = await t.as('hosp-zz-2').refused(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: atorva, quantity: 5 }] } });
    expect(otherHospital).toMatchObject({ code: 'PRODUCT_NOT_ORDERABLE', field: 'input.lines[0].productId' });
    const noDistributor = await t.as('hosp-zz-1').refused(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: amlo, quantity: 5 }] } });
    expect(noDistributor).toMatchObject({ code: 'NO_DISTRIBUTOR_APPOINTED', field: 'input.lines[0].productId' });
    expect(await countOrders()).toBe(before);
    expect((await t.sql(`SELECT count(*)::int AS n FROM idempotency_record WHERE operation = 'placeOrder'`))[0].n).toBe(2);
  });

  it.each([
    [0, 'input.lines[0].quantity'],
    [-3, 'input.lines[0].quantity'],
    [2.5, 'input.lines[0].quantity'],
  ])('refuses quantity %p with the field at fault, writing nothing', async (quantity, field) => {
    const before = await countOrders();
    const refusal = await t.as('hosp-zz-1').refused(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: omep, quantity }] } });
    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(refusal.field).toBe(field);
    expect(refusal.status).not.toBe(500);
    expect(await countOrders()).toBe(before);
  });

  it('runs an order through confirmation, partial shipment, receipt, return and a three-way matched invoice', async () => {
    const placed = (await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: atorva, quantity: 100 }, { productId: omep, quantity: 40 }] } })).placeOrder;
    const [atorvaLine, omepLine] = placed.lines;
    const shipInput = { orderId: placed.id, lines: [{ orderLineId: atorvaLine.id, quantity: 60, batchNumber: 'B2603A', expiresOn: '2028-02-29' }] };

    // another distributor cannot see or touch it; shipping before confirmation is refused
    expect((await t.as('dist-yj').refused(CONFIRM, { id: placed.id })).code).toBe('NOT_FOUND');
    expect((await t.as('dist-yj').refused(SHIP, { input: shipInput })).code).toBe('NOT_FOUND');
    expect((await t.as('dist-zy').refused(SHIP, { input: shipInput })).code).toBe('INVALID_STATE');
    expect((await t.sql(`SELECT count(*)::int AS n FROM shipment WHERE order_id = $1`, [placed.id]))[0].n).toBe(0);

    expect((await t.as('dist-zy').ok(CONFIRM, { id: placed.id })).confirmOrder.state).toBe('CONFIRMED');
    const tooMuch = await t.as('dist-zy').refused(SHIP, { input: { ...shipInput, lines: [{ ...shipInput.lines[0], quantity: 101 }] } });
    expect(tooMuch).toMatchObject({ code: 'SHIPMENT_EXCEEDS_ORDERED', field: 'input.lines[0].quantity' });
    t.clock.advance(3 * 3600_000);
    const shipment = (await t.as('dist-zy').ok(SHIP, { input: shipInput })).shipOrder;
    expect(shipment).toMatchObject({ state: 'SHIPPED', withinSla: true });
    expect((await t.as('hosp-zz-1').ok(ORDER, { id: placed.id })).order.state).toBe('PARTLY_SHIPPED');

    // receiving more than was shipped is refused and writes nothing
    const [shipLine] = shipment.lines;
    const over = await t.as('hosp-zz-1').refused(RECEIVE, { input: { shipmentId: shipment.id, lines: [{ shipmentLineId: shipLine.id, acceptedQuantity: 58, rejectedQuantity: 3, rejectionReason: 'damaged' }] } });
    expect(over).toMatchObject({ code: 'RECEIPT_EXCEEDS_SHIPPED', field: 'input.lines[0].acceptedQuantity' });
    expect((await t.sql(`SELECT count(*)::int AS n FROM receipt`))[0].n).toBe(0);
    expect(await purchased(agreementId)).toBe(0);

    const receipt = (await t.as('hosp-zz-1').ok(RECEIVE, { input: { shipmentId: shipment.id, lines: [{ shipmentLineId: shipLine.id, acceptedQuantity: 57, rejectedQuantity: 3, rejectionReason: 'blister packs damaged' }] } })).receiveShipment;
    expect(receipt.lines[0]).toMatchObject({ acceptedQuantity: 57, rejectedQuantity: 3, orderLineId: atorvaLine.id });
    expect(await purchased(agreementId)).toBe(57);
    expect((await t.as('hosp-zz-1').refused(RECEIVE, { input: { shipmentId: shipment.id, lines: [{ shipmentLineId: shipLine.id, acceptedQuantity: 60 }] } })).code).toBe('SHIPMENT_ALREADY_RECEIVED');

    // a return after receipt reduces accepted quantity and the agreement's purchased quantity
    await t.as('hosp-zz-1').ok(`mutation($input: ReturnGoodsInput!) { returnGoods(input: $input) { id reason lines { id quantity } } }`, {
      input: { orderId: placed.id, reason: '近效期退货', lines: [{ receiptLineId: receipt.lines[0].id, quantity: 7 }] },
    });
    expect(await purchased(agreementId)).toBe(50);
    const overReturn = await t.as('hosp-zz-1').refused(`mutation($input: ReturnGoodsInput!) { returnGoods(input: $input) { id } }`, {
      input: { orderId: placed.id, reason: 'again', lines: [{ receiptLineId: receipt.lines[0].id, quantity: 51 }] },
    });
    expect(overReturn).toMatchObject({ code: 'RETURN_EXCEEDS_ACCEPTED', field: 'input.lines[0].quantity' });
    expect(await purchased(agreementId)).toBe(50);

    // a wrong invoice is kept with its mismatches; the corrected one matches
    const INVOICE = `mutation($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { id state total expectedTotal mismatches { orderLineId kind expected invoiced } } }`;
    const wrong = (await t.as('dist-zy').ok(INVOICE, { input: { shipmentId: shipment.id, invoiceNumber: '41002600001', lines: [{ orderLineId: atorvaLine.id, quantity: 60, amount: '48.60' }] } })).submitInvoice;
    expect(wrong).toMatchObject({ state: 'MISMATCHED', expectedTotal: '46.17' });
    expect(wrong.mismatches.map((m: { kind: string }) => m.kind)).toEqual(['QUANTITY', 'AMOUNT']);
    let settleable = await t.sql(`SELECT kind, quantity, invoiced, unit_price, agreement_id FROM v_settleable_line WHERE order_id = $1 ORDER BY kind`, [placed.id]);
    expect(settleable).toEqual([
      { kind: 'RECEIPT', quantity: '57', invoiced: false, unit_price: '0.8100', agreement_id: agreementId },
      { kind: 'RETURN', quantity: '-7', invoiced: false, unit_price: '0.8100', agreement_id: agreementId },
    ]);
    const right = (await t.as('hosp-zz-1').ok(INVOICE, { input: { shipmentId: shipment.id, invoiceNumber: '41002600002', lines: [{ orderLineId: atorvaLine.id, quantity: 57, amount: '46.17' }] } })).submitInvoice;
    expect(right).toMatchObject({ state: 'MATCHED', mismatches: [] });
    expect((await t.as('dist-zy').refused(INVOICE, { input: { shipmentId: shipment.id, invoiceNumber: 'X', lines: [{ orderLineId: atorvaLine.id, quantity: 57, amount: '46.17' }] } })).code).toBe('INVOICE_ALREADY_MATCHED');
    settleable = await t.sql(`SELECT line_id, invoiced FROM v_settleable_line WHERE order_id = $1`, [placed.id]);
    expect(settleable.map((s: { invoiced: boolean }) => s.invoiced)).toEqual([true, true]);
    expect(new Set(settleable.map((s: { line_id: string }) => s.line_id)).size).toBe(2);

    const fact = await t.sql(`SELECT ordered_quantity, delivered_quantity, delivered_within_sla_quantity, accepted_quantity FROM v_order_line_fact WHERE order_line_id = $1`, [atorvaLine.id]);
    expect(fact).toEqual([{ ordered_quantity: '100', delivered_quantity: '60', delivered_within_sla_quantity: '60', accepted_quantity: '50' }]);

    // the rest ships late, is not received by the hospital, and is received automatically after 7 days
    t.clock.advance(2 * 24 * 3600_000);
    const rest = (await t.as('dist-zy').ok(SHIP, {
      input: { orderId: placed.id, lines: [{ orderLineId: atorvaLine.id, quantity: 40, batchNumber: 'B2603B', expiresOn: '2028-03-31' }, { orderLineId: omepLine.id, quantity: 40, batchNumber: 'O1', expiresOn: '2027-12-31' }] },
    })).shipOrder;
    expect(rest.withinSla).toBe(false);
    t.clock.advance(6 * 24 * 3600_000);
    await t.jobs.runNow('orders.auto-receive');
    expect((await t.sql(`SELECT state FROM shipment WHERE id = $1`, [rest.id]))[0].state).toBe('SHIPPED');
    t.clock.advance(24 * 3600_000);
    await t.jobs.runNow('orders.auto-receive');
    const after = (await t.as('hosp-zz-1').ok(ORDER, { id: placed.id })).order;
    expect(after.state).toBe('RECEIVED');
    expect(after.shipments[1]).toMatchObject({ state: 'RECEIVED', receipt: { automatic: true } });
    expect(await purchased(agreementId)).toBe(90);
    const late = await t.sql(`SELECT delivered_quantity, delivered_within_sla_quantity FROM v_order_line_fact WHERE order_line_id = $1`, [atorvaLine.id]);
    expect(late).toEqual([{ delivered_quantity: '100', delivered_within_sla_quantity: '60' }]);
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [placed.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'order.placed', 'order.confirmed', 'order.partly_shipped', 'order.partly_received', 'order.goods_returned', 'order.partly_received', 'order.received',
    ]);
  });

  it('lets each party see only its orders', async () => {
    const seen = async (user: string) => (await t.as(user).ok(`{ orders(first: 100) { totalCount } }`)).orders.totalCount;
    const total = await countOrders();
    expect(total).toBeGreaterThan(0);
    expect(await seen('hosp-zz-1')).toBe(total);
    expect(await seen('hosp-zz-2')).toBe(0);
    expect(await seen('dist-zy')).toBe(total);
    expect(await seen('dist-yj')).toBe(0);
    expect(await seen('mfr-alpha')).toBe(total);
    expect(await seen('mfr-beta')).toBe(0);
    expect(await seen('reg-zz')).toBe(total);
    expect(await seen('reg-ly')).toBe(0);
    const [{ id }] = await t.sql(`SELECT id FROM purchase_order LIMIT 1`);
    expect((await t.as('hosp-zz-2').refused(ORDER, { id })).code).toBe('NOT_FOUND');
  });

  it('lets the hospital cancel before confirmation, and a confirmed order only once undelivered for 8 days', async () => {
    const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id, reason: "no longer needed") { id state stateReason } }`;
    const a = (await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: omep, quantity: 3 }] } })).placeOrder;
    expect((await t.as('hosp-zz-1').ok(CANCEL, { id: a.id })).cancelOrder).toMatchObject({ state: 'CANCELLED', stateReason: 'no longer needed' });
    const b = (await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: nextKey(), lines: [{ productId: omep, quantity: 3 }] } })).placeOrder;
    await t.as('dist-zy').ok(CONFIRM, { id: b.id });
    expect((await t.as('hosp-zz-1').refused(CANCEL, { id: b.id })).code).toBe('CANCEL_NOT_YET_ALLOWED');
    t.clock.advance(8 * 24 * 3600_000);
    expect((await t.as('hosp-zz-1').ok(CANCEL, { id: b.id })).cancelOrder.state).toBe('CANCELLED');
    expect((await t.as('dist-zy').refused(CONFIRM, { id: b.id })).code).toBe('INVALID_STATE');
  });

  it('records off-platform purchases for supervision', async () => {
    const res = await t.as('hosp-zz-1').ok(`mutation($input: ReportOffPlatformPurchaseInput!) { reportOffPlatformPurchase(input: $input) { id month quantity amount } }`, {
      input: { productId: amox, month: '2026-02', quantity: 1200, amount: '264.00', reason: '急诊临时采购' },
    });
    expect(res.reportOffPlatformPurchase).toMatchObject({ month: '2026-02-01', quantity: 1200, amount: '264.00' });
    const rows = await t.sql(`SELECT hospital_id, region_code, product_id, variety_id IS NOT NULL AS has_variety, quantity, amount_fen FROM v_off_platform_purchase`);
    expect(rows).toEqual([{ hospital_id: ids.org('hosp-zz-1'), region_code: '410103', product_id: amox, has_variety: true, quantity: '1200', amount_fen: '26400' }]);
    expect((await t.as('reg-ly').ok(`{ offPlatformPurchases { totalCount nodes { id } } }`)).offPlatformPurchases).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe('orders: credit sanctions bite at ordering', () => {
  let t: TestApp;
  let ids: Awaited<ReturnType<typeof demoIds>>;

  beforeAll(async () => {
    t = await startTestApp();
    ids = await demoIds(t);
    // omeprazole under an agreement (a sanction does not touch agreements, only the credit check stops it), famotidine listed
    await addTestAgreement(t, {
      hospitalId: ids.org('hosp-zz-1'), productId: ids.product('omep-20-alpha'), manufacturerId: ids.manufacturerOf('omep-20-alpha'),
      unitPrice: '0.4000', agreedQuantity: 10_000, from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00',
    });
    await addTestListing(t, { productId: ids.product('famo-20-alpha'), manufacturerId: ids.manufacturerOf('famo-20-alpha'), unitPrice: '0.5000', from: '2026-01-01T00:00:00+08:00' });
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });
  });
  afterAll(() => t.close());

  it('refuses an agreement line whose product a SERIOUS rating suspends, naming that line, and writes nothing', async () => {
    const omep = ids.product('omep-20-alpha');
    const famo = ids.product('famo-20-alpha');
    // in effect once decided (due process): notice, the manufacturer's reply, the regulator upholds
    await recordInEffect(t, 'mfr-alpha', { organisationId: ids.org('mfr-alpha'), behaviour: 'KICKBACK', amount: '300000.00', occurredOn: '2026-02-10', evidence: '（2026）豫01刑初12号判决书', productIds: [omep] });
    const lines = [{ productId: famo, quantity: 5 }, { productId: omep, quantity: 5 }];
    const refusal = await t.as('hosp-zz-1').refused(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input: { idempotencyKey: 'sanctioned-order-1', lines } });
    expect(refusal).toMatchObject({ code: 'CREDIT_SANCTIONED', field: 'input.lines[1].productId' });
    expect(await t.sql(`SELECT count(*)::int AS n FROM purchase_order`)).toEqual([{ n: 0 }]);
    // the manufacturer's other products are still orderable
    const placed = await t.as('hosp-zz-1').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { state lines { productId } } }`, {
      input: { idempotencyKey: 'sanctioned-order-2', lines: [lines[0]] },
    });
    expect(placed.placeOrder).toEqual({ state: 'SUBMITTED', lines: [{ productId: famo }] });
  });
});
