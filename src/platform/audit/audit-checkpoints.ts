import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes, sign, verify } from 'crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { canonicalJson } from './canonical-json';

/**
 * Audit checkpoints: the head of the audit chain (position, hash, time) signed with Ed25519 and written
 * outside PostgreSQL, one JSON file per checkpoint, so that someone who can rewrite the database (triggers
 * disabled) still cannot cut or rewrite what a checkpoint has seen without `verifyAuditChain` noticing.
 * Operators archive the directory; anyone may copy them from `GET /audit/checkpoints` and check them with
 * the public key from `GET /audit/checkpoints/public-key`.
 */
export const CHECKPOINT_FORMAT = 'vbp-audit-checkpoint/1';

export interface AuditCheckpoint {
  format: string;
  /** The chain position of the head entry when the checkpoint was taken. */
  position: number;
  /** That entry's hash. */
  hash: string;
  /** When the checkpoint was taken (ISO 8601, UTC). */
  at: string;
  /** What triggered it: INTERVAL, MANUAL, or the audit action (round.open, settlement.batch.prepared, settlement.batch.approved). */
  reason: string;
  /** Which key signed: the first 16 hex digits of sha256 of the raw 32-byte public key. */
  keyId: string;
  algorithm: 'Ed25519';
  /** Ed25519 signature (base64) of the canonical JSON of every other field. */
  signature: string;
}

// the fixed PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface CheckpointKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw 32-byte public key, base64. */
  publicKeyRaw: string;
  publicKeyPem: string;
  keyId: string;
}

export function checkpointKeys(seed: Buffer): CheckpointKeys {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    privateKey,
    publicKey,
    publicKeyRaw: raw.toString('base64'),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
  };
}

function signedPart(checkpoint: Omit<AuditCheckpoint, 'signature'> | AuditCheckpoint): string {
  const { format, position, hash, at, reason, keyId, algorithm } = checkpoint;
  return canonicalJson({ format, position, hash, at, reason, keyId, algorithm });
}

export function signCheckpoint(keys: CheckpointKeys, head: { position: number; hash: string }, at: Date, reason: string): AuditCheckpoint {
  const unsigned = { format: CHECKPOINT_FORMAT, position: head.position, hash: head.hash, at: at.toISOString(), reason, keyId: keys.keyId, algorithm: 'Ed25519' as const };
  return { ...unsigned, signature: sign(null, Buffer.from(signedPart(unsigned)), keys.privateKey).toString('base64') };
}

export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(signedPart(checkpoint)), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A checkpoint read from text, checked for shape only (the signature is checked by the verifier); null when malformed. */
export function parseCheckpoint(text: string): AuditCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const c = value as Partial<AuditCheckpoint> | null;
  if (!c || typeof c !== 'object') return null;
  const ok =
    c.format === CHECKPOINT_FORMAT &&
    Number.isSafeInteger(c.position) &&
    (c.position as number) >= 1 &&
    typeof c.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(c.hash) &&
    typeof c.at === 'string' &&
    !Number.isNaN(Date.parse(c.at)) &&
    typeof c.reason === 'string' &&
    typeof c.keyId === 'string' &&
    c.algorithm === 'Ed25519' &&
    typeof c.signature === 'string';
  return ok ? (c as AuditCheckpoint) : null;
}

export interface StoredCheckpoint {
  file: string;
  checkpoint: AuditCheckpoint | null;
}

/** The checkpoint files of a directory, oldest position first (a missing directory has none). */
export function readCheckpointDir(dir: string): StoredCheckpoint[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((file) => ({ file, checkpoint: parseCheckpoint(readFileSync(join(dir, file), 'utf8')) }))
    .sort((a, b) => (a.checkpoint?.position ?? 0) - (b.checkpoint?.position ?? 0) || a.file.localeCompare(b.file));
}

/** Writes one checkpoint file atomically (temporary file, then rename); returns its name. */
export function writeCheckpointFile(dir: string, checkpoint: AuditCheckpoint): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stamp = checkpoint.at.replace(/[-:.]/g, '');
  const file = `checkpoint-${String(checkpoint.position).padStart(12, '0')}-${stamp}-${randomBytes(3).toString('hex')}.json`;
  const temporary = join(dir, `.${file}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, join(dir, file));
  return file;
}
