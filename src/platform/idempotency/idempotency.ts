import { createHash } from 'crypto';
import { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';
import { canonicalJson } from '../audit/canonical-json';
import { preparedQuery } from '../database/prepared-query';
import { Bindings, runPart, SqlPart } from '../database/sql-part';

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
  const { organisationId, operation, key, resultKnownUpfront } = scope;
  const requestHash = checkedRequestHash(scope);
  const bindings = new Bindings();
  const claim = claimSql(bindings, scope, requestHash, resultKnownUpfront ?? null);
  const claimed = await preparedQuery(em, 'idempotency.claim', claim, bindings.values);
  if (!claimed.length) return priorResult<T>(await priorUse(em, scope), requestHash);
  const result = await work();
  // a result chosen before the work (an id generated up front) was stored with the claim already
  if (resultKnownUpfront !== undefined) return result;
  await em.query(`UPDATE idempotency_record SET result = $4 WHERE organisation_id = $1 AND operation = $2 AND key = $3`, [organisationId, operation, key, JSON.stringify(result ?? null)]);
  return result;
}

export interface IdempotencyScope {
  organisationId: string;
  operation: string;
  key: string;
  request: unknown;
}

/** The key's earlier use: the hash of its request and its stored result. */
export interface PriorUse {
  requestHash: string;
  result: unknown;
}

/** Checks the key's form (VALIDATION_FAILED on `idempotencyKey`) and returns the request's hash. */
export function checkedRequestHash(scope: IdempotencyScope): string {
  if (!/^[A-Za-z0-9._:-]{8,100}$/.test(scope.key)) {
    throw new AppError('VALIDATION_FAILED', 'An idempotency key is 8–100 letters, digits or ._:-', { field: 'idempotencyKey' });
  }
  return createHash('sha256').update(canonicalJson(scope.request)).digest('hex');
}

/**
 * The claim (INSERT … ON CONFLICT DO NOTHING RETURNING 1), usable as a data-modifying CTE of the caller's
 * statement: it returns a row exactly when this call claimed the key; a concurrent claim of the same key
 * waits for the first one's transaction.
 */
export function claimSql(b: Bindings, scope: IdempotencyScope, requestHash: string, result: unknown): string {
  return `INSERT INTO idempotency_record (organisation_id, operation, key, request_hash, result)
          VALUES (${b.bind(scope.organisationId, 'uuid')}, ${b.bind(scope.operation, 'text')}, ${b.bind(scope.key, 'text')}, ${b.bind(requestHash, 'text')}, ${b.bind(JSON.stringify(result), 'jsonb')})
          ON CONFLICT DO NOTHING RETURNING 1`;
}

/** The key's earlier use, as a part of the caller's read (at most one row). */
export function priorUsePart(b: Bindings, scope: IdempotencyScope): SqlPart<PriorUse | null> {
  return {
    sql: `SELECT request_hash, result FROM idempotency_record
           WHERE organisation_id = ${b.bind(scope.organisationId, 'uuid')} AND operation = ${b.bind(scope.operation, 'text')} AND key = ${b.bind(scope.key, 'text')}`,
    read: (rows) => (rows.length ? { requestHash: String(rows[0].request_hash), result: rows[0].result } : null),
  };
}

/** The key's earlier use, read on its own (after a claim found the key taken: it is committed by then). */
export async function priorUse(em: EntityManager, scope: IdempotencyScope): Promise<PriorUse> {
  const use = await runPart(em, 'idempotency.prior-use', (b) => priorUsePart(b, scope));
  if (!use) throw new Error(`idempotency record ${scope.operation}/${scope.key} vanished after its claim`);
  return use;
}

/** A retry's answer: the stored result, or IDEMPOTENCY_KEY_REUSED when the key came with another request. */
export function priorResult<T>(prior: PriorUse, requestHash: string): T {
  if (prior.requestHash !== requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request', { field: 'idempotencyKey' });
  }
  return prior.result as T;
}
