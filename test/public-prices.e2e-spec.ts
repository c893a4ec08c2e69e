import ExcelJS from 'exceljs';
import { startTestApp, TestApp } from '@test/harness';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, variety } from './tendering-fixtures';

const NODE = `periodId listingId productId productName spec varietyId varietyName manufacturerId manufacturerName regionCode unitPrice state validFrom validTo`;
const IN_FORCE = `query($f: PublicPriceFilter, $first: Int, $after: String) { publicPricesInForce(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${NODE} } } }`;
const HISTORY = `query($f: PublicPriceFilter, $first: Int, $after: String) { publicPriceHistory(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { unitPrice state } } }`;
const RESULTS = `query($f: PublicPriceFilter) { publicVbpResults(filter: $f) { totalCount nodes {
  roundName roundLevel roundState lotName productId productName spec manufacturerId manufacturerName bidStatus
  awardedUnitPrice ceilingUnitPrice dropFromCeiling preVbpUnitPrice dropFromPreVbp agreedQuantity } } }`;
const EXPORT = `query($d: String!, $f: String!, $filter: PublicPriceFilter) { publicPriceExport(dataset: $d, format: $f, filter: $filter) { filename contentType base64 } }`;
const APPLY = `mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { state } }`;

jest.setTimeout(120_000);

describe('public prices: prices in force, their history and VBP results with drops, without login', () => {
  let t: TestApp;
  let ids: Record<string, string>;
  let roundId: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2025-11-01T09:00:00+08:00' });
    const rows = await t.sql(`SELECT external_key, id FROM organisation WHERE external_key IS NOT NULL UNION ALL SELECT external_key, id FROM product WHERE external_key IS NOT NULL`);
    ids = Object.fromEntries(rows.map((r) => [r.external_key, r.id]));
    for (const m of ['mfr-alpha', 'mfr-orig-a']) await t.as(m).ok(`mutation { fileCommitmentLetter(input: { documentRef: "CL-${m}", signedOn: "2025-10-15" }) { id } }`);
  });
  afterAll(() => t.close());

  it('lists prices in force and their history for anyone, filtered and cursor-paged, and as CSV/XLSX', async () => {
    const apply = (productKey: string, unitPrice: string) => t.as('mfr-alpha').ok<any>(APPLY, { input: { productId: ids[productKey], unitPrice, reason: '挂网' } });
    expect((await apply('omep-20-alpha', '1.2500')).applyForListing.state).toBe('AUTO_APPROVED');
    expect((await apply('atorva-10-alpha', '1.9000')).applyForListing.state).toBe('AUTO_APPROVED');
    t.clock.advance(60_000);
    expect((await apply('omep-20-alpha', '1.2000')).applyForListing.state).toBe('AUTO_APPROVED');

    const all = (await t.anonymous.ok<any>(IN_FORCE, { f: { manufacturerId: ids['mfr-alpha'] } })).publicPricesInForce;
    expect(all.totalCount).toBe(2);
    expect(all.nodes.map((n: any) => [n.productId, n.unitPrice, n.state])).toEqual([
      [ids['atorva-10-alpha'], '1.9000', 'LISTED'],
      [ids['omep-20-alpha'], '1.2000', 'LISTED'],
    ]);
    expect(all.nodes[1]).toMatchObject({ manufacturerId: ids['mfr-alpha'], regionCode: '410000', validTo: null, manufacturerName: expect.any(String), varietyName: expect.any(String) });

    // cursor paging: one at a time, no repeats, the same rows
    const first = (await t.anonymous.ok<any>(IN_FORCE, { f: { manufacturerId: ids['mfr-alpha'] }, first: 1 })).publicPricesInForce;
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = (await t.anonymous.ok<any>(IN_FORCE, { f: { manufacturerId: ids['mfr-alpha'] }, first: 1, after: first.pageInfo.endCursor })).publicPricesInForce;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.nodes, ...second.nodes].map((n: any) => n.periodId)).toEqual(all.nodes.map((n: any) => n.periodId));
    expect((await t.anonymous.refused(IN_FORCE, { first: 1, after: 'not-a-cursor' })).field).toBe('after');
    expect((await t.anonymous.refused(IN_FORCE, { first: 1000 })).field).toBe('first');

    // by variety, and the history of one product
    const omeprazole = all.nodes[1].varietyId;
    expect((await t.anonymous.ok<any>(IN_FORCE, { f: { varietyId: omeprazole } })).publicPricesInForce.nodes.map((n: any) => n.unitPrice)).toEqual(['1.2000']);
    const history = (await t.anonymous.ok<any>(HISTORY, { f: { productId: ids['omep-20-alpha'] } })).publicPriceHistory;
    expect(history.nodes).toEqual([{ unitPrice: '1.2500', state: 'LISTED' }, { unitPrice: '1.2000', state: 'LISTED' }]);

    const csv = (await t.anonymous.ok<any>(EXPORT, { d: 'PRICES_IN_FORCE', f: 'CSV', filter: { manufacturerId: ids['mfr-alpha'] } })).publicPriceExport;
    expect(csv).toMatchObject({ filename: expect.stringMatching(/^prices-in-force-.*\.csv$/), contentType: 'text/csv; charset=utf-8' });
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFF产品名称,规格,剂型,批准文号,品种,生产企业,地区代码,挂网单价(元),状态,生效时间,失效时间');
    expect(lines.filter((l) => l.includes(',410000,1.2000,LISTED,'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(',410000,1.9000,LISTED,'))).toHaveLength(1);
    const xlsx = (await t.anonymous.ok<any>(EXPORT, { d: 'PRICE_HISTORY', f: 'XLSX', filter: { productId: ids['omep-20-alpha'] } })).publicPriceExport;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.base64, 'base64') as any);
    const sheet = book.getWorksheet('价格历史')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(3).getCell(8).value).toBe('1.2000');
    expect((await t.anonymous.refused(EXPORT, { d: 'PRICES_IN_FORCE', f: 'PDF' })).field).toBe('format');
    expect((await t.anonymous.refused(EXPORT, { d: 'BIDS', f: 'CSV' })).field).toBe('dataset');
  });

  it('shows VBP results only from publicity on, awarded bids only, with exact drops against the ceiling and the pre-VBP price', async () => {
    const atorva = await variety(t, 'ATORVASTATIN');
    t.clock.set('2025-11-01T10:00:00+08:00');
    const created = (await t.as('reg-henan').ok<any>(CREATE_ROUND, { input: {
      name: '河南省2026年第一批药品带量采购', level: 'PROVINCIAL', coveredRegionCodes: ['410100'],
      lots: [{ varietyId: atorva.id, specs: [{ varietySpecId: atorva.specs['10mg'], ceilingUnitPrice: '2.0000' }] }],
      ruleSet: { customJson: JSON.stringify({
        priceRatio: '1.8', anchor: 'LOWEST', lowPriceThreshold: '0.10', ceilingReduction: '0.50', shortlist: { minus: 0, max: 10 }, revival: false,
        tieBreak: ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'], volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'], cycleYearsByWinners: [1, 1, 2, 3],
      }) },
      demandDeadline: '2025-11-10T17:00:00+08:00', bidDeadline: '2025-11-20T10:00:00+08:00', cycleStart: '2026-01-01T00:00:00+08:00',
    } })).createRound;
    roundId = created.id;
    const lotId = created.lots[0].id;
    await t.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId });
    for (const h of ['hosp-zz-1', 'hosp-zz-2']) await t.as(h).ok(REPORT_DEMAND, { input: { lotId, quantity: 24000 } });
    t.clock.set('2025-11-10T17:00:00+08:00');
    await t.jobs.runNow('tendering.tick');
    await t.as('mfr-alpha').ok(SUBMIT_BID, { input: { lotId, productId: ids['atorva-10-alpha'], unitPrice: '1.0000', supplyCapacity: 1_000_000 } });
    await t.as('mfr-orig-a').ok(SUBMIT_BID, { input: { lotId, productId: ids['atorva-10-origa'], unitPrice: '1.9000', supplyCapacity: 1_000_000 } });

    // sealed, then opened but not yet publicized: nothing public
    expect((await t.anonymous.ok<any>(RESULTS, {})).publicVbpResults.totalCount).toBe(0);
    t.clock.set('2025-11-20T10:00:00+08:00');
    await t.as('reg-henan').ok(OPEN_ROUND, { id: roundId });
    expect((await t.anonymous.ok<any>(RESULTS, {})).publicVbpResults.totalCount).toBe(0);

    const publicized = (await t.as('reg-henan').ok<any>(`mutation($id: ID!) { publicizeRound(id: $id) { publicityEndsAt } }`, { id: roundId })).publicizeRound;
    const during = (await t.anonymous.ok<any>(RESULTS, {})).publicVbpResults;
    expect(during.totalCount).toBe(1); // the losing bid (1.9000, beyond the price ratio) is not published
    expect(during.nodes[0]).toMatchObject({
      roundState: 'PUBLICIZED', roundLevel: 'PROVINCIAL', productId: ids['atorva-10-alpha'], manufacturerId: ids['mfr-alpha'], bidStatus: 'WINNER',
      awardedUnitPrice: '1.0000', ceilingUnitPrice: '2.0000', dropFromCeiling: '0.5000', preVbpUnitPrice: null, dropFromPreVbp: null,
    });

    t.clock.set(publicized.publicityEndsAt);
    await t.as('reg-henan').ok(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: roundId });
    t.clock.set('2026-01-01T00:00:00+08:00');
    await t.jobs.runNow('tendering.tick');
    // 2025 purchases before VBP: hosp-zz-1 1.5000 a tablet, hosp-zz-2 1.2000; each agreed 12,000 → 1.3500
    await t.as('reg-henan').ok(`mutation($e: [DemandBaselineInput!]!) { setDemandBaselines(entries: $e) { id } }`, { e: [
      { hospitalId: ids['hosp-zz-1'], varietyId: atorva.id, year: 2025, quantity: 100000, amount: '150000.00' },
      { hospitalId: ids['hosp-zz-2'], varietyId: atorva.id, year: 2025, quantity: 100000, amount: '120000.00' },
    ] });
    const after = (await t.anonymous.ok<any>(RESULTS, { f: { varietyId: atorva.id, level: 'PROVINCIAL' } })).publicVbpResults;
    expect(after.nodes).toEqual([expect.objectContaining({
      awardedUnitPrice: '1.0000', ceilingUnitPrice: '2.0000', dropFromCeiling: '0.5000', preVbpUnitPrice: '1.3500', dropFromPreVbp: '0.2593', agreedQuantity: '24000',
    })]);
    expect((await t.anonymous.ok<any>(RESULTS, { f: { level: 'NATIONAL' } })).publicVbpResults.totalCount).toBe(0);
    expect((await t.anonymous.ok<any>(RESULTS, { f: { manufacturerId: ids['mfr-orig-a'] } })).publicVbpResults.totalCount).toBe(0);
    expect((await t.anonymous.refused(RESULTS, { f: { level: 'GALACTIC' } })).code).toBe('VALIDATION_FAILED');
    // prices filtered by level: products awarded in a public round of that level
    expect((await t.anonymous.ok<any>(IN_FORCE, { f: { level: 'PROVINCIAL' } })).publicPricesInForce.nodes.map((n: any) => n.productId)).toEqual([ids['atorva-10-alpha']]);

    const csv = (await t.anonymous.ok<any>(EXPORT, { d: 'VBP_RESULTS', f: 'CSV' })).publicPriceExport;
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFF批次,级别,品种,产品名称,规格,中选企业,中选单价(元),最高有效申报价(元),较最高有效申报价降幅,集采前单价(元),较集采前降幅,约定采购量');
    expect(lines[1]).toMatch(/^河南省2026年第一批药品带量采购,PROVINCIAL,.*,1\.0000,2\.0000,0\.5000,1\.3500,0\.2593,24000$/);
    expect(lines).toHaveLength(3); // header, one row, the final CRLF
  });
});
