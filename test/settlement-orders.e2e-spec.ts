import { startTestApp, TestApp } from '@test/harness';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addTestAgreement, addTestListing, demoIds } from './support/test-supply';
import { addAllotments, addVerifiedPayeeAccounts, APPROVE, checkerUser, HEALTHY, ledgerInvariants } from './support/settlement-fixtures';
import { CONFIRM_LINES_JOB } from '../src/settlement/line-confirmations.service';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id productId } } }`;
const CONFIRM = `mutation($id: ID!) { confirmOrder(orderId: $id) { state } }`;
const SHIP = `mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { id orderLineId } } }`;
const RECEIVE = `mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id lines { id orderLineId } } }`;
const RETURN = `mutation($input: ReturnGoodsInput!) { returnGoods(input: $input) { id } }`;
const INVOICE = `mutation($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { state } }`;
const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id } }`;
const BATCH = `query($id: ID!) { settlementBatch(id: $id) { state linesSettled amount } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { manufacturerId amount } } }`;
const MARCH = { regionCode: '410000', periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-04-01T00:00:00+08:00' };

/** Orders placed, shipped, received, returned and invoiced over GraphQL, then settled: the real contract end to end. */
describe('settlement of real orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T09:00:00+08:00' });
  });
  afterAll(() => t.close());

  it('settles accepted, invoiced deliveries net of returns; a shipment invoiced later goes into the next batch', async () => {
    const ids = await demoIds(t);
    const atorva = ids.product('atorva-20-alpha');
    const omep = ids.product('omep-20-alpha');
    const alpha = ids.manufacturerOf('atorva-20-alpha');
    await addTestAgreement(t, { hospitalId: ids.org('hosp-zz-1'), productId: atorva, manufacturerId: alpha, unitPrice: '0.8100', agreedQuantity: 10_000, from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
    await addTestListing(t, { productId: omep, manufacturerId: ids.manufacturerOf('omep-20-alpha'), unitPrice: '0.5000', from: '2026-01-01T00:00:00+08:00' });
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });

    const order = (await t.as('hosp-zz-1').ok(PLACE, { input: { idempotencyKey: 'settle-real-0001', lines: [{ productId: atorva, quantity: 100 }, { productId: omep, quantity: 40 }] } })).placeOrder;
    const [atorvaLine, omepLine] = order.lines;
    await t.as('dist-zy').ok(CONFIRM, { id: order.id });
    t.clock.advance(3 * 3600_000);
    const first = (await t.as('dist-zy').ok(SHIP, { input: { orderId: order.id, lines: [
      { orderLineId: atorvaLine.id, quantity: 60, batchNumber: 'B2603A', expiresOn: '2028-02-29' },
      { orderLineId: omepLine.id, quantity: 40, batchNumber: 'O2603A', expiresOn: '2027-12-31' },
    ] } })).shipOrder;
    const shipLine = (orderLineId: string) => first.lines.find((l: { orderLineId: string }) => l.orderLineId === orderLineId).id;
    t.clock.advance(24 * 3600_000);
    const receipt = (await t.as('hosp-zz-1').ok(RECEIVE, { input: { shipmentId: first.id, lines: [
      { shipmentLineId: shipLine(atorvaLine.id), acceptedQuantity: 57, rejectedQuantity: 3, rejectionReason: '破损' },
      { shipmentLineId: shipLine(omepLine.id), acceptedQuantity: 40, rejectedQuantity: 0 },
    ] } })).receiveShipment;
    const atorvaReceipt = receipt.lines.find((l: { orderLineId: string }) => l.orderLineId === atorvaLine.id).id;
    t.clock.advance(24 * 3600_000);
    await t.as('hosp-zz-1').ok(RETURN, { input: { orderId: order.id, reason: '近效期', lines: [{ receiptLineId: atorvaReceipt, quantity: 7 }] } });
    const invoiced = await t.as('dist-zy').ok(INVOICE, { input: { shipmentId: first.id, invoiceNumber: '41002600101', lines: [
      { orderLineId: atorvaLine.id, quantity: 57, amount: '46.17' },
      { orderLineId: omepLine.id, quantity: 40, amount: '20.00' },
    ] } });
    expect(invoiced.submitInvoice.state).toBe('MATCHED');

    // the rest of the atorvastatin arrives in March but is not invoiced yet
    const second = (await t.as('dist-zy').ok(SHIP, { input: { orderId: order.id, lines: [{ orderLineId: atorvaLine.id, quantity: 40, batchNumber: 'B2603B', expiresOn: '2028-03-31' }] } })).shipOrder;
    await t.as('hosp-zz-1').ok(RECEIVE, { input: { shipmentId: second.id, lines: [{ shipmentLineId: second.lines[0].id, acceptedQuantity: 40, rejectedQuantity: 0 }] } });

    t.clock.set('2026-04-02T09:00:00+08:00');
    // the hospital did not dispute within 5 working days: the hourly job confirms the lines
    await t.jobs.runNow(CONFIRM_LINES_JOB);
    await addVerifiedPayeeAccounts(t, [alpha]);
    await addAllotments(t);
    const checker = await checkerUser(t);
    const march = (await t.as('settle-henan').ok(START, { input: { ...MARCH, idempotencyKey: 'real-orders-march' } })).startSettlementBatch;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: march.id });
    await checker.ok(APPROVE, { b: march.id });
    // 57 × 0.81 + 40 × 0.50 − 7 × 0.81
    expect((await t.as('settle-henan').ok(BATCH, { id: march.id })).settlementBatch).toEqual({ state: 'COMPLETED', linesSettled: 3, amount: '60.50' });
    const settled = await t.sql(`SELECT kind, quantity::int AS q, amount_fen::int AS fen, agreement_id IS NOT NULL AS vbp FROM settled_line ORDER BY amount_fen`);
    expect(settled).toEqual([
      { kind: 'RETURN', q: -7, fen: -567, vbp: true },
      { kind: 'RECEIPT', q: 40, fen: 2000, vbp: false },
      { kind: 'RECEIPT', q: 57, fen: 4617, vbp: true },
    ]);
    expect((await t.as('settle-henan').ok(INSTRUCTIONS, { b: march.id })).paymentInstructions.nodes).toEqual([{ manufacturerId: alpha, amount: '60.50' }]);
    // the uninvoiced delivery is payable (and ageing) but unclaimed
    const unclaimed = (await t.as('hosp-zz-1').ok(`{ payableLines(first: 50) { amount batchId } }`)).payableLines.filter((l: { batchId: string | null }) => l.batchId === null);
    expect(unclaimed).toEqual([{ amount: '32.40', batchId: null }]);

    await t.as('hosp-zz-1').ok(INVOICE, { input: { shipmentId: second.id, invoiceNumber: '41002600102', lines: [{ orderLineId: atorvaLine.id, quantity: 40, amount: '32.40' }] } });
    const late = (await t.as('settle-henan').ok(START, { input: { ...MARCH, idempotencyKey: 'real-orders-march-late' } })).startSettlementBatch;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: late.id });
    await checker.ok(APPROVE, { b: late.id });
    expect((await t.as('settle-henan').ok(BATCH, { id: late.id })).settlementBatch).toEqual({ state: 'COMPLETED', linesSettled: 1, amount: '32.40' });
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
