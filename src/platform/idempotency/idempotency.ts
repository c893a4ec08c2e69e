import { createHash } from 'crypto';
import { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';
import { canonicalJson } from '../audit/canonical-json';
import { IdempotencyRecord } from './idempotency-record.entity';
import { preparedQuery } from '../database/prepared-query';

/**
 * Runs `work` at most once per (organisation, operation, key) and returns its stored result on a retry.
 * The record is claimed first (INSERT … ON CONFLICT DO NOTHING): a concurrent retry's insert waits on the
 * first one's uncommitted row, and once that commits finds the key taken and reads its result; if the first
 * rolls back, the retry does the work itself. Call inside the mutation's transaction. A caller that fixes
 * its result before the work (`resultKnownUpfront`, e.g. an id it generated) saves the final update; its
 * work must then return exactly that result.
 */
export async function idempotent<T>(
  em: EntityManager,
  scope: { organisationId: string; operation: string; key: string; request: unknown; resultKnownUpfront?: T },
  work: () => Promise<T>,
): Promise<T> {
  const { organisationId, operation, key, request, resultKnownUpfront } = scope;
  if (!/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'An idempotency key is 8–100 letters, digits or ._:-', { field: 'idempotencyKey' });
  }
  const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  const claimed = await preparedQuery(
    em,
    'idempotency.claim',
    `INSERT INTO idempotency_record (organisation_id, operation, key, request_hash, result) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [organisationId, operation, key, requestHash, JSON.stringify(resultKnownUpfront ?? null)],
  );
  if (!claimed.length) {
    const existing = await em.findOneOrFail(IdempotencyRecord, { where: { organisationId, operation, key } });
    if (existing.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request', {
        field: 'idempotencyKey',
      });
    }
    return existing.result as T;
  }
  const result = await work();
  // a result chosen before the work (an id generated up front) was stored with the claim already
  if (resultKnownUpfront !== undefined) return result;
  await em.query(`UPDATE idempotency_record SET result = $4 WHERE organisation_id = $1 AND operation = $2 AND key = $3`, [organisationId, operation, key, JSON.stringify(result ?? null)]);
  return result;
}
