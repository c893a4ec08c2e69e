import { DataSourceOptions } from 'typeorm';
import { ALL_ENTITIES } from '../../entities';
import { ALL_MIGRATIONS } from '../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** One place that says how the app talks to PostgreSQL. The schema comes only from migrations/. */
export function dataSourceOptions(url: string, poolSize = 20, pooled = false): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    migrationsRun: false,
    applicationName: 'vbp-platform',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // the default Db.transaction relies on, whatever the server's own default_transaction_isolation says;
    // a transaction-pooling PgBouncer refuses startup options (`pooled`): the database's own setting holds
    extra: pooled ? { max: poolSize } : { max: poolSize, options: '-c default_transaction_isolation=read\\ committed' },
  };
}
