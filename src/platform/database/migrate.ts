import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { poolingSettings } from './pooling';

/** Any constant shared by every process of the app: serialises migrations and seeding across replicas. */
const STARTUP_LOCK = 4_100_001;

/**
 * Runs `work` holding a session-level advisory lock, so two app processes starting on one database do not
 * both migrate or seed at once: the second waits, then finds nothing left to do.
 */
export async function withStartupLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const { directUrl } = poolingSettings();
  if (directUrl) {
    // behind a transaction-pooling proxy a session lock could be taken on one server connection and released
    // on another: hold it on a connection of our own to the primary instead
    const client = new Client({ connectionString: directUrl, application_name: 'vbp-platform-startup-lock' });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
      return await work();
    } finally {
      await client.end().catch(() => undefined); // ending the session releases the lock
    }
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  return withStartupLock(dataSource, async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  });
}

/** True when every migration the code knows of is recorded as applied. */
export async function migrationsUpToDate(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
