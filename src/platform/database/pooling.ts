/**
 * How this process reaches PostgreSQL, where that changes what a statement may do. Behind PgBouncer in
 * transaction mode (DATABASE_POOLING=transaction) consecutive statements outside a transaction may run on
 * different server connections, so nothing may rely on session state:
 * - named prepared statements (`preparedQuery`) are sent unnamed (PgBouncer < 1.21 has no support for them;
 *   with 1.21+ and `max_prepared_statements` they could stay named);
 * - no `options` startup parameter (PgBouncer refuses it): set `default_transaction_isolation` on the
 *   database instead (`ALTER DATABASE … SET`, which the cluster script does);
 * - session-level advisory locks (the start-up lock of migrations and seeding) are taken on a connection
 *   of their own to DATABASE_DIRECT_URL, and migrations and the job queue (pg-boss) connect there too.
 * Transaction-scoped things (`pg_advisory_xact_lock`, `SET LOCAL`, `FOR UPDATE`) work unchanged.
 */
export interface PoolingSettings {
  /** False behind a transaction-pooling proxy. */
  namedStatements: boolean;
  /** The primary itself, for session-level work; null when DATABASE_URL is already direct. */
  directUrl: string | null;
}

let settings: PoolingSettings = { namedStatements: true, directUrl: null };

export function configurePooling(next: PoolingSettings): void {
  settings = { ...next };
}

export function poolingSettings(): PoolingSettings {
  return settings;
}
