import { CAPTURED_LOG_FILE } from './log-capture';
import { readFileSync } from 'fs';
import request from 'supertest';
import { startTestApp, TestApp } from '@test/harness';

const REFRESH = `mutation { refreshAccessToken(refreshToken: "not-a-token") { accessToken } }`;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`;

function loggedLines(): Record<string, unknown>[] {
  return readFileSync(CAPTURED_LOG_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('operations: request ids, metrics, headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers every request with an x-request-id, keeps a sane incoming one, and logs it on the request’s lines', async () => {
    const res = await request(t.http).post('/graphql').set('X-Request-Id', 'ops-e2e-0001').send({ query: 'query OpsLogProbe { __typename }' }).expect(200);
    expect(res.headers['x-request-id']).toBe('ops-e2e-0001');
    const line = loggedLines().find((l) => l.msg === 'graphql' && l.operation === 'OpsLogProbe');
    expect(line).toMatchObject({ requestId: 'ops-e2e-0001' });

    // every line written while the request is served carries it, including ones whose writer was not handed it
    await request(t.http).post('/graphql').set('X-Request-Id', 'ops-e2e-0002').send({ query: LOGIN, variables: { u: 'hosp-zz-1', p: 'Wrong#pass1' } }).expect(200);
    const lines = loggedLines().filter((l) => l.requestId === 'ops-e2e-0002');
    expect(lines.map((l) => l.msg)).toContain('graphql');

    // an unusable incoming id is replaced; requests that are not GraphQL get one too
    const odd = await request(t.http).get('/health').set('X-Request-Id', 'spaces are not <allowed>').expect(200);
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await request(t.http).get('/health').expect(200);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers['x-request-id']).not.toBe(odd.headers['x-request-id']);
  });

  it('sends no X-Powered-By header', async () => {
    for (const res of [await request(t.http).get('/health'), await request(t.http).post('/graphql').send({ query: '{ __typename }' }), await request(t.http).get('/nowhere')]) {
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('exposes Prometheus metrics on /metrics to loopback callers: per-operation counts and latency, pool, progress', async () => {
    await request(t.http).post('/graphql').send({ query: 'query OpsMetricsProbe { __typename }' }).expect(200);
    await request(t.http).post('/graphql').send({ query: 'query OpsMetricsProbe { __typename }' }).expect(200);
    await t.anonymous.gql(`{ me { id } }`); // refused: UNAUTHENTICATED
    const res = await request(t.http).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('vbp_graphql_requests_total{operation="OpsMetricsProbe",type="query",outcome="ok"} 2');
    expect(res.text).toContain('vbp_graphql_requests_total{operation="me",type="query",outcome="UNAUTHENTICATED"} 1');
    expect(res.text).toMatch(/vbp_graphql_request_duration_seconds_count\{operation="OpsMetricsProbe",type="query",outcome="ok"\} 2/);
    expect(res.text).toMatch(/vbp_db_pool_connections\{state="total"\} [1-9]/);
    expect(res.text).toMatch(/vbp_db_pool_connections\{state="waiting"\} 0/);
    expect(res.text).toContain('vbp_long_jobs_running{kind="settlement_batch"} 0');
    expect(res.text).toContain('vbp_long_jobs_running{kind="monitoring_run"} 0');
    expect(res.text).toContain('vbp_process_resident_memory_bytes');

    // a caller relayed from elsewhere (X-Forwarded-For through the loopback proxy) is not loopback
    const remote = await request(t.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(403);
    expect(remote.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('shows a running settlement batch’s progress as gauges', async () => {
    const [{ id: orgId }] = await t.sql(`SELECT id FROM organisation WHERE kind = 'SETTLEMENT_OFFICE' LIMIT 1`);
    const [batch] = await t.sql(
      `INSERT INTO settlement_batch (organisation_id, idempotency_key, region_code, region_path, period_start, period_end, state, policy_version, lines_settled, started_at)
       VALUES ($1, 'ops-metrics', '410000', '410000', '2026-01-01', '2026-02-01', 'RUNNING', 'v1', 0, now()) RETURNING id`,
      [orgId],
    );
    const res = await request(t.http).get('/metrics').expect(200);
    expect(res.text).toContain('vbp_long_jobs_running{kind="settlement_batch"} 1');
    expect(res.text).toContain(`vbp_long_job_done{kind="settlement_batch",id="${batch.id}"} 0`);
    expect(res.text).toContain(`vbp_long_job_progress_ratio{kind="settlement_batch",id="${batch.id}"} 0`);
  });
});

describe('operations: /metrics behind METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false, config: { metricsToken: 'metrics-token-for-e2e-0123' } });
  });
  afterAll(() => t.close());

  it('needs the bearer token, even from loopback', async () => {
    await request(t.http).get('/metrics').expect(403);
    await request(t.http).get('/metrics').set('Authorization', 'Bearer wrong-token-wrong-token-0').expect(403);
    const res = await request(t.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').set('Authorization', 'Bearer metrics-token-for-e2e-0123').expect(200);
    expect(res.text).toContain('# TYPE vbp_graphql_requests_total counter');
  });
});

describe('operations: rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { rateLimitLoginPerMinute: 3, rateLimitMutationsPerMinute: 4 } });
  });
  afterAll(() => t.close());

  const loginFrom = (ip: string, username = 'hosp-zz-2') =>
    request(t.http).post('/graphql').set('X-Forwarded-For', ip).send({ query: LOGIN, variables: { u: username, p: 'Demo#2026' } });

  it('limits login attempts per source IP with RATE_LIMITED and the seconds to wait', async () => {
    for (let i = 0; i < 3; i++) expect((await loginFrom('198.51.100.7')).body.data.login.accessToken).toBeTruthy();
    const refused = await loginFrom('198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('20');
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 20 });
    expect(refused.body.errors[0].message).toMatch(/登录尝试过于频繁，请 20 秒后再试/);
    // another source is not affected; the first may try again once a token has refilled
    expect((await loginFrom('198.51.100.8')).body.data.login.accessToken).toBeTruthy();
    t.clock.advance(20_000);
    expect((await loginFrom('198.51.100.7')).body.data.login.accessToken).toBeTruthy();
    expect((await loginFrom('198.51.100.7')).status).toBe(429);
  });

  it('limits mutations per user; queries and other users go on', async () => {
    const hospital = t.as('hosp-zz-1');
    for (let i = 0; i < 4; i++) expect((await hospital.refused(REFRESH)).code).toBe('INVALID_REFRESH_TOKEN');
    const refused = await hospital.gql(REFRESH);
    expect(refused.status).toBe(429);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 15 });
    expect(refused.errors![0].message).toMatch(/提交操作过于频繁/);
    expect((await hospital.ok(`{ me { username } }`)).me.username).toBe('hosp-zz-1');
    expect((await t.as('hosp-zz-3').refused(REFRESH)).code).toBe('INVALID_REFRESH_TOKEN');
    const metrics = await request(t.http).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/vbp_rate_limited_total\{limit="mutation"\} 1/);
  });
});
