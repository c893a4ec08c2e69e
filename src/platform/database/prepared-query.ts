import { EntityManager } from 'typeorm';
import { poolingSettings } from './pooling';

/**
 * Runs a statement of the ordering hot path as a named prepared statement: PostgreSQL parses and plans it
 * once per connection instead of on every call, which is most of its cost for these short statements.
 * It still goes through the entity manager, so it runs in the caller's transaction and fails with
 * TypeORM's QueryFailedError like any other query. Each name stands for exactly one text.
 * Behind a transaction-pooling PgBouncer (DATABASE_POOLING=transaction) the statement is sent unnamed:
 * PgBouncer before 1.21 does not carry named statements across server connections (docs/operations.md).
 */
export function preparedQuery<T = Record<string, unknown>>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  if (!poolingSettings().namedStatements) return em.query(text, values);
  // node-postgres takes a { name, text } query config where TypeORM passes its query text through
  return em.query({ name, text } as unknown as string, values);
}
