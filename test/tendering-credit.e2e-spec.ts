import { startTestApp, TestApp } from '@test/harness';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, TIMES, orgId, productId, threeLotRoundInput, fileCommitmentLetters } from './tendering-fixtures';
import { CREDIT_CHECKS, CreditChecks } from '../src/platform/ports/context-ports';
import { DECIDE_NOTICE, RECORD_CREDIT_EVENT, REPLY_TO_NOTICE } from './support/credit-process';

jest.setTimeout(60_000);

describe('tendering with the credit context: bidding eligibility and supply-failure credit events', () => {
  let t: TestApp;
  let roundId: string;
  let lots: { id: string }[];
  let noticeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await fileCommitmentLetters(t);
    // a serious kickback (≥ 300,000 yuan) suspends bidding on the products involved — once decided (due process)
    noticeId = (await t.as('reg-henan').ok(RECORD_CREDIT_EVENT, {
      input: { organisationId: await orgId(t, 'mfr-orig-a'), behaviour: 'KICKBACK', amount: '350000.00', occurredOn: '2026-02-01', evidence: '法院判决书（2026）豫01刑初1号', productIds: [await productId(t, 'atorva-10-origa')] },
    })).recordCreditEvent.notice.id;

    const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input: await threeLotRoundInput(t) })).createRound;
    roundId = created.id;
    lots = created.lots;
    await t.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId });
    for (const hospital of ['hosp-zz-1', 'hosp-ly-1', 'hosp-ny-1']) await t.as(hospital).ok(REPORT_DEMAND, { input: { lotId: lots[0].id, quantity: 40_000 } });
    t.clock.set(TIMES.demandDeadline);
    await t.jobs.runNow('tendering.tick');
  });
  afterAll(() => t.close());

  it('a rating under notice is not in effect: no sanction in tendering before the regulator decides', async () => {
    const [manufacturer, product] = [await orgId(t, 'mfr-orig-a'), await productId(t, 'atorva-10-origa')];
    const mayBid = () => t.dataSource.transaction((em) => t.app.get<symbol, CreditChecks>(CREDIT_CHECKS).assertMayBid(em, manufacturer, [product]));
    await expect(mayBid()).resolves.toBeUndefined();
    expect(await t.sql(`SELECT count(*)::int AS n FROM credit_rating`)).toEqual([{ n: 0 }]);
    // the manufacturer let its reply period (5 working days) pass without a statement; the regulator upholds, and
    // from that commit the sanction applies
    expect((await t.as('mfr-orig-a').refused(REPLY_TO_NOTICE, { id: noticeId, input: { statement: '迟到的申辩' } })).code).toBe('CREDIT_REPLY_PERIOD_ENDED');
    const decided = (await t.as('reg-henan').ok(DECIDE_NOTICE, { id: noticeId, input: { decision: 'UPHOLD', reasons: '判决书认定事实清楚，企业逾期未陈述申辩' } })).decideCreditNotice;
    expect(decided).toMatchObject({ state: 'DECIDED', decision: 'UPHOLD', decidedLevel: 'SERIOUS' });
    await expect(mayBid()).rejects.toMatchObject({ extensions: { code: 'CREDIT_SANCTIONED' } });
  });

  it('asks the credit context before accepting a bid; a sanctioned manufacturer is refused and nothing is written', async () => {
    const refused = await t.as('mfr-orig-a').refused(SUBMIT_BID, { input: { lotId: lots[0].id, productId: await productId(t, 'atorva-10-origa'), unitPrice: '1.0000', supplyCapacity: 100 } });
    expect(refused.code).toBe('CREDIT_SANCTIONED');
    expect(await t.sql(`SELECT id FROM tender_bid WHERE round_id = $1`, [roundId])).toEqual([]);
    for (const [mfr, product, unitPrice, regions] of [
      ['mfr-alpha', 'atorva-10-alpha', '0.3000', ['410100']],
      ['mfr-epsilon', 'atorva-20-epsilon', '0.5100', ['410300']],
      ['mfr-eta', 'atorva-20-eta', '0.6800', ['411300']],
    ] as const) {
      await t.as(mfr).ok(SUBMIT_BID, { input: { lotId: lots[0].id, productId: await productId(t, product), unitPrice, supplyCapacity: 1_000_000, regionPreferences: regions } });
    }
  });

  it('a verified supply failure becomes a BREACH_OF_SUPPLY credit event of the failing winner', async () => {
    t.clock.set(TIMES.bidDeadline);
    await t.as('reg-henan').ok(OPEN_ROUND, { id: roundId });
    const publicized = (await t.as('reg-henan').ok(`mutation($id: ID!) { publicizeRound(id: $id) { publicityEndsAt } }`, { id: roundId })).publicizeRound;
    t.clock.set(publicized.publicityEndsAt);
    await t.as('reg-henan').ok(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: roundId });
    const hospital = await orgId(t, 'hosp-zz-1');
    const [agreement] = await t.sql(`SELECT * FROM volume_agreement WHERE hospital_id = $1 AND round_id = $2`, [hospital, roundId]);
    expect(agreement.backup_bid_id).toBeTruthy();
    t.clock.set('2026-06-01T10:00:00+08:00');
    const failure = (await t.as('hosp-zz-1').ok(`mutation($i: ReportSupplyFailureInput!) { reportSupplyFailure(input: $i) { id } }`, { i: { agreementId: agreement.id, description: '五月起停止配送' } })).reportSupplyFailure;
    const verified = (await t.as('reg-zz').ok(`mutation($id: ID!) { verifySupplyFailure(id: $id) { state creditEventId } }`, { id: failure.id })).verifySupplyFailure;
    expect(verified.state).toBe('VERIFIED');
    const events = await t.sql(`SELECT organisation_id, behaviour, source, occurred_on::text AS occurred_on FROM credit_event WHERE id = $1`, [verified.creditEventId]);
    expect(events).toEqual([{ organisation_id: agreement.manufacturer_id, behaviour: 'BREACH_OF_SUPPLY', source: 'SUPPLY_FAILURE', occurred_on: '2026-06-01' }]);
    // a regulator of another city cannot verify it
    expect((await t.as('reg-ly').refused(`mutation($id: ID!) { verifySupplyFailure(id: $id) { state } }`, { id: failure.id })).code).toBe('NOT_FOUND');
  });
});
