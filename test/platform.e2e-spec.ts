import request from 'supertest';
import { startTestApp, TestApp } from '@test/harness';

describe('platform: health, login, tokens, query limits, errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers live and ready health checks', async () => {
    await request(t.http).get('/health').expect(200, { status: 'ok' });
    const ready = await request(t.http).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ database: 'up', migrations: 'applied' });
  });

  it('serves the GraphQL IDE from its own assets', async () => {
    const page = await request(t.http).get('/graphql').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/graphiql/graphiql.js');
    const script = await request(t.http).get('/graphiql/graphiql.js');
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(100_000);
    await request(t.http).get('/graphiql/package.json').expect(404);
  });

  it('logs in, tells who is calling, and refuses wrong passwords with one message', async () => {
    const me = await t.as('hosp-zz-1').ok(`{ me { username role organisation { name kind } } }`);
    expect(me.me).toMatchObject({ username: 'hosp-zz-1', role: 'HOSPITAL', organisation: { kind: 'HOSPITAL' } });
    const wrong = await t.as('hosp-zz-1', 'Wrong#2026').refused(`{ me { id } }`).catch((e) => ({ code: String(e.message) }));
    expect(wrong.code).toContain('INVALID_CREDENTIALS');
    const unknown = await t.anonymous.refused(`mutation { login(username: "nobody", password: "Whatever#1") { accessToken } }`);
    expect(unknown.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an account after repeated failures, and the lock lifts with time', async () => {
    const attempt = (password: string) => t.anonymous.gql(`mutation($p: String!) { login(username: "hosp-zz-2", password: $p) { accessToken } }`, { p: password });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt('Wrong#pass1')).errors![0].extensions!.code);
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('INVALID_CREDENTIALS'));
    expect(codes[4]).toBe('ACCOUNT_LOCKED');
    expect((await attempt('Demo#2026')).errors![0].extensions!.code).toBe('ACCOUNT_LOCKED');
    t.clock.advance(16 * 60_000);
    expect((await attempt('Demo#2026')).data?.login.accessToken).toBeTruthy();
  });

  it('refuses a missing, malformed or expired token on a protected query', async () => {
    expect((await t.anonymous.refused(`{ me { id } }`)).code).toBe('UNAUTHENTICATED');
    const bad = await t.gql(`{ me { id } }`, {}, 'not-a-jwt');
    expect(bad.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const login = await t.anonymous.ok<{ login: { accessToken: string } }>(`mutation { login(username: "mfr-alpha", password: "Demo#2026") { accessToken } }`);
    t.clock.advance(16 * 60_000);
    const expired = await t.gql(`{ me { id } }`, {}, login.login.accessToken);
    expect(expired.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(expired.errors![0].message).toMatch(/expired/);
  });

  it('rotates refresh tokens: each works once, and a reuse revokes the tokens issued after it', async () => {
    const login = await t.anonymous.ok<any>(`mutation { login(username: "mfr-beta", password: "Demo#2026") { refreshToken } }`);
    const refresh = `mutation($r: String!) { refreshAccessToken(refreshToken: $r) { accessToken refreshToken user { username } } }`;
    const first = await t.anonymous.ok<any>(refresh, { r: login.login.refreshToken });
    expect(first.refreshAccessToken.user.username).toBe('mfr-beta');
    const next = await t.anonymous.ok<any>(refresh, { r: first.refreshAccessToken.refreshToken });
    expect(next.refreshAccessToken.accessToken).toBeTruthy();
    const again = await t.anonymous.refused(refresh, { r: login.login.refreshToken });
    expect(again.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await t.anonymous.refused(refresh, { r: next.refreshAccessToken.refreshToken })).code).toBe('INVALID_REFRESH_TOKEN');
    expect((await t.anonymous.refused(refresh, { r: 'never-issued' })).code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refuses a query nested beyond the depth limit', async () => {
    let selection = 'code';
    for (let i = 0; i < 19; i++) selection = `region { ${selection} }`;
    const res = await t.as('reg-henan').gql(`{ me { organisation { ${selection} } } }`);
    expect(res.errors![0].extensions!.code).toBe('QUERY_TOO_DEEP');
    expect(res.status).not.toBe(500);
    const deep = await t.as('reg-henan').gql(`{ a: me { organisation { region { code } } } }`);
    expect(deep.errors).toBeUndefined();
  });

  it('refuses 1,000 aliases, a page of 10,000 rows, and batched operations', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: me { id }`).join(' ');
    const many = await t.as('reg-henan').gql(`{ ${aliases} }`);
    expect(many.errors![0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COSTLY' } });
    const page = await t.as('reg-henan').refused(`{ organisations(first: 10000) { totalCount } }`);
    expect(page).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    const pageVar = await t.as('reg-henan').refused(`query($n: Int) { organisations(first: $n) { totalCount } }`, { n: 10000 });
    expect(pageVar).toMatchObject({ code: 'VALIDATION_FAILED', field: 'first' });
    const batch = await request(t.http).post('/graphql').set('Content-Type', 'application/json').send([{ query: '{ regions { code } }' }, { query: '{ regions { code } }' }]);
    expect(batch.status).toBe(400);
    const twoOps = await t.anonymous.gql(`query A { regions { code } } query B { regions { name } }`);
    expect(twoOps.errors![0].extensions!.code).toBe('ONE_OPERATION_PER_REQUEST');
  });

  it('pages through organisations with cursors, never overlapping', async () => {
    const query = `query($after: String) { organisations(first: 25, after: $after) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } } }`;
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    do {
      const page: any = (await t.admin.ok<any>(query, { after })).organisations;
      total = page.totalCount;
      for (const node of page.nodes) {
        expect(seen.has(node.id)).toBe(false);
        seen.add(node.id);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen.size).toBe(total);
    expect(total).toBeGreaterThan(60);
    const bad = await t.admin.refused(`{ organisations(after: "garbage") { totalCount } }`);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', field: 'after' });
  });

  it('hides internals of an unexpected fault and never answers 500 for bad input', async () => {
    const res = await request(t.http).post('/graphql').set('Content-Type', 'application/json').send('{"query": ');
    expect(res.status).toBe(400);
    const parse = await t.anonymous.gql(`{ regions { code `);
    expect(parse.status).toBe(400);
    expect(parse.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(parse.body)).not.toMatch(/stacktrace|at Object|node_modules/);
  });
});
