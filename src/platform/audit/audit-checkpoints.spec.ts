import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigError, loadConfig } from '../config/app-config';
import { checkpointKeys, checkpointSignatureValid, parseCheckpoint, readCheckpointDir, signCheckpoint, writeCheckpointFile } from './audit-checkpoints';

const seed = Buffer.alloc(32, 9);
const head = { position: 42, hash: 'a'.repeat(64) };

describe('audit checkpoints', () => {
  it('signs the head with Ed25519 and verifies only the unaltered checkpoint with the same key', () => {
    const keys = checkpointKeys(seed);
    const checkpoint = signCheckpoint(keys, head, new Date('2026-03-02T01:00:00Z'), 'MANUAL');
    expect(checkpoint).toMatchObject({ position: 42, hash: head.hash, at: '2026-03-02T01:00:00.000Z', reason: 'MANUAL', keyId: keys.keyId, algorithm: 'Ed25519' });
    expect(checkpointSignatureValid(checkpoint, keys.publicKey)).toBe(true);
    expect(checkpointSignatureValid({ ...checkpoint, position: 41 }, keys.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, hash: 'b'.repeat(64) }, keys.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, signature: 'not base64!' }, keys.publicKey)).toBe(false);
    expect(checkpointSignatureValid(checkpoint, checkpointKeys(Buffer.alloc(32, 1)).publicKey)).toBe(false);
    // the same seed always gives the same key
    expect(checkpointKeys(seed).publicKeyRaw).toBe(keys.publicKeyRaw);
    expect(Buffer.from(keys.publicKeyRaw, 'base64')).toHaveLength(32);
  });

  it('parses only well-formed checkpoints', () => {
    const checkpoint = signCheckpoint(checkpointKeys(seed), head, new Date(), 'INTERVAL');
    expect(parseCheckpoint(JSON.stringify(checkpoint))).toEqual(checkpoint);
    for (const bad of ['', 'null', '[]', '{"position": 3}', JSON.stringify({ ...checkpoint, position: 0 }), JSON.stringify({ ...checkpoint, hash: 'xyz' }), JSON.stringify({ ...checkpoint, at: 'yesterday' })]) {
      expect(parseCheckpoint(bad)).toBeNull();
    }
  });

  it('writes one file per checkpoint and reads them back in position order, flagging strangers', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vbp-checkpoints-')), 'nested');
    expect(readCheckpointDir(dir)).toEqual([]);
    const keys = checkpointKeys(seed);
    writeCheckpointFile(dir, signCheckpoint(keys, { position: 9, hash: 'c'.repeat(64) }, new Date(), 'MANUAL'));
    writeCheckpointFile(dir, signCheckpoint(keys, head, new Date(), 'MANUAL'));
    writeFileSync(join(dir, 'zz-not-a-checkpoint.json'), '{}');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    const stored = readCheckpointDir(dir);
    expect(stored.map((s) => s.checkpoint?.position ?? null)).toEqual([null, 9, 42]);
  });

  it('takes the signing key from AUDIT_SIGNING_KEY, requires it in production, and refuses a wrong length', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vbp-config-'));
    const base = { DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(40), BID_SEALING_KEY: Buffer.alloc(32, 7).toString('base64'), ADMIN_PASSWORD: 'Admin#2026' };
    const config = loadConfig({ ...base, AUDIT_SIGNING_KEY: seed.toString('base64'), AUDIT_CHECKPOINT_INTERVAL_SECONDS: '600' });
    expect(config.auditSigningKey.equals(seed)).toBe(true);
    expect(config.auditCheckpointIntervalSeconds).toBe(600);
    expect(config.auditCheckpointDir).toBe(join(dataDir, 'audit-checkpoints'));
    // development: generated once, then the same key on every start
    const generated = loadConfig(base).auditSigningKey;
    expect(loadConfig(base).auditSigningKey.equals(generated)).toBe(true);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/AUDIT_SIGNING_KEY is required in production/);
    expect(() => loadConfig({ ...base, AUDIT_SIGNING_KEY: Buffer.alloc(33, 1).toString('base64') })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, AUDIT_CHECKPOINT_INTERVAL_SECONDS: '-5' })).toThrow(/AUDIT_CHECKPOINT_INTERVAL_SECONDS/);
  });
});
