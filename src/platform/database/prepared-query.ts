import { EntityManager } from 'typeorm';

/**
 * Runs a statement of the ordering hot path as a named prepared statement: PostgreSQL parses and plans it
 * once per connection instead of on every call, which is most of its cost for these short statements.
 * It still goes through the entity manager, so it runs in the caller's transaction and fails with
 * TypeORM's QueryFailedError like any other query. Each name stands for exactly one text.
 * (Behind a transaction-pooling PgBouncer, enable its prepared-statement support: see docs/operations.md.)
 */
export function preparedQuery<T = Record<string, unknown>>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  // node-postgres takes a { name, text } query config where TypeORM passes its query text through
  return em.query({ name, text } as unknown as string, values);
}
