/**
 * Monitoring benchmark (not part of npm test): every monitoring rule over 10 million generated order lines.
 * Starts its own embedded PostgreSQL, migrates and seeds the Henan demo data through the app, generates data
 * with generate_series into the owning contexts' tables (agreements, listing, orders), so monitoring reads their
 * real views (a stand-in table is created only for a published view that is missing, which today is none;
 * no settlement data is generated, so v_payable_line is empty), then times a full monitoring run and each
 * rule's query.
 *   node scripts/run-ts.js bench/monitoring/bench.ts [--lines 10000000]
 */
import 'reflect-metadata';
import { mkdtempSync, chmodSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { FakeClock } from '../../src/platform/clock/clock';
import { MonitoringService } from '../../src/supervision/monitoring.service';
import { RULE_SQL, upsertAlertsSql } from '../../src/supervision/monitoring-sql';
import { testConfig } from '../../test/harness/test-config';
import { STAND_IN_DDL } from '../../test/support/supervision-fixtures';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? parseInt(process.argv[i + 1], 10) : fallback;
};
const LINES = arg('lines', 10_000_000);

async function timed<T>(label: string, work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(8)} s`);
  return [result, ms];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-bench-pg-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(dir, { persistent: false });
  const admin = new Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const config = testConfig({ databaseUrl: server.url('bench'), demoData: true });
  const clock = new FakeClock('2026-04-02T09:00:00+08:00');
  const app = await NestFactory.create(AppModule.forRoot({ config, clock }), { logger: false });
  await app.init();
  const db = new Client({ connectionString: server.url('bench') });
  await db.connect();
  // generated history is not news: this session's bulk rows raise no change-feed events (docs/change-feed.md)
  await db.query(`SET vbp.raise_events = 'off'`);
  try {
    const standIns: string[] = [];
    for (const [name, columns] of Object.entries(STAND_IN_DDL)) {
      if ((await db.query(`SELECT to_regclass($1) IS NULL AS missing`, [name])).rows[0].missing) {
        await db.query(`CREATE UNLOGGED TABLE ${name} ${columns}`);
        standIns.push(name);
      }
    }
    console.log(`stand-ins: ${standIns.join(', ') || 'none'}`);
    await db.query(`CREATE TEMP TABLE h AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, region_code FROM organisation WHERE kind = 'HOSPITAL'`);
    await db.query(`CREATE TEMP TABLE d AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM organisation WHERE kind = 'DISTRIBUTOR'`);
    await db.query(`CREATE TEMP TABLE p AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, manufacturer_id, variety_id,
                      (1 + (row_number() OVER (ORDER BY id)) % 17 / 4.0)::numeric(18,4) AS price FROM product WHERE variety_id IS NOT NULL`);
    // the first product of each variety wins its VBP lot; every hospital holds an agreement per variety
    await db.query(`CREATE TEMP TABLE w AS SELECT DISTINCT ON (variety_id) variety_id, id AS product_id, manufacturer_id, price FROM p ORDER BY variety_id, n`);
    const count = async (t: string) => Number((await db.query(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0].n);
    const nh = await count('h'), nd = await count('d'), np = await count('p');
    console.log(`${nh} hospitals, ${nd} distributors, ${np} products; generating ${LINES.toLocaleString()} order lines over January–March 2026`);

    await timed('generate agreements, listings, references', async () => {
      await db.query(`INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id,
                        annual_quantity, agreed_quantity, purchased_quantity, awarded_unit_price, cycle_start, cycle_end, state)
          SELECT '00000000-0000-4000-8000-000000000001', gen_random_uuid(), w.variety_id, h.id, h.region_code, w.manufacturer_id, w.product_id, gen_random_uuid(),
                 120000 + h.n * 1000, 120000 + h.n * 1000, 25000 + (h.n * 7919) % 10000, w.price, '2026-01-01T00:00:00+08', '2027-01-01T00:00:00+08', 'ACTIVE'
            FROM h CROSS JOIN w`);
      await db.query(`INSERT INTO listing (id, product_id, manufacturer_id, region_code, state, unit_price, policy_version)
          SELECT gen_random_uuid(), p.id, p.manufacturer_id, '410000', 'LISTED', p.price * (1 + (p.n % 3) / 10.0), 'bench'
            FROM p WHERE p.id NOT IN (SELECT product_id FROM w)`);
      await db.query(`INSERT INTO listing_price_history (listing_id, product_id, manufacturer_id, unit_price, state, valid_from, valid_to, reason)
          SELECT id, product_id, manufacturer_id, unit_price, state, '2025-12-01T00:00:00+08', NULL, 'bench' FROM listing`);
      await db.query(`INSERT INTO reference_price (product_id, province_code, generic_name, manufacturer_id, dosage_form, spec, unit_price, effective_on, source, recorded_at)
          SELECT NULL, '320000', pr.name, pr.manufacturer_id, pr.dosage_form, pr.spec, p.price, '2025-12-01', 'bench', now()
            FROM p JOIN product pr ON pr.id = p.id`);
    });
    await timed(`generate ${LINES.toLocaleString()} order lines`, async () => {
      // four lines an order; order (hospital, distributor) and product cycle at co-prime strides; a few lines late,
      // a few prices off, every 50th order cancelled
      await db.query(
        `INSERT INTO purchase_order (id, hospital_id, region_code, distributor_id, state, emergency, total_fen, ordered_at, placed_by, sla_policy_version,
                                     confirm_by, deliver_by, cancellable_from, version)
         SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(o), 12, '0'))::uuid, h.id, h.region_code, d.id,
                CASE WHEN o % 50 = 0 THEN 'CANCELLED' ELSE 'CLOSED' END, false, 0, t.at, '00000000-0000-4000-8000-000000000002', 'bench',
                t.at + interval '1 day', t.at + interval '2 days', t.at + interval '1 day', 1
           FROM generate_series(0, ($1::bigint + 3) / 4 - 1) AS o
           CROSS JOIN LATERAL (SELECT '2026-01-01T00:00:00+08'::timestamptz + ((o % 3) * interval '31 days') + ((o / 3) % 2592000) * interval '1 second' AS at) t
           JOIN h ON h.n = o % ${nh}
           JOIN d ON d.n = o % ${nd}`,
        [LINES],
      );
      await db.query(
        `INSERT INTO order_line (order_id, line_no, hospital_id, region_code, product_id, manufacturer_id, variety_id, source, agreement_id, listing_id,
                                 unit_price, quantity, shipped_quantity, accepted_quantity, delivered_within_sla_quantity, ordered_at)
         SELECT po.id, 1 + i % 4, po.hospital_id, po.region_code, p.id, p.manufacturer_id, p.variety_id,
                CASE WHEN va.id IS NOT NULL THEN 'AGREEMENT' ELSE 'LISTING' END, va.id, CASE WHEN va.id IS NULL THEN li.id END,
                p.price * (1 + CASE WHEN i % 997 = 0 THEN 0.3 ELSE 0 END), q, dq, dq, CASE WHEN i % 13 = 0 THEN 0 ELSE dq END, po.ordered_at
           FROM generate_series(0, $1::bigint - 1) AS i
           JOIN purchase_order po ON po.id = ('00000000-0000-4000-8000-' || lpad(to_hex(i / 4), 12, '0'))::uuid
           CROSS JOIN LATERAL (SELECT 1 + (i % 40) AS q) qq
           CROSS JOIN LATERAL (SELECT CASE WHEN po.state = 'CANCELLED' THEN 0 ELSE qq.q END AS dq) dd
           JOIN p ON p.n = (i / 7) % ${np}
           LEFT JOIN volume_agreement va ON va.product_id = p.id AND va.hospital_id = po.hospital_id
           LEFT JOIN listing li ON li.product_id = p.id`,
        [LINES],
      );
      await db.query(`INSERT INTO off_platform_purchase (hospital_id, region_code, product_id, variety_id, month, quantity, amount_fen, reason, reported_at, reported_by)
          SELECT h.id, h.region_code, p.id, p.variety_id, '2026-03-01', 100, 100000 * (1 + h.n % 20), 'bench', now(), '00000000-0000-4000-8000-000000000002'
            FROM h JOIN p ON p.n = h.n % ${np}`);
      if (standIns.includes('v_payable_line')) {
        await db.query(`INSERT INTO v_payable_line SELECT gen_random_uuid(), h.id, h.region_code, p.manufacturer_id, 1000 + i, '2026-01-01T00:00:00+08'::timestamptz + (i % 80) * interval '1 day',
            '2026-01-31T00:00:00+08'::timestamptz + (i % 80) * interval '1 day', CASE WHEN i % 3 = 0 THEN NULL ELSE '2026-03-01T00:00:00+08'::timestamptz END, NULL, NULL
            FROM generate_series(0, 199999) AS i JOIN h ON h.n = i % ${nh} JOIN p ON p.n = i % ${np}`);
      }
    });
    // the real tables carry only the indexes their contexts' migrations create: measured as they are
    await timed('analyze', async () => {
      await db.query('ANALYZE');
    });

    const monitoring = app.get(MonitoringService);
    const newRun = async () =>
      (await db.query(`INSERT INTO monitoring_run (period, trigger, state, rules_total, started_at) VALUES ('2026-03-01', 'REQUEST', 'RUNNING', 11, now()) RETURNING id`)).rows[0].id as string;
    const [, first] = await timed('monitoring run 1 (all rules, alerts inserted)', async () => monitoring.execute(await newRun()));
    const [, second] = await timed('monitoring run 2 (all rules, alerts updated)', async () => monitoring.execute(await newRun()));
    const runs = (await db.query(`SELECT alerts_raised, alerts_updated, skipped FROM monitoring_run ORDER BY created_at`)).rows;
    console.log('runs:', JSON.stringify(runs));
    const rules = (await db.query(`SELECT DISTINCT ON (code) id, code, version, severity, params FROM monitoring_rule ORDER BY code, version DESC`)).rows;
    const home = await monitoring.homeProvince();
    const runId = await newRun();
    for (const rule of rules) {
      await timed(`  ${rule.code}`, () =>
        db.query(`EXPLAIN ANALYZE ${upsertAlertsSql(RULE_SQL[rule.code as keyof typeof RULE_SQL])}`, [
          '2026-03-01', JSON.stringify(rule.params), clock.now(), home, rule.code, rule.version, rule.id, rule.severity, runId,
        ]),
      );
    }
    const alerts = (await db.query(`SELECT rule_code, COUNT(*)::int AS n FROM alert GROUP BY 1 ORDER BY 1`)).rows;
    console.log('alerts per rule:', alerts.map((a) => `${a.rule_code}=${a.n}`).join(' '));
    console.log(`RESULT lines=${LINES} run1=${(first / 1000).toFixed(1)}s run2=${(second / 1000).toFixed(1)}s target<=60s`);
    // last line: the summary `npm run bench` collects
    console.log(JSON.stringify({ name: 'monitoring', lines: LINES, firstRunMs: first, secondRunMs: second, alerts: alerts.reduce((n, a) => n + a.n, 0) }));
  } finally {
    await db.end();
    await app.close();
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
