import { startTestApp, TestApp } from '@test/harness';
import { addTestAgreement, addTestListing, demoIds } from './support/test-supply';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id } } }`;
const CONFIRM = `mutation($id: ID!) { confirmOrder(orderId: $id) { id } }`;
const SHIP = `mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { id quantity } } }`;
const RECEIVE = `mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id } }`;

jest.setTimeout(60_000);

describe('orders under concurrency', () => {
  let t: TestApp;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let atorva: string;
  let omep: string;
  let agreementId: string;

  beforeAll(async () => {
    t = await startTestApp();
    ids = await demoIds(t);
    atorva = ids.product('atorva-20-alpha');
    omep = ids.product('omep-20-alpha');
    agreementId = await addTestAgreement(t, {
      hospitalId: ids.org('hosp-zz-1'),
      productId: atorva,
      manufacturerId: ids.manufacturerOf('atorva-20-alpha'),
      unitPrice: '0.8100',
      agreedQuantity: 100_000,
      from: '2026-01-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
    });
    await addTestListing(t, { productId: omep, manufacturerId: ids.manufacturerOf('omep-20-alpha'), unitPrice: '0.5000', from: '2026-01-01T00:00:00+08:00' });
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });
    // log in once before the storm so the racing requests share a token
    await t.as('hosp-zz-1').accessToken();
    await t.as('dist-zy').accessToken();
  });
  afterAll(() => t.close());

  it('20 concurrent retries of one order with the same key create one order', async () => {
    const input = { idempotencyKey: 'retry-storm-0001', lines: [{ productId: omep, quantity: 12 }, { productId: atorva, quantity: 30 }] };
    const results = await Promise.all(Array.from({ length: 20 }, () => t.as('hosp-zz-1').ok(PLACE, { input })));
    expect(new Set(results.map((r) => r.placeOrder.id)).size).toBe(1);
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM purchase_order`);
    expect(n).toBe(1);
    const [{ lines }] = await t.sql(`SELECT count(*)::int AS lines FROM order_line`);
    expect(lines).toBe(2);
  });

  it('two concurrent receipts of one shipment cannot accept more than was shipped', async () => {
    const order = (await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: 'double-receipt-01', lines: [{ productId: atorva, quantity: 40 }] } })).placeOrder;
    await t.as('dist-zy').ok(CONFIRM, { id: order.id });
    const shipment = (await t.as('dist-zy').ok(SHIP, { input: { orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 40, batchNumber: 'R1', expiresOn: '2028-01-31' }] } })).shipOrder;
    const before = Number((await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [agreementId]))[0].purchased_quantity);
    const input = { shipmentId: shipment.id, lines: [{ shipmentLineId: shipment.lines[0].id, acceptedQuantity: 40 }] };
    const [a, b] = await Promise.all([t.as('hosp-zz-1').gql(RECEIVE, { input }), t.as('hosp-zz-1').gql(RECEIVE, { input })]);
    const outcomes = [a, b].map((r) => (r.errors ? r.errors[0].extensions!.code : 'OK')).sort();
    expect(outcomes).toEqual(['OK', 'SHIPMENT_ALREADY_RECEIVED']);
    const [line] = await t.sql(`SELECT accepted_quantity FROM order_line WHERE id = $1`, [order.lines[0].id]);
    expect(line.accepted_quantity).toBe(40);
    const after = Number((await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [agreementId]))[0].purchased_quantity);
    expect(after - before).toBe(40);
  });

  it('50 concurrent orders against one agreement, shipped and received concurrently, leave its purchased quantity exact', async () => {
    const before = Number((await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [agreementId]))[0].purchased_quantity);
    const quantities = Array.from({ length: 50 }, (_, i) => 1 + (i % 7));
    const orders = await Promise.all(
      quantities.map((quantity, i) => t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: `agreement-race-${String(i).padStart(3, '0')}`, lines: [{ productId: atorva, quantity }] } })),
    );
    expect(new Set(orders.map((o) => o.placeOrder.id)).size).toBe(50);
    const shipments = await Promise.all(
      orders.map(async (o, i) => {
        await t.as('dist-zy').ok(CONFIRM, { id: o.placeOrder.id });
        return (await t.as('dist-zy').ok(SHIP, { input: { orderId: o.placeOrder.id, lines: [{ orderLineId: o.placeOrder.lines[0].id, quantity: quantities[i], batchNumber: `C${i}`, expiresOn: '2028-06-30' }] } })).shipOrder;
      }),
    );
    await Promise.all(shipments.map((s) => t.as('hosp-zz-1').ok(RECEIVE, { input: { shipmentId: s.id, lines: [{ shipmentLineId: s.lines[0].id, acceptedQuantity: s.lines[0].quantity }] } })));
    const after = Number((await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [agreementId]))[0].purchased_quantity);
    expect(after - before).toBe(quantities.reduce((a, b) => a + b, 0));
    const [{ accepted }] = await t.sql(`SELECT sum(accepted_quantity)::int AS accepted FROM v_order_line_fact WHERE agreement_id = $1`, [agreementId]);
    expect(accepted).toBe(after);
  }, 60_000);
});
