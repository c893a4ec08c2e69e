import { chmodSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EmbeddedServer, ensureDatabase, startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres';
import { AppProcess } from '../../test/harness/app-process';

/**
 * The server as a province runs it, for benchmarks that read the demo: a separate app process in production
 * mode (committee sealing, no training clock) on a fresh embedded PostgreSQL, with the Henan demo and its year
 * of history (orders with shipments, receipts and invoices, listings, agreements, alerts). `server` holds other
 * databases a benchmark needs (a peer's); `stop` ends the app and the server.
 */
export async function startDemoServer(name: string): Promise<{ url: string; app: AppProcess; server: EmbeddedServer; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `vbp-bench-${name}-`));
  chmodSync(dir, 0o755); // as root, the server user must reach the data folder below it
  const server = await startEmbeddedPostgres(join(dir, 'pg'), { persistent: false });
  await ensureDatabase(server.url('postgres'), 'bench');
  const url = server.url('bench');
  const app = await AppProcess.start({
    DATABASE_URL: url,
    DEMO_DATA: 'true',
    DEMO_HISTORY: 'true',
    RATE_LIMIT_LOGIN_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    BID_SEALING_KEY: Buffer.alloc(32, 1).toString('base64'),
    AUDIT_SIGNING_KEY: Buffer.alloc(32, 2).toString('base64'),
    ADMIN_PASSWORD: 'Admin#2026',
  }).catch(async (error) => {
    await server.stop();
    throw error;
  });
  return {
    url,
    app,
    server,
    stop: async () => {
      await app.stop();
      await server.stop();
    },
  };
}
