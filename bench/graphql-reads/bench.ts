/**
 * Read-heavy GraphQL mix: concurrent clients over HTTP against the real server (a separate process) on a
 * fresh embedded PostgreSQL holding the Henan demo with its year of history plus generated province-scale
 * catalogue data; every response body is checked for `errors`. The mix includes the expensive nested reads:
 * orders with lines, shipments, their lines, receipts (with lines) and invoices; listings with applications;
 * agreements with completion. Baselines in the same run: the same reads as plain SQL through a pg pool with the
 * same concurrency (one statement per read, children as json aggregates), and the plain NestJS + Apollo peer
 * (bench/peer) on another database of the same server: its one-row read and ping. Goal: the mix ≥ 25 % of
 * the plain SQL rate, zero errors. Last stdout line: a JSON summary.
 *
 *   npm run -s bench:graphql-reads [-- --seconds 20 --clients 16]     (or BENCH_SECONDS=5)
 */
import { Pool } from 'pg';
import { Peer } from '../peer/peer';
import { startDemoServer } from '../support/demo-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', Number(process.env.BENCH_SECONDS ?? 15));
const CLIENTS = arg('clients', 16);
const EXTRA_PRODUCTS = arg('products', 20000);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

async function loop(seconds: number, clients: number, once: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const started = process.hrtime.bigint();
        await once(n++);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, perSecond: Math.round(latencies.length / seconds), p95Ms: +percentile(latencies, 95).toFixed(2) };
}

async function main() {
  // the demo's year of history supplies orders with shipments, receipts and invoices, listings and agreements
  const { url, app, server, stop } = await startDemoServer('reads');
  const pool = new Pool({ connectionString: url, max: CLIENTS });
  try {
    // province-scale catalogue: generated products spread over the demo manufacturers
    await pool.query(`
      INSERT INTO product (kind, manufacturer_id, name, spec, dosage_form, units_per_pack, approval_number, consistency_status)
      SELECT 'DRUG', m.id, '生成药品' || g, (g % 50) || 'mg', '片剂', 28, '国药准字H' || lpad(g::text, 8, '0'), 'PASSED'
      FROM generate_series(1, ${EXTRA_PRODUCTS}) g
      CROSS JOIN LATERAL (SELECT id FROM organisation WHERE kind = 'MANUFACTURER' ORDER BY id OFFSET (g % 16) LIMIT 1) m`);
    await pool.query('ANALYZE');
    const login = async (username: string, password = 'Demo#2026') => {
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation($u:String!,$p:String!){login(username:$u,password:$p){accessToken}}`, variables: { u: username, p: password } }) });
      return ((await res.json())).data.login.accessToken as string;
    };
    const tokens = [await login('hosp-zz-1'), await login('reg-henan')];
    // the nested reads must have something to nest: the history seeded, and both callers see orders with shipments
    const [history] = (await pool.query(`SELECT value->>'state' AS state, value->>'error' AS error FROM platform_setting WHERE key = 'demo.history'`)).rows;
    if (history?.state !== 'DONE') throw new Error(`the demo history is ${history?.state ?? 'missing'}${history?.error ? `: ${history.error}` : ''}; the read mix would nest nothing`);
    for (const token of tokens) {
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: `{ orders(first: 20) { nodes { shipments { id } } } volumeAgreements(first: 20) { nodes { id } } }` }) });
      const { data } = (await res.json()) as { data?: { orders: { nodes: { shipments: unknown[] }[] }; volumeAgreements: { nodes: unknown[] } } };
      if (!data?.orders.nodes.some((o) => o.shipments.length) || !data.volumeAgreements.nodes.length) throw new Error('a caller of the read mix sees no shipped orders or no agreements; the nested reads would be empty');
    }
    const productIds: string[] = (await pool.query(`SELECT id FROM product ORDER BY random() LIMIT 500`)).rows.map((r) => r.id);
    const mix: { query: string; vars: (i: number) => Record<string, unknown>; regulatorOnly?: boolean }[] = [
      { query: `query($a:String){ products(first: 20, after: $a) { totalCount nodes { id name spec manufacturer { name } } pageInfo { endCursor } } }`, vars: () => ({}) },
      { query: `query($id:ID!){ product(id:$id){ id name spec approvalNumber manufacturer { name region { name } } } }`, vars: (i: number) => ({ id: productIds[i % productIds.length] }) },
      { query: `{ organisations(first: 20) { totalCount nodes { name kind region { name } } } }`, vars: () => ({}) },
      { query: `{ me { username organisation { name } } regions(parentCode: "410000") { code name } }`, vars: () => ({}) },
      // the nested reads: one statement per level and field through the DataLoaders
      {
        query: `{ orders(first: 20) { nodes { id state total lines { productId quantity unitPrice } shipments { id state lines { quantity batchNumber } receipt { receivedAt lines { acceptedQuantity } } invoices { invoiceNumber state total } } } } }`,
        vars: () => ({}),
      },
      // listing applications are the regulators' (and their manufacturers') to read, not hospitals'
      { query: `{ listings(first: 20) { nodes { id state unitPrice applications { id kind state unitPrice } } } }`, vars: () => ({}), regulatorOnly: true },
      { query: `{ volumeAgreements(first: 20) { nodes { id agreedQuantity purchasedQuantity completion { purchasedShare elapsedShare pointsBehind } } } }`, vars: () => ({}) },
    ];
    let errors = 0;
    const graphql = await loop(SECONDS, CLIENTS, async (i) => {
      const op = mix[i % mix.length];
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${op.regulatorOnly ? tokens[1] : tokens[i % tokens.length]}` },
        body: JSON.stringify({ query: op.query, variables: op.vars(i) }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (!res.ok || body.errors) {
        if (!errors) process.stderr.write(`first error: ${JSON.stringify(body).slice(0, 500)}\n`);
        errors++;
      }
    });
    // where the time goes: each read alone, one client, mean of 20 (after the run, so warm)
    const perOperationMs: Record<string, number> = {};
    for (const [k, op] of mix.entries()) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) {
        await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[1]}` },
          body: JSON.stringify({ query: op.query, variables: op.vars(i) }),
        });
      }
      const name = /\{\s*(\w+)/.exec(op.query.replace(/^query\([^)]*\)/, ''))?.[1] ?? `op${k}`;
      perOperationMs[name] = +(Number(process.hrtime.bigint() - started) / 1e6 / 20).toFixed(2);
    }
    const sqlMix = [
      `SELECT p.id, p.name, p.spec, o.name FROM product p JOIN organisation o ON o.id = p.manufacturer_id ORDER BY p.name, p.id LIMIT 21`,
      `SELECT p.*, o.name, r.name FROM product p JOIN organisation o ON o.id = p.manufacturer_id JOIN region r ON r.code = o.region_code WHERE p.id = $1`,
      `SELECT o.name, o.kind, r.name FROM organisation o JOIN region r ON r.code = o.region_code ORDER BY o.name, o.id LIMIT 21`,
      `SELECT code, name FROM region WHERE parent_code = '410000' ORDER BY code`,
      // the nested reads as one statement each: the page, and its children as json aggregates
      `SELECT o.id, o.state, o.total_fen,
              (SELECT json_agg(json_build_object('productId', l.product_id, 'quantity', l.quantity, 'unitPrice', l.unit_price) ORDER BY l.line_no) FROM order_line l WHERE l.order_id = o.id) AS lines,
              (SELECT json_agg(json_build_object('id', s.id, 'state', s.state,
                        'lines', (SELECT json_agg(json_build_object('quantity', sl.quantity, 'batchNumber', sl.batch_number)) FROM shipment_line sl WHERE sl.shipment_id = s.id),
                        'receipt', (SELECT json_build_object('receivedAt', r.received_at, 'lines', (SELECT json_agg(json_build_object('acceptedQuantity', rl.accepted_quantity)) FROM receipt_line rl WHERE rl.receipt_id = r.id))
                                      FROM receipt r WHERE r.shipment_id = s.id),
                        'invoices', (SELECT json_agg(json_build_object('invoiceNumber', i.invoice_number, 'state', i.state, 'total', i.total_fen)) FROM invoice i WHERE i.shipment_id = s.id))
                        ORDER BY s.shipped_at) FROM shipment s WHERE s.order_id = o.id) AS shipments
         FROM purchase_order o ORDER BY o.ordered_at, o.id LIMIT 21`,
      `SELECT l.id, l.state, l.unit_price,
              (SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'state', a.state, 'unitPrice', a.unit_price) ORDER BY a.submitted_at) FROM listing_application a WHERE a.listing_id = l.id) AS applications
         FROM listing l ORDER BY l.created_at, l.id LIMIT 21`,
      `SELECT a.id, a.agreed_quantity, a.purchased_quantity, a.cycle_start, a.cycle_end FROM volume_agreement a ORDER BY a.created_at, a.id LIMIT 21`,
    ];
    const sql = await loop(SECONDS, CLIENTS, async (i) => {
      const text = sqlMix[i % sqlMix.length];
      await pool.query(text, text.includes('$1') ? [productIds[i % productIds.length]] : []);
    });
    // the plain-framework peer on its own database of the same server: one-row read and ping
    await pool.query('DROP DATABASE IF EXISTS bench_peer').catch(() => undefined);
    await pool.query('CREATE DATABASE bench_peer');
    const peer = await Peer.start(server.url('bench_peer'), 8);
    let peerRead;
    let peerPing;
    try {
      await peer.load('read', CLIENTS, 2); // warm-up
      peerRead = await peer.load('read', CLIENTS, SECONDS);
      peerPing = await peer.load('ping', CLIENTS, SECONDS);
    } finally {
      await peer.stop();
    }
    const summary = {
      name: 'graphql-reads',
      clients: CLIENTS,
      seconds: SECONDS,
      products: EXTRA_PRODUCTS,
      graphqlRequestsPerSecond: graphql.perSecond,
      graphqlP95Ms: graphql.p95Ms,
      graphqlErrors: errors,
      sqlQueriesPerSecond: sql.perSecond,
      sqlP95Ms: sql.p95Ms,
      ratio: +(graphql.perSecond / Math.max(1, sql.perSecond)).toFixed(3),
      goal: 0.25,
      goalMet: errors === 0 && graphql.perSecond >= 0.25 * sql.perSecond,
      peerReadPerSecond: peerRead.perSecond,
      peerReadP95Ms: peerRead.p95Ms,
      peerPingPerSecond: peerPing.perSecond,
      peerErrors: peerRead.errors + peerPing.errors,
      ratioToPeerRead: +(graphql.perSecond / Math.max(1, peerRead.perSecond)).toFixed(3),
      mix: mix.length,
      perOperationMs,
    };
    process.stdout.write(
      [
        `GraphQL read mix   ${summary.graphqlRequestsPerSecond} req/s, p95 ${summary.graphqlP95Ms} ms, errors ${errors} (${CLIENTS} clients, ${SECONDS} s)`,
        `plain SQL baseline ${summary.sqlQueriesPerSecond} queries/s, p95 ${summary.sqlP95Ms} ms`,
        `ratio              ${summary.ratio} (goal ≥ 0.25)`,
        `each read alone    ${Object.entries(perOperationMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`,
        `peer one-row read  ${summary.peerReadPerSecond} req/s, p95 ${summary.peerReadP95Ms} ms; ping ${summary.peerPingPerSecond} req/s (ratio to read ${summary.ratioToPeerRead})`,
      ].join('\n') + `\n${JSON.stringify(summary)}\n`,
    );
  } finally {
    await pool.end();
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
