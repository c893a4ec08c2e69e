import { chownSync, mkdirSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { firstLine, StartupFault } from '../startup-fault';
import { EmbeddedServer, embeddedToolchain, ensureDatabase, startEmbeddedPostgres, walArchiveSettings } from './embedded-postgres';

export const APP_DATABASE = 'vbp';

export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedServer | null;
  /** The primary without a pooler in between (DATABASE_DIRECT_URL; else `url`): migrations, session locks, jobs. */
  directUrl?: string;
  /** A streaming standby for routed reads (DATABASE_READ_URL), or none. */
  readUrl?: string | null;
}

/** DATABASE_URL when given; otherwise a real embedded PostgreSQL with its files under DATA_DIR/postgres. */
export async function resolveDatabase(config: AppConfig, log?: (line: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: null, directUrl: config.directDatabaseUrl ?? config.databaseUrl, readUrl: config.readDatabaseUrl };
  }
  let settings: Record<string, string> | undefined;
  if (config.walArchiveDir) {
    mkdirSync(config.walArchiveDir, { recursive: true, mode: 0o700 });
    const { ids } = embeddedToolchain();
    if (ids) chownSync(config.walArchiveDir, ids.uid, ids.gid); // the server (user postgres) writes there
    settings = walArchiveSettings(config.walArchiveDir);
  }
  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), { log, settings });
  await ensureDatabase(embedded.url('postgres'), APP_DATABASE);
  return { url: embedded.url(APP_DATABASE), embedded };
}

/**
 * Fails within seconds, with the reason, when the configured server cannot be reached (main.ts calls it
 * before building the app, so a wrong DATABASE_URL does not wait for every module to load).
 */
export async function probeDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const where = (() => {
      try {
        const parsed = new URL(url);
        return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
      } catch {
        return 'DATABASE_URL';
      }
    })();
    throw new StartupFault(
      `cannot connect to the database at ${where} (${code ? `${code}: ` : ''}${firstLine(error)})`,
      'start that PostgreSQL server or correct DATABASE_URL (unset it to use the embedded one)',
      error,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function openDataSource(url: string, poolSize?: number, pooled = false): Promise<DataSource> {
  // loaded on first use: main.ts resolves the database before it loads TypeORM and the entities
  const { DataSource: DataSourceClass } = await import('typeorm');
  const { dataSourceOptions } = await import('./data-source-options');
  const dataSource = new DataSourceClass(dataSourceOptions(url, poolSize, pooled));
  await dataSource.initialize();
  return dataSource;
}
