import { startTestApp, TestApp } from '@test/harness';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addAllotments, addReceiptLines, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
const BATCH = `query($id: ID!) { settlementBatch(id: $id) { id state linesSettled amount } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { id payeeId amount state holdReason } } }`;
const POLICY = `mutation($input: SetRegionSettlementPolicyInput!) { setRegionSettlementPolicy(input: $input) { id regionCode version effectiveFrom payee } }`;
const SUPPLY_INVOICE = `mutation($input: SubmitManufacturerInvoiceInput!) { submitManufacturerInvoice(input: $input) {
  id state total saleTotal manufacturerId distributorId mismatches { orderLineId kind expected invoiced } } }`;
const ACCOUNTS = `{ ledgerAccounts(first: 100) { nodes { kind ownerId balance } } }`;

describe('settlement: payee by the invoice chain (两票制)', () => {
  let t: TestApp;
  let checker: Gql;
  let hosp1: { id: string; regionCode: string };
  let hospAy: { id: string; regionCode: string };
  let alpha: string;
  let distributor: { id: string; username: string };
  const office = () => t.as('settle-henan');
  const balance = async (kind: string, ownerId: string) => {
    const [row] = await t.sql('SELECT balance_fen::text AS b FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row ? BigInt(row.b) : 0n;
  };
  const prepare = async (key: string, period: { periodStart: string; periodEnd: string }) => {
    const id = (await office().ok(START, { input: { regionCode: '410000', ...period, idempotencyKey: key } })).startSettlementBatch.id;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: id });
    return id as string;
  };
  const shipmentOf = async (lineId: string) => {
    const [row] = await t.sql('SELECT r.shipment_id, rl.order_line_id FROM receipt_line rl JOIN receipt r ON r.id = rl.receipt_id WHERE rl.id = $1', [lineId]);
    return { shipmentId: row.shipment_id as string, orderLineId: row.order_line_id as string };
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
    hosp1 = await orgOf(t, 'hosp-zz-1');
    hospAy = await orgOf(t, 'hosp-ay-1');
    alpha = (await orgOf(t, 'mfr-alpha')).id;
    // the distributor the fixture orders go through, and its user
    const [d] = await t.sql(
      `SELECT o.id, u.username FROM organisation o JOIN app_user u ON u.organisation_id = o.id
        WHERE o.id = (SELECT id FROM organisation WHERE kind = 'DISTRIBUTOR' ORDER BY id LIMIT 1) ORDER BY u.username LIMIT 1`,
    );
    distributor = { id: d.id, username: d.username };
    await addVerifiedPayeeAccounts(t, [alpha, distributor.id]);
    await addAllotments(t, [hosp1.id, hospAy.id]);
    checker = await checkerUser(t);
  });
  afterAll(() => t.close());

  it('Zhengzhou’s DISTRIBUTOR policy pays the distributor, who owes the manufacturer its recorded invoice; elsewhere the manufacturer is paid and owes the distributor its fee', async () => {
    // policies: versioned per region, not retroactive, set by the office only
    const now = t.clock.now().toISOString();
    expect(await office().refused(POLICY, { input: { regionCode: '410100', effectiveFrom: '2026-04-01T00:00:00+08:00', payee: 'DISTRIBUTOR' } }))
      .toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.effectiveFrom' });
    expect((await t.as('hosp-zz-1').refused(POLICY, { input: { regionCode: '410100', effectiveFrom: now, payee: 'DISTRIBUTOR' } })).code).toBe('FORBIDDEN');
    expect((await office().refused(POLICY, { input: { regionCode: '410100', effectiveFrom: now, payee: 'BANK' } })).field).toBe('input.payee');
    const policy = (await office().ok(POLICY, { input: { regionCode: '410100', effectiveFrom: now, payee: 'DISTRIBUTOR' } })).setRegionSettlementPolicy;
    expect(policy).toMatchObject({ regionCode: '410100', version: 1, payee: 'DISTRIBUTOR' });
    expect((await t.as('mfr-alpha').ok(`{ regionSettlementPolicies(regionCode: "410100") { version payee } }`)).regionSettlementPolicies).toEqual([{ version: 1, payee: 'DISTRIBUTOR' }]);

    const [zzWithInvoice, zzWithout, ayWithInvoice] = await addReceiptLines(t, [
      { hospital: hosp1, manufacturerId: alpha, unitPrice: '12.5000', quantity: 40, acceptedAt: '2026-03-10T10:00:00+08:00' },
      { hospital: hosp1, manufacturerId: alpha, unitPrice: '3.0000', quantity: 10, acceptedAt: '2026-03-11T10:00:00+08:00' },
      { hospital: hospAy, manufacturerId: alpha, unitPrice: '8.0000', quantity: 25, acceptedAt: '2026-03-12T10:00:00+08:00' },
    ]);
    // the manufacturer → distributor invoices: above the hospital's price it does not match; at the supply price it does
    const zz = await shipmentOf(zzWithInvoice);
    const refusedInvoice = (await t.as('mfr-alpha').ok(SUPPLY_INVOICE, {
      input: { shipmentId: zz.shipmentId, invoiceNumber: '44031234', lines: [{ orderLineId: zz.orderLineId, quantity: 40, amount: '500.01' }] },
    })).submitManufacturerInvoice;
    expect(refusedInvoice).toMatchObject({ state: 'MISMATCHED', mismatches: [{ orderLineId: zz.orderLineId, kind: 'AMOUNT_ABOVE_SALE', expected: '50000', invoiced: '50001' }] });
    t.clock.advance(60_000); // the corrected invoice a minute later: a shipment's invoices read in the order submitted
    const zzInvoice = (await t.as('mfr-alpha').ok(SUPPLY_INVOICE, {
      input: { shipmentId: zz.shipmentId, invoiceNumber: '44031235', lines: [{ orderLineId: zz.orderLineId, quantity: 40, amount: '460.00' }] },
    })).submitManufacturerInvoice;
    expect(zzInvoice).toMatchObject({ state: 'MATCHED', total: '460.00', saleTotal: '500.00', manufacturerId: alpha, distributorId: distributor.id, mismatches: [] });
    expect((await t.as('mfr-alpha').refused(SUPPLY_INVOICE, {
      input: { shipmentId: zz.shipmentId, invoiceNumber: '44031236', lines: [{ orderLineId: zz.orderLineId, quantity: 40, amount: '460.00' }] },
    })).code).toBe('INVOICE_ALREADY_MATCHED');
    // the distributor records the one it received for Anyang, naming the manufacturer
    const ay = await shipmentOf(ayWithInvoice);
    expect((await t.as(distributor.username).refused(SUPPLY_INVOICE, {
      input: { shipmentId: ay.shipmentId, invoiceNumber: '44039999', lines: [{ orderLineId: ay.orderLineId, quantity: 25, amount: '185.00' }] },
    })).field).toBe('input.manufacturerId');
    expect((await t.as(distributor.username).ok(SUPPLY_INVOICE, {
      input: { shipmentId: ay.shipmentId, manufacturerId: alpha, invoiceNumber: '44039999', lines: [{ orderLineId: ay.orderLineId, quantity: 25, amount: '185.00' }] },
    })).submitManufacturerInvoice).toMatchObject({ state: 'MATCHED', total: '185.00', saleTotal: '200.00' });
    expect((await t.as('mfr-beta').refused(SUPPLY_INVOICE, {
      input: { shipmentId: ay.shipmentId, invoiceNumber: '1', lines: [{ orderLineId: ay.orderLineId, quantity: 25, amount: '1.00' }] },
    })).code).toBe('NOT_FOUND');
    // the hospital sees both invoices of its delivery
    const shipments = (await t.as('hosp-zz-1').ok(`query($id: ID!) { order(id: $id) { shipments { id invoices { state } manufacturerInvoices { invoiceNumber state } } } }`, {
      id: (await t.sql('SELECT order_id FROM receipt WHERE shipment_id = $1', [zz.shipmentId]))[0].order_id,
    })).order.shipments;
    expect(shipments[0].invoices).toEqual([{ state: 'MATCHED' }]);
    expect(shipments[0].manufacturerInvoices).toEqual([{ invoiceNumber: '44031234', state: 'MISMATCHED' }, { invoiceNumber: '44031235', state: 'MATCHED' }]);

    const batch = await prepare('payee-march', { periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-04-01T00:00:00+08:00' });
    expect((await office().ok(BATCH, { id: batch })).settlementBatch).toMatchObject({ state: 'PREPARED', linesSettled: 3, amount: '730.00' });
    const payees = await t.sql('SELECT line_id, payee_id, supply_amount_fen::text AS supply FROM settled_line WHERE batch_id = $1', [batch]);
    expect(Object.fromEntries(payees.map((p) => [p.line_id, [p.payee_id, p.supply]]))).toEqual({
      [zzWithInvoice]: [distributor.id, '46000'], [zzWithout]: [distributor.id, null], [ayWithInvoice]: [alpha, '18500'],
    });
    // each party's side: Zhengzhou's distributor is owed 530.00 by the fund and owes alpha 460.00; Anyang's 200.00
    // is owed to alpha, who owes the distributor its 15.00 fee
    expect(await balance('PAYABLE', distributor.id)).toBe(53_000n);
    expect(await balance('PAYABLE', alpha)).toBe(20_000n);
    expect(await balance('CHAIN_PAYABLE', distributor.id)).toBe(-46_000n);
    expect(await balance('CHAIN_RECEIVABLE', alpha)).toBe(46_000n);
    expect(await balance('CHAIN_PAYABLE', alpha)).toBe(-1_500n);
    expect(await balance('CHAIN_RECEIVABLE', distributor.id)).toBe(1_500n);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);

    await checker.ok(APPROVE, { b: batch });
    const instructions = (await office().ok(INSTRUCTIONS, { b: batch })).paymentInstructions.nodes;
    expect(instructions.map((i: any) => [i.payeeId, i.amount, i.state]).sort()).toEqual([[alpha, '200.00', 'ISSUED'], [distributor.id, '530.00', 'ISSUED']].sort());
    expect(await balance('PAYABLE', distributor.id)).toBe(0n);
    // the distributor reads its own payment and its side of the chain
    expect((await t.as(distributor.username).ok(INSTRUCTIONS, { b: batch })).paymentInstructions.nodes.map((i: any) => [i.payeeId, i.amount])).toEqual([[distributor.id, '530.00']]);
    const own = (await t.as(distributor.username).ok(ACCOUNTS)).ledgerAccounts.nodes;
    expect(own.map((a: any) => [a.kind, a.balance]).sort()).toEqual([['CHAIN_PAYABLE', '-460.00'], ['CHAIN_RECEIVABLE', '15.00'], ['PAYABLE', '0.00']]);
    expect(own.every((a: any) => a.ownerId === distributor.id)).toBe(true);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
