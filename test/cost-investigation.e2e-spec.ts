import { startTestApp, TestApp } from '@test/harness';

const FIELDS = `id productId varietyId manufacturerIds state reason findings outcome decidedUnitPrice conclusion creditEventId concludedAt
  documentRequests { id manufacturerId items state deadline statement documents { documentRef description } submittedAt }`;
const OPEN = `mutation($input: OpenCostInvestigationInput!) { openCostInvestigation(input: $input) { ${FIELDS} } }`;
const REQUEST = `mutation($input: RequestCostDocumentsInput!) { requestCostDocuments(input: $input) { id state deadline items } }`;
const SUBMIT = `mutation($input: SubmitCostDocumentsInput!) { submitCostDocuments(input: $input) { id state submittedAt } }`;
const FINDINGS = `mutation($id: ID!, $f: String!) { recordCostFindings(investigationId: $id, findings: $f) { state findings } }`;
const CONCLUDE = `mutation($input: ConcludeCostInvestigationInput!) { concludeCostInvestigation(input: $input) { ${FIELDS} } }`;
const LIST = `query($state: CostInvestigationState) { costInvestigations(state: $state) { ${FIELDS} } }`;
const ONE = `query($id: ID!) { costInvestigation(id: $id) { ${FIELDS} } }`;

jest.setTimeout(90_000);

describe('cost investigations (价格成本调查): documents in working days, findings, a price decision or a credit event', () => {
  let t: TestApp;
  let org: Record<string, string>;
  let product: Record<string, { id: string; variety_id: string }>;

  beforeAll(async () => {
    t = await startTestApp(); // Monday 2 March 2026
    org = Object.fromEntries((await t.sql(`SELECT external_key, id FROM organisation WHERE external_key IS NOT NULL`)).map((r) => [r.external_key, r.id]));
    product = Object.fromEntries((await t.sql(`SELECT external_key, id, variety_id FROM product`)).map((r) => [r.external_key, r]));
  });
  afterAll(() => t.close());

  it('a product investigation: documents requested and submitted in time, findings, concluded with a credit event under due process', async () => {
    expect(await t.as('reg-henan').refused(OPEN, { input: { reason: '价格异常' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.productId' });
    expect(await t.as('reg-henan').refused(OPEN, { input: { productId: product['amlo-5-beta'].id, varietyId: product['amlo-5-beta'].variety_id, reason: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.productId' });
    expect((await t.as('hosp-zz-1').refused(OPEN, { input: { productId: product['amlo-5-beta'].id, reason: 'x' } })).code).toBe('FORBIDDEN');
    const inv = (await t.as('reg-henan').ok<any>(OPEN, { input: { productId: product['amlo-5-beta'].id, reason: '涨价申请与成本变动不符，立案调查' } })).openCostInvestigation;
    expect(inv).toMatchObject({ state: 'OPEN', varietyId: product['amlo-5-beta'].variety_id, manufacturerIds: [], documentRequests: [] });

    const request = (await t.as('reg-henan').ok<any>(REQUEST, { input: { investigationId: inv.id, items: ['2025年度成本核算表', '原料药采购发票'], workingDays: 5 } })).requestCostDocuments;
    // 5 working days after Monday 2 March: 3, 4, 5, 6, 9 March → until 10 March 00:00 Asia/Shanghai
    expect(request.state).toBe('REQUESTED');
    expect(new Date(request.deadline).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(await t.as('reg-henan').refused(REQUEST, { input: { investigationId: inv.id, manufacturerId: org['mfr-alpha'], items: ['x'], workingDays: 5 } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.manufacturerId' });

    // the manufacturer asked sees the investigation and its request; another manufacturer nothing
    expect((await t.as('mfr-beta').ok<any>(LIST)).costInvestigations.map((i: any) => i.id)).toEqual([inv.id]);
    expect((await t.as('mfr-alpha').ok<any>(LIST)).costInvestigations).toEqual([]);
    expect((await t.as('mfr-alpha').refused(ONE, { id: inv.id })).code).toBe('NOT_FOUND');
    expect((await t.as('mfr-alpha').refused(SUBMIT, { input: { requestId: request.id, statement: 'x', documents: [{ documentRef: 'x' }] } })).code).toBe('NOT_FOUND');

    t.clock.set('2026-03-05T10:00:00+08:00');
    const submitted = (await t.as('mfr-beta').ok<any>(SUBMIT, { input: { requestId: request.id, statement: '附成本核算表与原料发票', documents: [{ documentRef: 'CB-2025-01', description: '成本核算表' }, { documentRef: 'FP-2025-77' }] } })).submitCostDocuments;
    expect(submitted.state).toBe('SUBMITTED');
    expect((await t.as('mfr-beta').refused(SUBMIT, { input: { requestId: request.id, statement: 'again', documents: [{ documentRef: 'x' }] } })).code).toBe('INVALID_STATE');

    expect(await t.as('reg-henan').refused(CONCLUDE, { input: { investigationId: inv.id, outcome: 'NO_ACTION', conclusion: 'x' } })).toMatchObject({ code: 'INVALID_STATE', field: 'input.investigationId' });
    await t.as('reg-henan').ok(FINDINGS, { id: inv.id, f: '原料成本上涨约 3%，申请涨幅 40% 缺乏成本依据，存在不正当价格行为' });
    const concluded = (await t.as('reg-henan').ok<any>(CONCLUDE, { input: { investigationId: inv.id, outcome: 'CREDIT_EVENT', behaviour: 'UNFAIR_PRICE', conclusion: '纳入医药价格和招采信用评价' } })).concludeCostInvestigation;
    expect(concluded).toMatchObject({ state: 'CONCLUDED', outcome: 'CREDIT_EVENT', decidedUnitPrice: null, creditEventId: expect.any(String) });
    // the credit event is a notice to the manufacturer first: nothing is rated until a regulator decides it
    const notices = (await t.as('mfr-beta').ok<any>(`{ creditNotices { state proposedLevel event { id status behaviour productIds evidence } } }`)).creditNotices;
    expect(notices).toEqual([{ state: 'NOTIFIED', proposedLevel: 'MEDIUM', event: expect.objectContaining({ id: concluded.creditEventId, status: 'PENDING', behaviour: 'UNFAIR_PRICE', productIds: [product['amlo-5-beta'].id] }) }]);
    expect(notices[0].event.evidence).toContain(inv.id);
    expect((await t.as('mfr-beta').ok<any>(`{ creditRating { level } }`)).creditRating).toBeNull();
    expect((await t.as('reg-henan').refused(FINDINGS, { id: inv.id, f: 'later' })).code).toBe('INVALID_STATE');

    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [inv.id]);
    expect(audit.map((a: any) => a.action)).toEqual(['cost-investigation.opened', 'cost-investigation.documents-requested', 'cost-investigation.documents-submitted', 'cost-investigation.findings-recorded', 'cost-investigation.concluded']);
  });

  it('a variety investigation: the manufacturer is named, documents after the deadline are refused, concluded with a price decision', async () => {
    const amlo = product['amlo-5-zeta'].variety_id;
    const inv = (await t.as('reg-zz').ok<any>(OPEN, { input: { varietyId: amlo, reason: '苯磺酸氨氯地平成本调查' } })).openCostInvestigation;
    expect(await t.as('reg-zz').refused(REQUEST, { input: { investigationId: inv.id, items: ['成本核算表'], workingDays: 3 } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.manufacturerId' });
    expect(await t.as('reg-zz').refused(REQUEST, { input: { investigationId: inv.id, manufacturerId: org['mfr-kappa'], items: ['成本核算表'], workingDays: 3 } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.manufacturerId' });
    expect((await t.as('reg-zz').refused(REQUEST, { input: { investigationId: inv.id, manufacturerId: org['mfr-zeta'], items: ['成本核算表'], workingDays: 0 } })).code).toBe('VALIDATION_FAILED');
    const request = (await t.as('reg-zz').ok<any>(REQUEST, { input: { investigationId: inv.id, manufacturerId: org['mfr-zeta'], items: ['成本核算表'], workingDays: 3 } })).requestCostDocuments;
    t.clock.set('2026-03-12T09:00:00+08:00');
    const late = await t.as('mfr-zeta').refused(SUBMIT, { input: { requestId: request.id, statement: '迟交', documents: [{ documentRef: 'CB-1' }] } });
    expect(late).toMatchObject({ code: 'COST_DOCUMENTS_OVERDUE', field: 'input.requestId' });
    await t.as('reg-zz').ok(FINDINGS, { id: inv.id, f: '企业逾期未提供资料；按同品种平均成本加合理利润核定' });
    expect(await t.as('reg-zz').refused(CONCLUDE, { input: { investigationId: inv.id, outcome: 'PRICE_DECISION', conclusion: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.decidedUnitPrice' });
    const concluded = (await t.as('reg-zz').ok<any>(CONCLUDE, { input: { investigationId: inv.id, outcome: 'PRICE_DECISION', decidedUnitPrice: '1.1000', conclusion: '核定挂网价格不高于 1.1000 元/片' } })).concludeCostInvestigation;
    expect(concluded).toMatchObject({ state: 'CONCLUDED', outcome: 'PRICE_DECISION', decidedUnitPrice: '1.1000', creditEventId: null, documentRequests: [expect.objectContaining({ state: 'REQUESTED', manufacturerId: org['mfr-zeta'] })] });
    expect((await t.as('reg-henan').ok<any>(LIST, { state: 'CONCLUDED' })).costInvestigations).toHaveLength(2);
    expect((await t.as('mfr-zeta').ok<any>(ONE, { id: inv.id })).costInvestigation.decidedUnitPrice).toBe('1.1000');
  });
});
