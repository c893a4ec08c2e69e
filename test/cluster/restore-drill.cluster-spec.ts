import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TestApp, testConfig } from '@test/harness';
import { AppModule } from '../../src/app.module';
import { FakeClock } from '../../src/platform/clock/clock';
import { AuditService } from '../../src/platform/audit/audit.service';
import { ensureDatabase, EmbeddedServer, startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { configureHttp } from '../../src/platform/http/configure-http';
import { RUN_BATCH_JOB } from '../../src/settlement/settlement-batches.service';
import { archiveCurrentWal, restoreTo, takeBaseBackup } from '../../scripts/cluster/backup-lib';
import { makeServerDir, toolchain, walArchiveSettings } from '../../scripts/cluster/postgres-tools';
import { addAllotments, addReceiptLines, HEALTHY, ledgerInvariants, orgOf } from '../support/settlement-fixtures';

/**
 * The restore drill: orders delivered and a batch settled, a base backup, more work, an instant T, more work
 * after it; a point-in-time restore to T into a new data directory holds exactly the state of T — the ledger
 * balanced, the audit chain verifying up to T's last entry, nothing written after T.
 */
jest.setTimeout(240_000);

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;

async function bootApp(url: string, now: string): Promise<TestApp> {
  const config = testConfig({ databaseUrl: url, demoData: true });
  const clock = new FakeClock(now);
  const app = await NestFactory.create(AppModule.forRoot({ config, clock }), { logger: false });
  configureHttp(app);
  await app.init();
  return new TestApp(app, clock, app.get(DataSource), config, 'vbp', url);
}

describe('restore drill: point-in-time restore of the embedded server from its WAL archive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-drill-'));
  let server: EmbeddedServer;
  let t: TestApp;

  afterAll(async () => {
    await t?.app.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores exactly the state of the chosen instant', async () => {
    const tools = toolchain();
    makeServerDir(tools, dir, 0o755);
    const archiveDir = join(dir, 'wal-archive');
    makeServerDir(tools, archiveDir);
    server = await startEmbeddedPostgres(join(dir, 'pg'), { persistent: false, settings: walArchiveSettings(archiveDir) });
    await ensureDatabase(server.url('postgres'), 'vbp');
    t = await bootApp(server.url('vbp'), '2026-06-02T09:00:00+08:00');
    const hospitals = [await orgOf(t, 'hosp-zz-1'), await orgOf(t, 'hosp-ly-1')];
    const manufacturers = [(await orgOf(t, 'mfr-alpha')).id, (await orgOf(t, 'mfr-beta')).id];
    const lines = (m: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        hospital: hospitals[i % 2], manufacturerId: manufacturers[i % 2], unitPrice: `1.${String(100 + i).padStart(4, '0')}`, quantity: 1 + (i % 5),
        acceptedAt: `2026-0${m}-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00+08:00`,
      }));
    const settleMonth = async (m: number) => {
      const input = { regionCode: '410000', periodStart: `2026-0${m}-01T00:00:00+08:00`, periodEnd: `2026-0${m + 1}-01T00:00:00+08:00`, idempotencyKey: `drill-2026-0${m}` };
      const batch = (await t.as('settle-henan').ok(START, { input })).startSettlementBatch;
      await t.jobs.runNow(RUN_BATCH_JOB, { batchId: batch.id });
      await t.app.get(AuditService).chainPending({ wait: true });
      return batch.id as string;
    };
    await addAllotments(t);

    // before the backup: March delivered and settled
    await addReceiptLines(t, lines(3, 120));
    await settleMonth(3);
    const backup = await takeBaseBackup({ url: server.url('postgres'), dataDir: server.clusterDir, archiveDir }, join(dir, 'backups'));

    // after the backup, before T: April
    await addReceiptLines(t, lines(4, 80));
    const april = await settleMonth(4);
    const snapshot = async (sql: (text: string) => Promise<any[]>) => ({
      orders: (await sql('SELECT count(*)::int AS n FROM purchase_order'))[0].n,
      settled: (await sql('SELECT count(*)::int AS n FROM settled_line'))[0].n,
      batches: (await sql(`SELECT string_agg(idempotency_key, ',' ORDER BY idempotency_key) AS k FROM settlement_batch`))[0].k,
      postings: (await sql('SELECT count(*)::int AS n, coalesce(sum(abs(amount_fen)), 0)::text AS s FROM ledger_posting'))[0],
      lastAudit: (await sql('SELECT max(chain_pos)::int AS p, count(*)::int AS n FROM audit_log'))[0],
    });
    const atT = await snapshot((text) => t.sql(text));
    expect(atT.batches).toBe('drill-2026-03,drill-2026-04');
    await new Promise((r) => setTimeout(r, 1_200));
    const target = new Date();
    await new Promise((r) => setTimeout(r, 1_200));

    // after T: May, which the restore must not have
    await addReceiptLines(t, lines(5, 60));
    await settleMonth(5);
    const [after] = await t.sql('SELECT count(*)::int AS n FROM purchase_order');
    expect(after.n).toBeGreaterThan(atT.orders);
    await archiveCurrentWal(server.url('postgres'));

    const password = decodeURIComponent(new URL(server.url('postgres')).password);
    const restored = await restoreTo({ target, backupRoot: join(dir, 'backups'), into: join(dir, 'restored'), password });
    try {
      expect(restored.backup.dir).toBe(backup.dir);
      process.stdout.write(`restore drill: base backup ${(backup.bytes / 1e6).toFixed(1)} MB in ${backup.ms} ms; restored to T in ${restored.ms} ms\n`);
      // read before any app touches it
      const raw = new Client({ connectionString: restored.url('vbp') });
      await raw.connect();
      const rawSql = { sql: async (text: string, params: unknown[] = []) => (await raw.query(text, params)).rows };
      try {
        expect(await snapshot((text) => rawSql.sql(text))).toEqual(atT);
        expect(await ledgerInvariants(rawSql)).toEqual(HEALTHY);
        const [batch] = await rawSql.sql('SELECT state FROM settlement_batch WHERE id = $1', [april]);
        expect(batch.state).toBe('PREPARED');
      } finally {
        await raw.end();
      }
      // the app starts on it (migrations: nothing to do) and the audit chain verifies
      const back = await bootApp(restored.url('vbp'), '2026-06-02T09:00:00+08:00');
      try {
        const verdict = await back.admin.ok(`query { verifyAuditChain { ok reasonCode } }`);
        expect(verdict.verifyAuditChain).toEqual({ ok: true, reasonCode: null });
      } finally {
        await back.app.close();
      }
    } finally {
      restored.stop();
    }
  });
});
