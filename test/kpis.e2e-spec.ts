import ExcelJS from 'exceljs';
import { Dec } from '@libs/money';
import { startTestApp, TestApp } from '@test/harness';
import { buildMonth, claimsCsv, IMPORT_CLAIMS, MonthScenario, SCENARIO_START } from './support/supervision-fixtures';

/**
 * The KPIs over the supervision scenario (test/support/supervision-fixtures.ts: March 2026 in Henan, with
 * hosp-zz-2's insurance settlement list imported), checked against figures worked out by hand from the
 * scenario's order lines, reports and claims. The hand computations are written next to each figure.
 */
const KPIS = `query($period: String!, $scope: KpiScopeInput) {
  kpis(period: $period, scope: $scope) {
    scope { level code name hospitalId } period
    figures { code name unit target targetVersion comparator month yearToDate meetsTarget trend { month value } }
    children { scope { level code name hospitalId } figures { code month yearToDate meetsTarget } }
    priceDrops { roundId roundName roundLevel agreedQuantity dropVsCeiling dropVsPreVbp }
    vbpByLevel { level drugVarieties consumableClasses }
  }
}`;
const figure = (report: any, code: string) => report.figures.find((f: any) => f.code === code);
const ratio4 = (num: number | bigint, den: number | bigint) => new Dec(num.toString()).div(den.toString()).toDecimalPlaces(4).toFixed(4);

describe('KPIs against the plan\'s targets, with the insurance settlement lines as an independent volume source', () => {
  let t: TestApp;
  let month: MonthScenario;
  let h2Code: string;

  beforeAll(async () => {
    t = await startTestApp({ now: SCENARIO_START });
    month = await buildMonth(t); // leaves the clock on 2 April 2026
    h2Code = (await t.sql(`SELECT code FROM organisation WHERE external_key = 'hosp-zz-2'`))[0].code;
  });
  afterAll(() => t.close());

  it('classifies the demo products: drugs, a decoction piece, high- and low-value consumables with their national category', async () => {
    const rows = await t.sql(`SELECT external_key, product_class, national_category_code FROM product WHERE external_key IN ('atorva-10-alpha', 'huangqi-gamma', 'des-stent-a', 'syringe-ortho') ORDER BY external_key`);
    expect(rows).toEqual([
      { external_key: 'atorva-10-alpha', product_class: 'DRUG', national_category_code: null },
      { external_key: 'des-stent-a', product_class: 'HIGH_VALUE_CONSUMABLE', national_category_code: '02030110001' },
      { external_key: 'huangqi-gamma', product_class: 'TCM_DECOCTION_PIECE', national_category_code: null },
      { external_key: 'syringe-ortho', product_class: 'LOW_VALUE_CONSUMABLE', national_category_code: '01020110004' },
    ]);
    const res = await t.as('hosp-zz-1').ok(`{ products(first: 100, filter: { search: "黄芪" }) { nodes { name productClass } } }`);
    expect(res.products.nodes).toEqual([{ name: '黄芪', productClass: 'TCM_DECOCTION_PIECE' }]);
  });

  it('catches a hospital that under-reports off-platform buying: the claims show what it did not report', async () => {
    const report = (await t.as('reg-henan').ok(KPIS, { period: '2026-03', scope: { level: 'HOSPITAL', code: h2Code } })).kpis;
    expect(report.scope).toMatchObject({ level: 'HOSPITAL', code: h2Code, name: '河南省人民医院', hospitalId: month.ids.h2 });
    // on the platform in March: atorvastatin 1,000 × 1.0000 + clopidogrel 90 × 7.0000 + 10 × 8.0000 = 1,710.00 yuan
    // reported off the platform: 10.00 yuan; the claims: 2,000 entecavir for 12,900.00 yuan, none bought on the
    // platform (all uncovered), 1,000 atorvastatin all covered by platform purchases → 12,900.00 yuan off the platform
    const drug = figure(report, 'DRUG_PLATFORM_SHARE');
    expect(drug).toMatchObject({ target: '0.9000', targetVersion: 1, comparator: 'AT_LEAST', unit: 'RATIO' });
    expect(drug.month).toBe(ratio4(171_000, 171_000 + 1_290_000)); // 0.1170
    expect(drug.month).toBe('0.1170');
    expect(figure(report, 'DRUG_PLATFORM_SHARE_REPORTED').month).toBe(ratio4(171_000, 172_000)); // 0.9942: it looked fine
    // January to March: February bought 1,000 × 1.0000 + 100 × 7.0000 = 1,700.00 on the platform, nothing off it
    expect(drug.yearToDate).toBe(ratio4(341_000, 341_000 + 1_290_000)); // 0.2091
    expect(drug.meetsTarget).toBe(false);
    expect(drug.trend).toEqual([{ month: '2026-01', value: null }, { month: '2026-02', value: '1.0000' }, { month: '2026-03', value: '0.1170' }]);
    expect(figure(report, 'DRUG_PLATFORM_SHARE_REPORTED')).toMatchObject({ yearToDate: ratio4(341_000, 342_000), meetsTarget: true });
    // payables: one line of 700.00 accepted 8 February, due 10 March, unpaid
    expect(figure(report, 'PAYMENT_ON_TIME')).toMatchObject({ month: '0.0000', target: '1.0000' });
    // delivered within SLA: everything it ordered in March (1,000 + 90 + 10)
    expect(figure(report, 'DELIVERY_RATE').month).toBe('1.0000');

    // the monitoring rule raises the gap as an alert, with the figures behind it
    await t.as('reg-henan').ok(`mutation { runMonitoring(period: "2026-03") { state } }`);
    const alerts = (await t.as('reg-henan').ok(`{ alerts(first: 10, filter: { ruleCode: "OFF_PLATFORM_UNDER_REPORTED" }) { nodes { subjectId severity evidence { name value } } } }`)).alerts.nodes;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subjectId).toBe(month.ids.h2);
    const evidence = Object.fromEntries(alerts[0].evidence.map((e: any) => [e.name, e.value]));
    expect(evidence).toMatchObject({ class: 'DRUG', onPlatformFen: '171000', reportedOffPlatformFen: '1000', estimatedOffPlatformFen: '1290000', estimatedOffPlatformShare: '0.8830', reportedOffPlatformShare: '0.0058', maxGap: '0.10' });
    // the hospital sees the alert about itself
    const own = (await t.as('hosp-zz-2').ok(`{ alerts(first: 20, filter: { ruleCode: "OFF_PLATFORM_UNDER_REPORTED" }) { totalCount } }`)).alerts;
    expect(own.totalCount).toBe(1);
  });

  it('sums the city and the province from their hospitals, the larger of reported and claimed off-platform buying per hospital-month', async () => {
    const city = (await t.as('reg-zz').ok(KPIS, { period: '2026-03' })).kpis;
    expect(city.scope).toMatchObject({ level: 'CITY', code: '410100' });
    // Zhengzhou in March, drugs on the platform: hosp-zz-1 1,620.00 (1,000 + 100 × 5.2000 + 100 × 1.0000),
    // hosp-zz-2 1,710.00, hosp-zz-3 4,000.00 (its cancelled 50,000 count for nothing) = 7,330.00;
    // off the platform: hosp-zz-1 reported 10,000.00 (no claims imported), hosp-zz-2 12,900.00 by its claims
    expect(figure(city, 'DRUG_PLATFORM_SHARE').month).toBe(ratio4(733_000, 733_000 + 2_290_000)); // 0.2425
    expect(figure(city, 'DRUG_PLATFORM_SHARE_REPORTED').month).toBe(ratio4(733_000, 733_000 + 1_001_000)); // 0.4227
    // hospitals of the city, each with its own figures
    const zz1 = city.children.find((c: any) => c.scope.hospitalId === month.ids.h1);
    expect(zz1.figures.find((f: any) => f.code === 'DRUG_PLATFORM_SHARE').month).toBe(ratio4(162_000, 1_162_000));
    // hosp-zz-1 ordered 1,000 + 100 + 100 in March; famotidine (100) only 5 within SLA
    expect(zz1.figures.find((f: any) => f.code === 'DELIVERY_RATE').month).toBe(ratio4(1105, 1200));
    expect(city.children.map((c: any) => c.scope.level)).toEqual(city.children.map(() => 'HOSPITAL'));

    const province = (await t.as('reg-henan').ok(KPIS, { period: '2026-03' })).kpis;
    expect(province.scope).toMatchObject({ level: 'PROVINCE', code: '410000', name: '河南省' });
    // plus hosp-ly-1 in Luoyang: 700 × 1.0000 + 500 × 2.5000 = 1,950.00
    expect(figure(province, 'DRUG_PLATFORM_SHARE').month).toBe(ratio4(928_000, 928_000 + 2_290_000)); // 0.2884
    expect(province.children.map((c: any) => c.scope.code).sort()).toEqual(['410100', '410300']);
    const zz = province.children.find((c: any) => c.scope.code === '410100');
    expect(zz.figures.find((f: any) => f.code === 'DRUG_PLATFORM_SHARE').month).toBe(figure(city, 'DRUG_PLATFORM_SHARE').month);
  });

  it('counts VBP varieties in force by level, the batch\'s volume-weighted price drop and agreement completion', async () => {
    const province = (await t.as('reg-henan').ok(KPIS, { period: '2026-03' })).kpis;
    // one provincial round in force: atorvastatin, awarded 1.0000 against a ceiling of 2.0000
    expect(figure(province, 'VBP_DRUG_VARIETIES')).toMatchObject({ month: '1', yearToDate: '1', target: '500', meetsTarget: false });
    expect(figure(province, 'VBP_CONSUMABLE_CLASSES')).toMatchObject({ month: '0', target: '5', meetsTarget: false });
    expect(province.vbpByLevel).toEqual([{ level: 'PROVINCIAL', drugVarieties: 1, consumableClasses: 0 }]);
    expect(province.priceDrops).toHaveLength(1);
    expect(province.priceDrops[0]).toMatchObject({ roundId: month.roundId, roundLevel: 'PROVINCIAL', dropVsCeiling: '0.5000', dropVsPreVbp: null });
    expect(figure(province, 'PRICE_DROP_VS_CEILING').month).toBe('0.5000');

    // hosp-zz-2: 2,000 accepted on its agreement (February and March) against agreed × the cycle's elapsed share at 1 April
    const [a] = await t.sql(`SELECT agreed_quantity::text AS agreed, cycle_start, cycle_end FROM volume_agreement WHERE id = $1`, [month.ids.agreementH2]);
    const elapsed = new Dec(new Date('2026-04-01T00:00:00+08:00').getTime() - new Date(a.cycle_start).getTime()).div(new Date(a.cycle_end).getTime() - new Date(a.cycle_start).getTime());
    const hospital = (await t.as('reg-henan').ok(KPIS, { period: '2026-03', scope: { level: 'HOSPITAL', code: h2Code } })).kpis;
    expect(figure(hospital, 'AGREEMENT_COMPLETION').month).toBe(new Dec(2000).div(new Dec(a.agreed).times(elapsed)).toDecimalPlaces(4).toFixed(4));
  });

  it('shows the settlement office the payment KPI only, and refuses hospitals and scopes outside a regulator\'s region', async () => {
    const office = (await t.as('settle-henan').ok(KPIS, { period: '2026-03' })).kpis;
    expect(office.figures.map((f: any) => f.code)).toEqual(['PAYMENT_ON_TIME']);
    expect(office.priceDrops).toEqual([]);
    expect(await t.as('hosp-zz-1').refused(KPIS, { period: '2026-03' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.as('reg-ly').refused(KPIS, { period: '2026-03', scope: { level: 'CITY', code: '410100' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.as('reg-zz').refused(KPIS, { period: '2026-03', scope: { level: 'PROVINCE', code: '410000' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.as('reg-henan').refused(KPIS, { period: '2026-13' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'period' });
    expect(await t.as('reg-henan').refused(KPIS, { period: '2026-03', scope: { level: 'CITY', code: '419900' } })).toMatchObject({ code: 'NOT_FOUND', field: 'scope.code' });
  });

  it('targets are versioned data', async () => {
    const targets = (await t.as('reg-henan').ok(`{ kpiTargets { code version target comparator effectiveFrom effectiveTo } }`)).kpiTargets;
    expect(targets.find((x: any) => x.code === 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE')).toMatchObject({ version: 1, target: '0.8000', comparator: 'AT_LEAST', effectiveFrom: '2025-01-01', effectiveTo: null });
    // a stricter version from April: March keeps version 1, April uses version 2
    await t.sql(`UPDATE kpi_target SET effective_to = '2026-04-01' WHERE code = 'DELIVERY_RATE' AND version = 1`);
    await t.sql(`INSERT INTO kpi_target (code, version, target, comparator, policy, effective_from) VALUES ('DELIVERY_RATE', 2, 0.98, 'AT_LEAST', 'test', '2026-04-01')`);
    const march = (await t.as('reg-henan').ok(KPIS, { period: '2026-03' })).kpis;
    expect(figure(march, 'DELIVERY_RATE')).toMatchObject({ target: '0.9500', targetVersion: 1 });
    const april = (await t.as('reg-henan').ok(KPIS, { period: '2026-04' })).kpis;
    expect(figure(april, 'DELIVERY_RATE')).toMatchObject({ target: '0.9800', targetVersion: 2 });
  });

  it('writes the monthly report as an XLSX workbook with the figures, the next level down and the batches', async () => {
    const file = (await t.as('reg-henan').ok(`query($p: String!) { kpiMonthlyReport(period: $p) { filename contentType base64 } }`, { p: '2026-03' })).kpiMonthlyReport;
    expect(file.filename).toBe('kpi-report-410000-2026-03.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['考核指标', '分市', '集采批次降价']);
    const rows: string[][] = [];
    workbook.worksheets[0].eachRow((row) => rows.push((row.values as (string | number | null)[]).slice(1).map((v) => String(v ?? ''))));
    const drug = rows.find((r) => r[0] === 'DRUG_PLATFORM_SHARE')!;
    const province = (await t.as('reg-henan').ok(KPIS, { period: '2026-03' })).kpis;
    expect(drug.slice(2, 6)).toEqual(['0.9000', '0.2884', figure(province, 'DRUG_PLATFORM_SHARE').yearToDate, '否']);
  });

  describe('importing insurance settlement lines', () => {
    const csvOf = (text: string) => ({ format: 'CSV', contentBase64: Buffer.from(text).toString('base64') });

    it('is idempotent per hospital-month: the same file changes nothing, a corrected one replaces the month', async () => {
      const csv = await claimsCsv(t);
      const again = (await t.as('settle-henan').ok(IMPORT_CLAIMS, { input: csvOf(csv) })).importInsuranceClaims;
      expect(again).toMatchObject({ lineCount: 2, unchanged: 1, imports: [{ hospitalCode: h2Code, month: '2026-03-01', lineCount: 2, revision: 1, amount: '13900.00' }] });
      const corrected = csv.replace(',2000,12900.00', ',1000,6450.00');
      const replaced = (await t.as('reg-henan').ok(IMPORT_CLAIMS, { input: csvOf(corrected) })).importInsuranceClaims;
      expect(replaced.imports[0]).toMatchObject({ revision: 2, lineCount: 2, amount: '7450.00' });
      expect((await t.sql(`SELECT count(*)::int AS n, sum(quantity)::int AS q FROM insurance_claim_line WHERE hospital_id = $1`, [month.ids.h2]))[0]).toEqual({ n: 2, q: 2000 });
      const report = (await t.as('reg-henan').ok(KPIS, { period: '2026-03', scope: { level: 'HOSPITAL', code: h2Code } })).kpis;
      expect(figure(report, 'DRUG_PLATFORM_SHARE').month).toBe(ratio4(171_000, 171_000 + 645_000));
      // put the scenario back
      await t.as('settle-henan').ok(IMPORT_CLAIMS, { input: csvOf(csv) });
    });

    it('reads XLSX with Chinese headers, and counts lines naming no catalogue product', async () => {
      const [{ code }] = await t.sql(`SELECT code FROM organisation WHERE external_key = 'hosp-ly-1'`);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('结算清单');
      sheet.addRow(['医疗机构代码', '结算月份', '医保编码', '数量', '金额']);
      sheet.addRow([code, '2026-02', 'XC10AAA052A001011410002', 700, '700.00']);
      sheet.addRow([code, '2026-02', 'XA01AAA001A001010199999', 5, '12.50']);
      const base64 = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
      const res = (await t.as('reg-ly').ok(IMPORT_CLAIMS, { input: { format: 'XLSX', contentBase64: base64, fileName: 'ly.xlsx' } })).importInsuranceClaims;
      expect(res.imports[0]).toMatchObject({ hospitalCode: code, month: '2026-02-01', lineCount: 2, unmatchedLines: 2, amount: '712.50' });
      const listed = (await t.as('reg-ly').ok(`{ insuranceClaimImports(filter: { month: "2026-02" }) { hospitalCode fileName } }`)).insuranceClaimImports;
      expect(listed).toEqual([{ hospitalCode: code, fileName: 'ly.xlsx' }]);
      // Zhengzhou's regulator does not see Luoyang's imports
      expect((await t.as('reg-zz').ok(`{ insuranceClaimImports(filter: { month: "2026-02" }) { hospitalCode } }`)).insuranceClaimImports).toEqual([]);
    });

    it('checks every row and writes nothing when one is wrong; refuses hospitals and other regions', async () => {
      const before = (await t.sql(`SELECT count(*)::int AS n FROM insurance_claim_line`))[0].n;
      const bad = [
        'hospitalCode,month,insuranceCode,quantity,amount',
        `${h2Code},2026-02,XC10AAA052A001011410002,10,10.00`,
        `${h2Code},2026-2,XC10AAA052A001011410002,10,10.00`,
        `NOPE,2026-02,XC10AAA052A001011410002,10,10.00`,
        `${h2Code},2026-02,X123,10,10.00`,
        `${h2Code},2026-01,XC10AAA052A001011410002,0,10.00`,
        `${h2Code},2026-01,XC10AAA052A001011410003,10,10.001`,
        `${h2Code},2026-05,XC10AAA052A001011410002,10,10.00`,
      ].join('\n');
      const refusal = await t.as('settle-henan').refused(IMPORT_CLAIMS, { input: csvOf(bad) });
      expect(refusal).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'month' });
      const res = await t.as('settle-henan').gql(IMPORT_CLAIMS, { input: csvOf(bad) });
      expect(res.errors![0].extensions!.errors.map((e: any) => [e.line, e.field])).toEqual([
        [3, 'month'], [4, 'hospitalCode'], [5, 'insuranceCode'], [6, 'quantity'], [7, 'amount'], [8, 'month'],
      ]);
      expect((await t.sql(`SELECT count(*)::int AS n FROM insurance_claim_line`))[0].n).toBe(before);
      expect(await t.as('settle-henan').refused(IMPORT_CLAIMS, { input: csvOf('hospitalCode,month\n') })).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'header' });
      expect(await t.as('hosp-zz-2').refused(IMPORT_CLAIMS, { input: csvOf(await claimsCsv(t)) })).toMatchObject({ code: 'FORBIDDEN' });
      expect(await t.as('reg-ly').refused(IMPORT_CLAIMS, { input: csvOf(await claimsCsv(t)) })).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'hospitalCode' });
    });
  });
});
