import { generateKeyPairSync, verify } from 'crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_URL_ENV, databaseUrl, startTestApp, TestApp } from '@test/harness';
import { AuditCheckpointService } from '../src/platform/audit/audit-checkpoint.service';
import { AuditCheckpoint, checkpointKeys, signCheckpoint } from '../src/platform/audit/audit-checkpoints';
import { AuditEntry } from '../src/platform/audit/audit-entry.entity';
import { AuditService, entryHash, GENESIS_HASH } from '../src/platform/audit/audit.service';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { APPROVE, checkerUser } from './support/settlement-fixtures';
import { systemContext } from '../src/platform/context/request-context';
import { CREATE_ROUND, PUBLISH_ROUND, threeLotRoundInput, TIMES } from './tendering-fixtures';

const VERIFY = `query($checkpoint: String) { verifyAuditChain(checkpoint: $checkpoint) { ok checkedEntries firstBrokenSeq reason reasonCode checkpointPosition } }`;

/** What an attacker with the database superuser can do: run SQL on the audit table with its triggers off. */
async function asSuperuser(t: TestApp, work: (db: Client) => Promise<void>): Promise<void> {
  const db = new Client({ connectionString: databaseUrl(process.env[ADMIN_URL_ENV]!, t.databaseName) });
  await db.connect();
  try {
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER ALL');
    await work(db);
    await db.query('ALTER TABLE audit_log ENABLE TRIGGER ALL');
  } finally {
    await db.end();
  }
}

const checkpoints = (t: TestApp) => t.app.get(AuditCheckpointService);
const verifyAs = async (t: TestApp, checkpoint?: AuditCheckpoint) => (await t.as('reg-henan').ok<any>(VERIFY, { checkpoint: checkpoint ? JSON.stringify(checkpoint) : null })).verifyAuditChain;

async function waitForCheckpoint(t: TestApp, reason: string): Promise<AuditCheckpoint> {
  for (let i = 0; i < 100; i++) {
    await t.app.get(AuditService).chainPending({ wait: true });
    const found = checkpoints(t).list().find((c) => c.reason === reason);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no checkpoint for ${reason}`);
}

describe('audit checkpoints: the chain head signed and kept outside PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.as('reg-henan').accessToken();
    await t.as('settle-henan').accessToken();
  });
  afterAll(() => t.close());

  it('writes a signed checkpoint file and serves every checkpoint with the public key, without login', async () => {
    const taken = (await checkpoints(t).checkpoint('MANUAL'))!;
    const files = readdirSync(t.config.auditCheckpointDir).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(t.config.auditCheckpointDir, files[0]), 'utf8'))).toEqual(taken);
    const [head] = await t.sql(`SELECT chain_pos::int AS position, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1`);
    expect(taken).toMatchObject({ position: head.position, hash: head.hash, reason: 'MANUAL', algorithm: 'Ed25519', format: 'vbp-audit-checkpoint/1' });

    const listing = await request(t.http).get('/audit/checkpoints').expect(200);
    expect(listing.body.checkpoints).toEqual([taken]);
    const pem = await request(t.http).get('/audit/checkpoints/public-key').expect(200);
    expect(pem.text).toBe(listing.body.publicKeyPem);
    expect(pem.text).toContain('BEGIN PUBLIC KEY');
    // a third party checks the signature with nothing but the published key and the documented fields
    const { signature, ...signed } = listing.body.checkpoints[0];
    const message = JSON.stringify(Object.fromEntries(Object.keys(signed).sort().map((k) => [k, signed[k]])));
    expect(listing.body.signedFields).toEqual(Object.keys(signed).sort());
    expect(verify(null, Buffer.from(message), pem.text, Buffer.from(signature, 'base64'))).toBe(true);
    await request(t.http).get('/audit/checkpoints?limit=0').expect(400);
    expect((await request(t.http).get(`/audit/checkpoints?since=${taken.position}`).expect(200)).body.checkpoints).toEqual([]);

    expect(await verifyAs(t)).toMatchObject({ ok: true, reasonCode: null, checkpointPosition: taken.position, checkedEntries: taken.position });
  });

  it('does not repeat a periodic checkpoint while the head has not moved', async () => {
    const before = checkpoints(t).list().length;
    expect(await checkpoints(t).checkpoint('INTERVAL', { skipUnchanged: true })).toBeNull();
    expect(checkpoints(t).list()).toHaveLength(before);
  });

  it('checkpoints a settlement batch as soon as its preparation and its approval are chained', async () => {
    const start = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id } }`;
    const input = { regionCode: '410000', periodStart: '2026-01-01T00:00:00+08:00', periodEnd: '2026-02-01T00:00:00+08:00', idempotencyKey: 'checkpoint-jan' };
    const { startSettlementBatch } = await t.as('settle-henan').ok<any>(start, { input });
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: startSettlementBatch.id });
    for (const action of ['settlement.batch.prepared', 'settlement.batch.approved']) {
      if (action === 'settlement.batch.approved') await (await checkerUser(t)).ok(APPROVE, { b: startSettlementBatch.id });
      const taken = await waitForCheckpoint(t, action);
      const [entry] = await t.sql(`SELECT chain_pos::int AS position FROM audit_log WHERE action = $1 AND entity_id = $2`, [action, startSettlementBatch.id]);
      expect(taken.position).toBeGreaterThanOrEqual(entry.position);
    }
  });

  it('checkpoints a round opening as soon as it is chained', async () => {
    const round = (await t.as('reg-henan').ok<any>(CREATE_ROUND, { input: await threeLotRoundInput(t) })).createRound;
    await t.as('reg-henan').ok(PUBLISH_ROUND, { id: round.id });
    t.clock.set(TIMES.bidDeadline);
    await t.as('reg-henan').ok(`mutation($id: ID!) { openRound(id: $id) { roundId } }`, { id: round.id });
    const taken = await waitForCheckpoint(t, 'round.open');
    const [entry] = await t.sql(`SELECT chain_pos::int AS position FROM audit_log WHERE action = 'round.open' AND entity_id = $1`, [round.id]);
    expect(taken.position).toBeGreaterThanOrEqual(entry.position);
    expect((await verifyAs(t)).ok).toBe(true);
  });

  it('refuses an altered checkpoint file, a checkpoint signed by another key, and a malformed argument', async () => {
    const dir = t.config.auditCheckpointDir;
    const file = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[0];
    const original = readFileSync(join(dir, file), 'utf8');
    const altered = { ...JSON.parse(original), position: 1 };
    writeFileSync(join(dir, file), JSON.stringify(altered));
    try {
      expect(await verifyAs(t)).toMatchObject({ ok: false, reasonCode: 'CHECKPOINT_SIGNATURE_INVALID' });
    } finally {
      writeFileSync(join(dir, file), original);
    }
    const otherKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    const [head] = await t.sql(`SELECT chain_pos::int AS position, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1`);
    const forged = signCheckpoint(checkpointKeys(otherKey), head, new Date(), 'MANUAL');
    expect(await verifyAs(t, forged)).toMatchObject({ ok: false, reasonCode: 'CHECKPOINT_SIGNATURE_INVALID' });
    const bad = await t.as('reg-henan').refused(VERIFY, { checkpoint: '{"position": 3}' });
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', field: 'checkpoint' });
    expect(await verifyAs(t)).toMatchObject({ ok: true });
  });
});

describe('audit checkpoints: an attacker with the database cannot cut or rewrite what a checkpoint saw', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('reg-henan').accessToken();
    await t.app.get(AuditService).chainPending({ wait: true });
  });
  afterEach(() => t.close());

  it('detects the last 3 entries deleted (CHECKPOINT_TRUNCATED), from the directory or from a copy kept elsewhere', async () => {
    const taken = (await checkpoints(t).checkpoint('MANUAL'))!;
    expect(taken.position).toBeGreaterThan(10);
    await asSuperuser(t, async (db) => {
      const deleted = await db.query('DELETE FROM audit_log WHERE chain_pos > $1', [taken.position - 3]);
      expect(deleted.rowCount).toBe(3);
    });
    expect(await verifyAs(t)).toMatchObject({
      ok: false,
      reasonCode: 'CHECKPOINT_TRUNCATED',
      checkedEntries: taken.position - 3,
      checkpointPosition: taken.position,
    });
    // the hole this closes: with the operator's directory gone too, the chain alone looks whole...
    rmSync(t.config.auditCheckpointDir, { recursive: true, force: true });
    expect(await verifyAs(t)).toMatchObject({ ok: true, checkpointPosition: null });
    // ...but a third party's copy of the checkpoint still catches it
    expect(await verifyAs(t, taken)).toMatchObject({ ok: false, reasonCode: 'CHECKPOINT_TRUNCATED', checkpointPosition: taken.position });
    // and once the app has written past the cut and signed the new head at the same position, the old checkpoint still differs
    const audit = t.app.get(AuditService);
    await t.dataSource.transaction(async (em) => {
      for (let i = 0; i < 3; i++) await audit.record(em, systemContext('test'), { action: 'test.after-cut', entityType: 'test', entityId: String(i) });
    });
    const later = (await checkpoints(t).checkpoint('MANUAL'))!;
    expect(later.position).toBe(taken.position);
    expect(await verifyAs(t)).toMatchObject({ ok: true });
    expect(await verifyAs(t, taken)).toMatchObject({ ok: false, reasonCode: 'CHECKPOINT_MISMATCH', checkpointPosition: taken.position });
  });

  it('detects an entry rewritten and every later hash recomputed (CHECKPOINT_MISMATCH)', async () => {
    const taken = (await checkpoints(t).checkpoint('MANUAL'))!;
    const target = taken.position - 5;
    await asSuperuser(t, async (db) => {
      const rows = await t.dataSource
        .getRepository(AuditEntry)
        .createQueryBuilder('a')
        .where('a.chain_pos >= :from', { from: target })
        .orderBy('a.chain_pos', 'ASC')
        .getMany();
      const [before] = await t.sql(`SELECT hash FROM audit_log WHERE chain_pos = $1`, [target - 1]);
      let prev: string = target === 1 ? GENESIS_HASH : before.hash;
      for (const row of rows) {
        if (row.chainPos === target) row.data = { ...row.data, rewritten: 'by someone with the database' };
        const hash = entryHash(prev, row);
        await db.query('UPDATE audit_log SET data = $2::jsonb, prev_hash = $3, hash = $4 WHERE seq = $1', [row.seq, JSON.stringify(row.data), prev, hash]);
        prev = hash;
      }
    });
    const [rewritten] = await t.sql(`SELECT seq::int AS seq FROM audit_log WHERE chain_pos = $1`, [taken.position]);
    // without a checkpoint, the rehashed chain verifies: this was the hole
    const directory = t.config.auditCheckpointDir;
    const saved = readdirSync(directory).map((f) => [f, readFileSync(join(directory, f), 'utf8')] as const);
    rmSync(directory, { recursive: true, force: true });
    expect(await verifyAs(t)).toMatchObject({ ok: true });
    expect(await verifyAs(t, taken)).toMatchObject({ ok: false, reasonCode: 'CHECKPOINT_MISMATCH', firstBrokenSeq: rewritten.seq, checkpointPosition: taken.position });
    // and the operator's directory catches it on its own
    mkdirSync(directory, { recursive: true });
    for (const [f, text] of saved) writeFileSync(join(directory, f), text);
    expect(await verifyAs(t)).toMatchObject({ ok: false, reasonCode: 'CHECKPOINT_MISMATCH', firstBrokenSeq: rewritten.seq });
  });
});

describe('audit checkpoints: on a timer', () => {
  it('takes a checkpoint every AUDIT_CHECKPOINT_INTERVAL_SECONDS', async () => {
    const t = await startTestApp({ config: { auditCheckpointIntervalSeconds: 1 } });
    try {
      let found: AuditCheckpoint | undefined;
      for (let i = 0; i < 60 && !found; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = checkpoints(t).list().find((c) => c.reason === 'INTERVAL');
      }
      expect(found).toBeDefined();
      expect(await verifyAs(t)).toMatchObject({ ok: true, checkpointPosition: expect.any(Number) });
    } finally {
      await t.close();
    }
  });
});
