import request from 'supertest';
import jwt from 'jsonwebtoken';
import nodeCrypto from 'crypto';
import { startTestApp, TestApp } from '@test/harness';
import { DEMO_PASSWORD } from '../src/catalog/demo/demo-data';
import { fragmentBomb } from '../src/platform/graphql/query-limits.fixtures';
import { addTestListing, demoIds } from './support/test-supply';

/**
 * Issue #14 (items 1, 3, 5): holes an outside probe found — a fragment bomb, impossible instants, expired
 * batches, login answers that told real names from unknown ones, lockouts anyone could trigger, refresh
 * tokens whose reuse went unnoticed, tokens that never expired, 2,000-line orders, lone surrogates.
 */
describe('hardening: query limits, strict instants, logins and tokens, input text', () => {
  let t: TestApp;
  let ids: Awaited<ReturnType<typeof demoIds>>;

  beforeAll(async () => {
    t = await startTestApp();
    ids = await demoIds(t);
    // as in main.ts: the client address comes from X-Forwarded-For only when a local proxy sends it
    t.app.getHttpAdapter().getInstance().set('trust proxy', 'loopback');
  });
  afterAll(() => t.close());

  /** A login from a given source address (X-Forwarded-For through the trusted local proxy). */
  async function loginFrom(source: string, username: string, password: string) {
    const res = await request(t.http)
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set('X-Forwarded-For', source)
      .send({ query: `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken refreshToken } }`, variables: { u: username, p: password } });
    return { status: res.status, data: res.body.data?.login ?? null, code: res.body.errors?.[0]?.extensions?.code as string | undefined, error: res.body.errors?.[0] };
  }

  describe('fragment bombs and oversized documents (item 1)', () => {
    it('refuses the 30-level fragment bomb from an anonymous caller, with a coded error', async () => {
      const document = fragmentBomb(30);
      expect(document.length).toBeLessThan(2_000);
      // the analysis walks each fragment once (src/platform/graphql/query-limits.spec.ts counts it)
      const res = await t.anonymous.gql(document);
      expect(res.status).toBe(400);
      expect(res.errors?.map((e) => e.extensions?.code)).toContain('QUERY_TOO_COSTLY');
      // the server is still answering
      expect((await t.anonymous.ok<{ __typename: string }>(`{ __typename }`)).__typename).toBe('Query');
    });

    it('stops reading a document past 10,000 tokens, before any validation', async () => {
      const huge = `{ ${'a '.repeat(10_001)}}`; // 20 kB, within the HTTP body limit
      const res = await t.anonymous.gql(huge);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.errors?.[0].message).toMatch(/10000 tokens/);
    });
  });

  describe('strict instants and business dates (item 3)', () => {
    const APPOINT = `mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id startsAt } }`;

    it('refuses impossible or implausible DateTime values with VALIDATION_FAILED naming the field', async () => {
      for (const startsAt of ['2026-02-30T00:00:00+08:00', '0000-01-01T00:00:00Z', '2026-03-01T09:00:00', '2026-03-01T24:00:00+08:00', '2100-01-01T00:00:00Z']) {
        const refusal = await t.as('mfr-beta').refused(APPOINT, { input: { distributorId: ids.org('dist-zy'), regionCode: '410300', startsAt } });
        expect({ startsAt, code: refusal.code, field: refusal.field }).toEqual({ startsAt, code: 'VALIDATION_FAILED', field: 'input.startsAt' });
      }
      // written inline in the document rather than as a variable
      const inline = await t.as('reg-henan').refused(`{ payableAgeing(asOf: "2026-02-30T00:00:00+08:00") { hospitalId } }`);
      expect(inline.code).toBe('VALIDATION_FAILED');
      expect(inline.field).toBe('asOf');
      const variable = await t.as('reg-henan').refused(`query($at: DateTime) { payableAgeing(asOf: $at) { hospitalId } }`, { at: '0000-01-01T00:00:00Z' });
      expect(variable).toMatchObject({ code: 'VALIDATION_FAILED', field: 'at' });
    });

    it('refuses business dates before the platform epoch and date-only values that are not calendar days', async () => {
      const early = await t.as('mfr-beta').refused(APPOINT, { input: { distributorId: ids.org('dist-zy'), regionCode: '410300', startsAt: '2017-12-31T23:59:59+08:00' } });
      expect(early).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.startsAt' });
      expect(early.message).toMatch(/2018-01-01/);
      const backwards = await t.as('mfr-beta').refused(APPOINT, {
        input: { distributorId: ids.org('dist-zy'), regionCode: '410300', startsAt: '2026-06-01T00:00:00+08:00', endsAt: '2026-05-01T00:00:00+08:00' },
      });
      expect(backwards).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.endsAt' });
      const period = await t.as('settle-henan').refused(
        `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id } }`,
        { input: { regionCode: '410000', periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-02-01T00:00:00+08:00', idempotencyKey: 'hardening-period-1' } },
      );
      expect(period).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.periodEnd' });
      const month = await t.as('reg-henan').refused(`query($input: DashboardInput!) { exportSupervisionDashboard(format: "csv", input: $input) { filename } }`, {
        input: { fromMonth: '1999-01', toMonth: '2026-02' },
      });
      expect(month).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.fromMonth' });
    });

    it('does not ship a batch that has expired, and says which line', async () => {
      const omep = ids.product('omep-20-alpha');
      await addTestListing(t, { productId: omep, manufacturerId: ids.manufacturerOf('omep-20-alpha'), unitPrice: '0.5000', from: '2026-01-01T00:00:00+08:00' });
      await t.as('mfr-alpha').ok(APPOINT, { input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' } });
      const placed = await t.as('hosp-zz-1').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id } } }`, {
        input: { idempotencyKey: 'hardening-ship-1', lines: [{ productId: omep, quantity: 10 }] },
      });
      const order = placed.placeOrder;
      await t.as('dist-zy').ok(`mutation($id: ID!) { confirmOrder(orderId: $id) { id } }`, { id: order.id });
      const SHIP = `mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { expiresOn } } }`;
      const line = (expiresOn: string) => ({ orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 10, batchNumber: 'B2026', expiresOn }] });
      // the probe's batch from 1900: not even a plausible business date
      expect(await t.as('dist-zy').refused(SHIP, { input: line('1900-01-01') })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.lines[0].expiresOn' });
      expect(await t.as('dist-zy').refused(SHIP, { input: line('2026-02-30') })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.lines[0].expiresOn' });
      // expired yesterday, or expiring on the day of shipping (the test clock reads 2026-03-02 Shanghai)
      for (const expiresOn of ['2026-03-01', '2026-03-02']) {
        expect(await t.as('dist-zy').refused(SHIP, { input: line(expiresOn) })).toMatchObject({ code: 'BATCH_EXPIRED', field: 'input.lines[0].expiresOn' });
      }
      const shipped = await t.as('dist-zy').ok<any>(SHIP, { input: line('2028-03-01') });
      expect(shipped.shipOrder.lines).toEqual([{ expiresOn: '2028-03-01' }]);
    });
  });

  describe('logins that reveal nothing and lock nobody out (item 5)', () => {
    it('answers the same for a real and an unknown username, throttles both alike, and lifts the lock with time', async () => {
      const attacker = '198.51.100.23';
      const real: (string | undefined)[] = [];
      const unknown: (string | undefined)[] = [];
      for (let i = 0; i < 6; i++) {
        real.push((await loginFrom(attacker, 'hosp-zz-3', `Guess#${i}x`)).code);
        unknown.push((await loginFrom(attacker, 'no-such-user-3', `Guess#${i}x`)).code);
      }
      expect(real).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
      expect(unknown).toEqual(real);
      const lockedReal = await loginFrom(attacker, 'hosp-zz-3', DEMO_PASSWORD);
      const lockedUnknown = await loginFrom(attacker, 'no-such-user-3', DEMO_PASSWORD);
      expect(lockedReal.code).toBe('ACCOUNT_LOCKED');
      expect(Object.keys(lockedReal.error.extensions).sort()).toEqual(Object.keys(lockedUnknown.error.extensions).sort());
      expect(lockedReal.error.message).toBe(lockedUnknown.error.message);

      // the owner, from their own network, is not locked out by the stranger
      const owner = await loginFrom('203.0.113.10', 'hosp-zz-3', DEMO_PASSWORD);
      expect(owner.code).toBeUndefined();
      expect(owner.data.accessToken).toBeTruthy();

      // and the stranger's lock ends by itself
      t.clock.advance(16 * 60_000);
      expect((await loginFrom(attacker, 'hosp-zz-3', 'Guess#again1')).code).toBe('INVALID_CREDENTIALS');
      expect((await loginFrom(attacker, 'hosp-zz-3', DEMO_PASSWORD)).data?.accessToken).toBeTruthy();

      // a day later the daily job forgets the unknown name's row (the real one was cleared by the login)
      expect(Number((await t.sql(`SELECT count(*)::int AS n FROM login_throttle`))[0].n)).toBeGreaterThan(0);
      t.clock.advance(25 * 3600_000);
      await t.jobs.runNow('auth.prune-login-throttle');
      expect(Number((await t.sql(`SELECT count(*)::int AS n FROM login_throttle`))[0].n)).toBe(0);
    });

    it('runs the key derivation for unknown usernames too, with the parameters of a real hash', async () => {
      // counted, not timed: a skipped derivation would answer unknown names several times faster
      const derive = jest.spyOn(nodeCrypto, 'scrypt');
      const derivations = async (username: string, source: string) => {
        derive.mockClear();
        await loginFrom(source, username, 'Wrong#pass1');
        return derive.mock.calls.map((call) => call[3]);
      };
      try {
        const known = await derivations('hosp-zz-4', '192.0.2.10');
        expect(known).toEqual([expect.objectContaining({ N: 16384, r: 8, p: 1 })]);
        expect(await derivations('nobody-0', '192.0.2.20')).toEqual(known);
      } finally {
        derive.mockRestore();
      }
    });

    it('revokes every later token of a family when a spent refresh token comes back', async () => {
      const REFRESH = `mutation($r: String!) { refreshAccessToken(refreshToken: $r) { accessToken refreshToken } }`;
      const login = await loginFrom('203.0.113.20', 'mfr-gamma', DEMO_PASSWORD);
      const r1 = login.data.refreshToken;
      const r2 = (await t.anonymous.ok<any>(REFRESH, { r: r1 })).refreshAccessToken.refreshToken;
      const r3 = (await t.anonymous.ok<any>(REFRESH, { r: r2 })).refreshAccessToken.refreshToken;
      // a thief replays r1: refused with its own code, and the family's live token (r3) dies with it
      expect(await t.anonymous.refused(REFRESH, { r: r1 })).toMatchObject({ code: 'REFRESH_TOKEN_REUSED', field: 'refreshToken' });
      expect(await t.anonymous.refused(REFRESH, { r: r3 })).toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
      expect(await t.anonymous.refused(REFRESH, { r: r2 })).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
      // other logins of the same user are other families, untouched
      const other = await loginFrom('203.0.113.21', 'mfr-gamma', DEMO_PASSWORD);
      expect((await t.anonymous.ok<any>(REFRESH, { r: other.data.refreshToken })).refreshAccessToken.accessToken).toBeTruthy();
      const audit = await t.sql(`SELECT action FROM audit_log WHERE action = 'user.refresh_token_reused'`);
      expect(audit.length).toBe(2);
    });

    it('refuses correctly signed tokens without exp, with a lifetime beyond the TTL, or with another algorithm', async () => {
      const me = await t.as('reg-henan').ok<any>(`{ me { id organisationId } }`);
      const valid = await t.as('reg-henan').accessToken();
      const claims = jwt.decode(valid!) as Record<string, unknown>;
      const { exp: _exp, ...noExp } = claims;
      const secret = t.config.jwtSecret;
      const forged = {
        noExp: jwt.sign(noExp, secret, { algorithm: 'HS256' }),
        longLived: jwt.sign({ ...claims, exp: (claims.iat as number) + 10 * 365 * 86400 }, secret, { algorithm: 'HS256' }),
        hs512: jwt.sign(claims, secret, { algorithm: 'HS512' }),
        none: `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
      };
      for (const [name, token] of Object.entries(forged)) {
        const res = await t.gql(`{ me { id } }`, {}, token);
        expect({ name, code: res.errors?.[0].extensions?.code }).toEqual({ name, code: 'UNAUTHENTICATED' });
      }
      const control = await t.gql(`{ me { id } }`, {}, jwt.sign(claims, secret, { algorithm: 'HS256' }));
      expect(control.data?.me.id).toBe(me.me.id);
    });
  });

  describe('order size and input text (item 5)', () => {
    const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;

    it('refuses an order of more than 200 lines, naming lines', async () => {
      const product = ids.product('omep-20-alpha');
      for (const n of [201, 1000]) { // 2,000 lines exceed the 100 kB body limit (HTTP 413) before GraphQL sees them
        const lines = Array.from({ length: n }, () => ({ productId: product, quantity: 1 }));
        const refusal = await t.as('hosp-zz-1').refused(PLACE, { input: { idempotencyKey: `hardening-lines-${n}`, lines } });
        expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.lines' });
        expect(refusal.message).toMatch(/200/);
      }
    });

    it('refuses lone surrogates and control characters with the field named, keeping line breaks in free text', async () => {
      const product = ids.product('omep-20-alpha');
      const order = (note: string, key: string) => ({ input: { idempotencyKey: key, note, lines: [{ productId: product, quantity: 1 }] } });
      expect(await t.as('hosp-zz-1').refused(PLACE, order('急用\ud800', 'hardening-text-1'))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.note' });
      expect(await t.as('hosp-zz-1').refused(PLACE, order('急用\u001b[2J', 'hardening-text-2'))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.note' });
      const key = await t.as('hosp-zz-1').refused(PLACE, order('ok', 'hardening-\ndc00-key'));
      expect(key).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.idempotencyKey' });
      const region = await t.admin.refused(`mutation($input: CreateRegionInput!) { createRegion(input: $input) { code } }`, {
        input: { code: '419001', name: '济源\nX' },
      });
      expect(region).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.name' });
      const login = await t.anonymous.refused(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`, { u: 'admin\udc00', p: 'x' });
      expect(login).toMatchObject({ code: 'VALIDATION_FAILED', field: 'username' });
      // a note over two lines is free text: accepted
      const placed = await t.as('hosp-zz-1').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id note } }`, order('第一行\r\n第二行\t备注', 'hardening-text-ok'));
      expect(placed.placeOrder.note).toBe('第一行\r\n第二行\t备注');
    });
  });
});
