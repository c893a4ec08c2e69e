/**
 * Smoke figures of the cluster (not part of `npm test`; `npm run cluster:up` first):
 *
 *   npm run -s bench:cluster                 (options: -- --clients 16 --seconds 15)
 *
 * On the running cluster: pgbench TPC-B on the primary as the yardstick; then `bench:orders`' order load
 * (5-line orders over GraphQL from the demo hospitals) and a read mix of routed reads (public prices, the
 * OCDS package, the regulator's dashboard) through one replica, through three (the client rotating over
 * them) and through the entry point — each with the standby on and then stopped (reads fall back to the
 * primary). During every run the standby's replay lag is sampled from pg_stat_replication.
 * Prints one JSON line of figures. Short runs: on a shared 2-core machine they are smoke figures only.
 */
import { execFileSync } from 'child_process';
import { cpus } from 'os';
import { Worker } from 'worker_threads';
import { Client } from 'pg';
import { readState } from '../../scripts/cluster/cluster-lib';
import { runTool, toolchain } from '../../scripts/cluster/postgres-tools';
import { DEMO_PASSWORD } from '../../src/catalog/demo/demo-data';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const CLIENTS = arg('clients', 16);
const SECONDS = arg('seconds', 15);
const AGREEMENT_PRODUCTS = ['atorva-20-alpha', 'atorva-10-alpha'];
const LISTING_PRODUCTS = ['famo-20-alpha', 'omep-20-alpha', 'amox-025-alpha'];
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id state total lines { id unitPrice } } }`;
const READS = [
  `query { publicPricesInForce(first: 20) { totalCount nodes { unitPrice } } }`,
  `query { publicVbpResults(first: 20) { totalCount } }`,
];

/** A worker thread: `clients` loops over `bases` (round-robin per request) until the time is up. */
const LOAD = `
const { parentPort, workerData } = require('worker_threads');
const { bases, mode, place, reads, tokens, productIds, clients, seconds, tag } = workerData;
const latencies = []; const errors = [];
let turn = 0;
async function one(c, n) {
  const base = bases[turn++ % bases.length];
  const token = tokens[c % tokens.length];
  const body = mode === 'orders'
    ? { query: place, variables: { input: { idempotencyKey: tag + '-' + c + '-' + n, lines: productIds.map((productId, i) => ({ productId, quantity: 10 + i })) } } }
    : { query: reads[n % reads.length], variables: {} };
  const t0 = performance.now();
  const res = await fetch(base + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  latencies.push(performance.now() - t0);
  if (res.status !== 200 || !json || json.errors) errors.push(JSON.stringify(json && json.errors ? json.errors : res.status).slice(0, 200));
}
const deadline = Date.now() + seconds * 1000;
Promise.all(Array.from({ length: clients }, async (_, c) => { for (let n = 0; Date.now() < deadline; n++) await one(c, n); }))
  .then(() => { latencies.sort((a, b) => a - b); parentPort.postMessage({ latencies, errors }); });
`;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function main() {
  const state = readState();
  if (!state?.entry) throw new Error('no running cluster: npm run cluster:up');
  const db = new Client({ connectionString: state.appEnv.DATABASE_DIRECT_URL });
  await db.connect();
  // generated history is not news: this session's bulk rows raise no change-feed events (docs/change-feed.md)
  await db.query(`SET vbp.raise_events = 'off'`);
  const sql = async (text: string, params: unknown[] = []) => (await db.query(text, params)).rows;
  const figures: Record<string, unknown> = { clients: CLIENTS, seconds: SECONDS, cpus: cpus().length, load: (await import('os')).loadavg().map((n) => Number(n.toFixed(1))) };

  // the yardstick on the primary, straight (not through PgBouncer)
  const admin = new URL(state.primary.adminUrl);
  const pgbenchUrl = new URL(state.primary.adminUrl);
  pgbenchUrl.pathname = '/bench_pgbench';
  const [{ n: has }] = await sql(`SELECT count(*)::int AS n FROM pg_database WHERE datname = 'bench_pgbench'`);
  if (!has) await sql(`CREATE DATABASE bench_pgbench`);
  execFileSync('pgbench', ['-i', '-q', '-s', '10', pgbenchUrl.toString()], { stdio: 'pipe' });
  const pgbenchOut = execFileSync('pgbench', ['-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), pgbenchUrl.toString()], { stdio: 'pipe' }).toString();
  figures.pgbenchTps = Number((/tps = ([\d.]+)/.exec(pgbenchOut) ?? [])[1]);
  void admin;

  // agreements and listings for the demo hospitals (once per cluster), and a distributor for the province
  const [{ n: prepared }] = await sql(`SELECT count(*)::int AS n FROM listing WHERE policy_version = 'bench'`);
  if (!prepared) {
    const CYCLE = ['2026-01-01T00:00:00+08:00', '2028-01-01T00:00:00+08:00'];
    await sql(
      `INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id,
                                     annual_quantity, agreed_quantity, awarded_unit_price, cycle_start, cycle_end)
       SELECT r.id, gen_random_uuid(), p.variety_id, o.id, o.region_code, p.manufacturer_id, p.id, gen_random_uuid(), 100000000, 100000000, 0.8100, $2, $3
         FROM (SELECT gen_random_uuid() AS id) r CROSS JOIN organisation o CROSS JOIN product p WHERE o.kind = 'HOSPITAL' AND p.external_key = ANY($1)`,
      [AGREEMENT_PRODUCTS, ...CYCLE],
    );
    await sql(
      `WITH l AS (
         INSERT INTO listing (product_id, manufacturer_id, region_code, state, unit_price, policy_version)
         SELECT p.id, p.manufacturer_id, '410000', 'LISTED', 0.3300, 'bench' FROM product p WHERE p.external_key = ANY($2) RETURNING id, product_id, manufacturer_id, unit_price)
       INSERT INTO listing_price_history (listing_id, product_id, manufacturer_id, unit_price, state, valid_from, reason)
       SELECT id, product_id, manufacturer_id, unit_price, 'LISTED', $1, 'bench data' FROM l`,
      [CYCLE[0], LISTING_PRODUCTS],
    );
  }
  const post = async (base: string, query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: any; errors?: unknown[] };
  };
  const login = async (username: string) => (await post(state.entry!.url, `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`, { u: username, p: DEMO_PASSWORD })).data.login.accessToken as string;
  const distributorId = (await sql(`SELECT id FROM organisation WHERE external_key = 'dist-zy'`))[0].id;
  await post(state.entry.url, `mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, { input: { distributorId, regionCode: '410000', startsAt: '2026-01-01T00:00:00+08:00' } }, await login('mfr-alpha'));
  const hospitals = await sql(`SELECT u.username FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE o.kind = 'HOSPITAL' ORDER BY u.username`);
  const tokens: string[] = [];
  for (const h of hospitals) tokens.push(await login(h.username as string));
  const productIds = (await sql(`SELECT id FROM product WHERE external_key = ANY($1) ORDER BY external_key`, [[...AGREEMENT_PRODUCTS, ...LISTING_PRODUCTS]])).map((r) => r.id as string);

  const run = async (label: string, mode: 'orders' | 'reads', bases: string[]) => {
    const lags: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await sql(`SELECT (pg_current_wal_lsn() - replay_lsn)::bigint AS bytes, extract(epoch FROM replay_lag) * 1000 AS ms FROM pg_stat_replication`);
        if (rows[0]) lags.push(Number(rows[0].ms ?? 0));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = performance.now();
    const { latencies, errors } = await new Promise<{ latencies: number[]; errors: string[] }>((resolve, reject) => {
      const worker = new Worker(LOAD, { eval: true, workerData: { bases, mode, place: PLACE, reads: READS, tokens, productIds, clients: CLIENTS, seconds: SECONDS, tag: `b${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const elapsed = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    lags.sort((a, b) => a - b);
    const result = {
      perSecond: Number((latencies.length / elapsed).toFixed(1)),
      p95ms: Number(pct(latencies, 95).toFixed(1)),
      errors: errors.length,
      firstError: errors[0] ?? null,
      replayLagMs: lags.length ? { p50: Number(pct(lags, 50).toFixed(1)), max: Number(lags[lags.length - 1].toFixed(1)) } : null,
    };
    process.stderr.write(`${label}: ${JSON.stringify(result)}\n`);
    figures[label] = result;
  };

  const one = [state.apps[0].url];
  const three = state.apps.map((a) => a.url);
  const entry = [state.entry.url];
  for (const [mode, label] of [['orders', 'orders'], ['reads', 'reads']] as const) {
    await run(`${label} 1 replica, standby on`, mode, one);
    await run(`${label} 3 replicas, standby on`, mode, three);
    await run(`${label} entry point, standby on`, mode, entry);
  }
  // the standby stopped: routed reads fall back to the primary
  const tools = toolchain();
  if (state.standby) {
    runTool(tools, 'pg_ctl', ['-D', state.standby.dir, '-m', 'fast', '-w', 'stop']);
    try {
      await new Promise((r) => setTimeout(r, 2_500));
      await run('orders 3 replicas, standby off', 'orders', three);
      await run('reads 1 replica, standby off', 'reads', one);
      await run('reads 3 replicas, standby off', 'reads', three);
    } finally {
      runTool(tools, 'pg_ctl', ['-D', state.standby.dir, '-l', `${state.dir}/pg-logs/standby.log`, '-w', '-o', `-p ${state.standby.port} -c listen_addresses=127.0.0.1`, 'start']);
    }
  }
  await db.end();
  console.log(JSON.stringify(figures));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
