import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { createDatabaseFromTemplate, TestApp, testConfig } from '@libs/testing';
import { AppModule } from '../src/app.module';
import { FakeClock } from '../src/platform/clock/clock';
import { AppError } from '../src/platform/errors/app-error';
import { CREDIT_CHECKS, CreditChecks } from '../src/platform/ports/context-ports';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, TIMES, orgId, productId, threeLotRoundInput } from './tendering-fixtures';

jest.setTimeout(60_000);

/** A stand-in for the credit context (built on its own branch), recording what tendering asks of it. */
const calls: { assertMayBid: [string, string[]][]; recordEvent: Record<string, unknown>[] } = { assertMayBid: [], recordEvent: [] };
let sanctioned = '';
const fakeCredit: Partial<CreditChecks> = {
  async assertMayBid(_em, manufacturerId, productIds) {
    calls.assertMayBid.push([manufacturerId, productIds]);
    if (manufacturerId === sanctioned) throw new AppError('CREDIT_SANCTIONED', 'Bidding is suspended by a credit sanction');
  },
  async recordEvent(_em, _ctx, input) {
    calls.recordEvent.push(input);
    return { eventId: '00000000-0000-4000-8000-000000000001' };
  },
};

@Global()
@Module({ providers: [{ provide: CREDIT_CHECKS, useValue: fakeCredit }], exports: [CREDIT_CHECKS] })
class FakeCreditModule {}

describe('tendering with the credit port: bidding eligibility and supply-failure credit events', () => {
  let t: TestApp;
  let roundId: string;
  let lots: { id: string }[];

  beforeAll(async () => {
    const { name, url } = await createDatabaseFromTemplate(true);
    const config = testConfig({ databaseUrl: url });
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    @Module({ imports: [AppModule.forRoot({ config, clock }), FakeCreditModule] })
    class RootWithCredit {}
    const app = await NestFactory.create(RootWithCredit, { logger: false });
    await app.init();
    t = new TestApp(app, clock, app.get(DataSource), config, name, url);
    sanctioned = await orgId(t, 'mfr-orig-a');

    const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input: await threeLotRoundInput(t) })).createRound;
    roundId = created.id;
    lots = created.lots;
    await t.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId });
    for (const hospital of ['hosp-zz-1', 'hosp-ly-1', 'hosp-ny-1']) await t.as(hospital).ok(REPORT_DEMAND, { input: { lotId: lots[0].id, quantity: 40_000 } });
    t.clock.set(TIMES.demandDeadline);
    await t.jobs.runNow('tendering.tick');
  });
  afterAll(() => t.close());

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
    expect(calls.assertMayBid).toContainEqual([await orgId(t, 'mfr-alpha'), [await productId(t, 'atorva-10-alpha')]]);
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
    expect(verified).toEqual({ state: 'VERIFIED', creditEventId: '00000000-0000-4000-8000-000000000001' });
    expect(calls.recordEvent).toEqual([
      expect.objectContaining({ organisationId: agreement.manufacturer_id, behaviour: 'BREACH_OF_SUPPLY', source: 'SUPPLY_FAILURE', occurredOn: '2026-06-01', productIds: [agreement.product_id], amountFen: null }),
    ]);
    // a regulator of another city cannot verify it
    expect((await t.as('reg-ly').refused(`mutation($id: ID!) { verifySupplyFailure(id: $id) { state } }`, { id: failure.id })).code).toBe('NOT_FOUND');
  });
});
