import { spawn } from 'child_process';
import { join } from 'path';
import { startTestApp, TestApp } from '@test/harness';
import { lineAmountFen } from '@libs/money';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addReceiptLines, addAllotments, addVerifiedPayeeAccounts, APPROVE, checkerUser, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state linesSettled amount chunksDone } }`;
const INPUT = { regionCode: '410000', periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-04-01T00:00:00+08:00', idempotencyKey: 'march-2026-kill-resume' };
const ROOT = join(__dirname, '..');

describe('settlement: a batch killed mid-way (SIGKILL) resumes with the same key and settles every line once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
  });
  afterAll(() => t.close());

  it('kills the process running the batch, then finishes the same batch without a second posting', async () => {
    const hospitals = [await orgOf(t, 'hosp-zz-1'), await orgOf(t, 'hosp-zz-2')];
    const manufacturers = [(await orgOf(t, 'mfr-alpha')).id, (await orgOf(t, 'mfr-beta')).id];
    await addReceiptLines(t, Array.from({ length: 400 }, (_, i) => ({
      hospital: hospitals[i % 2], manufacturerId: manufacturers[i % 2 === 0 ? 0 : 1], unitPrice: `0.${String(1000 + i * 7).padStart(4, '0')}`, quantity: 1 + (i % 9),
      acceptedAt: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+08:00`,
    })));
    await addAllotments(t);
    const batchId = (await t.as('settle-henan').ok(START, { input: INPUT })).startSettlementBatch.id;

    const child = spawn(process.execPath, [join(ROOT, 'scripts/run-ts.js'), join(ROOT, 'test/support/settlement-batch-child.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, BATCH_ID: batchId, CHUNK_SIZE: '25', CHUNK_DELAY_MS: '150', NOW: '2026-04-02T09:00:00+08:00' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (/chunk 3 /.test(out)) resolve();
      });
      child.on('exit', () => reject(new Error(`child ended before chunk 3: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const [mid] = await t.sql('SELECT state, chunks_done, lines_settled FROM settlement_batch WHERE id = $1', [batchId]);
    expect(mid.state).toBe('RUNNING');
    expect(mid.chunks_done).toBeGreaterThanOrEqual(3);
    expect(mid.lines_settled).toBeLessThan(400);
    expect(await t.sql('SELECT count(*)::int AS n FROM settled_line')).toEqual([{ n: mid.lines_settled }]);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);

    // started again with the same key: the same batch, resumed
    const again = (await t.as('settle-henan').ok(START, { input: INPUT })).startSettlementBatch;
    expect(again).toMatchObject({ id: batchId, state: 'RUNNING' });
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId });
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId }); // a duplicate delivery of the job does nothing
    expect((await t.sql('SELECT state FROM settlement_batch WHERE id = $1', [batchId]))[0].state).toBe('PREPARED');
    await addVerifiedPayeeAccounts(t, manufacturers);
    await (await checkerUser(t)).ok(APPROVE, { b: batchId });

    const [done] = await t.sql('SELECT state, lines_settled, amount_fen::text AS amount FROM settlement_batch WHERE id = $1', [batchId]);
    const expected = (await t.sql('SELECT unit_price::text AS p, quantity::text AS q FROM v_settleable_line')).reduce((s: bigint, r: any) => s + lineAmountFen(r.p, BigInt(r.q)), 0n);
    expect(done).toEqual({ state: 'COMPLETED', lines_settled: 400, amount: expected.toString() });
    expect(await t.sql('SELECT count(*)::int AS n, count(DISTINCT line_id)::int AS d FROM settled_line')).toEqual([{ n: 400, d: 400 }]);
    const [paid] = await t.sql('SELECT sum(amount_fen)::text AS s, count(*)::int AS n FROM payment_instruction WHERE batch_id = $1', [batchId]);
    expect(paid).toEqual({ s: expected.toString(), n: 2 });
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  }, 60_000);
});
