import ExcelJS from 'exceljs';
import { startTestApp, TestApp } from '@test/harness';
import { LISTING_PRICES, ListingPrices } from '../src/platform/ports/context-ports';
import { SqlVbpWinnerPrices } from '../src/listing/vbp-winner-prices';
import { recordInEffect } from './support/credit-process';

const APPLY = `mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { id listingId kind state unitPrice policyVersion checks { code applicable passed referencePrice source detail } } }`;
const REVIEW = `mutation($input: ReviewListingInput!) { reviewListingApplication(input: $input) { id state decisionNote } }`;
const LISTING = `query($id: ID!) { listing(id: $id) { id state suspensionReason unitPrice creditRiskNotice history { unitPrice state suspensionReason validFrom validTo changedBy reason } linkageNotices { state deadlineAt referenceUnitPrice calendarVersion workingDays } } }`;
const REFERENCE = `mutation($input: RecordReferencePriceInput!) { recordReferencePrice(input: $input) { id unitPrice } }`;
const IMPORT = `mutation($input: ImportReferencePricesInput!) { importReferencePrices(input: $input) { id rowCount noticesIssued format } }`;
const LETTER = `mutation { fileCommitmentLetter(input: { documentRef: "CL-2026", signedOn: "2026-03-01" }) { id } }`;

jest.setTimeout(60_000);

describe('listing: checks, review, prices in force, reference price import, credit sanctions, linkage', () => {
  let t: TestApp;
  let org: Record<string, string>;
  let product: Record<string, { id: string; variety_id: string }>;

  const apply = async (user: string, key: string, unitPrice: string) => (await t.as(user).ok<any>(APPLY, { input: { productId: product[key].id, unitPrice, reason: '价格调整' } })).applyForListing;
  const review = async (applicationId: string, decision: string, user = 'reg-henan') => (await t.as(user).ok<any>(REVIEW, { input: { applicationId, decision, note: '审核意见' } })).reviewListingApplication;
  const listing = async (id: string) => (await t.as('reg-henan').ok<any>(LISTING, { id })).listing;
  const check = (application: any, code: string) => application.checks.find((c: any) => c.code === code);
  const reference = (key: string, provinceCode: string, unitPrice: string, effectiveOn = '2025-09-01') =>
    t.as('reg-henan').ok<any>(REFERENCE, { input: { productId: product[key].id, provinceCode, unitPrice, effectiveOn, source: '外省挂网价' } });
  const counts = async () => (await t.sql(`SELECT (SELECT count(*) FROM listing)::int AS l, (SELECT count(*) FROM listing_application)::int AS a, (SELECT count(*) FROM reference_price)::int AS r, (SELECT count(*) FROM audit_log WHERE action LIKE 'listing.%')::int AS audit`))[0];

  beforeAll(async () => {
    t = await startTestApp();
    org = Object.fromEntries((await t.sql(`SELECT external_key, id FROM organisation WHERE external_key IS NOT NULL`)).map((r) => [r.external_key, r.id]));
    product = Object.fromEntries((await t.sql(`SELECT external_key, id, variety_id FROM product`)).map((r) => [r.external_key, r]));
    for (const m of ['mfr-alpha', 'mfr-beta', 'mfr-epsilon', 'mfr-eta', 'mfr-zeta', 'mfr-orig-a', 'mfr-delta', 'mfr-kappa']) await t.as(m).ok(LETTER);
  });
  afterAll(() => t.close());

  it('refuses bad applications with codes and writes nothing', async () => {
    const before = await counts();
    expect(await t.as('mfr-gamma').refused(APPLY, { input: { productId: product['amlo-5-gamma'].id, unitPrice: '0.9000' } })).toMatchObject({ code: 'COMMITMENT_LETTER_MISSING' });
    expect(await t.as('mfr-alpha').refused(APPLY, { input: { productId: product['atorva-10-alpha'].id, unitPrice: '-1.0000' } })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await t.as('mfr-alpha').refused(APPLY, { input: { productId: product['atorva-10-alpha'].id, unitPrice: '0' } })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await t.as('mfr-alpha').refused(APPLY, { input: { productId: '00000000-0000-4000-8000-000000000000', unitPrice: '1.0000' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.productId' });
    expect(await t.as('mfr-alpha').refused(APPLY, { input: { productId: product['amlo-5-beta'].id, unitPrice: '1.0000' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.as('hosp-zz-1').refused(APPLY, { input: { productId: product['amlo-5-beta'].id, unitPrice: '1.0000' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.as('reg-henan').refused(REFERENCE, { input: { productId: product['amlo-5-beta'].id, provinceCode: '320000', unitPrice: '-0.5', effectiveOn: '2025-01-01', source: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await t.as('reg-henan').refused(REFERENCE, { input: { productId: '00000000-0000-4000-8000-000000000000', provinceCode: '320000', unitPrice: '0.5', effectiveOn: '2025-01-01', source: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.productId' });
    expect(await t.as('reg-henan').refused(REFERENCE, { input: { productId: product['amlo-5-beta'].id, provinceCode: '410000', unitPrice: '0.5', effectiveOn: '2025-01-01', source: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.provinceCode' });
    expect(await t.as('reg-henan').refused(REFERENCE, { input: { productId: product['amlo-5-beta'].id, provinceCode: '320100', unitPrice: '0.5', effectiveOn: '2025-01-01', source: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.provinceCode' });
    expect(await counts()).toEqual(before);
  });

  it('(a) four-same: held for review above the lowest other-province price, with the reference shown; review returns, approves, refuses', async () => {
    await reference('atorva-20-epsilon', '320000', '3.7600');
    await reference('atorva-20-epsilon', '440000', '3.9000');
    const held = await apply('mfr-epsilon', 'atorva-20-epsilon', '3.8000');
    expect(held).toMatchObject({ state: 'PENDING_REVIEW', kind: 'NEW', policyVersion: 'LISTING-2025-1' });
    expect(check(held, 'FOUR_SAME_LOWEST')).toMatchObject({ applicable: true, passed: false, referencePrice: '3.7600', source: '320000 外省挂网价' });
    expect(held.checks.map((c: any) => c.code)).toEqual(['FOUR_SAME_LOWEST', 'VBP_WINNER_PRICE', 'NON_EVALUATED_GENERIC', 'CREDIT']);
    expect((await t.as('mfr-epsilon').refused(APPLY, { input: { productId: product['atorva-20-epsilon'].id, unitPrice: '3.7000' } })).code).toBe('LISTING_EXISTS');

    // a manufacturer may not review, least of all its own; a city regulator is outside the province listing
    const before = await counts();
    expect((await t.as('mfr-epsilon').refused(REVIEW, { input: { applicationId: held.id, decision: 'APPROVE', note: 'ok' } })).code).toBe('SELF_REVIEW_FORBIDDEN');
    expect((await t.as('mfr-alpha').refused(REVIEW, { input: { applicationId: held.id, decision: 'APPROVE', note: 'ok' } })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-zz').refused(REVIEW, { input: { applicationId: held.id, decision: 'APPROVE', note: 'ok' } })).code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);

    expect((await review(held.id, 'RETURN_FOR_PRICE_CUT')).state).toBe('RETURNED_FOR_PRICE_CUT');
    expect((await listing(held.listingId)).state).toBe('PENDING_REVIEW');
    const cut = await apply('mfr-epsilon', 'atorva-20-epsilon', '3.7600');
    expect(cut).toMatchObject({ state: 'AUTO_APPROVED', listingId: held.listingId });
    expect(check(cut, 'FOUR_SAME_LOWEST')).toMatchObject({ passed: true, referencePrice: '3.7600' });
    expect(await listing(held.listingId)).toMatchObject({ state: 'LISTED', unitPrice: '3.7600' });

    await reference('clop-75-epsilon', '440000', '6.8800');
    const approved = await apply('mfr-epsilon', 'clop-75-epsilon', '7.0000');
    expect(approved.state).toBe('PENDING_REVIEW');
    expect((await review(approved.id, 'APPROVE')).state).toBe('APPROVED');
    expect(await listing(approved.listingId)).toMatchObject({ state: 'LISTED', unitPrice: '7.0000' });

    await reference('ente-05-zeta', '310000', '6.2000');
    const refused = await apply('mfr-zeta', 'ente-05-zeta', '6.4500');
    expect((await review(refused.id, 'REFUSE')).state).toBe('REFUSED');
    const withdrawn = await listing(refused.listingId);
    expect(withdrawn.state).toBe('WITHDRAWN');
    expect(withdrawn.history.map((h: any) => h.state)).toEqual(['PENDING_REVIEW', 'WITHDRAWN']);
    expect(withdrawn.history[1].reason).toContain('refused');
    expect((await t.as('reg-henan').refused(REVIEW, { input: { applicationId: refused.id, decision: 'APPROVE', note: 'x' } })).code).toBe('INVALID_STATE');
  });

  it('(b) VBP winners: a non-winner is capped at the spec-converted highest winning price, a national winner outside its supply regions at 1.5×', async () => {
    // The tendering branch is not merged: winners come in through the port's registration seam.
    const winners = t.app.get(SqlVbpWinnerPrices);
    winners.register(product['amlo-5-beta'].variety_id, { productId: product['amlo-5-beta'].id, awardedUnitPrice: '0.1500', specFactor: '1', national: true, supplyRegionCodes: ['320000', '330000'], source: '国家组织药品集采 第X批' });
    const nonWinner = await apply('mfr-zeta', 'amlo-10-zeta', '0.2600');
    expect(check(nonWinner, 'VBP_WINNER_PRICE')).toMatchObject({ applicable: true, passed: false, referencePrice: '0.2550', source: '国家组织药品集采 第X批' });
    expect(nonWinner.state).toBe('PENDING_REVIEW');
    await review(nonWinner.id, 'RETURN_FOR_PRICE_CUT');
    expect((await apply('mfr-zeta', 'amlo-10-zeta', '0.2550')).state).toBe('AUTO_APPROVED');

    const winner = await apply('mfr-beta', 'amlo-5-beta', '0.2300');
    expect(check(winner, 'VBP_WINNER_PRICE')).toMatchObject({ passed: false, referencePrice: '0.2250' });
    await review(winner.id, 'RETURN_FOR_PRICE_CUT');
    const ok = await apply('mfr-beta', 'amlo-5-beta', '0.2250');
    expect(ok.state).toBe('AUTO_APPROVED');
    expect(check(ok, 'VBP_WINNER_PRICE')).toMatchObject({ passed: true, referencePrice: '0.2250' });
    // a generic without winners: not applicable
    expect(check(await apply('mfr-kappa', 'amox-05-kappa', '0.4000'), 'VBP_WINNER_PRICE')).toMatchObject({ applicable: false, passed: true });
  });

  it('(c) a non-evaluated generic passes with up to 3 evaluated makers listed and is held once more are', async () => {
    // amoxicillin: kappa (evaluated) is listed → 1 ≤ 3
    const passing = await apply('mfr-delta', 'amox-025-delta', '0.1500');
    expect(check(passing, 'NON_EVALUATED_GENERIC')).toMatchObject({ applicable: true, passed: true, source: '1 evaluated versions listed' });
    expect(passing.state).toBe('AUTO_APPROVED');
    // atorvastatin: epsilon is listed; list alpha, eta, the originator → 4 evaluated makers
    await apply('mfr-alpha', 'atorva-10-alpha', '2.1000');
    await apply('mfr-eta', 'atorva-20-eta', '3.0000');
    await apply('mfr-orig-a', 'atorva-10-origa', '3.5000');
    const held = await apply('mfr-delta', 'atorva-10-delta', '1.6000');
    expect(held.state).toBe('PENDING_REVIEW');
    expect(check(held, 'NON_EVALUATED_GENERIC')).toMatchObject({ passed: false, source: '4 evaluated versions listed' });
    expect(check(held, 'FOUR_SAME_LOWEST')).toMatchObject({ applicable: false, passed: true });
  });

  it('keeps a dated price history and answers the price in force at an instant (GraphQL and LISTING_PRICES)', async () => {
    const [{ id: listingId }] = await t.sql(`SELECT id FROM listing WHERE product_id = $1`, [product['atorva-10-alpha'].id]);
    const t1 = t.clock.now();
    t.clock.advance(60 * 60_000);
    const change = await apply('mfr-alpha', 'atorva-10-alpha', '1.9900');
    expect(change).toMatchObject({ kind: 'PRICE_CHANGE', state: 'AUTO_APPROVED' });
    const t2 = t.clock.now();
    const PRICE = `query($p: ID!, $r: String!, $at: DateTime!) { listingPriceInForce(productId: $p, regionCode: $r, at: $at) { listingId unitPrice manufacturerId } }`;
    const at = async (instant: Date, region = '410105') => (await t.as('hosp-zz-2').ok<any>(PRICE, { p: product['atorva-10-alpha'].id, r: region, at: instant.toISOString() })).listingPriceInForce;
    expect(await at(t1)).toEqual({ listingId, unitPrice: '2.1000', manufacturerId: org['mfr-alpha'] });
    expect(await at(t2)).toMatchObject({ unitPrice: '1.9900' });
    expect(await at(new Date(t1.getTime() - 86_400_000))).toBeNull();
    expect(await at(t2, '320100')).toBeNull();
    const port = t.app.get<ListingPrices>(LISTING_PRICES);
    const inForce = await t.dataSource.transaction((em) => port.pricesInForce(em, [product['atorva-10-alpha'].id, product['omep-20-alpha'].id], '410103', t1));
    expect(inForce.get(product['atorva-10-alpha'].id)).toMatchObject({ unitPrice: '2.1000' });
    expect(inForce.has(product['omep-20-alpha'].id)).toBe(false);
    const view = await t.sql(`SELECT unit_price::text, state, valid_to IS NULL AS open FROM v_listing_price WHERE listing_id = $1 ORDER BY valid_from`, [listingId]);
    expect(view).toEqual([
      { unit_price: '2.1000', state: 'LISTED', open: false },
      { unit_price: '1.9900', state: 'LISTED', open: true },
    ]);
    const { history } = await listing(listingId);
    expect(history[1]).toMatchObject({ changedBy: expect.any(String), reason: expect.stringContaining('all checks passed') });
  });

  it('imports reference prices from CSV and XLSX; a bad row rejects the whole file with its line number', async () => {
    const csv = (rows: string[]) => Buffer.from(['provinceCode,approvalNumber,unitPrice,effectiveOn,source', ...rows].join('\r\n'), 'utf8').toString('base64');
    const before = await counts();
    const bad = await t.as('reg-henan').refused(IMPORT, {
      input: {
        format: 'CSV',
        contentBase64: csv([
          '370000,国药准字H20203371,3.0000,2025-10-01,"山东挂网价, 第二批"',
          '320000,国药准字H20183112,-0.2000,2025-10-01,江苏挂网价',
          '320000,国药准字H99999999,0.2000,2025-10-01,江苏挂网价',
        ]),
      },
    });
    expect(bad).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'unitPrice' });
    const res = await t.as('reg-henan').gql(IMPORT, { input: { format: 'CSV', contentBase64: csv(['320000,国药准字H20183112,-0.2000,2025-10-01,x', '320000,国药准字H99999999,0.2,2025-10-01,x']) } });
    expect(res.errors![0].extensions).toMatchObject({ line: 2, errors: [expect.objectContaining({ line: 2, field: 'unitPrice' }), expect.objectContaining({ line: 3, field: 'approvalNumber' })] });
    expect(await counts()).toEqual(before);

    const good = await t.as('reg-henan').ok<any>(IMPORT, {
      input: { format: 'CSV', fileName: 'sd-2025-10.csv', contentBase64: csv(['370000,国药准字H20203371,3.0000,2025-10-01,"山东挂网价, 第二批"', '110000,国药准字H20173088,2.2000,2025-10-01,北京挂网价']) },
    });
    expect(good.importReferencePrices).toMatchObject({ rowCount: 2, format: 'CSV' });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('prices');
    sheet.addRow(['provinceCode', 'approvalNumber', 'unitPrice', 'effectiveOn', 'source']);
    sheet.addRow(['420000', '国药准字H20213460', 4.45, '2025-11-01', '湖北挂网价']);
    sheet.addRow(['330000', '国药准字H20213460', '4.4000', '2025-11-01', '浙江挂网价']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    expect((await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'XLSX', contentBase64: xlsx } })).importReferencePrices.rowCount).toBe(2);
    const rows = await t.sql(`SELECT province_code, unit_price::text, source FROM v_reference_price WHERE product_id = $1 ORDER BY province_code`, [product['famo-20-theta'].id]);
    expect(rows).toEqual([
      { province_code: '330000', unit_price: '4.4000', source: '浙江挂网价' },
      { province_code: '420000', unit_price: '4.4500', source: '湖北挂网价' },
    ]);
    sheet.addRow(['330000', '国药准字H20213460', 'abc', '2025-11-01', '浙江挂网价']);
    const badXlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    expect(await t.as('reg-henan').refused(IMPORT, { input: { format: 'XLSX', contentBase64: badXlsx } })).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'unitPrice' });
    expect((await t.as('reg-henan').refused(IMPORT, { input: { format: 'XLSX', contentBase64: Buffer.from('not a workbook').toString('base64') } })).code).toBe('VALIDATION_FAILED');
  });

  it('credit sanctions bite on listing: SERIOUS suspends the products involved, PARTICULARLY_SERIOUS all, repair relists', async () => {
    // each event in effect once decided (due process): notice, the manufacturer's reply, the regulator upholds
    const event = (amount: string, productIds: string[]) =>
      recordInEffect(t, 'mfr-epsilon', { organisationId: org['mfr-epsilon'], behaviour: 'KICKBACK', amount, occurredOn: '2026-02-01', evidence: '行政处罚决定书', productIds });
    const atorva = (await t.sql(`SELECT id FROM listing WHERE product_id = $1 AND state <> 'WITHDRAWN'`, [product['atorva-20-epsilon'].id]))[0].id;
    const clop = (await t.sql(`SELECT id FROM listing WHERE product_id = $1 AND state <> 'WITHDRAWN'`, [product['clop-75-epsilon'].id]))[0].id;

    await event('100000.00', []);
    expect((await listing(atorva)).creditRiskNotice).toContain('中等');
    expect((await listing(atorva)).state).toBe('LISTED');

    await event('300000.00', [product['atorva-20-epsilon'].id]);
    expect(await listing(atorva)).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'CREDIT' });
    expect((await listing(clop)).state).toBe('LISTED');
    expect((await t.as('mfr-epsilon').refused(APPLY, { input: { productId: product['atorva-20-epsilon'].id, unitPrice: '3.5000' } })).code).toBe('CREDIT_SANCTIONED');
    expect((await apply('mfr-epsilon', 'atorva-40-epsilon', '6.0000')).state).toBe('AUTO_APPROVED');
    const PRICE = `query($p: ID!) { listingPriceInForce(productId: $p, regionCode: "410000", at: "2026-03-02T12:00:00+08:00") { unitPrice } }`;
    expect((await t.as('hosp-zz-1').ok<any>(PRICE, { p: product['atorva-20-epsilon'].id })).listingPriceInForce).toBeNull();

    await event('2000000.00', []);
    expect(await listing(clop)).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'CREDIT' });
    expect((await t.as('mfr-epsilon').refused(APPLY, { input: { productId: product['ente-05-epsilon'].id, unitPrice: '8.0000' } })).code).toBe('CREDIT_SANCTIONED');

    const repair = await t.as('mfr-epsilon').ok<any>(`mutation { fileCreditRepair(input: { measures: ["STOPPED_CONDUCT"], statement: "整改" }) { id } }`);
    await t.as('reg-henan').ok(`mutation($id: ID!) { decideCreditRepair(repairId: $id, approve: true, note: "同意修复") { state } }`, { id: repair.fileCreditRepair.id });
    expect(await listing(atorva)).toMatchObject({ state: 'LISTED', suspensionReason: null, unitPrice: '3.7600' });
    expect(await listing(clop)).toMatchObject({ state: 'LISTED' });
    const { history } = await listing(atorva);
    expect(history.map((h: any) => `${h.state}/${h.suspensionReason ?? ''}`)).toEqual(['PENDING_REVIEW/', 'LISTED/', 'SUSPENDED/CREDIT', 'LISTED/']);
  });

  it('linkage: a lower price gives a notice with 10 working days across 劳动节 and the 调休 Saturday; the job suspends those not cut', async () => {
    // Wed 29 Apr 2026: working days Apr 30, May 6, 7, 8, Sat May 9 (调休), 11, 12, 13, 14, 15 → deadline 16 May 00:00
    t.clock.set('2026-04-29T10:00:00+08:00');
    const alpha = (await t.sql(`SELECT id FROM listing WHERE product_id = $1 AND state = 'LISTED'`, [product['atorva-10-alpha'].id]))[0].id;
    const eta = (await t.sql(`SELECT id FROM listing WHERE product_id = $1 AND state = 'LISTED'`, [product['atorva-20-eta'].id]))[0].id;
    await reference('atorva-10-alpha', '330000', '1.8000', '2026-04-20');
    await reference('atorva-20-eta', '330000', '2.9000', '2026-04-20');
    await reference('atorva-20-eta', '320000', '3.5000', '2026-04-20'); // higher than the listing: no notice
    const [notice] = (await listing(alpha)).linkageNotices;
    expect(notice).toMatchObject({ state: 'OPEN', deadlineAt: '2026-05-16T00:00:00.000+08:00', referenceUnitPrice: '1.8000', workingDays: 10, calendarVersion: 'CN-2025-2026' });
    expect((await listing(eta)).linkageNotices).toHaveLength(1);
    const mine = await t.as('mfr-alpha').ok<any>(`{ linkageNotices(state: OPEN) { nodes { listingId } } }`);
    expect(mine.linkageNotices.nodes).toEqual([{ listingId: alpha }]);

    // eta cuts in time (on the 调休 Saturday)
    t.clock.set('2026-05-09T15:00:00+08:00');
    expect((await apply('mfr-eta', 'atorva-20-eta', '2.9000')).state).toBe('AUTO_APPROVED');
    expect((await listing(eta)).linkageNotices[0].state).toBe('CUT');

    t.clock.set('2026-05-15T23:59:59+08:00');
    await t.jobs.runNow('listing.linkage-deadlines');
    expect((await listing(alpha)).state).toBe('LISTED');

    t.clock.set('2026-05-16T00:05:00+08:00');
    await t.jobs.runNow('listing.linkage-deadlines');
    expect(await listing(alpha)).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'LINKAGE', linkageNotices: [expect.objectContaining({ state: 'SUSPENDED' })] });
    expect((await listing(eta)).state).toBe('LISTED');

    // cutting afterwards relists it
    expect((await apply('mfr-alpha', 'atorva-10-alpha', '1.8000')).state).toBe('AUTO_APPROVED');
    expect(await listing(alpha)).toMatchObject({ state: 'LISTED', unitPrice: '1.8000' });

    const audited = await t.sql(`SELECT DISTINCT action FROM audit_log WHERE action LIKE 'listing.%' ORDER BY action`);
    expect(audited.map((r) => r.action)).toEqual([
      'listing.applied',
      'listing.changed',
      'listing.linkage-cut',
      'listing.linkage-deadline-passed',
      'listing.linkage-notice-issued',
      'listing.reference-price-recorded',
      'listing.reference-prices-imported',
      'listing.reviewed',
    ]);
  });

  it('retries with an idempotency key take effect once', async () => {
    const input = { productId: product['metf-05-delta'].id, unitPrice: '0.1400', idempotencyKey: 'apply-metf-0001' };
    const first = (await t.as('mfr-delta').ok<any>(APPLY, { input })).applyForListing;
    const again = (await t.as('mfr-delta').ok<any>(APPLY, { input })).applyForListing;
    expect(again.id).toBe(first.id);
    expect((await t.as('mfr-delta').refused(APPLY, { input: { ...input, unitPrice: '0.1300' } })).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.sql(`SELECT count(*)::int AS n FROM listing_application WHERE product_id = $1`, [input.productId])).toEqual([{ n: 1 }]);

    const file = Buffer.from('provinceCode,approvalNumber,unitPrice,effectiveOn,source\n440000,国药准字H41021966,0.1350,2026-05-01,广东挂网价\n').toString('base64');
    const importInput = { format: 'CSV', contentBase64: file, idempotencyKey: 'import-gd-2026-05' };
    const a = (await t.as('reg-henan').ok<any>(IMPORT, { input: importInput })).importReferencePrices;
    const b = (await t.as('reg-henan').ok<any>(IMPORT, { input: importInput })).importReferencePrices;
    expect(b).toEqual(a);
    expect(a.noticesIssued).toBe(1);
    expect(await t.sql(`SELECT count(*)::int AS n FROM reference_price WHERE product_id = $1`, [input.productId])).toEqual([{ n: 1 }]);
  });

  it('suspends for delivery or an expired certificate and reinstates; other reasons are not lifted that way', async () => {
    const SUSPEND = `mutation($id: ID!, $r: String!) { suspendListing(listingId: $id, reason: $r, note: "配送率连续三月低于10%") { state suspensionReason } }`;
    const REINSTATE = `mutation($id: ID!) { reinstateListing(listingId: $id, note: "恢复") { state } }`;
    const famo = (await apply('mfr-kappa', 'famo-20-kappa', '5.0000')).listingId;
    expect((await t.as('reg-henan').refused(SUSPEND, { id: famo, r: 'LINKAGE' })).code).toBe('VALIDATION_FAILED');
    expect((await t.as('mfr-kappa').refused(SUSPEND, { id: famo, r: 'DELIVERY' })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-henan').ok<any>(SUSPEND, { id: famo, r: 'DELIVERY' })).suspendListing).toEqual({ state: 'SUSPENDED', suspensionReason: 'DELIVERY' });
    expect((await t.as('reg-henan').ok<any>(REINSTATE, { id: famo })).reinstateListing.state).toBe('LISTED');

    await t.sql(`UPDATE product SET certificate_expires_on = '2026-05-15' WHERE id = $1`, [product['famo-20-kappa'].id]);
    await t.jobs.runNow('listing.certificate-expiry');
    expect(await listing(famo)).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'CERTIFICATE' });

    const [suspendedForLinkage] = await t.sql(`SELECT id FROM listing WHERE suspension_reason = 'LINKAGE' LIMIT 1`);
    if (suspendedForLinkage) expect((await t.as('reg-henan').refused(REINSTATE, { id: suspendedForLinkage.id })).code).toBe('INVALID_STATE');
  });

  it('hospitals order a LISTED product through the real LISTING_PRICES port, at the price in force, and not once suspended', async () => {
    const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { state lines { source listingId unitPrice } } }`;
    const listed = await apply('mfr-alpha', 'omep-20-alpha', '0.1000');
    expect(listed.state).toBe('AUTO_APPROVED');
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: org['dist-zy'], regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });
    const lines = [{ productId: product['omep-20-alpha'].id, quantity: 30 }];
    const placed = await t.as('hosp-zz-1').ok<any>(PLACE, { input: { idempotencyKey: 'listed-order-0001', lines } });
    expect(placed.placeOrder).toEqual({ state: 'SUBMITTED', lines: [{ source: 'LISTING', listingId: listed.listingId, unitPrice: '0.1000' }] });
    await t.as('reg-henan').ok(`mutation($id: ID!) { suspendListing(listingId: $id, reason: "DELIVERY", note: "配送不及时") { state } }`, { id: listed.listingId });
    const refusal = await t.as('hosp-zz-1').refused(PLACE, { input: { idempotencyKey: 'listed-order-0002', lines } });
    expect(refusal).toMatchObject({ code: 'PRODUCT_NOT_ORDERABLE', field: 'input.lines[0].productId' });
  });
});
