/**
 * Settlement benchmark (not part of npm test): one batch over N accepted, invoiced receipt lines
 * (default 1,000,000) generated set-based into the orders tables (one delivered, invoiced order each, the
 * same SQL as the e2e fixture), read through the real v_settleable_line view and settled by the real
 * SettlementBatchesService (chunks of 10,000, each its own transaction), next to a plain SQL
 * INSERT … SELECT of the same lines and postings in the same run on the same server.
 *   node scripts/run-ts.js bench/settlement/bench.ts [lines]
 * Reports wall time and the app process's peak RSS (PostgreSQL does the work in its own processes).
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { FakeClock } from '../../src/platform/clock/clock';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { Loaders } from '../../src/platform/graphql/loaders';
import { SettlementBatchesService } from '../../src/settlement/settlement-batches.service';
import { adminQuery, databaseUrl } from '../../test/harness/pg-server';
import { testConfig } from '../../test/harness/test-config';
import { LineConfirmationsService } from '../../src/settlement/line-confirmations.service';
import { addAllotments, addVerifiedPayeeAccounts, deliveredOrdersSql } from '../../test/support/settlement-fixtures';

const LINES = Number(process.argv[2] ?? 1_000_000);

async function timed<T>(what: string, work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${what}: ${seconds.toFixed(2)} s`);
  return { result, seconds };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-bench-pg-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(dir, { persistent: false });
  const adminUrl = server.url('postgres');
  await adminQuery(adminUrl, 'CREATE DATABASE bench_settlement');
  const clock = new FakeClock('2026-04-02T09:00:00+08:00');
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config: testConfig({ databaseUrl: databaseUrl(adminUrl, 'bench_settlement'), demoData: true }), clock }),
    { logger: false },
  );
  try {
    const ds = app.get(DataSource);
    const sql = (text: string, params: unknown[] = []) => ds.query(text, params);
    // generated history is not news: bulk rows raise no change-feed events (vbp.raise_events, docs/change-feed.md)
    const bulk = (text: string, params: unknown[] = []) =>
      ds.transaction(async (em) => {
        await em.query(`SET LOCAL vbp.raise_events = 'off'`);
        return em.query(text, params);
      });
    await timed(`generate ${LINES} delivered, invoiced orders into the orders tables (set-based)`, () =>
      bulk(
        deliveredOrdersSql(
          `WITH h AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(region_code ORDER BY id) AS regions FROM organisation WHERE kind = 'HOSPITAL'),
                m AS (SELECT array_agg(id ORDER BY id) AS ids FROM organisation WHERE kind = 'MANUFACTURER')
           SELECT gen_random_uuid() AS line_id, h.ids[1 + g % cardinality(h.ids)] AS hospital_id, h.regions[1 + g % cardinality(h.ids)]::char(6) AS region_code,
                  m.ids[1 + (g / 7) % cardinality(m.ids)] AS manufacturer_id, gen_random_uuid() AS product_id,
                  CASE WHEN g % 3 = 0 THEN gen_random_uuid() END AS agreement_id,
                  round(((g::bigint * 7919) % 500000) / 10000.0 + 0.0100, 4)::numeric(18,4) AS unit_price, (1 + g % 50)::int AS quantity,
                  timestamptz '2026-03-01 00:00:00+08' + make_interval(secs => (g % 2678400)) AS accepted_at, true AS invoiced
             FROM generate_series(1, $1::int) g, h, m`,
        ),
        [LINES],
      ),
    );
    for (const table of ['purchase_order', 'order_line', 'shipment', 'shipment_line', 'receipt', 'receipt_line', 'invoice', 'invoice_line']) await sql(`ANALYZE ${table}`);

    // the plain-SQL yardstick: the same claim rows and the same aggregated postings, in one transaction
    await sql('CREATE TABLE baseline_line (LIKE settled_line INCLUDING ALL)');
    await sql('CREATE TABLE baseline_posting (account_owner uuid, kind text, amount_fen bigint)');
    const plain = await timed('plain SQL INSERT … SELECT (lines + postings)', () =>
      ds.transaction(async (em) => {
        await em.query(
          `INSERT INTO baseline_line (line_id, batch_id, chunk_no, kind, hospital_id, region_code, manufacturer_id, payee_id, distributor_id, product_id, agreement_id, unit_price, quantity, amount_fen, accepted_at, due_at, policy_version)
           SELECT line_id, gen_random_uuid(), 1, kind, hospital_id, region_code, manufacturer_id, manufacturer_id, distributor_id, product_id, agreement_id, unit_price, quantity,
                  round(unit_price * quantity * 100)::bigint, accepted_at, accepted_at + interval '30 days', 'plain'
             FROM v_settleable_line WHERE invoiced AND accepted_at >= '2026-03-01T00:00:00+08:00' AND accepted_at < '2026-04-01T00:00:00+08:00'`,
        );
        await em.query(
          `INSERT INTO baseline_posting SELECT hospital_id, 'FUND_ENTITLEMENT', -sum(amount_fen) FROM baseline_line GROUP BY hospital_id
           UNION ALL SELECT payee_id, 'PAYABLE', sum(amount_fen) FROM baseline_line GROUP BY payee_id`,
        );
      }),
    );

    // hospitals confirm (the confirmation job, once every window of March has ended) and payees have verified
    // accounts, as before a real batch; neither is part of the batch itself
    clock.set('2026-04-20T09:00:00+08:00');
    await timed('confirmation job (lines past their dispute window, set-based)', () => app.get(LineConfirmationsService).confirmDueLines());
    clock.set('2026-04-02T09:00:00+08:00');
    await addAllotments({ sql });
    await addVerifiedPayeeAccounts({ sql }, (await sql(`SELECT id FROM organisation WHERE kind = 'MANUFACTURER'`)).map((r: { id: string }) => r.id));
    // the checker: a second settlement-office user of the same office
    await sql(
      `INSERT INTO app_user (username, display_name, password_hash, role, organisation_id)
       SELECT 'settle-henan-bench-checker', '复核员', password_hash, role, organisation_id FROM app_user WHERE username = 'settle-henan'`,
    );

    const [user] = await sql(
      `SELECT u.id, u.username, u.role, o.id AS organisation_id, o.kind, o.region_code, r.path FROM app_user u JOIN organisation o ON o.id = u.organisation_id JOIN region r ON r.code = o.region_code WHERE u.username = 'settle-henan'`,
    );
    const ctx = {
      requestId: 'bench', authError: null, loaders: new Loaders(),
      user: { id: user.id, username: user.username, role: user.role, organisationId: user.organisation_id, organisationKind: user.kind, regionCode: user.region_code, regionPath: user.path },
    };
    const [checkerRow] = await sql(`SELECT id FROM app_user WHERE username = 'settle-henan-bench-checker'`);
    const checker = { ...ctx, user: { ...ctx.user, id: checkerRow.id, username: 'settle-henan-bench-checker' } };
    const service = app.get(SettlementBatchesService);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const batch = await timed('settlement batch (service, 10,000-line chunks)', async () => {
      const started = await service.startBatch(ctx, {
        regionCode: '410000', periodStart: new Date('2026-03-01T00:00:00+08:00'), periodEnd: new Date('2026-04-01T00:00:00+08:00'), idempotencyKey: 'bench-march-2026',
      });
      await service.runBatch(started.id);
      // prepared; the second user's approval issues the instructions (the step that used to end the last chunk)
      return service.approveBatch(checker, started.id);
    });
    clearInterval(sampler);
    const [check] = await sql(`SELECT (SELECT count(*) FROM settled_line)::int AS lines, (SELECT coalesce(sum(amount_fen), 0) FROM ledger_posting)::text AS ledger_total,
                                      (SELECT count(*) FROM payment_instruction)::int AS instructions,
                                      (SELECT sum(amount_fen) FROM settled_line)::text AS settled, (SELECT sum(amount_fen) FROM baseline_line)::text AS plain`);
    const ratio = batch.seconds / plain.seconds;
    console.log(JSON.stringify({
      lines: LINES, settledLines: batch.result.linesSettled, chunks: batch.result.chunksDone, instructions: check.instructions,
      ledgerTotalFen: check.ledger_total, sameAmountAsPlainSql: check.settled === check.plain,
      batchSeconds: Number(batch.seconds.toFixed(2)), plainSqlSeconds: Number(plain.seconds.toFixed(2)), ratio: Number(ratio.toFixed(2)),
      appPeakRssMb: Math.round(peakRss / 1024 / 1024),
    }));
  } finally {
    await app.close();
    await server.stop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
