/**
 * npm run migration:run | migration:revert | migration:generate -- Name | migration:check
 *
 * Uses DATABASE_URL when set, otherwise the embedded server under DATA_DIR. `generate` and `check` work in a
 * scratch database so the app's own data is never touched.
 */
import 'reflect-metadata';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../platform/config/app-config';
import { openDataSource, resolveDatabase } from '../platform/database/connect';
import { runPendingMigrations } from '../platform/database/migrate';

async function withScratchDatabase<T>(adminUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `vbp_scratch_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function pendingSchemaChanges(dataSource: DataSource) {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql;
}

function adminUrlOf(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function main() {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig(process.env, {});
  const handle = await resolveDatabase(config);
  // migrations go straight to the primary, never through a transaction-pooling proxy (DATABASE_DIRECT_URL)
  const direct = handle.directUrl ?? handle.url;
  let exitCode = 0;
  try {
    if (command === 'run') {
      const ds = await openDataSource(direct, 2);
      const applied = await runPendingMigrations(ds);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
      await ds.destroy();
    } else if (command === 'revert') {
      const ds = await openDataSource(direct, 2);
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration.');
      await ds.destroy();
    } else if (command === 'generate') {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: npm run migration:generate -- PascalCaseName');
      await withScratchDatabase(adminUrlOf(handle.url), async (url) => {
        const ds = await openDataSource(url, 2);
        await ds.runMigrations({ transaction: 'each' });
        const { upQueries, downQueries } = await pendingSchemaChanges(ds);
        await ds.destroy();
        if (!upQueries.length) {
          console.log('Entities match the migrations: nothing to generate.');
          return;
        }
        const timestamp = Date.now();
        const className = `${name}${timestamp}`;
        const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
        const body = (queries: { query: string }[]) => queries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
        const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
        writeFileSync(
          file,
          `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${body(upQueries)}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${body([...downQueries].reverse())}\n  }\n}\n`,
        );
        console.log(`Wrote ${file}\nAdd it to migrations/index.ts: import { ${className} } from './${timestamp}-${name}';`);
      });
    } else if (command === 'check') {
      await withScratchDatabase(adminUrlOf(handle.url), async (url) => {
        const ds = await openDataSource(url, 2);
        const applied = await ds.runMigrations({ transaction: 'each' });
        const { upQueries } = await pendingSchemaChanges(ds);
        if (upQueries.length) {
          console.error('Entities drift from migrations/. Pending changes:\n' + upQueries.map((x) => `  ${x.query};`).join('\n'));
          exitCode = 1;
        } else {
          // every migration must also be reversible
          for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
          const left = (await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM migrations`))[0].n;
          if (left !== 0) {
            console.error('Reverting every migration left rows in the migrations table.');
            exitCode = 1;
          } else {
            console.log(`migration:check ok — ${applied.length} migrations applied to an empty database, entities match, all reverted cleanly.`);
          }
        }
        await ds.destroy();
      });
    } else {
      throw new Error('usage: migration-cli run | revert | generate Name | check');
    }
  } finally {
    await handle.embedded?.stop();
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
