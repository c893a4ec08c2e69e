import { EntityManager } from 'typeorm';
import { startTestApp, TestApp } from '@test/harness';
import { CREDIT_CHECKS, CreditChecks } from '../src/platform/ports/context-ports';
import { CREDIT_QUARTERLY_JOB } from '../src/credit/credit.service';
import { recordInEffect } from './support/credit-process';

const RECORD = `mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { id levelAtRecording policyVersion } }`;
const RATING = `query($id: ID) { creditRating(organisationId: $id) { level policyVersion sanctions { writtenReminder riskNotice suspendProductsInvolved suspendAllProducts publicDisclosure } suspendedProductIds } }`;
const LETTER = `mutation { fileCommitmentLetter(input: { documentRef: "CL-2026-001", signedOn: "2026-03-01" }) { id } }`;

jest.setTimeout(60_000);

describe('credit: events, ratings, sanctions on bidding/listing/ordering, repair, disclosure', () => {
  let t: TestApp;
  let org: Record<string, string>;
  let product: Record<string, string>;

  const checks = () => t.app.get<CreditChecks>(CREDIT_CHECKS);
  /** Runs a port call in its own transaction, as the tendering and orders contexts do; 'OK' or the error code. */
  const outcome = async (call: (em: EntityManager, c: CreditChecks) => Promise<unknown>) => {
    try {
      await t.dataSource.transaction((em) => call(em, checks()));
      return 'OK';
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code ?? String(error);
    }
  };
  const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  // due process: each event is notified, the manufacturer replies and a regulator upholds it before it counts
  const kickback = (key: string, amount: string, productIds: string[] = [], occurredOn = '2026-02-10') =>
    recordInEffect(t, key, { organisationId: org[key], behaviour: 'KICKBACK', amount, occurredOn, evidence: '（2026）豫01刑初12号判决书', productIds });

  beforeAll(async () => {
    t = await startTestApp();
    org = Object.fromEntries((await t.sql(`SELECT external_key, id FROM organisation WHERE external_key IS NOT NULL`)).map((r) => [r.external_key, r.id]));
    product = Object.fromEntries((await t.sql(`SELECT external_key, id FROM product`)).map((r) => [r.external_key, r.id]));
  });
  afterAll(() => t.close());

  it('requires a commitment letter before bidding or listing, filed at most once', async () => {
    expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [product['atorva-10-alpha']]))).toBe('COMMITMENT_LETTER_MISSING');
    expect(await outcome((em, c) => c.assertMayList(em, org['mfr-alpha'], product['atorva-10-alpha']))).toBe('COMMITMENT_LETTER_MISSING');
    // ordering does not need the manufacturer's letter
    expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: product['atorva-10-alpha'] }]))).toBe('OK');
    await t.as('mfr-alpha').ok(LETTER);
    expect((await t.as('mfr-alpha').refused(LETTER)).code).toBe('COMMITMENT_LETTER_EXISTS');
    await t.as('mfr-beta').ok(LETTER);
    expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [product['atorva-10-alpha']]))).toBe('OK');
  });

  it('refuses bad events with codes and writes nothing', async () => {
    const before = [await count('credit_event'), await count('credit_rating'), await count(`audit_log WHERE action LIKE 'credit.%'`)];
    const base = { organisationId: org['mfr-alpha'], behaviour: 'KICKBACK', amount: '50000.00', occurredOn: '2026-02-01', evidence: 'case 1', productIds: [] as string[] };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ amount: '-5.00' }, 'VALIDATION_FAILED', 'input.amount'],
      [{ organisationId: '00000000-0000-4000-8000-000000000000' }, 'VALIDATION_FAILED', 'input.organisationId'],
      [{ organisationId: org['hosp-zz-1'] }, 'VALIDATION_FAILED', 'input.organisationId'],
      [{ productIds: ['00000000-0000-4000-8000-000000000001'] }, 'VALIDATION_FAILED', 'input.productIds'],
      [{ productIds: [product['amlo-5-beta']] }, 'VALIDATION_FAILED', 'input.productIds'],
      [{ occurredOn: '2026-03-03' }, 'VALIDATION_FAILED', 'input.occurredOn'],
      [{ occurredOn: '2026-02-30' }, 'VALIDATION_FAILED', 'input.occurredOn'],
      [{ behaviour: 'LATE_INVOICE' }, 'VALIDATION_FAILED', 'input.behaviour'],
    ];
    for (const [change, code, field] of cases) {
      const refusal = await t.as('reg-henan').refused(RECORD, { input: { ...base, ...change } });
      expect({ change, code: refusal.code, field: refusal.field }).toEqual({ change, code, field });
    }
    expect((await t.as('mfr-alpha').refused(RECORD, { input: base })).code).toBe('FORBIDDEN');
    expect([await count('credit_event'), await count('credit_rating'), await count(`audit_log WHERE action LIKE 'credit.%'`)]).toEqual(before);
  });

  it('GENERAL: a written reminder only; bidding, listing and ordering go on', async () => {
    const res = await kickback('mfr-alpha', '10000.00', [product['atorva-10-alpha']]);
    expect(res).toMatchObject({ levelAtRecording: 'GENERAL', policyVersion: 'CREDIT-2020-4L', status: 'PENDING' });
    const { creditRating } = await t.as('mfr-alpha').ok<any>(RATING);
    expect(creditRating).toMatchObject({ level: 'GENERAL', sanctions: { writtenReminder: true, riskNotice: false, suspendProductsInvolved: false } });
    expect(await outcome((em, c) => c.riskNoticeFor(em, org['mfr-alpha']).then((n) => expect(n).toBeNull()))).toBe('OK');
    expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [product['atorva-10-alpha']]))).toBe('OK');
    expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: product['atorva-10-alpha'] }]))).toBe('OK');
  });

  it('MEDIUM: hospitals see a risk notice; nothing is suspended', async () => {
    await kickback('mfr-alpha', '100000.00', [product['atorva-10-alpha']]);
    const notice = await t.as('hosp-zz-1').ok<any>(`query($m: ID!) { creditRiskNotice(manufacturerId: $m) }`, { m: org['mfr-alpha'] });
    expect(notice.creditRiskNotice).toContain('中等');
    expect(await outcome((em, c) => c.assertMayList(em, org['mfr-alpha'], product['atorva-10-alpha']))).toBe('OK');
    expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: product['atorva-10-alpha'] }]))).toBe('OK');
    expect((await t.anonymous.ok<any>(`{ creditDisclosures { organisationId } }`)).creditDisclosures).toEqual([]);
  });

  it('SERIOUS: bidding, listing and delivery of the products involved are suspended, and it is disclosed', async () => {
    await kickback('mfr-alpha', '300000.00', [product['atorva-10-alpha']]);
    const involved = product['atorva-10-alpha'];
    const other = product['famo-20-alpha'];
    expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [other, involved]))).toBe('CREDIT_SANCTIONED');
    expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [other]))).toBe('OK');
    expect(await outcome((em, c) => c.assertMayList(em, org['mfr-alpha'], involved))).toBe('CREDIT_SANCTIONED');
    expect(await outcome((em, c) => c.assertMayList(em, org['mfr-alpha'], other))).toBe('OK');
    expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: involved }]))).toBe('CREDIT_SANCTIONED');
    expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: other }]))).toBe('OK');
    const disclosed = await t.anonymous.ok<any>(`{ creditDisclosures { organisationName creditCode level behaviours } }`);
    expect(disclosed.creditDisclosures).toEqual([expect.objectContaining({ organisationName: '河南华康制药有限公司', level: 'SERIOUS', behaviours: ['KICKBACK'] })]);
    const view = await t.sql(`SELECT level, policy_version FROM v_credit_rating WHERE organisation_id = $1`, [org['mfr-alpha']]);
    expect(view).toEqual([{ level: 'SERIOUS', policy_version: 'CREDIT-2020-4L' }]);
  });

  it('PARTICULARLY_SERIOUS: all its products are suspended', async () => {
    await kickback('mfr-alpha', '2000000.00', []);
    for (const key of ['atorva-10-alpha', 'famo-20-alpha', 'omep-20-alpha']) {
      expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [product[key]]))).toBe('CREDIT_SANCTIONED');
      expect(await outcome((em, c) => c.assertMayList(em, org['mfr-alpha'], product[key]))).toBe('CREDIT_SANCTIONED');
      expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: product[key] }]))).toBe('CREDIT_SANCTIONED');
    }
    // another manufacturer is untouched
    expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-beta'], [product['amlo-5-beta']]))).toBe('OK');
    expect((await t.anonymous.ok<any>(`{ creditDisclosures { level } }`)).creditDisclosures).toEqual([{ level: 'PARTICULARLY_SERIOUS' }]);
  });

  it('repair: the manufacturer files measures, a regulator approves, sanctions lift and history stays', async () => {
    const FILE = `mutation { fileCreditRepair(input: { measures: ["STOPPED_CONDUCT", "RETURNED_GAINS", "COMPLIANCE_REPORT"], statement: "已停止违法行为并退还违法所得" }) { id state } }`;
    const { fileCreditRepair } = await t.as('mfr-alpha').ok<any>(FILE);
    expect((await t.as('mfr-alpha').refused(FILE)).code).toBe('REPAIR_ALREADY_FILED');
    expect((await t.as('mfr-beta').refused(FILE)).code).toBe('NOTHING_TO_REPAIR');
    const DECIDE = `mutation($id: ID!) { decideCreditRepair(repairId: $id, approve: true, note: "整改到位") { state } }`;
    expect((await t.as('mfr-alpha').refused(DECIDE, { id: fileCreditRepair.id })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-henan').ok<any>(DECIDE, { id: fileCreditRepair.id })).decideCreditRepair.state).toBe('APPROVED');
    expect((await t.as('reg-henan').refused(DECIDE, { id: fileCreditRepair.id })).code).toBe('INVALID_STATE');

    expect((await t.as('mfr-alpha').ok<any>(RATING)).creditRating.level).toBe('NONE');
    for (const key of ['atorva-10-alpha', 'famo-20-alpha']) {
      expect(await outcome((em, c) => c.assertMayBid(em, org['mfr-alpha'], [product[key]]))).toBe('OK');
      expect(await outcome((em, c) => c.assertMayOrder(em, [{ manufacturerId: org['mfr-alpha'], productId: product[key] }]))).toBe('OK');
    }
    expect((await t.anonymous.ok<any>(`{ creditDisclosures { level } }`)).creditDisclosures).toEqual([]);
    const history = await t.as('reg-henan').ok<any>(`query($id: ID) { creditRatingHistory(organisationId: $id) { level reason } creditEvents(organisationId: $id) { clearedByRepairId } }`, { id: org['mfr-alpha'] });
    expect(history.creditRatingHistory.map((r: any) => r.level)).toEqual(['NONE', 'PARTICULARLY_SERIOUS', 'SERIOUS', 'MEDIUM', 'GENERAL']);
    expect(history.creditEvents).toHaveLength(4);
    expect(history.creditEvents.every((e: any) => e.clearedByRepairId === fileCreditRepair.id)).toBe(true);
    const audited = await t.sql(`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'credit.%' GROUP BY action ORDER BY action`);
    expect(Object.fromEntries(audited.map((r) => [r.action, r.n]))).toMatchObject({
      'credit.commitment-letter-filed': 2,
      'credit.event-recorded': 4,
      'credit.rated': 5,
      'credit.repair-filed': 1,
      'credit.repair-approved': 1,
    });
    // a manufacturer sees only its own record
    expect((await t.as('mfr-beta').refused(RATING, { id: org['mfr-alpha'] })).code).toBe('FORBIDDEN');
  });

  it('rates distributors too (breach of supply) and shows them on the disclosure list when serious', async () => {
    await recordInEffect(t, 'dist-zy', { organisationId: org['dist-zy'], behaviour: 'DISTURBING_PROCUREMENT_ORDER', occurredOn: '2026-01-20', evidence: '串通投标', productIds: [] });
    expect((await t.as('dist-zy').ok<any>(RATING)).creditRating).toMatchObject({ level: 'SERIOUS' });
    expect((await t.anonymous.ok<any>(`{ creditDisclosures { organisationName level } }`)).creditDisclosures).toContainEqual({ organisationName: '河南中原医药物流有限公司', level: 'SERIOUS' });
  });

  it('re-rates quarterly: events older than 3 years stop counting', async () => {
    await kickback('mfr-beta', '120000.00', [], '2023-03-10');
    expect((await t.as('mfr-beta').ok<any>(RATING)).creditRating.level).toBe('MEDIUM');
    t.clock.set('2026-04-01T02:00:00+08:00');
    await t.jobs.runNow(CREDIT_QUARTERLY_JOB);
    expect((await t.as('mfr-beta').ok<any>(RATING)).creditRating).toMatchObject({ level: 'NONE' });
  });

  it('the 2025 three-level model can be adopted as another version', async () => {
    await kickback('mfr-gamma', '150000.00', []);
    expect((await t.as('reg-henan').ok<any>(RATING, { id: org['mfr-gamma'] })).creditRating.level).toBe('MEDIUM');
    expect((await t.as('reg-henan').refused(`mutation { adoptCreditPolicy(version: "CREDIT-1999") { id } }`)).code).toBe('VALIDATION_FAILED');
    await t.as('reg-henan').ok(`mutation { adoptCreditPolicy(version: "CREDIT-2025-3L") { version } }`);
    expect((await t.as('reg-henan').ok<any>(RATING, { id: org['mfr-gamma'] })).creditRating).toMatchObject({ level: 'GENERAL', policyVersion: 'CREDIT-2025-3L' });
  });
});
