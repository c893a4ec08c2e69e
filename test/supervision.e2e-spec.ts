import request from 'supertest';
import ExcelJS from 'exceljs';
import { RULE_CODES } from '@libs/supervision-rules';
import { createOcdsValidator } from '../libs/supervision-rules/src/ocds/ocds-validator';
import { startTestApp, TestApp } from '@test/harness';
import { buildMonth, ensureStandIns, MonthScenario, SCENARIO_START } from './support/supervision-fixtures';

const RUN = `mutation($p: String!) { runMonitoring(period: $p) { id state period rulesTotal rulesDone alertsRaised alertsUpdated skipped { code reason } } }`;
const ALERTS = `query($f: AlertFilter) { alerts(filter: $f, first: 100) { totalCount nodes { id ruleCode ruleVersion subjectKind subjectId subjectName regionCode period state severity evidence { name value } } } }`;
const MOVE = `mutation($i: MoveCaseInput!) { moveAlertCase(input: $i) { id state deadline creditEventId caseEntries { kind fromState toState note deadline } } }`;
const ANSWER = `mutation($i: AnswerCaseInput!) { answerAlertInquiry(input: $i) { kind note fromState } }`;

describe('supervision: monitoring, alerts and cases, dashboards, OCDS export', () => {
  let t: TestApp;
  let month: MonthScenario;
  let alertsByRule: Record<string, any>;

  beforeAll(async () => {
    t = await startTestApp({ now: SCENARIO_START });
    await ensureStandIns(t); // stand-ins only for views no merged context publishes yet
    month = await buildMonth(t); // runs a real round to confirmation, then leaves the clock on 2 April 2026
  });
  afterAll(() => t.close());

  it('a month that trips every rule once raises exactly one alert per rule, with figures and rule version', async () => {
    const { runMonitoring: run } = await t.as('reg-henan').ok(RUN, { p: '2026-03' });
    expect(run).toMatchObject({ state: 'SUCCEEDED', period: '2026-03-01', rulesTotal: RULE_CODES.length, rulesDone: RULE_CODES.length, alertsRaised: RULE_CODES.length, alertsUpdated: 0, skipped: [] });
    const { alerts } = await t.as('reg-henan').ok(ALERTS, { f: { period: '2026-03' } });
    expect(alerts.nodes.map((a: any) => a.ruleCode).sort()).toEqual([...RULE_CODES].sort());
    alertsByRule = Object.fromEntries(alerts.nodes.map((a: any) => [a.ruleCode, a]));
    const fig = (code: string) => Object.fromEntries(alertsByRule[code].evidence.map((e: any) => [e.name, e.value]));
    const ids = month.ids;
    expect(alertsByRule.AGREEMENT_COMPLETION_BEHIND).toMatchObject({ subjectId: ids.h2, subjectKind: 'HOSPITAL', ruleVersion: 1, state: 'OPEN', subjectName: '河南省人民医院' });
    expect(fig('AGREEMENT_COMPLETION_BEHIND')).toMatchObject({ agreementId: ids.agreementH2, completion: '0.0833', pointsBehind: '0.10' });
    expect(alertsByRule.SUBSTITUTION_NON_WINNING.subjectId).toBe(ids.h3);
    expect(fig('SUBSTITUTION_NON_WINNING')).toMatchObject({ share: '0.4167', previousShare: '0.0000' });
    expect(alertsByRule.DELIVERY_RATE_LOW).toMatchObject({ subjectId: ids.distZy, subjectKind: 'DISTRIBUTOR', regionCode: '410000' });
    expect(fig('DELIVERY_RATE_LOW')).toMatchObject({ deliveryRate: '0.0500', manufacturerId: ids.kappa });
    expect(alertsByRule.DELIVERY_SHORTAGE).toMatchObject({ subjectId: ids.kappa, severity: 'HIGH' });
    expect(fig('DELIVERY_SHORTAGE')).toMatchObject({ productId: ids.L1, shortageSignal: 'true', listingId: ids.listingL1 });
    expect(alertsByRule.PRICE_ABOVE_IN_FORCE.subjectId).toBe(ids.h2);
    expect(fig('PRICE_ABOVE_IN_FORCE')).toMatchObject({ productId: ids.L2, maxUnitPricePaid: '8.0000', unitPriceInForce: '7.0000', excessFen: '1000' });
    expect(alertsByRule.LISTING_ABOVE_REFERENCE.subjectId).toBe(ids.L4);
    expect(fig('LISTING_ABOVE_REFERENCE')).toMatchObject({ listedUnitPrice: '1.2500', lowestReferenceUnitPrice: '1.1000', referenceProvince: '320000' });
    expect(alertsByRule.LISTING_ABOVE_VBP_MULTIPLE.subjectId).toBe(ids.N);
    expect(fig('LISTING_ABOVE_VBP_MULTIPLE')).toMatchObject({ capUnitPrice: '1.0000', winner: 'false' });
    expect(alertsByRule.PRICE_CHANGE_MOM.subjectId).toBe(ids.L3);
    expect(fig('PRICE_CHANGE_MOM')).toMatchObject({ change: '0.3158' });
    expect(alertsByRule.VOLUME_VS_DEMAND.subjectId).toBe(ids.h4);
    expect(fig('VOLUME_VS_DEMAND')).toMatchObject({ monthlyQuantity: '4000', monthlyDemandRate: '1000.00' });
    expect(alertsByRule.PLATFORM_PURCHASE_RATE_LOW.subjectId).toBe(ids.h1);
    expect(fig('PLATFORM_PURCHASE_RATE_LOW')).toMatchObject({ class: 'DRUG', onPlatformFen: '162000', offPlatformFen: '1000000' });
    expect(alertsByRule.PAYABLE_OVERDUE.subjectId).toBe(ids.h1);
    expect(fig('PAYABLE_OVERDUE')).toMatchObject({ manufacturerId: ids.kappa, maxDaysOverdue: '44' }); // 1 April 00:00 − 15 February 10:00
    expect(alertsByRule.PURCHASE_ABOVE_PAYMENT_STANDARD).toMatchObject({ subjectId: ids.h3, subjectKind: 'HOSPITAL', regionCode: '410305' });
    // 500 tablets × (2.5000 − 2.0000) = 250.00 yuan above the standard the fund pays by
    expect(fig('PURCHASE_ABOVE_PAYMENT_STANDARD')).toMatchObject({ productId: ids.N, maxUnitPricePaid: '2.5000', paymentStandardUnitPrice: '2.0000', basis: 'CONVERGENCE', paymentStandardVersion: '1', excessFen: '25000', tolerance: '0' });
  });

  it('a second run duplicates nothing: it refreshes the same alerts', async () => {
    const before = await t.sql(`SELECT id, state FROM alert ORDER BY id`);
    const { runMonitoring: run } = await t.as('reg-henan').ok(RUN, { p: '2026-03' });
    expect(run).toMatchObject({ alertsRaised: 0, alertsUpdated: RULE_CODES.length });
    expect(await t.sql(`SELECT id, state FROM alert ORDER BY id`)).toEqual(before);
    const [{ n }] = await t.sql(`SELECT COUNT(DISTINCT last_run_id)::int AS n FROM alert`);
    expect(n).toBe(1);
    expect(await t.sql(`SELECT COUNT(*)::int AS n FROM monitoring_run WHERE state = 'SUCCEEDED'`)).toEqual([{ n: 2 }]);
  });

  it('the daily job monitors the current month (and the month just ended in its first days)', async () => {
    await t.jobs.runNow('supervision.monitoring.daily');
    const runs = await t.sql(`SELECT period::text, trigger, state FROM monitoring_run WHERE trigger = 'SCHEDULE' ORDER BY period`);
    expect(runs).toEqual([
      { period: '2026-03-01', trigger: 'SCHEDULE', state: 'SUCCEEDED' },
      { period: '2026-04-01', trigger: 'SCHEDULE', state: 'SUCCEEDED' },
    ]);
    expect(await t.sql(`SELECT COUNT(*)::int AS n FROM alert WHERE period = '2026-03-01'`)).toEqual([{ n: RULE_CODES.length }]);
  });

  it('scopes alerts: a city regulator sees its city, a subject sees alerts about itself, others nothing', async () => {
    const zz = await t.as('reg-zz').ok(ALERTS, { f: { period: '2026-03' } });
    expect(zz.alerts.nodes.map((a: any) => a.ruleCode).sort()).toEqual(['AGREEMENT_COMPLETION_BEHIND', 'OFF_PLATFORM_UNDER_REPORTED', 'PAYABLE_OVERDUE', 'PLATFORM_PURCHASE_RATE_LOW', 'PRICE_ABOVE_IN_FORCE', 'VOLUME_VS_DEMAND']);
    const ly = await t.as('reg-ly').ok(ALERTS, { f: { period: '2026-03' } });
    expect(ly.alerts.nodes.map((a: any) => a.ruleCode).sort()).toEqual(['PURCHASE_ABOVE_PAYMENT_STANDARD', 'SUBSTITUTION_NON_WINNING']);
    const own = await t.as('hosp-zz-2').ok(ALERTS, { f: { period: '2026-03' } });
    expect(own.alerts.nodes.map((a: any) => a.ruleCode).sort()).toEqual(['AGREEMENT_COMPLETION_BEHIND', 'OFF_PLATFORM_UNDER_REPORTED', 'PRICE_ABOVE_IN_FORCE']);
    expect((await t.as('mfr-alpha').ok(ALERTS, {})).alerts.totalCount).toBe(0);
    expect((await t.as('settle-henan').ok(ALERTS, {})).alerts.totalCount).toBe(0);
    const foreign = await t.as('hosp-zz-1').refused(`query($id: ID!) { alert(id: $id) { id } }`, { id: alertsByRule.AGREEMENT_COMPLETION_BEHIND.id });
    expect(foreign.code).toBe('NOT_FOUND');
  });

  it('works a case OPEN → INQUIRY → answer → INTERVIEW → RECTIFIED, with notes and deadlines', async () => {
    const id = alertsByRule.AGREEMENT_COMPLETION_BEHIND.id;
    await t.as('reg-zz').ok(MOVE, { i: { alertId: id, to: 'INQUIRY', note: '请说明协议量完成滞后原因', deadline: '2026-04-12' } });
    const answer = await t.as('hosp-zz-2').ok(ANSWER, { i: { alertId: id, answer: '一季度门诊量下降，二季度补足' } });
    expect(answer.answerAlertInquiry).toMatchObject({ kind: 'ANSWER', fromState: 'INQUIRY' });
    await t.as('reg-zz').ok(MOVE, { i: { alertId: id, to: 'INTERVIEW', note: '约谈药剂科负责人', deadline: '2026-04-20' } });
    const done = await t.as('reg-henan').ok(MOVE, { i: { alertId: id, to: 'RECTIFIED', note: '已提交整改计划' } });
    expect(done.moveAlertCase.state).toBe('RECTIFIED');
    expect(done.moveAlertCase.caseEntries.map((e: any) => `${e.kind}:${e.toState ?? e.fromState}`)).toEqual(['TRANSITION:INQUIRY', 'ANSWER:INQUIRY', 'TRANSITION:INTERVIEW', 'TRANSITION:RECTIFIED']);
    expect(done.moveAlertCase.caseEntries[0].deadline).toBe('2026-04-12');
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [id]);
    expect(audit.map((a: any) => a.action)).toEqual(['alert.case_moved', 'alert.answered', 'alert.case_moved', 'alert.case_moved']);
    // a re-run refreshes the figures but never reopens a closed case
    await t.as('reg-henan').ok(RUN, { p: '2026-03' });
    expect((await t.sql(`SELECT state FROM alert WHERE id = $1`, [id]))[0].state).toBe('RECTIFIED');
  });

  it('dismisses a case straight from OPEN', async () => {
    const res = await t.as('reg-zz').ok(MOVE, { i: { alertId: alertsByRule.VOLUME_VS_DEMAND.id, to: 'DISMISSED', note: '院内新开病区，需求合理' } });
    expect(res.moveAlertCase.state).toBe('DISMISSED');
  });

  it('the shortage signal suspends the product\'s listing (reason DELIVERY) through the listing context, once', async () => {
    const [listing] = await t.sql(`SELECT state, suspension_reason FROM listing WHERE id = $1`, [month.ids.listingL1]);
    expect(listing).toEqual({ state: 'SUSPENDED', suspension_reason: 'DELIVERY' });
    const [alert] = await t.sql(`SELECT evidence->'listingSuspension' AS s FROM alert WHERE rule_code = 'DELIVERY_SHORTAGE'`);
    expect(alert.s).toMatchObject({ listingId: month.ids.listingL1, outcome: 'SUSPENDED' });
    // the re-runs since kept the record and did not try again
    const changes = await t.sql(`SELECT state, suspension_reason FROM listing_price_history WHERE listing_id = $1 ORDER BY valid_from`, [month.ids.listingL1]);
    expect(changes.map((c: any) => `${c.state}:${c.suspension_reason ?? ''}`)).toEqual(['LISTED:', 'SUSPENDED:DELIVERY']);
  });

  it('escalates a shortage to credit: one credit event against the manufacturer, source SUPERVISION', async () => {
    const id = alertsByRule.DELIVERY_SHORTAGE.id;
    await t.as('reg-henan').ok(MOVE, { i: { alertId: id, to: 'INQUIRY', note: '函询断供原因', deadline: '2026-04-10' } });
    const events = async () => (await t.sql(`SELECT COUNT(*)::int AS n FROM credit_event`))[0].n;
    const before = await events();
    const refusedWithoutBehaviour = await t.as('reg-henan').refused(MOVE, { i: { alertId: id, to: 'ESCALATED_TO_CREDIT', note: '逾期未答复' } });
    expect(refusedWithoutBehaviour).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.behaviour' });
    // behaviours are the credit catalogue's codes
    const unknown = await t.as('reg-henan').refused(MOVE, { i: { alertId: id, to: 'ESCALATED_TO_CREDIT', note: '逾期未答复', behaviour: 'SUPPLY_BREACH' } });
    expect(unknown).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.behaviour' });
    expect(await events()).toBe(before);
    expect((await t.sql(`SELECT state FROM alert WHERE id = $1`, [id]))[0].state).toBe('INQUIRY');
    const res = await t.as('reg-henan').ok(MOVE, { i: { alertId: id, to: 'ESCALATED_TO_CREDIT', note: '逾期未答复，纳入信用评价', behaviour: 'BREACH_OF_SUPPLY' } });
    expect(res.moveAlertCase.state).toBe('ESCALATED_TO_CREDIT');
    const [event] = await t.sql(`SELECT id, organisation_id, behaviour, source, product_ids, occurred_on::text AS occurred_on, evidence FROM credit_event WHERE id = $1`, [res.moveAlertCase.creditEventId]);
    expect(event).toMatchObject({ organisation_id: month.ids.kappa, behaviour: 'BREACH_OF_SUPPLY', source: 'SUPERVISION', product_ids: [month.ids.L1], occurred_on: '2026-04-02' });
    expect(JSON.parse(event.evidence)).toMatchObject({ alertId: id, rule: 'DELIVERY_SHORTAGE v1', period: '2026-03-01' });
    expect(await events()).toBe(before + 1);
    // due process: the credit context notified the manufacturer; nothing is rated until a regulator decides the notice
    expect((await t.sql(`SELECT COUNT(*)::int AS n FROM v_credit_rating WHERE organisation_id = $1`, [month.ids.kappa]))[0].n).toBe(0);
    const notices = await t.as('mfr-kappa').ok(`{ creditNotices { state proposedLevel event { id status behaviour } } }`);
    expect(notices.creditNotices).toEqual([{ state: 'NOTIFIED', proposedLevel: 'MEDIUM', event: { id: res.moveAlertCase.creditEventId, status: 'PENDING', behaviour: 'BREACH_OF_SUPPLY' } }]);
    const again = await t.as('reg-henan').refused(MOVE, { i: { alertId: id, to: 'ESCALATED_TO_CREDIT', note: 'again', behaviour: 'BREACH_OF_SUPPLY' } });
    expect(again.code).toBe('INVALID_STATE');
    expect(await events()).toBe(before + 1);
  });

  it('refuses bad steps with a code and field, and writes nothing', async () => {
    const id = alertsByRule.PRICE_CHANGE_MOM.id;
    const count = async () => (await t.sql(`SELECT (SELECT COUNT(*) FROM alert_case_entry)::int AS e, (SELECT COUNT(*) FROM audit_log WHERE action <> 'user.logged_in')::int AS a`))[0];
    const before = await count();
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ alertId: id, to: 'RECTIFIED', note: 'x' }, 'INVALID_STATE', 'input.to'],
      [{ alertId: id, to: 'INQUIRY', note: 'x' }, 'VALIDATION_FAILED', 'input.deadline'],
      [{ alertId: id, to: 'INQUIRY', note: 'x', deadline: '2026-03-01' }, 'VALIDATION_FAILED', 'input.deadline'],
      [{ alertId: id, to: 'INQUIRY', note: '   ', deadline: '2026-05-01' }, 'VALIDATION_FAILED', 'input.note'],
      [{ alertId: id, to: 'CLOSED', note: 'x' }, 'VALIDATION_FAILED', 'i.to'], // not an AlertCaseState: refused while coercing the variable $i,
      [{ alertId: id, to: 'INQUIRY', note: 'x', deadline: '1 May' }, 'VALIDATION_FAILED', 'input.deadline'],
      [{ alertId: 'not-a-uuid', to: 'INQUIRY', note: 'x', deadline: '2026-05-01' }, 'VALIDATION_FAILED', 'input.alertId'],
    ];
    for (const [input, code, field] of cases) expect(await t.as('reg-henan').refused(MOVE, { i: input })).toMatchObject({ code, field });
    // outside the caller's region: as if it did not exist
    expect((await t.as('reg-ly').refused(MOVE, { i: { alertId: id, to: 'DISMISSED', note: 'x' } })).code).toBe('NOT_FOUND');
    expect((await t.as('hosp-zz-1').refused(MOVE, { i: { alertId: alertsByRule.PAYABLE_OVERDUE.id, to: 'DISMISSED', note: 'x' } })).code).toBe('FORBIDDEN');
    // answering: only the subject, only while an inquiry is open
    expect((await t.as('hosp-zz-1').refused(ANSWER, { i: { alertId: alertsByRule.PAYABLE_OVERDUE.id, answer: '已付' } })).code).toBe('CASE_NOT_AWAITING_ANSWER');
    expect((await t.as('hosp-zz-2').refused(ANSWER, { i: { alertId: alertsByRule.PAYABLE_OVERDUE.id, answer: '已付' } })).code).toBe('NOT_FOUND');
    expect((await t.as('reg-henan').refused(RUN, { p: '2026-13' })).code).toBe('VALIDATION_FAILED');
    expect(await t.as('reg-henan').refused(RUN, { p: '2026-05' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'period' });
    expect((await t.as('hosp-zz-1').refused(RUN, { p: '2026-03' })).code).toBe('FORBIDDEN');
    expect(await count()).toEqual(before);
    expect((await t.sql(`SELECT state FROM alert WHERE id = $1`, [id]))[0].state).toBe('OPEN');
  });

  it('a new rule version changes thresholds from its date; alerts record the version they were computed under', async () => {
    const publish = `mutation($i: PublishRuleVersionInput!) { publishMonitoringRuleVersion(input: $i) { code version effectiveFrom parameters { name value } } }`;
    expect((await t.as('reg-zz').refused(publish, { i: { code: 'DELIVERY_RATE_LOW', params: [{ name: 'minRate', value: '0.95' }], effectiveFrom: '2026-03-01' } })).code).toBe('FORBIDDEN');
    expect(await t.as('reg-henan').refused(publish, { i: { code: 'DELIVERY_RATE_LOW', params: [{ name: 'minRate', value: '1.5' }], effectiveFrom: '2026-03-01' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.params.minRate' });
    expect(await t.as('reg-henan').refused(publish, { i: { code: 'DELIVERY_RATE_LOW', params: [{ name: 'speed', value: '1' }], effectiveFrom: '2026-03-01' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.params[0].name' });
    expect((await t.sql(`SELECT COUNT(*)::int AS n FROM monitoring_rule`))[0].n).toBe(RULE_CODES.length);
    const res = await t.as('reg-henan').ok(publish, { i: { code: 'DELIVERY_RATE_LOW', params: [{ name: 'minRate', value: '0.04' }], effectiveFrom: '2026-03-01' } });
    expect(res.publishMonitoringRuleVersion).toMatchObject({ version: 2, parameters: [{ name: 'minRate', value: '0.04' }] });
    await t.as('reg-henan').ok(RUN, { p: '2026-03' });
    // 5% is not below the new 4% threshold: the alert stays (history) with the figures of the version that raised it
    const [row] = await t.sql(`SELECT rule_version FROM alert WHERE rule_code = 'DELIVERY_RATE_LOW'`);
    expect(row.rule_version).toBe(1);
    const rules = await t.as('reg-henan').ok(`{ monitoringRules { code version effectiveTo } }`);
    expect(rules.monitoringRules.filter((r: any) => r.code === 'DELIVERY_RATE_LOW')).toEqual([
      { code: 'DELIVERY_RATE_LOW', version: 2, effectiveTo: null },
      { code: 'DELIVERY_RATE_LOW', version: 1, effectiveTo: '2026-03-01' },
    ]);
  });

  it('dashboards aggregate by prefecture and month, and export to CSV and XLSX', async () => {
    const q = `query($i: DashboardInput!) { supervisionDashboard(input: $i) { regionCode regionName month agreementCompletion substitutionShare deliveryRate vbpPriceIndex nonVbpPriceIndex platformPurchaseRate overduePayables savings openAlerts } }`;
    // hosp-zz-1 bought 100,000 atorvastatin 10mg tablets in 2025 for 150,000.00 yuan: 1.5000 before VBP; the
    // other hospitals have no baseline, so no pre-VBP price and no part in the savings
    const [hospZz1] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'hosp-zz-1'`);
    const [atorva] = await t.sql(`SELECT id FROM variety WHERE code = 'ATORVASTATIN'`);
    await t.as('reg-henan').ok(`mutation($e: [DemandBaselineInput!]!) { setDemandBaselines(entries: $e) { id } }`, {
      e: [{ hospitalId: hospZz1.id, varietyId: atorva.id, year: 2025, quantity: 100000, amount: '150000.00' }],
    });
    const { supervisionDashboard: rows } = await t.as('reg-henan').ok(q, { i: { fromMonth: '2026-02', toMonth: '2026-03' } });
    const zzMarch = rows.find((r: any) => r.regionCode === '410100' && r.month === '2026-03');
    expect(zzMarch).toMatchObject({
      regionName: '郑州市',
      agreementCompletion: '0.1833', // (2900 + 1000 + 2700) / 36000
      substitutionShare: '0.0000',
      vbpPriceIndex: '100.00',
      overduePayables: '726.00', // past due and unpaid at month end: 26.00 (Feb 15) + 700.00 (Mar 10)
      savings: '500.00', // hosp-zz-1's 1,000 agreement tablets in March × (1.5000 − 1.0000)
    });
    expect(zzMarch.deliveryRate).toBe('0.9849'); // (6300 − 95 late famotidine) / 6300
    const lyMarch = rows.find((r: any) => r.regionCode === '410300' && r.month === '2026-03');
    expect(lyMarch.substitutionShare).toBe('0.4167');
    const city = await t.as('reg-ly').ok(q, { i: { fromMonth: '2026-03', toMonth: '2026-03' } });
    expect(city.supervisionDashboard.map((r: any) => r.regionCode)).toEqual(['410300']);
    expect(await t.as('reg-henan').refused(q, { i: { fromMonth: '2026-03', toMonth: '2026-02' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.toMonth' });
    expect((await t.as('hosp-zz-1').refused(q, { i: { fromMonth: '2026-03', toMonth: '2026-03' } })).code).toBe('FORBIDDEN');

    const exp = `query($i: DashboardInput!, $f: String!) { exportSupervisionDashboard(input: $i, format: $f) { filename contentType base64 } }`;
    const csv = (await t.as('reg-henan').ok(exp, { i: { fromMonth: '2026-02', toMonth: '2026-03' }, f: 'CSV' })).exportSupervisionDashboard;
    expect(csv.filename).toBe('supervision-dashboard-2026-02-2026-03.csv');
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFF月份,地区代码,地区,协议完成率,非中选替代占比,配送率,集采价格指数,非集采价格指数,网采率,逾期货款(元),节约金额(元),未结预警');
    expect(text).toContain('2026-03,410100,郑州市,0.1833');
    const xlsx = (await t.as('reg-henan').ok(exp, { i: { fromMonth: '2026-02', toMonth: '2026-03' }, f: 'XLSX' })).exportSupervisionDashboard;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.base64, 'base64') as any);
    const sheet = book.getWorksheet('监测看板')!;
    expect(sheet.rowCount).toBe(rows.length + 1);
    expect(sheet.getRow(1).getCell(4).value).toBe('协议完成率');
    expect((await t.as('reg-henan').refused(exp, { i: { fromMonth: '2026-02', toMonth: '2026-03' }, f: 'PDF' })).field).toBe('format');
  });

  it('exports public rounds as OCDS 1.1.5 releases, one per event with stable ids, without login, valid against the official schema', async () => {
    const res = await t.anonymous.ok(`{ ocdsReleasePackage }`);
    const pkg = JSON.parse(res.ocdsReleasePackage);
    expect(createOcdsValidator()(pkg)).toEqual({ valid: true, errors: [] });
    const ocid = `${t.config.ocidPrefix}-${month.roundId}`;
    const [round] = await t.sql(`SELECT published_at, confirmed_at FROM tender_round WHERE id = $1`, [month.roundId]);
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const confirmedId = iso(round.confirmed_at).replace(/[-:]/g, '');
    // implementation transactions come from paid settlement lines; this month has none paid yet
    expect(pkg.releases.map((r: any) => [r.id, r.date, r.tag])).toEqual([
      [`${ocid}-tender`, iso(round.published_at), ['tender']],
      [`${ocid}-award`, '2025-11-20T02:00:00Z', ['award', 'tenderUpdate']],
      [`${ocid}-confirmation`, iso(round.confirmed_at), ['awardUpdate', 'tenderUpdate']],
      [`${ocid}-contract-${confirmedId}`, iso(round.confirmed_at), ['contract']],
    ]);
    const [tender, award, confirmation, contract] = pkg.releases;
    expect(tender.buyer.name).toBe((await t.sql(`SELECT name FROM organisation WHERE external_key = 'reg-henan'`))[0].name);
    expect(tender.tender.tenderPeriod.endDate).toBe('2025-11-20T02:00:00Z');
    // 48,000 reference tablets a year at the 2.0000 ceiling
    expect(tender.tender.value).toEqual({ amount: 96000, currency: 'CNY' });
    expect(tender.tender.items[0]).toEqual(expect.objectContaining({ quantity: 48000, unit: { name: '片(10mg)', value: { amount: 2, currency: 'CNY' } } }));
    expect(award.tender.tenderers).toHaveLength(2);
    expect(award.bids.details).toHaveLength(2);
    expect(award.awards[0]).toMatchObject({ status: 'pending', suppliers: [{ id: month.ids.alpha }], contractPeriod: { startDate: '2025-12-31T16:00:00Z', endDate: '2026-12-31T16:00:00Z' } });
    expect(confirmation.awards[0]).toMatchObject({ status: 'active', value: { amount: 48000, currency: 'CNY' }, items: [{ quantity: 48000, unit: { name: '片(10mg)', value: { amount: 1, currency: 'CNY' } } }] });
    expect(contract.contracts).toHaveLength(4);
    expect(contract.contracts.map((c: any) => c.id)).toContain(month.ids.agreementH3);
    expect(contract.contracts.every((c: any) => c.dateSigned === iso(round.confirmed_at))).toBe(true);
    expect(contract.parties.filter((p: any) => p.roles.includes('payer'))).toHaveLength(4);
    // a feed reader polling again gets the same releases, not new ones
    t.clock.advance(3_600_000);
    expect(JSON.parse((await t.anonymous.ok(`{ ocdsReleasePackage }`)).ocdsReleasePackage).releases).toEqual(pkg.releases);
    expect((await t.anonymous.refused(`{ ocdsReleasePackage(roundIds: ["x"]) }`)).field).toBe('roundIds');
  });

  it('serves the documents the releases link to: notice, publicity and each agreement, as public pages', async () => {
    const pkg = JSON.parse((await t.anonymous.ok(`{ ocdsReleasePackage }`)).ocdsReleasePackage);
    const [tender, award, , contract] = pkg.releases;
    const path = (url: string) => new URL(url).pathname;
    const notice = await request(t.http).get(path(tender.tender.documents[0].url)).expect(200);
    expect(notice.headers['content-type']).toMatch(/text\/html/);
    expect(notice.text).toContain('河南省2026年第一批药品带量采购 采购公告');
    expect(notice.text).toContain('2025-11-20 10:00'); // the bid deadline, Beijing time
    const publicity = await request(t.http).get(path(award.awards[0].documents[0].url)).expect(200);
    expect(publicity.text).toContain('拟中选结果公示');
    expect(publicity.text).toContain('<td>1.9</td><td>未中选</td>'); // mfr-orig-a's bid beyond the price ratio
    const agreement = contract.contracts.find((c: any) => c.id === month.ids.agreementH3);
    const page = await request(t.http).get(path(agreement.documents[0].url)).expect(200);
    expect(page.text).toContain(agreement.title);
    expect(page.text).toContain('12000');
    await request(t.http).get(`/public/rounds/${month.roundId}/agreements/00000000-0000-4000-8000-000000000000`).expect(404);
    await request(t.http).get(`/public/rounds/not-a-round/notice`).expect(404);
  });

  it('skips a rule whose view is missing, with the reason, and runs the rest', async () => {
    const [{ relkind }] = await t.sql(`SELECT relkind FROM pg_class WHERE oid = to_regclass('v_payable_line')`);
    await t.sql(`ALTER ${relkind === 'v' ? 'VIEW' : 'TABLE'} v_payable_line RENAME TO v_payable_line_hidden`);
    const { runMonitoring: run } = await t.as('reg-henan').ok(RUN, { p: '2026-03' });
    expect(run).toMatchObject({ state: 'SUCCEEDED', rulesDone: RULE_CODES.length, skipped: [{ code: 'PAYABLE_OVERDUE', reason: 'v_payable_line not published yet' }] });
    const dash = await t.as('reg-henan').ok(`{ supervisionDashboard(input: { fromMonth: "2026-03", toMonth: "2026-03" }) { regionCode overduePayables } }`);
    expect(dash.supervisionDashboard.every((r: any) => r.overduePayables === null)).toBe(true);
  });
});
