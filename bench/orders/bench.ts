/**
 * Order placement benchmark (not part of `npm test`):
 *
 *   npm run -s bench:orders                 (options: -- --clients 32 --seconds 30 --hospitals 5000)
 *
 * One embedded PostgreSQL, two databases on it:
 * - bench_pgbench: pgbench's built-in TPC-B (scale 10), run first with the same number of clients, as the
 *   yardstick for what this server does on this machine;
 * - bench_orders: the app's schema with the Henan demo data, plus a province's worth of agreements and
 *   listings and an order history (`--history-orders`, 3 lines each) generated with set-based SQL, served by
 *   the real app over HTTP.
 * Then `--clients` concurrent HTTP clients, each logged in as a demo hospital, place 5-line orders
 * (2 agreement lines, 3 listing lines) over GraphQL for `--seconds`. Every response body is checked for
 * `errors`. Then the plain NestJS + Apollo peer (bench/peer) on a third database of the same server runs its
 * locked idempotent transfer with the same clients for the same time. Reported: orders/s, latency
 * percentiles, pgbench tps, the peer's transfers/s, and the ratios (goals: ≥ 20 % of pgbench, ≥ 50 % of the
 * peer's transfer, zero errors). `--seconds` (or BENCH_SECONDS) sets each run's length.
 *
 * Agreements and listings live in the real volume_agreement and listing tables and are served by the real
 * AGREEMENT_SUPPLY and LISTING_PRICES ports (the agreements and listing contexts), as in production.
 */
import 'reflect-metadata';
import { execFileSync } from 'child_process';
import { chmodSync, mkdtempSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';
import { Worker } from 'worker_threads';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { adminQuery, databaseUrl } from '../../test/harness/pg-server';
import { testConfig } from '../../test/harness/test-config';
import { createAppWith } from '../../test/harness/test-app';
import { DEMO_PASSWORD } from '../../src/catalog/demo/demo-data';
import { Peer } from '../peer/peer';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const CLIENTS = arg('clients', 32);
const SECONDS = arg('seconds', Number(process.env.BENCH_SECONDS ?? 30));
const SYNTHETIC_HOSPITALS = arg('hospitals', 5000);
const AGREEMENTS_PER_HOSPITAL = arg('agreements-per-hospital', 120);
const SYNTHETIC_LISTINGS = arg('listings', 20000);
const HISTORY_ORDERS = arg('history-orders', 100000);
const PGBENCH_SCALE = arg('pgbench-scale', 10);
// connections from the app: 4 per database core on this 2-core machine (DB_POOL_SIZE in production)
const POOL = arg('pool', 8);

const AGREEMENT_PRODUCTS = ['atorva-20-alpha', 'atorva-10-alpha'];
const LISTING_PRODUCTS = ['famo-20-alpha', 'omep-20-alpha', 'amox-025-alpha'];

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id state total lines { id unitPrice } } }`;

/** Runs in a worker thread: `clients` loops, each placing 5-line orders until the time is up. */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('worker_threads');
const { base, query, tokens, productIds, clients, seconds } = workerData;
const latencies = [];
const errors = [];
async function place(token, key) {
  const t0 = performance.now();
  const res = await fetch(base + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
    body: JSON.stringify({ query, variables: { input: { idempotencyKey: key, lines: productIds.map((productId, i) => ({ productId, quantity: 10 + i })) } } }),
  });
  const body = await res.json().catch(() => null);
  latencies.push(performance.now() - t0);
  const ok = res.status === 200 && body && !body.errors && body.data && body.data.placeOrder && body.data.placeOrder.lines.length === 5;
  if (!ok) errors.push(JSON.stringify(body && body.errors ? body.errors : body).slice(0, 300));
}
const deadline = Date.now() + seconds * 1000;
Promise.all(Array.from({ length: clients }, async (_, c) => {
  for (let n = 0; Date.now() < deadline; n++) await place(tokens[c % tokens.length], 'bench-' + c + '-' + n + '-key');
})).then(() => {
  latencies.sort((a, b) => a - b);
  parentPort.postMessage({ latencies, errors });
});
`;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function post(base: string, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

function runPgbench(url: string): { tps: number; version: string; output: string } {
  const version = execFileSync('pgbench', ['--version']).toString().trim();
  execFileSync('pgbench', ['-i', '-q', '-s', String(PGBENCH_SCALE), url], { stdio: 'pipe' });
  const output = execFileSync('pgbench', ['-c', String(CLIENTS), '-j', String(Math.min(CLIENTS, cpus().length)), '-T', String(SECONDS), url], { stdio: 'pipe' }).toString();
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
  if (!m) throw new Error(`no tps in pgbench output:\n${output}`);
  return { tps: Number(m[1]), version, output };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-bench-pg-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(dir, { persistent: false });
  const adminUrl = server.url('postgres');
  try {
    const [{ server_version }] = await adminQuery<{ server_version: string }>(adminUrl, 'SHOW server_version');
    console.error(`PostgreSQL ${server_version}; ${cpus().length} CPUs; ${CLIENTS} clients; ${SECONDS}s per run`);

    // 1. the yardstick
    await adminQuery(adminUrl, 'CREATE DATABASE bench_pgbench');
    const pgbench = runPgbench(databaseUrl(adminUrl, 'bench_pgbench'));
    console.error(`pgbench TPC-B: ${pgbench.tps.toFixed(1)} tps (${pgbench.version})`);
    await adminQuery(adminUrl, 'DROP DATABASE bench_pgbench');

    // 2. the app on its own database with demo data
    await adminQuery(adminUrl, 'CREATE DATABASE bench_orders');
    const url = databaseUrl(adminUrl, 'bench_orders');
    // a load test, not a client: no rate limits
    const root = AppModule.forRoot({ config: testConfig({ databaseUrl: url, demoData: true, dbPoolSize: POOL, rateLimitMutationsPerMinute: 0, rateLimitLoginPerMinute: 0 }) });
    const app = await createAppWith(root, []);
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const dataSource = app.get(DataSource);
    const sql = (text: string, params: unknown[] = []) => dataSource.query(text, params);
    // generated history is not news: bulk rows raise no change-feed events (vbp.raise_events, docs/change-feed.md)
    const bulk = (text: string, params: unknown[] = []) =>
      dataSource.transaction(async (em) => {
        await em.query(`SET LOCAL vbp.raise_events = 'off'`);
        return em.query(text, params);
      });

    // 3. a province's worth of volume agreements and listings in the real tables, set-based
    const started = Date.now();
    const CYCLE = ['2026-01-01T00:00:00+08:00', '2028-01-01T00:00:00+08:00'];
    await bulk(
      `INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id,
                                     annual_quantity, agreed_quantity, awarded_unit_price, cycle_start, cycle_end)
       SELECT r.id, p.lot_id, p.variety_id, h.id, '410100', p.manufacturer_id, p.id, p.bid_id, q, q, p.price, $3, $4
         FROM (SELECT gen_random_uuid() AS id) r
        CROSS JOIN (SELECT gen_random_uuid() AS id FROM generate_series(1, $1)) h
        CROSS JOIN (SELECT gen_random_uuid() AS id, gen_random_uuid() AS lot_id, gen_random_uuid() AS variety_id, gen_random_uuid() AS manufacturer_id,
                           gen_random_uuid() AS bid_id, round((0.05 + random() * 30)::numeric, 4) AS price FROM generate_series(1, $2)) p
        CROSS JOIN LATERAL (SELECT 1000 + (random() * 100000)::int AS q) q`,
      [SYNTHETIC_HOSPITALS, AGREEMENTS_PER_HOSPITAL, ...CYCLE],
    );
    // listings: each a LISTED listing with its open price period, as the listing context writes them
    const LIST = `WITH l AS (
         INSERT INTO listing (product_id, manufacturer_id, region_code, state, unit_price, policy_version)
         SELECT product_id, manufacturer_id, '410000', 'LISTED', unit_price, 'bench' FROM candidates RETURNING id, product_id, manufacturer_id, unit_price)
       INSERT INTO listing_price_history (listing_id, product_id, manufacturer_id, unit_price, state, valid_from, reason)
       SELECT id, product_id, manufacturer_id, unit_price, 'LISTED', $1, 'bench data' FROM l`;
    await bulk(
      LIST.replace('FROM candidates', `FROM (SELECT gen_random_uuid() AS product_id, gen_random_uuid() AS manufacturer_id, round((0.05 + random() * 50)::numeric, 4) AS unit_price FROM generate_series(1, $2)) c`),
      [CYCLE[0], SYNTHETIC_LISTINGS],
    );
    // the demo hospitals' own agreements and the listed products they order
    await bulk(
      `INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id,
                                     annual_quantity, agreed_quantity, awarded_unit_price, cycle_start, cycle_end)
       SELECT r.id, gen_random_uuid(), p.variety_id, o.id, o.region_code, p.manufacturer_id, p.id, gen_random_uuid(), 100000000, 100000000, 0.8100, $2, $3
         FROM (SELECT gen_random_uuid() AS id) r CROSS JOIN organisation o CROSS JOIN product p WHERE o.kind = 'HOSPITAL' AND p.external_key = ANY($1)`,
      [AGREEMENT_PRODUCTS, ...CYCLE],
    );
    await bulk(LIST.replace('FROM candidates', `FROM (SELECT p.id AS product_id, p.manufacturer_id, 0.3300 AS unit_price FROM product p WHERE p.external_key = ANY($2)) c`), [CYCLE[0], LISTING_PRODUCTS]);
    // a platform in service has order history: without it the planner's statistics describe empty order
    // tables, and plans cached on that (the change feed trigger's lookups) scan them whole as they grow
    const distributorId = (await sql(`SELECT id FROM organisation WHERE external_key = 'dist-zy'`))[0].id;
    await bulk(
      `WITH h AS (SELECT o.id, o.region_code, min(u.id::text)::uuid AS user_id, row_number() OVER (ORDER BY o.id) - 1 AS k
                    FROM organisation o JOIN app_user u ON u.organisation_id = o.id WHERE o.kind = 'HOSPITAL' GROUP BY o.id, o.region_code),
            o AS (INSERT INTO purchase_order (hospital_id, region_code, distributor_id, state, emergency, total_fen, ordered_at, placed_by, sla_policy_version,
                                              confirm_by, deliver_by, cancellable_from, closed_at, state_reason, version)
                  SELECT h.id, h.region_code, $1, 'CANCELLED', false, 990, t.at, h.user_id, 'bench', t.at + interval '1 day', t.at + interval '2 days',
                         t.at + interval '1 day', t.at + interval '1 day', 'bench history', 2
                    FROM generate_series(1, $2) g JOIN h ON h.k = g % (SELECT count(*) FROM h)
                   CROSS JOIN LATERAL (SELECT $3::timestamptz + g * interval '1 minute' AS at) t
                  RETURNING id, hospital_id, region_code, ordered_at)
       INSERT INTO order_line (order_id, line_no, hospital_id, region_code, product_id, manufacturer_id, variety_id, source, listing_id, unit_price, quantity, ordered_at)
       SELECT o.id, p.n, o.hospital_id, o.region_code, p.product_id, p.manufacturer_id, p.variety_id, 'LISTING', p.listing_id, 0.33, 10, o.ordered_at
         FROM o CROSS JOIN (SELECT row_number() OVER (ORDER BY l.id) AS n, l.product_id, l.manufacturer_id, pr.variety_id, l.id AS listing_id
                              FROM listing l JOIN product pr ON pr.id = l.product_id WHERE pr.external_key = ANY($4)) p`,
      [distributorId, HISTORY_ORDERS, CYCLE[0], LISTING_PRODUCTS],
    );
    await sql(`ANALYZE`);
    const [{ agreements }] = await sql(`SELECT count(*)::int AS agreements FROM volume_agreement`);
    const [{ listings }] = await sql(`SELECT count(*)::int AS listings FROM listing`);
    console.error(`generated ${agreements} agreements, ${listings} listings and ${HISTORY_ORDERS} past orders in ${((Date.now() - started) / 1000).toFixed(1)}s`);

    // the manufacturer appoints one distributor for the whole province
    const login = async (username: string) => {
      const res = await post(base, `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`, { u: username, p: DEMO_PASSWORD });
      if (res.body.errors) throw new Error(`login ${username}: ${JSON.stringify(res.body.errors)}`);
      return res.body.data.login.accessToken as string;
    };
    const appoint = await post(base, `mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId, regionCode: '410000', startsAt: '2026-01-01T00:00:00+08:00' },
    }, await login('mfr-alpha'));
    if (appoint.body.errors) throw new Error(JSON.stringify(appoint.body.errors));

    const hospitals: { username: string }[] = await sql(
      `SELECT u.username FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE o.kind = 'HOSPITAL' ORDER BY u.username`,
    );
    const tokens: string[] = [];
    for (const h of hospitals) tokens.push(await login(h.username));
    const productIds: string[] = (await sql(`SELECT id FROM product WHERE external_key = ANY($1) ORDER BY external_key`, [[...AGREEMENT_PRODUCTS, ...LISTING_PRODUCTS]])).map((r: { id: string }) => r.id);

    // 4. warm-up, then the measured run
    const place = async (token: string, key: string) => {
      const t0 = performance.now();
      const res = await post(base, PLACE, { input: { idempotencyKey: key, lines: productIds.map((productId, i) => ({ productId, quantity: 10 + i })) } }, token);
      const ms = performance.now() - t0;
      const ok = res.status === 200 && !res.body.errors && res.body.data?.placeOrder?.lines?.length === 5;
      return { ms, ok, error: ok ? null : JSON.stringify(res.body.errors ?? res.body).slice(0, 300) };
    };
    for (let i = 0; i < 50; i++) await place(tokens[i % tokens.length], `warm-${i}-000`);

    // what the server's sessions wait on during the run (sampled), to show where throughput goes
    const waits = new Map<string, number>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows: { w: string; n: number }[] = await sql(
          `SELECT coalesce(wait_event_type || ':' || wait_event, state) AS w, count(*)::int AS n FROM pg_stat_activity
            WHERE datname = 'bench_orders' AND pid <> pg_backend_pid() AND state <> 'idle' GROUP BY 1`,
        );
        for (const r of rows) waits.set(r.w, (waits.get(r.w) ?? 0) + r.n);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // the load generator runs on its own thread so it does not compete with the server for the event loop
    const t0 = performance.now();
    const result = await new Promise<{ latencies: number[]; errors: string[] }>((resolve, reject) => {
      const worker = new Worker(LOAD_GENERATOR, {
        eval: true,
        workerData: { base, query: PLACE, tokens, productIds, clients: CLIENTS, seconds: SECONDS },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const { latencies, errors } = result;
    const elapsed = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    const [{ stored }] = await sql(`SELECT count(*)::int AS stored FROM purchase_order WHERE state <> 'CANCELLED'`);
    const [{ lines }] = await sql(`SELECT count(*)::int AS lines FROM order_line l JOIN purchase_order o ON o.id = l.order_id WHERE o.state <> 'CANCELLED'`);
    await app.close();

    // 5. the plain-framework peer's locked idempotent transfer, same server, clients and time
    await adminQuery(adminUrl, 'CREATE DATABASE bench_peer');
    const peer = await Peer.start(databaseUrl(adminUrl, 'bench_peer'), POOL);
    let transfer;
    try {
      await peer.load('transfer', CLIENTS, 2); // warm-up
      transfer = await peer.load('transfer', CLIENTS, SECONDS);
    } finally {
      await peer.stop();
    }
    console.error(`peer transfer: ${transfer.perSecond}/s, p95 ${transfer.p95Ms} ms, errors ${transfer.errors}`);

    const ordersPerSecond = latencies.length / elapsed;
    const summary = {
      postgres: server_version,
      pgbench: pgbench.version,
      pgbenchScale: PGBENCH_SCALE,
      clients: CLIENTS,
      seconds: SECONDS,
      agreements,
      listings,
      historyOrders: HISTORY_ORDERS,
      orders: latencies.length,
      storedOrders: stored - 50,
      storedLines: lines,
      errors: errors.length,
      firstError: errors[0] ?? null,
      ordersPerSecond: Number(ordersPerSecond.toFixed(1)),
      p50ms: Number(percentile(latencies, 50).toFixed(1)),
      p95ms: Number(percentile(latencies, 95).toFixed(1)),
      p99ms: Number(percentile(latencies, 99).toFixed(1)),
      pgbenchTps: pgbench.tps,
      ratio: Number((ordersPerSecond / pgbench.tps).toFixed(3)),
      peerTransferPerSecond: transfer.perSecond,
      peerTransferP95ms: transfer.p95Ms,
      peerErrors: transfer.errors,
      ratioToPeer: Number((ordersPerSecond / Math.max(1, transfer.perSecond)).toFixed(3)),
      goalPgbench: 0.2,
      goalPeer: 0.5,
      targetMet: errors.length === 0 && ordersPerSecond >= 0.2 * pgbench.tps && ordersPerSecond >= 0.5 * transfer.perSecond,
      serverWaitSamples: Object.fromEntries([...waits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)),
    };
    console.error(
      `orders: ${summary.ordersPerSecond}/s, p95 ${summary.p95ms} ms, errors ${summary.errors}; pgbench ${pgbench.tps} tps (ratio ${summary.ratio}); ` +
        `peer transfer ${transfer.perSecond}/s (ratio ${summary.ratioToPeer})`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
