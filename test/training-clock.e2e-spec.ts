import { startTestApp, TestApp } from '@test/harness';
import { DemoHistoryService } from '../src/catalog/demo/demo-history.service';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { Clock, FakeClock } from '../src/platform/clock/clock';
import { loadConfig } from '../src/platform/config/app-config';

/**
 * The demo with history, seeded through the real services under the platform clock, and the training
 * clock: the admin takes the demo's bidding round through opening, publicity and confirmation to volume
 * agreements over GraphQL, moving the platform clock with advancePlatformClock (the test's own clock never moves).
 */
jest.setTimeout(300_000);

const ROUNDS = `query($state: RoundState) { rounds(state: $state, first: 50) { totalCount nodes { id name state bidDeadline publicityEndsAt publicityDays } } }`;
const ADVANCE = `mutation($s: Int!) { advancePlatformClock(seconds: $s) }`;
const TIME = `{ platformTime }`;

describe('training clock and the demo with history', () => {
  let t: TestApp;
  let seededMs = 0;

  beforeAll(async () => {
    t = await startTestApp({ config: { clockControl: true } });
    const started = Date.now();
    const report = await t.app.get(DemoHistoryService).ensure();
    seededMs = Date.now() - started;
    // a figure worth seeing in the run's output
    process.stdout.write(`demo history seeded in ${seededMs} ms: ${JSON.stringify(report)}\n`);
  });
  afterAll(() => t.close());

  it('seeds once: a second run finds the marker and does nothing', async () => {
    const before = (await t.sql(`SELECT count(*)::int AS n FROM audit_log`))[0].n;
    expect(await t.app.get(DemoHistoryService).ensure()).toBeNull();
    expect((await t.sql(`SELECT count(*)::int AS n FROM audit_log`))[0].n).toBe(before);
    const [marker] = await t.sql(`SELECT value FROM platform_setting WHERE key = 'demo.history'`);
    expect(marker.value).toMatchObject({ state: 'DONE', anchor: '2026-03-02' });
  });

  it('every role’s first queries return data', async () => {
    const count = async (user: string, query: string, path: string) => {
      const data = await t.as(user).ok(query);
      return path.split('.').reduce((v: any, k) => v?.[k], data);
    };
    // regulators: rounds in every state, agreements, alerts with cases, listings and applications, reference prices
    const rounds = (await t.as('reg-henan').ok(ROUNDS)).rounds.nodes.map((r: any) => r.state).sort();
    expect(rounds).toEqual(['BIDDING', 'DEMAND_REPORTING', 'IN_EFFECT', 'IN_EFFECT']);
    expect(await count('reg-henan', `{ volumeAgreements { totalCount } }`, 'volumeAgreements.totalCount')).toBeGreaterThan(20);
    // every page: the worked cases need not be among the oldest hundred alerts
    const alerts = { totalCount: 0, nodes: [] as { state: string }[] };
    for (let after: string | null = null, more = true; more; ) {
      const page: any = (await t.as('reg-henan').ok(`query($after: String) { alerts(first: 100, after: $after) { totalCount nodes { state } pageInfo { hasNextPage endCursor } } }`, { after })).alerts;
      alerts.totalCount = page.totalCount;
      alerts.nodes.push(...page.nodes);
      ({ hasNextPage: more, endCursor: after } = page.pageInfo);
    }
    expect(alerts.totalCount).toBeGreaterThan(3);
    expect(new Set(alerts.nodes.map((a: any) => a.state)).size).toBeGreaterThanOrEqual(3);
    expect(await count('reg-henan', `{ listings(state: LISTED) { totalCount } }`, 'listings.totalCount')).toBeGreaterThan(5);
    expect(await count('reg-henan', `{ listings(state: SUSPENDED) { totalCount } }`, 'listings.totalCount')).toBeGreaterThan(0);
    expect(await count('reg-henan', `{ listingApplications(state: PENDING_REVIEW) { totalCount } }`, 'listingApplications.totalCount')).toBe(1);
    expect(await count('reg-henan', `{ referencePrices { totalCount } }`, 'referencePrices.totalCount')).toBe(12);
    expect(await count('reg-henan', `{ creditDisclosures { organisationId } }`, 'creditDisclosures.length')).toBeGreaterThan(0);
    expect((await t.as('reg-henan').ok(`query($id: ID) { creditRepairs(organisationId: $id) { state } }`, { id: (await t.sql(`SELECT id FROM organisation WHERE external_key = 'mfr-theta'`))[0].id })).creditRepairs).toEqual([{ state: 'APPROVED' }]);
    // hospitals: rounds to report demand in, agreements, orders in several states, prepayments
    expect(await count('hosp-zz-1', `{ rounds { totalCount } }`, 'rounds.totalCount')).toBe(4);
    expect(await count('hosp-zz-1', `{ volumeAgreements { totalCount } }`, 'volumeAgreements.totalCount')).toBeGreaterThan(2);
    const hospitalOrders = (await t.as('hosp-zz-1').ok(`{ orders(first: 100) { totalCount nodes { state } } }`)).orders;
    expect(hospitalOrders.totalCount).toBeGreaterThan(10);
    expect(await count('hosp-zz-1', `{ prepayments { totalCount } }`, 'prepayments.totalCount')).toBeGreaterThan(0);
    // manufacturers: the bidding round, their agreements, listings, receivables paid
    expect(await count('mfr-alpha', `{ rounds(state: BIDDING) { totalCount } }`, 'rounds.totalCount')).toBe(1);
    expect(await count('mfr-alpha', `{ volumeAgreements { totalCount } }`, 'volumeAgreements.totalCount')).toBeGreaterThan(0);
    expect(await count('mfr-alpha', `{ listings { totalCount } }`, 'listings.totalCount')).toBeGreaterThan(0);
    expect(await count('mfr-alpha', `{ paymentInstructions { totalCount } }`, 'paymentInstructions.totalCount')).toBeGreaterThan(0);
    // distributors: orders to confirm and to ship today
    const waiting = await t.sql(`SELECT state, count(*)::int AS n FROM purchase_order GROUP BY state`);
    const states = Object.fromEntries(waiting.map((w: any) => [w.state, w.n]));
    expect(states.SUBMITTED).toBeGreaterThan(0);
    expect(states.CONFIRMED).toBeGreaterThan(0);
    expect(states.REJECTED).toBeGreaterThan(0);
    expect(await count('dist-zy', `{ orders(filter: { state: SUBMITTED }) { totalCount } }`, 'orders.totalCount')).toBeGreaterThan(0);
    expect(await count('dist-zy', `{ distributorAppointments { id } }`, 'distributorAppointments.length')).toBeGreaterThan(0);
    // settlement office: batches with bank results, accounts, and invoiced lines still to settle
    expect(await count('settle-henan', `{ settlementBatches { totalCount } }`, 'settlementBatches.totalCount')).toBeGreaterThan(3);
    expect(await count('settle-henan', `{ ledgerAccounts { totalCount } }`, 'ledgerAccounts.totalCount')).toBeGreaterThan(5);
    const instructionStates = await t.sql(`SELECT DISTINCT state FROM payment_instruction ORDER BY state`);
    expect(instructionStates.map((s: any) => s.state)).toEqual(expect.arrayContaining(['PAID', 'FAILED']));
    const [unsettled] = await t.sql(`SELECT count(*)::int AS n FROM v_settleable_line l WHERE l.invoiced AND NOT EXISTS (SELECT 1 FROM settled_line s WHERE s.line_id = l.line_id)`);
    expect(unsettled.n).toBeGreaterThan(0);
    // everyone: public results of both kinds
    const publicRounds = (await t.anonymous.ok(`{ publicRoundResults { id name } }`)).publicRoundResults;
    expect(publicRounds).toHaveLength(2);
    // the history is a year long and a few hundred order lines
    const [{ lines, first }] = await t.sql(`SELECT count(*)::int AS lines, min(ordered_at) AS first FROM order_line`);
    expect(lines).toBeGreaterThan(200);
    expect(new Date(first).getTime()).toBeLessThan(new Date('2025-05-01T00:00:00+08:00').getTime());
    const chain = (await t.admin.ok(`{ verifyAuditChain { ok } }`)).verifyAuditChain;
    expect(chain.ok).toBe(true);
  });

  it('refuses bad jumps with the field at fault, and non-admins', async () => {
    expect(await t.admin.refused(ADVANCE, { s: 0 })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'seconds' });
    expect(await t.admin.refused(ADVANCE, { s: -3600 })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'seconds' });
    expect(await t.admin.refused(ADVANCE, { s: 367 * 86_400 })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'seconds' });
    expect((await t.as('reg-henan').refused(ADVANCE, { s: 60 })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-henan').refused(TIME)).code).toBe('FORBIDDEN');
    expect(new Date((await t.admin.ok(TIME)).platformTime).getTime()).toBe(t.clock.now().getTime());
  });

  it('the admin takes the bidding round through opening, publicity and confirmation to agreements, without waiting for real days', async () => {
    const admin = t.admin;
    const [round] = (await admin.ok(ROUNDS, { state: 'BIDDING' })).rounds.nodes;
    expect(round.name).toContain('第二批');
    // opening before the deadline is refused: the platform clock has not moved
    expect((await admin.refused(`mutation($id: ID!) { openRound(id: $id) { roundId } }`, { id: round.id })).code).toBe('DEADLINE_NOT_REACHED');

    // jump past the bid deadline: the scheduler's sweep opens the round before the mutation returns
    const before = new Date((await admin.ok(TIME)).platformTime).getTime();
    const jump = Math.ceil((new Date(round.bidDeadline).getTime() - before) / 1000) + 60;
    const after = new Date((await admin.ok(ADVANCE, { s: jump })).advancePlatformClock).getTime();
    expect(after - before).toBeGreaterThanOrEqual(jump * 1000);
    expect((await admin.ok(`query($id: ID!) { round(id: $id) { state } }`, { id: round.id })).round.state).toBe('OPENED');
    const opened = (await admin.ok(`mutation($id: ID!) { openRound(id: $id) { lots { status winnerCount } } }`, { id: round.id })).openRound;
    expect(opened.lots.every((l: any) => l.status === 'AWARDED' && l.winnerCount > 0)).toBe(true);

    // publicity for the round's days, then confirmation creates the agreements
    const publicized = (await admin.ok(`mutation($id: ID!) { publicizeRound(id: $id) { state publicityEndsAt } }`, { id: round.id })).publicizeRound;
    expect(publicized.state).toBe('PUBLICIZED');
    expect((await admin.refused(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: round.id })).code).toBe('PUBLICITY_NOT_ENDED');
    const now = new Date((await admin.ok(TIME)).platformTime).getTime();
    await admin.ok(ADVANCE, { s: Math.ceil((new Date(publicized.publicityEndsAt).getTime() - now) / 1000) });
    expect((await admin.ok(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: round.id })).confirmRound.state).toBe('CONFIRMED');
    const agreements = (await admin.ok(`query($r: ID!) { volumeAgreements(roundId: $r) { totalCount } }`, { r: round.id })).volumeAgreements;
    expect(agreements.totalCount).toBeGreaterThan(0);
    // hospitals see them at once
    expect((await t.as('hosp-zz-1').ok(`query($r: ID!) { volumeAgreements(roundId: $r) { totalCount } }`, { r: round.id })).volumeAgreements.totalCount).toBeGreaterThan(0);

    // audited, stored for restarts and other replicas
    const audit = await t.sql(`SELECT action, data FROM audit_log WHERE action LIKE 'platform.clock%' ORDER BY seq`);
    expect(audit.filter((a: any) => a.action === 'platform.clock_advanced').map((a: any) => a.data.seconds)).toHaveLength(2);
    const [stored] = await t.sql(`SELECT value FROM platform_setting WHERE key = 'clock.offset'`);
    expect(Number(stored.value.offsetMs)).toBe(new Date((await admin.ok(TIME)).platformTime).getTime() - t.clock.now().getTime());

    // another replica (or a restart) on the same database stands at the same platform time
    const replica = await NestFactory.create(AppModule.forRoot({ config: t.config, clock: new FakeClock(t.clock.now()) }), { logger: false });
    await replica.init();
    try {
      expect(replica.get(Clock).now().getTime()).toBe(new Date((await admin.ok(TIME)).platformTime).getTime());
    } finally {
      await replica.close();
    }
  });
});

describe('training clock outside training mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
  });
  afterAll(() => t.close());

  it('refuses both operations with CLOCK_CONTROL_DISABLED and writes nothing', async () => {
    expect((await t.admin.refused(`mutation { advancePlatformClock(seconds: 60) }`)).code).toBe('CLOCK_CONTROL_DISABLED');
    expect((await t.admin.refused(`{ platformTime }`)).code).toBe('CLOCK_CONTROL_DISABLED');
    expect((await t.sql(`SELECT count(*)::int AS n FROM platform_setting`))[0].n).toBe(0);
  });

  it('refuses CLOCK_CONTROL=true in production at start, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CLOCK_CONTROL: 'true', JWT_SECRET: 'x'.repeat(40), ADMIN_PASSWORD: 'Admin#2026!', BID_SEALING_KEY: Buffer.alloc(32, 1).toString('base64'), AUDIT_SIGNING_KEY: Buffer.alloc(32, 2).toString('base64') })).toThrow(/CLOCK_CONTROL.*production/);
  });
});
