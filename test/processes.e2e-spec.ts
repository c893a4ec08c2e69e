import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { AppProcess, adminQuery, ADMIN_URL_ENV, databaseUrl } from '@test/harness';
import { buildUnifiedSocialCreditCode } from '@libs/identity-codes';

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  let req = request(url).post('/graphql').set('Content-Type', 'application/json');
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  const res = await req.send({ query, variables });
  return res.body;
}

async function adminToken(url: string): Promise<string> {
  const body = await gql(url, `mutation { login(username: "admin", password: "Admin#2026") { accessToken } }`);
  return body.data.login.accessToken;
}

const CREATE = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`;
const input = (serial: string) => ({
  code: buildUnifiedSocialCreditCode('9', '1', '410100', `MA${serial}`),
  name: `进程测试企业${serial}`,
  kind: 'MANUFACTURER',
  regionCode: '410100',
});

describe('the server as real processes', () => {
  jest.setTimeout(240_000);

  it('keeps its data across a restart on the embedded PostgreSQL, and seeding twice changes nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vbp-restart-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', DEMO_DATA: 'true' };
    const first = await AppProcess.start(env);
    let id: string;
    let organisations: number;
    try {
      expect(first.output()).toContain('Demo logins');
      const token = await adminToken(first.url);
      id = (await gql(first.url, CREATE, { input: input('1000001') }, token)).data.createOrganisation.id;
      organisations = (await gql(first.url, `{ organisations { totalCount } }`, {}, token)).data.organisations.totalCount;
    } finally {
      expect([0, 143, null]).toContain(await first.stop());
    }
    const second = await AppProcess.start(env);
    try {
      const token = await adminToken(second.url);
      const body = await gql(second.url, `query($id: ID!) { organisation(id: $id) { name } }`, { id }, token);
      expect(body.data.organisation.name).toBe('进程测试企业1000001');
      const count = (await gql(second.url, `{ organisations { totalCount } }`, {}, token)).data.organisations.totalCount;
      expect(count).toBe(organisations);
    } finally {
      await second.stop();
    }
  });

  it('runs two processes on one DATABASE_URL: one migrates, both serve the same data', async () => {
    const adminUrl = process.env[ADMIN_URL_ENV]!;
    const name = `t_two_${Date.now()}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    const env = { DATABASE_URL: databaseUrl(adminUrl, name), DEMO_DATA: 'false', DATA_DIR: mkdtempSync(join(tmpdir(), 'vbp-two-')) };
    const [a, b] = await Promise.all([AppProcess.start(env), AppProcess.start(env)]);
    try {
      const tokenA = await adminToken(a.url);
      const tokenB = await adminToken(b.url);
      const created = await gql(a.url, CREATE, { input: input('2000001') }, tokenA);
      expect(created.errors).toBeUndefined();
      const seen = await gql(b.url, `query($id: ID!) { organisation(id: $id) { name } }`, { id: created.data.createOrganisation.id }, tokenB);
      expect(seen.data.organisation.name).toBe('进程测试企业2000001');
      const migrations = await adminQuery<{ n: number }>(databaseUrl(adminUrl, name), `SELECT count(*)::int AS n FROM migrations`);
      expect(migrations[0].n).toBeGreaterThan(0);
      const admins = await adminQuery<{ n: number }>(databaseUrl(adminUrl, name), `SELECT count(*)::int AS n FROM app_user WHERE username = 'admin'`);
      expect(admins[0].n).toBe(1);
      await request(b.url).get('/health/ready').expect(200);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it('stops with a message naming a wrong configuration value', async () => {
    await expect(AppProcess.start({ PORT: 'eighty', DATABASE_URL: 'postgres://x@127.0.0.1:1/none' }, 30_000)).rejects.toThrow(/PORT must be a whole number/);
  });
});
