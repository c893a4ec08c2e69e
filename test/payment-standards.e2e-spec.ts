import { startTestApp, TestApp } from '@test/harness';
import { PAYMENT_STANDARDS, PaymentStandards } from '../src/platform/ports/context-ports';
import { buildMonth, ensureStandIns, MonthScenario, SCENARIO_START } from './support/supervision-fixtures';

const FIELDS = `id varietyId varietySpecId productId version unitPrice effectiveFrom effectiveTo basis policyVersion source`;
const PUBLISH = `mutation($v: ID!, $at: DateTime!) { publishPaymentStandards(varietyId: $v, effectiveFrom: $at) { ${FIELDS} } }`;
const LIST = `query($v: ID, $first: Int, $after: String) { paymentStandards(varietyId: $v, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } } }`;
const PUBLIC = `query($v: ID, $first: Int, $after: String) { publicPaymentStandards(varietyId: $v, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } } }`;

const APPLY = `mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { state comparison { paymentStandard { unitPrice source } } } }`;

jest.setTimeout(180_000);

describe('payment standards (医保支付标准): follow the VBP award, non-winners converge, public to read', () => {
  let t: TestApp;
  let month: MonthScenario;
  let varietyId: string;
  let specId: string;

  beforeAll(async () => {
    t = await startTestApp({ now: SCENARIO_START });
    await ensureStandIns(t);
    // a real atorvastatin round, confirmed, in effect from 2026-01-01: mfr-alpha's 10mg won at 1.0000; the
    // non-winning atorva-10-delta is listed at 2.5000; the clock is left on 2026-04-02; no standards published yet
    month = await buildMonth(t, { paymentStandards: false });
    [{ variety_id: varietyId, variety_spec_id: specId }] = await t.sql(`SELECT variety_id, variety_spec_id FROM product WHERE id = $1`, [month.ids.W]);
  });
  afterAll(() => t.close());

  it('publishing gives the winner its awarded price and a non-winner a third of the way down to it, exactly', async () => {
    const [{ factor }] = await t.sql(`SELECT vs.comparable_factor::text AS factor FROM product p JOIN variety_spec vs ON vs.id = p.variety_spec_id WHERE p.id = $1`, [month.ids.N]);
    expect(factor).toBe('1.000000');
    const published = (await t.as('reg-henan').ok<any>(PUBLISH, { v: varietyId, at: '2026-04-03T00:00:00+08:00' })).publishPaymentStandards;
    expect(published).toEqual([
      expect.objectContaining({ varietySpecId: specId, productId: null, version: 1, unitPrice: '1.0000', basis: 'VBP_AWARD', policyVersion: 'PAYSTD-2025-1', effectiveTo: null, source: expect.stringContaining('集采中选价') }),
      // year 1 of the award: 2.5000 − (2.5000 − 1.0000) ÷ 3
      expect.objectContaining({ varietySpecId: specId, productId: month.ids.N, version: 1, unitPrice: '2.0000', basis: 'CONVERGENCE', policyVersion: 'PAYSTD-2025-1', effectiveTo: null }),
    ]);
    expect(published[0].effectiveFrom).toMatch(/^2026-04-03T00:00:00(\.000)?\+08:00$/);
    const [audit] = await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment-standard.published' AND entity_id = $1`, [varietyId]);
    expect(audit.n).toBe(1);

    // the port price-change reviews read: the product's own standard first, else its spec's
    const port = t.app.get<symbol, PaymentStandards>(PAYMENT_STANDARDS);
    const at = new Date('2026-04-05T00:00:00+08:00');
    expect(await port.standardFor(t.dataSource.manager, month.ids.N, at)).toEqual({ unitPrice: '2.0000', source: expect.stringContaining('CONVERGENCE') });
    expect(await port.standardFor(t.dataSource.manager, month.ids.W, at)).toEqual({ unitPrice: '1.0000', source: expect.stringContaining('VBP_AWARD') });
    expect(await port.standardFor(t.dataSource.manager, month.ids.W, new Date('2026-04-02T00:00:00+08:00'))).toBeNull();

    // a reviewer of the non-winner's price increase sees its standard in force
    t.clock.set('2026-04-05T09:00:00+08:00');
    await t.as('mfr-delta').ok(`mutation { fileCommitmentLetter(input: { documentRef: "CL-delta", signedOn: "2026-04-01" }) { id } }`);
    const change = (await t.as('mfr-delta').ok<any>(APPLY, { input: { productId: month.ids.N, unitPrice: '2.6000', reason: '原料药价格上涨', evidence: [{ kind: 'COST_DOCUMENT', documentRef: 'DOC-1' }] } })).applyForListing;
    expect(change).toMatchObject({ state: 'PENDING_REVIEW', comparison: { paymentStandard: { unitPrice: '2.0000', source: expect.stringContaining('CONVERGENCE') } } });
  });

  it('anyone reads the standards without login, cursor-paged; hospitals read every version', async () => {
    const first = (await t.anonymous.ok<any>(PUBLIC, { v: varietyId, first: 1 })).publicPaymentStandards;
    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.anonymous.ok<any>(PUBLIC, { v: varietyId, first: 1, after: first.pageInfo.endCursor })).publicPaymentStandards;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.nodes, ...second.nodes].map((n: any) => n.unitPrice).sort()).toEqual(['1.0000', '2.0000']);
    expect((await t.as('hosp-zz-1').ok<any>(LIST, { v: varietyId })).paymentStandards.totalCount).toBe(2);
    expect((await t.anonymous.refused(LIST, { v: varietyId })).code).toBe('UNAUTHENTICATED');
  });

  it('publishing again with the same inputs stores nothing; a new year of the award closes the old version', async () => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM payment_standard`);
    const again = (await t.as('reg-henan').ok<any>(PUBLISH, { v: varietyId, at: '2026-04-03T00:00:00+08:00' })).publishPaymentStandards;
    expect(again.map((r: any) => [r.version, r.unitPrice])).toEqual([[1, '1.0000'], [1, '2.0000']]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM payment_standard`)).toEqual(before);
    expect((await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment-standard.published'`))[0].n).toBe(1);

    // an earlier instant than the version in force is refused
    expect(await t.as('reg-henan').refused(PUBLISH, { v: varietyId, at: '2026-04-01T00:00:00+08:00' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'effectiveFrom' });

    // year 2 of the award (from 2027-01-01): 2.5000 − 1.5000 × 2/3 = 1.5000
    t.clock.set('2027-01-01T09:00:00+08:00');
    const next = (await t.as('reg-henan').ok<any>(PUBLISH, { v: varietyId, at: '2027-01-01T00:00:00+08:00' })).publishPaymentStandards;
    expect(next.map((r: any) => [r.version, r.productId, r.unitPrice, r.basis])).toEqual([[2, null, '1.0000', 'VBP_AWARD'], [2, month.ids.N, '1.5000', 'CONVERGENCE']]);
    const history = (await t.as('hosp-zz-1').ok<any>(LIST, { v: varietyId })).paymentStandards.nodes;
    expect(history.filter((r: any) => r.version === 1).every((r: any) => /^2027-01-01T00:00:00(\.000)?\+08:00$/.test(r.effectiveTo))).toBe(true);
    const open = (await t.anonymous.ok<any>(PUBLIC, { v: varietyId })).publicPaymentStandards.nodes;
    expect(open.map((r: any) => r.version)).toEqual([2, 2]);
  });

  it('supervision flags a purchase above the payment standard in force at its placement', async () => {
    // version 2 is in force since 2027-01-01: the winner's spec at 1.0000, the non-winner at 1.5000; the non-winner
    // stays listed at 2.5000 (its increase to 2.6000 still awaits review)
    const [zz1] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'hosp-zz-1'`);
    const [distZy] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'dist-zy'`);
    await t.as('mfr-delta').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: distZy.id, regionCode: '410100', startsAt: '2027-01-01T00:00:00+08:00' },
    });
    t.clock.set('2027-01-05T10:00:00+08:00');
    const placed = (await t.as('hosp-zz-1').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { unitPrice } } }`, {
      input: { idempotencyKey: 'above-standard-1', lines: [{ productId: month.ids.N, quantity: 200 }] },
    })).placeOrder;
    expect(placed.lines).toEqual([{ unitPrice: '2.5000' }]);

    const run = (await t.as('reg-henan').ok<any>(`mutation { runMonitoring(period: "2027-01") { state skipped { code reason } } }`)).runMonitoring;
    expect(run.state).toBe('SUCCEEDED');
    expect(run.skipped).toEqual([]);
    const ALERTS = `query($f: AlertFilter) { alerts(filter: $f) { totalCount nodes { ruleCode ruleVersion subjectId severity evidence { name value } } } }`;
    const { alerts } = await t.as('reg-henan').ok<any>(ALERTS, { f: { period: '2027-01', ruleCode: 'PURCHASE_ABOVE_PAYMENT_STANDARD' } });
    expect(alerts.totalCount).toBe(1);
    expect(alerts.nodes[0]).toMatchObject({ ruleCode: 'PURCHASE_ABOVE_PAYMENT_STANDARD', ruleVersion: 1, subjectId: zz1.id, severity: 'MEDIUM' });
    const evidence = Object.fromEntries(alerts.nodes[0].evidence.map((e: any) => [e.name, e.value]));
    // 200 × (2.5000 − 1.5000) = 200.00 yuan above what the fund pays by
    expect(evidence).toMatchObject({ productId: month.ids.N, maxUnitPricePaid: '2.5000', paymentStandardUnitPrice: '1.5000', paymentStandardVersion: '2', basis: 'CONVERGENCE', excessFen: '20000' });
    // the hospital sees the alert about itself
    const own = (await t.as('hosp-zz-1').ok<any>(ALERTS, { f: { period: '2027-01', ruleCode: 'PURCHASE_ABOVE_PAYMENT_STANDARD' } })).alerts;
    expect(own.totalCount).toBe(1);
  });

  it('a hospital or a manufacturer cannot publish; an unknown variety is NOT_FOUND', async () => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM payment_standard`);
    expect((await t.as('hosp-zz-1').refused(PUBLISH, { v: varietyId, at: '2027-06-01T00:00:00+08:00' })).code).toBe('FORBIDDEN');
    expect((await t.as('mfr-alpha').refused(PUBLISH, { v: varietyId, at: '2027-06-01T00:00:00+08:00' })).code).toBe('FORBIDDEN');
    expect((await t.anonymous.refused(PUBLISH, { v: varietyId, at: '2027-06-01T00:00:00+08:00' })).code).toBe('UNAUTHENTICATED');
    expect(await t.as('reg-henan').refused(PUBLISH, { v: '00000000-0000-4000-8000-000000000000', at: '2027-06-01T00:00:00+08:00' })).toMatchObject({ code: 'NOT_FOUND', field: 'varietyId' });
    expect(await t.sql(`SELECT count(*)::int AS n FROM payment_standard`)).toEqual(before);
  });
});
