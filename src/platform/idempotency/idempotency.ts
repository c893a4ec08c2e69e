import { createHash } from 'crypto';
import { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';
import { canonicalJson } from '../audit/canonical-json';
import { IdempotencyRecord } from './idempotency-record.entity';

/**
 * Runs `work` at most once per (organisation, operation, key) and returns its stored result on a retry.
 * Concurrent retries serialise on a transaction-scoped advisory lock of the key, so exactly one does the
 * work and the others, once it commits, read its result. Call inside the mutation's transaction.
 */
export async function idempotent<T>(
  em: EntityManager,
  scope: { organisationId: string; operation: string; key: string; request: unknown },
  work: () => Promise<T>,
): Promise<T> {
  const { organisationId, operation, key, request } = scope;
  if (!/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'An idempotency key is 8–100 letters, digits or ._:-', { field: 'idempotencyKey' });
  }
  const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${organisationId}|${operation}|${key}`]);
  const existing = await em.findOne(IdempotencyRecord, { where: { organisationId, operation, key } });
  if (existing) {
    if (existing.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request', {
        field: 'idempotencyKey',
      });
    }
    return existing.result as T;
  }
  const result = await work();
  await em.insert(IdempotencyRecord, { organisationId, operation, key, requestHash, result: result as object });
  return result;
}
