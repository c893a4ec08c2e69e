import { join } from 'path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedServer, ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';

export const APP_DATABASE = 'vbp';

export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedServer | null;
}

/** DATABASE_URL when given; otherwise a real embedded PostgreSQL with its files under DATA_DIR/postgres. */
export async function resolveDatabase(config: AppConfig, log?: (line: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), { log });
  await ensureDatabase(embedded.url('postgres'), APP_DATABASE);
  return { url: embedded.url(APP_DATABASE), embedded };
}

export async function openDataSource(url: string, poolSize?: number): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(url, poolSize));
  await dataSource.initialize();
  return dataSource;
}
