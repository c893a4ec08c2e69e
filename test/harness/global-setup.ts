import { execFileSync } from 'child_process';
import { chmodSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { ADMIN_URL_ENV } from './pg-server';

const root = join(__dirname, '..', '..');

/**
 * One embedded PostgreSQL for the whole run, and two template databases migrated once: one empty but for
 * the platform admin, one with the Henan demo data. Each test file clones one (CREATE DATABASE … TEMPLATE),
 * which takes a fraction of a second.
 */
export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-test-pg-'));
  chmodSync(dir, 0o755); // the server runs as another user below it
  const server = await startEmbeddedPostgres(dir, { persistent: false });
  const adminUrl = server.url('postgres');
  (globalThis as Record<string, unknown>).__VBP_TEST_PG__ = server;
  process.env[ADMIN_URL_ENV] = adminUrl;
  execFileSync(process.execPath, [join(root, 'scripts/run-ts.js'), join(root, 'test/harness/prepare-templates.ts'), adminUrl], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  });
}
