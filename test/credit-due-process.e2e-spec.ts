import ExcelJS from 'exceljs';
import { startTestApp, TestApp } from '@test/harness';
import { CREDIT_CHECKS, CreditChecks } from '../src/platform/ports/context-ports';
import { DECIDE_NOTICE, RECORD_CREDIT_EVENT, recordInEffect, REPLY_TO_NOTICE } from './support/credit-process';

const NOTICE_FIELDS = `id organisationId state proposedLevel creditPolicyVersion processPolicyVersion notifiedAt replyDeadline decision decidedLevel decisionReasons
  appealDeadline appealDecision appealLevel appealReasons
  statements { kind statement documents { documentRef description } filedAt }
  event { id status levelCap points behaviour }`;
const NOTICES = `query($org: ID, $state: CreditNoticeState) { creditNotices(organisationId: $org, state: $state) { ${NOTICE_FIELDS} } }`;
const NOTICE = `query($id: ID!) { creditNotice(id: $id) { ${NOTICE_FIELDS} } }`;
const APPEAL = `mutation($id: ID!, $input: CreditStatementInput!) { appealCreditDecision(noticeId: $id, input: $input) { id state appealDeadline } }`;
const DECIDE_APPEAL = `mutation($id: ID!, $input: CreditDecisionInput!) { decideCreditAppeal(noticeId: $id, input: $input) { id state appealDecision appealLevel appealReasons } }`;
const RATING = `query($id: ID) { creditRating(organisationId: $id) { level sanctions { riskNotice suspendProductsInvolved publicDisclosure } suspendedProductIds } }`;
const STANDING = `query($id: ID) { creditStanding(organisationId: $id) { organisationId policyVersion grade points periods { period points events } rewards { simplifiedPriceDecreaseReview publicCommendation } } }`;
const APPLY = `mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { id state reviewsRequired decisionNote checks { code passed } } }`;
const LETTER = (ref: string, on: string) => `mutation { fileCommitmentLetter(input: { documentRef: "${ref}", signedOn: "${on}" }) { id } }`;

jest.setTimeout(120_000);

describe('credit with due process: notice, reply, decision, appeal; points, rewards, joint punishment', () => {
  let t: TestApp;
  let org: Record<string, string>;
  let product: Record<string, string>;
  let alphaNotice: string;

  const checks = () => t.app.get<symbol, CreditChecks>(CREDIT_CHECKS);
  const mayList = async (manufacturer: string, productId: string) => {
    try {
      await t.dataSource.transaction((em) => checks().assertMayList(em, manufacturer, productId));
      return 'OK';
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code ?? String(error);
    }
  };

  beforeAll(async () => {
    // 10 January 2025: mfr-beta files its commitment letter; its good record counts from here
    t = await startTestApp({ now: '2025-01-10T09:00:00+08:00' });
    org = Object.fromEntries((await t.sql(`SELECT external_key, id FROM organisation WHERE external_key IS NOT NULL`)).map((r) => [r.external_key, r.id]));
    product = Object.fromEntries((await t.sql(`SELECT external_key, id FROM product`)).map((r) => [r.external_key, r.id]));
    await t.as('mfr-beta').ok(LETTER('CL-2025-beta', '2025-01-09'));
  });
  afterAll(() => t.close());

  it('reward for good credit: after a year on file without points, a price decrease failing a check gets simplified review', async () => {
    const listed = (await t.as('mfr-beta').ok<any>(APPLY, { input: { productId: product['amlo-5-beta'], unitPrice: '1.2500' } })).applyForListing;
    expect(listed.state).toBe('AUTO_APPROVED');
    // Jiangsu lists it lower: a decrease to 1.2000 still fails the four-same check
    await t.as('reg-henan').ok(`mutation($input: RecordReferencePriceInput!) { recordReferencePrice(input: $input) { id } }`, {
      input: { productId: product['amlo-5-beta'], provinceCode: '320000', unitPrice: '1.0000', effectiveOn: '2025-01-01', source: '江苏挂网价' },
    });
    t.clock.set('2025-06-02T09:00:00+08:00');
    expect((await t.as('mfr-beta').ok<any>(STANDING)).creditStanding).toMatchObject({ grade: 'B', points: 0, rewards: { simplifiedPriceDecreaseReview: false } });
    const early = (await t.as('mfr-beta').ok<any>(APPLY, { input: { productId: product['amlo-5-beta'], unitPrice: '1.2000', reason: '主动降价' } })).applyForListing;
    expect(early).toMatchObject({ state: 'PENDING_REVIEW', reviewsRequired: 1 });
    expect(early.checks.find((c: any) => c.code === 'FOUR_SAME_LOWEST').passed).toBe(false);
    await t.as('reg-henan').ok(`mutation($input: ReviewListingInput!) { reviewListingApplication(input: $input) { state } }`, { input: { applicationId: early.id, decision: 'APPROVE', note: '同意降价' } });

    t.clock.set('2026-03-02T09:00:00+08:00');
    const standing = (await t.as('mfr-beta').ok<any>(STANDING)).creditStanding;
    expect(standing).toMatchObject({ organisationId: org['mfr-beta'], policyVersion: 'CREDIT-PROCESS-2026-1', grade: 'A', points: 0, periods: [], rewards: { simplifiedPriceDecreaseReview: true, publicCommendation: true } });
    const rewarded = (await t.as('mfr-beta').ok<any>(APPLY, { input: { productId: product['amlo-5-beta'], unitPrice: '1.1500', reason: '主动降价' } })).applyForListing;
    expect(rewarded).toMatchObject({ state: 'AUTO_APPROVED', reviewsRequired: 0, decisionNote: expect.stringContaining('credit grade A') });
    // a manufacturer reads only its own standing
    expect((await t.as('mfr-alpha').refused(STANDING, { id: org['mfr-beta'] })).code).toBe('FORBIDDEN');
    expect((await t.as('hosp-zz-1').ok<any>(STANDING, { id: org['mfr-beta'] })).creditStanding.grade).toBe('A');
  });

  it('a serious event is only a notice: no rating, no sanction, until a regulator decides', async () => {
    await t.as('mfr-alpha').ok(LETTER('CL-2026-alpha', '2026-03-01'));
    const recorded = (await t.as('reg-zz').ok<any>(RECORD_CREDIT_EVENT, {
      input: { organisationId: org['mfr-alpha'], behaviour: 'KICKBACK', amount: '350000.00', occurredOn: '2026-02-10', evidence: '（2026）豫01刑初12号判决书', productIds: [product['atorva-10-alpha']] },
    })).recordCreditEvent;
    alphaNotice = recorded.notice.id;
    // Monday 2 March: 5 working days are 3, 4, 5, 6 and 9 March → statements until 10 March 00:00 (Asia/Shanghai)
    expect(recorded).toMatchObject({ levelAtRecording: 'SERIOUS', status: 'PENDING', notice: { state: 'NOTIFIED' } });
    expect(new Date(recorded.notice.replyDeadline).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect((await t.as('mfr-alpha').ok<any>(RATING)).creditRating).toBeNull();
    expect(await mayList(org['mfr-alpha'], product['atorva-10-alpha'])).toBe('OK');
    expect((await t.anonymous.ok<any>(`{ creditDisclosures { organisationId } }`)).creditDisclosures).toEqual([]);

    // the manufacturer sees its notice, and only its own
    const own = (await t.as('mfr-alpha').ok<any>(NOTICES)).creditNotices;
    expect(own).toEqual([expect.objectContaining({ id: alphaNotice, state: 'NOTIFIED', proposedLevel: 'SERIOUS', creditPolicyVersion: 'CREDIT-2020-4L', processPolicyVersion: 'CREDIT-PROCESS-2026-1', statements: [], event: expect.objectContaining({ status: 'PENDING', points: null }) })]);
    expect((await t.as('mfr-beta').ok<any>(NOTICES)).creditNotices).toEqual([]);
    expect((await t.as('mfr-beta').refused(NOTICE, { id: alphaNotice })).code).toBe('NOT_FOUND');
    expect((await t.as('mfr-beta').refused(NOTICES, { org: org['mfr-alpha'] })).code).toBe('FORBIDDEN');
    expect((await t.as('hosp-zz-1').refused(NOTICES, {})).code).toBe('FORBIDDEN');
    expect((await t.as('mfr-beta').refused(REPLY_TO_NOTICE, { id: alphaNotice, input: { statement: 'x' } })).code).toBe('NOT_FOUND');

    // no decision while the manufacturer may still reply and has not
    expect((await t.as('reg-zz').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'UPHOLD', reasons: '证据确凿' } })).code).toBe('CREDIT_REPLY_PERIOD_OPEN');
  });

  it('the manufacturer replies with statements and documents; the regulator reduces the level with reasons; only then does it take effect', async () => {
    t.clock.set('2026-03-04T10:00:00+08:00');
    const replied = (await t.as('mfr-alpha').ok<any>(REPLY_TO_NOTICE, { id: alphaNotice, input: {
      statement: '涉案回扣系个别销售人员所为，公司已主动退还全部款项并开除相关人员',
      documents: [{ documentRef: 'TH-2026-001', description: '退款凭证' }, { documentRef: 'HR-2026-017', description: '解除劳动合同通知' }],
    } })).replyToCreditNotice;
    expect(replied.state).toBe('REPLIED');
    t.clock.advance(3_600_000); // a supplementary statement an hour later: statements read in the order filed
    await t.as('mfr-alpha').ok(REPLY_TO_NOTICE, { id: alphaNotice, input: { statement: '补充：合规整改报告', documents: [{ documentRef: 'HG-2026-003' }] } });

    // refusals write nothing
    const before = await t.sql(`SELECT (SELECT count(*) FROM credit_rating)::int AS r, (SELECT count(*) FROM audit_log WHERE action LIKE 'credit.%')::int AS a`);
    expect(await t.as('reg-zz').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'REDUCE', level: 'SERIOUS', reasons: '退还款项' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.level' });
    expect(await t.as('reg-zz').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'REDUCE', reasons: '退还款项' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.level' });
    expect(await t.as('reg-zz').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'UPHOLD', reasons: '   ' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.reasons' });
    expect((await t.as('reg-zz').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'DISMISS', reasons: 'x' } })).code).toBe('VALIDATION_FAILED');
    expect((await t.as('mfr-alpha').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'WITHDRAW', reasons: 'x' } })).code).toBe('FORBIDDEN');
    expect(await t.sql(`SELECT (SELECT count(*) FROM credit_rating)::int AS r, (SELECT count(*) FROM audit_log WHERE action LIKE 'credit.%')::int AS a`)).toEqual(before);
    expect((await t.as('mfr-alpha').ok<any>(RATING)).creditRating).toBeNull();

    t.clock.set('2026-03-06T15:00:00+08:00');
    const decided = (await t.as('reg-zz').ok<any>(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'REDUCE', level: 'MEDIUM', reasons: '企业主动退还违法所得并整改，依据评级规则降低一级' } })).decideCreditNotice;
    // 15 working days from Friday 6 March: 9–13, 16–20, 23–27 March → until 28 March 00:00
    expect(decided).toMatchObject({ state: 'DECIDED', decision: 'REDUCE', decidedLevel: 'MEDIUM' });
    expect(new Date(decided.appealDeadline).toISOString()).toBe('2026-03-27T16:00:00.000Z');
    const rating = (await t.as('mfr-alpha').ok<any>(RATING)).creditRating;
    expect(rating).toMatchObject({ level: 'MEDIUM', sanctions: { riskNotice: true, suspendProductsInvolved: false, publicDisclosure: false }, suspendedProductIds: [] });
    expect(await mayList(org['mfr-alpha'], product['atorva-10-alpha'])).toBe('OK');
    expect((await t.as('hosp-zz-1').ok<any>(`query($m: ID!) { creditRiskNotice(manufacturerId: $m) }`, { m: org['mfr-alpha'] })).creditRiskNotice).toContain('中等');
    const notice = (await t.as('mfr-alpha').ok<any>(NOTICE, { id: alphaNotice })).creditNotice;
    expect(notice.event).toMatchObject({ status: 'IN_EFFECT', levelCap: 'MEDIUM', points: 3 });
    expect(notice.statements.map((s: any) => [s.kind, s.documents.map((d: any) => d.documentRef)])).toEqual([['REPLY', ['TH-2026-001', 'HR-2026-017']], ['REPLY', ['HG-2026-003']]]);
    expect((await t.as('mfr-alpha').ok<any>(STANDING)).creditStanding).toMatchObject({ grade: 'C', points: 3, periods: [{ period: '2026', points: 3, events: 1 }] });
    // decided: no more replies, no second decision
    expect((await t.as('mfr-alpha').refused(REPLY_TO_NOTICE, { id: alphaNotice, input: { statement: '再补充' } })).code).toBe('INVALID_STATE');
    expect((await t.as('reg-henan').refused(DECIDE_NOTICE, { id: alphaNotice, input: { decision: 'UPHOLD', reasons: 'x' } })).code).toBe('INVALID_STATE');
  });

  it('appeal to the provincial regulator: a city regulator may not decide it; the province reduces further', async () => {
    t.clock.set('2026-03-16T10:00:00+08:00');
    const appealed = (await t.as('mfr-alpha').ok<any>(APPEAL, { id: alphaNotice, input: { statement: '退还款项后应评为一般', documents: [{ documentRef: 'SS-2026-001', description: '申诉书' }] } })).appealCreditDecision;
    expect(appealed.state).toBe('APPEALED');
    expect((await t.as('mfr-alpha').refused(APPEAL, { id: alphaNotice, input: { statement: 'again' } })).code).toBe('INVALID_STATE');
    expect((await t.as('reg-zz').refused(DECIDE_APPEAL, { id: alphaNotice, input: { decision: 'WITHDRAW', reasons: 'x' } })).code).toBe('FORBIDDEN');
    expect((await t.as('mfr-alpha').refused(DECIDE_APPEAL, { id: alphaNotice, input: { decision: 'WITHDRAW', reasons: 'x' } })).code).toBe('FORBIDDEN');
    // the decision stays in effect while the appeal is pending
    expect((await t.as('mfr-alpha').ok<any>(RATING)).creditRating.level).toBe('MEDIUM');
    expect(await t.as('reg-henan').refused(DECIDE_APPEAL, { id: alphaNotice, input: { decision: 'REDUCE', level: 'MEDIUM', reasons: 'x' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.level' });
    const decided = (await t.as('reg-henan').ok<any>(DECIDE_APPEAL, { id: alphaNotice, input: { decision: 'REDUCE', level: 'GENERAL', reasons: '申诉理由部分成立，改为一般失信' } })).decideCreditAppeal;
    expect(decided).toMatchObject({ state: 'APPEAL_DECIDED', appealDecision: 'REDUCE', appealLevel: 'GENERAL' });
    expect((await t.as('mfr-alpha').ok<any>(RATING)).creditRating).toMatchObject({ level: 'GENERAL', sanctions: { riskNotice: false } });
    expect((await t.as('mfr-alpha').ok<any>(STANDING)).creditStanding).toMatchObject({ grade: 'B', points: 1 });
    expect((await t.as('mfr-alpha').refused(APPEAL, { id: alphaNotice, input: { statement: 'again' } })).code).toBe('INVALID_STATE');

    // every step is audited, in order
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [alphaNotice]);
    expect(audit.map((a: any) => a.action)).toEqual(['credit.notice-issued', 'credit.notice-replied', 'credit.notice-replied', 'credit.notice-decided', 'credit.decision-appealed', 'credit.appeal-decided']);
  });

  it('the regulator who decided may not decide the appeal; a late reply is refused; a withdrawn notice never counts', async () => {
    // mfr-beta: a breach of contract decided by the provincial regulator itself; its appeal needs another provincial reviewer
    const beta = await recordInEffect(t, 'mfr-beta', { organisationId: org['mfr-beta'], behaviour: 'BREACH_OF_CONTRACT', occurredOn: '2026-03-10', evidence: '合同履约检查记录', productIds: [] });
    expect((await t.as('mfr-beta').ok<any>(RATING)).creditRating.level).toBe('GENERAL');
    await t.as('mfr-beta').ok(APPEAL, { id: beta.notice.id, input: { statement: '延迟交货系不可抗力' } });
    expect((await t.as('reg-henan').refused(DECIDE_APPEAL, { id: beta.notice.id, input: { decision: 'WITHDRAW', reasons: '不可抗力' } })).code).toBe('CREDIT_APPEAL_SAME_REVIEWER');
    // its good-credit reward is gone: grade B, decreases failing a check wait for a regulator again
    expect((await t.as('mfr-beta').ok<any>(STANDING)).creditStanding).toMatchObject({ grade: 'B', points: 1, rewards: { simplifiedPriceDecreaseReview: false } });
    expect((await t.as('mfr-beta').ok<any>(APPLY, { input: { productId: product['amlo-5-beta'], unitPrice: '1.1000', reason: '降价' } })).applyForListing).toMatchObject({ state: 'PENDING_REVIEW', reviewsRequired: 1 });

    // mfr-gamma lets the reply period pass; the regulator withdraws the notice: nothing is ever rated
    const gamma = (await t.as('reg-henan').ok<any>(RECORD_CREDIT_EVENT, { input: { organisationId: org['mfr-gamma'], behaviour: 'UNFAIR_PRICE', occurredOn: '2026-03-15', evidence: '价格监测线索', productIds: [] } })).recordCreditEvent;
    t.clock.set('2026-03-30T09:00:00+08:00');
    expect((await t.as('mfr-gamma').refused(REPLY_TO_NOTICE, { id: gamma.notice.id, input: { statement: '迟到的陈述' } })).code).toBe('CREDIT_REPLY_PERIOD_ENDED');
    const withdrawn = (await t.as('reg-zz').ok<any>(DECIDE_NOTICE, { id: gamma.notice.id, input: { decision: 'WITHDRAW', reasons: '线索核查不实' } })).decideCreditNotice;
    expect(withdrawn).toMatchObject({ state: 'DECIDED', decision: 'WITHDRAW', decidedLevel: 'NONE', appealDeadline: null });
    expect((await t.as('mfr-gamma').ok<any>(RATING)).creditRating).toBeNull();
    expect((await t.as('mfr-gamma').ok<any>(NOTICE, { id: gamma.notice.id })).creditNotice.event).toMatchObject({ status: 'WITHDRAWN', points: 0 });
    expect((await t.as('mfr-gamma').refused(APPEAL, { id: gamma.notice.id, input: { statement: 'x' } })).code).toBe('INVALID_STATE');
    // the appeal period of alpha's first decision has passed meanwhile
    expect((await t.as('reg-henan').ok<any>(NOTICES, { state: 'APPEALED' })).creditNotices.map((n: any) => n.id)).toEqual([beta.notice.id]);
  });

  it('joint punishment entries for other agencies: listed and exported as CSV and XLSX, audited; regulators only', async () => {
    await recordInEffect(t, 'dist-zy', { organisationId: org['dist-zy'], behaviour: 'DISTURBING_PROCUREMENT_ORDER', occurredOn: '2026-03-20', evidence: '串通投标，豫医保罚〔2026〕3号', productIds: [] });
    const entries = (await t.as('reg-henan').ok<any>(`{ creditJointPunishmentEntries { organisationId organisationName creditCode level behaviours measures appealPending } }`)).creditJointPunishmentEntries;
    expect(entries).toEqual([expect.objectContaining({ organisationId: org['dist-zy'], organisationName: '河南中原医药物流有限公司', level: 'SERIOUS', behaviours: '扰乱集中采购秩序', measures: expect.stringContaining('公开披露'), appealPending: false })]);
    const EXPORT = `query($f: String!) { exportCreditJointPunishment(format: $f) { filename contentType base64 } }`;
    const csv = (await t.as('reg-henan').ok<any>(EXPORT, { f: 'CSV' })).exportCreditJointPunishment;
    expect(csv.filename).toBe('credit-joint-punishment-2026-03-30.csv');
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFF统一社会信用代码,企业名称,信用评级,失信行为,惩戒措施,暂停产品数,评定时间,评价政策版本,申诉复核中');
    expect(lines[1]).toContain(`${entries[0].creditCode},河南中原医药物流有限公司,严重,扰乱集中采购秩序`);
    const xlsx = (await t.as('reg-henan').ok<any>(EXPORT, { f: 'XLSX' })).exportCreditJointPunishment;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.base64, 'base64') as any);
    expect(book.getWorksheet('失信联合惩戒名单')!.rowCount).toBe(2);
    expect((await t.as('reg-henan').refused(EXPORT, { f: 'PDF' })).field).toBe('format');
    expect((await t.as('hosp-zz-1').refused(EXPORT, { f: 'CSV' })).code).toBe('FORBIDDEN');
    expect((await t.as('dist-zy').refused(`{ creditJointPunishmentEntries { organisationId } }`)).code).toBe('FORBIDDEN');
    expect((await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'credit.joint-punishment-exported'`))[0].n).toBe(2);
  });
});
