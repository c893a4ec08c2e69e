// The deployment a province would run, on one machine (`npm run cluster:up` / `cluster:down`):
// a PostgreSQL primary and a streaming standby made with the embedded package's own binaries, PgBouncer
// (Debian's package) in transaction mode in front of the primary, three app processes, and a round-robin
// entry point. Everything lives under .data/cluster/ (CLUSTER_DIR); state.json says what runs where.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { get } from 'http';
import { dirname, join, resolve } from 'path';
import { Client } from 'pg';
import { freePort, SYSTEM_DIR } from '../../src/platform/database/embedded-postgres';
import { appendConf, baseCopy, giveToServer, makeServerDir, runTool, Toolchain, toolchain, waitFor, walArchiveSettings } from './postgres-tools';

export const REPO = resolve(__dirname, '..', '..');
export const CLUSTER_DIR = resolve(process.env.CLUSTER_DIR || defaultClusterDir());

/**
 * `.data/cluster` in the clone — unless we run as root from a clone below a private directory (mode 0700, like
 * /root or a fresh mktemp -d): the servers run as the unprivileged postgres user, who cannot pass through it, so
 * the cluster then lives under /var/lib/vbp-platform (as the embedded single server does), keyed by the clone.
 */
function defaultClusterDir(): string {
  const inClone = join(REPO, '.data', 'cluster');
  if (process.getuid?.() !== 0) return inClone;
  for (let dir = REPO; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      return join(SYSTEM_DIR, 'clusters', createHash('sha256').update(REPO).digest('hex').slice(0, 16), 'replicated');
    }
    if (dir === dirname(dir)) return inClone;
  }
}
const STATE_FILE = 'state.json';
const SERVER_USER = 'postgres';
const DATABASE = 'vbp';
export const APP_REPLICAS = 3;

export interface AppState {
  index: number;
  port: number;
  pid: number;
  url: string;
  log: string;
}

export interface ClusterState {
  dir: string;
  password: string;
  /** `external`: a server of the province's own (CLUSTER_PRIMARY_URL), neither started nor stopped here. */
  primary: { port: number; dir: string; url: string; adminUrl: string; external?: boolean };
  standby: { port: number; dir: string; url: string } | null;
  pgbouncer: { port: number; url: string; pidFile: string } | null;
  apps: AppState[];
  entry: { port: number; pid: number; url: string } | null;
  walArchiveDir: string;
  secrets: Record<string, string>;
  appEnv: Record<string, string>;
  startedAt: string;
  timings: Record<string, number>;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

export function readState(dir = CLUSTER_DIR): ClusterState | null {
  const file = join(dir, STATE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : null;
}

function writeState(state: ClusterState): void {
  writeFileSync(join(state.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The database name of a URL, quoted for SQL. */
function parsed(connection: string): string {
  return `"${decodeURIComponent(new URL(connection).pathname.slice(1) || DATABASE).replace(/"/g, '')}"`;
}

function url(port: number, password: string, database = DATABASE): string {
  return `postgres://${SERVER_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function persistentSecret(dir: string, name: string, make: () => string): string {
  const file = join(dir, 'secrets', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  const value = make();
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL

function pgCtl(tools: Toolchain, dataDir: string, port: number, logFile: string, action: 'start' | 'stop'): void {
  if (action === 'start') {
    runTool(tools, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '90', '-o', `-p ${port} -c listen_addresses=127.0.0.1`, 'start']);
  } else {
    runTool(tools, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { allowFail: true });
  }
}

function running(dataDir: string): boolean {
  const pidFile = join(dataDir, 'postmaster.pid');
  return existsSync(pidFile) && alive(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
}

async function sql(connection: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: connection });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function startPrimary(tools: Toolchain, state: ClusterState): Promise<void> {
  const { dir, port } = state.primary;
  const logs = join(state.dir, 'pg-logs');
  makeServerDir(tools, logs, 0o755);
  makeServerDir(tools, state.walArchiveDir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    makeServerDir(tools, dir);
    const pwfile = join(state.dir, 'pg-logs', '.pwfile');
    writeFileSync(pwfile, `${state.password}\n`, { mode: 0o600 });
    if (tools.ids) execFileSync('chown', [`${tools.ids.uid}:${tools.ids.gid}`, pwfile]);
    try {
      runTool(tools, 'initdb', [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${SERVER_USER}`, `--pwfile=${pwfile}`, '--lc-messages=C', '--encoding=UTF8', '--locale=C']);
    } finally {
      rmSync(pwfile, { force: true });
    }
    appendConf(dir, {
      max_connections: '200',
      wal_level: 'replica',
      max_wal_senders: '10',
      max_replication_slots: '10',
      wal_keep_size: '256MB',
      hot_standby: 'on',
      hot_standby_feedback: 'on',
      fsync: 'on',
      default_transaction_isolation: 'read committed',
      ...walArchiveSettings(state.walArchiveDir),
    });
  }
  if (!running(dir)) pgCtl(tools, dir, port, join(logs, 'primary.log'), 'start');
  const [{ n }] = await sql(state.primary.adminUrl, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [DATABASE]);
  if (!n) await sql(state.primary.adminUrl, `CREATE DATABASE ${DATABASE}`);
  // what the app sets at connect where it can; PgBouncer in transaction mode forwards no startup options
  await sql(state.primary.adminUrl, `ALTER DATABASE ${DATABASE} SET default_transaction_isolation = 'read committed'`);
}

async function startStandby(tools: Toolchain, state: ClusterState): Promise<void> {
  const standby = state.standby!;
  const logs = join(state.dir, 'pg-logs');
  if (!existsSync(join(standby.dir, 'PG_VERSION'))) {
    const [slot] = await sql(state.primary.adminUrl, `SELECT 1 AS ok FROM pg_replication_slots WHERE slot_name = 'vbp_standby'`);
    if (!slot) await sql(state.primary.adminUrl, `SELECT pg_create_physical_replication_slot('vbp_standby', true)`);
    rmSync(standby.dir, { recursive: true, force: true });
    makeServerDir(tools, standby.dir);
    const copy = await baseCopy(tools, state.primary.adminUrl, state.primary.dir, standby.dir, 'vbp-standby');
    log(`standby: base copy of ${(copy.bytes / 1e6).toFixed(0)} MB from ${copy.startLsn} to ${copy.stopLsn}`);
    appendConf(standby.dir, {
      primary_conninfo: `host=127.0.0.1 port=${state.primary.port} user=${SERVER_USER} password=${state.password} application_name=vbp_standby`,
      primary_slot_name: 'vbp_standby',
      hot_standby: 'on',
      hot_standby_feedback: 'on',
      archive_mode: 'off',
    });
    writeFileSync(join(standby.dir, 'standby.signal'), '');
    giveToServer(tools, standby.dir);
  }
  if (!running(standby.dir)) pgCtl(tools, standby.dir, standby.port, join(logs, 'standby.log'), 'start');
  await waitFor(standby.url, 'SELECT pg_is_in_recovery() AS ok', 60_000);
}

// ---------------------------------------------------------------------------------------------------------
// PgBouncer

function pgbouncerBinary(): string {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) if (existsSync(candidate)) return candidate;
  const found = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  if (process.getuid?.() !== 0) throw new Error('PgBouncer is not installed: run `apt-get install -y pgbouncer` as root (or set CLUSTER_PGBOUNCER=false)');
  log('installing PgBouncer (apt-get install -y pgbouncer)…');
  const install = spawnSync('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer)'], {
    stdio: 'inherit',
  });
  if (install.status !== 0 || !existsSync('/usr/sbin/pgbouncer')) throw new Error('apt-get install pgbouncer failed');
  // Debian's package would start its own instance under systemd; ours runs from .data/cluster
  return '/usr/sbin/pgbouncer';
}

export function pgbouncerVersion(): string {
  const out = spawnSync(pgbouncerBinary(), ['--version'], { encoding: 'utf8' });
  return (/PgBouncer (\S+)/.exec(out.stdout ?? '') ?? [])[1] ?? 'unknown';
}

async function startPgbouncer(tools: Toolchain, state: ClusterState): Promise<void> {
  const bouncer = state.pgbouncer!;
  const binary = pgbouncerBinary();
  const dir = join(state.dir, 'pgbouncer');
  makeServerDir(tools, dir);
  const [major, minor] = pgbouncerVersion().split('.').map(Number);
  // PgBouncer 1.21+ carries named prepared statements across server connections; older ones cannot, and the
  // app then sends them unnamed (DATABASE_POOLING=transaction)
  const preparedStatements = major > 1 || (major === 1 && minor >= 21) ? 'max_prepared_statements = 200\n' : '';
  const primary = new URL(state.primary.url);
  const user = decodeURIComponent(primary.username) || SERVER_USER;
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" "${decodeURIComponent(primary.password)}"\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]
${DATABASE} = host=${primary.hostname} port=${primary.port || 5432} dbname=${primary.pathname.slice(1) || DATABASE}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${bouncer.port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${join(dir, 'userlist.txt')}
admin_users = ${user}
pool_mode = transaction
; 3 app replicas x DB_POOL_SIZE client connections share this many server connections
default_pool_size = 16
max_client_conn = 1000
; the app sends no startup options in transaction mode; ignore node-postgres' harmless one
ignore_startup_parameters = extra_float_digits,options
server_reset_query =
${preparedStatements}logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${bouncer.pidFile}
`,
    { mode: 0o600 },
  );
  giveToServer(tools, dir);
  if (existsSync(bouncer.pidFile) && alive(Number(readFileSync(bouncer.pidFile, 'utf8')))) return;
  const run = spawnSync(binary, ['-d', join(dir, 'pgbouncer.ini')], { ...(tools.ids ?? {}), cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbouncer did not start: ${run.stderr || run.stdout}`);
  await waitFor(bouncer.url, 'SELECT true AS ok', 20_000);
}

// ---------------------------------------------------------------------------------------------------------
// App processes and the entry point

function spawnDetached(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: REPO, env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  return child;
}

function httpStatus(target: string): Promise<number> {
  return new Promise((done) => {
    const request = get(target, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    request.on('error', () => done(0));
    request.setTimeout(3_000, () => request.destroy());
  });
}

export async function waitReady(target: string, timeoutMs: number, pid?: number, logFile?: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await httpStatus(`${target}/health/ready`)) === 200) return;
    if (pid && !alive(pid)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(`${target} did not become ready in ${timeoutMs / 1000} s${pid && !alive(pid) ? ' (the process exited)' : ''}\n${tail}`);
}

/** Starts app replica `index` (again) with the cluster's environment; returns at once (waitReady to wait). */
export function spawnApp(state: ClusterState, index: number): AppState {
  const app = state.apps[index];
  const logFile = join(state.dir, 'logs', `app-${index + 1}.log`);
  const child = spawnDetached(process.execPath, [join(REPO, 'scripts/run-ts.js'), join(REPO, 'src/main.ts')], { ...process.env, ...state.appEnv, ...state.secrets, PORT: String(app.port), DATA_DIR: join(state.dir, `app-${index + 1}`) }, logFile);
  const next = { ...app, pid: child.pid!, log: logFile };
  state.apps[index] = next;
  writeState(state);
  return next;
}

function spawnEntry(state: ClusterState): void {
  const entry = state.entry!;
  const logFile = join(state.dir, 'logs', 'entry.log');
  const child = spawnDetached(
    process.execPath,
    [join(REPO, 'scripts/run-ts.js'), join(REPO, 'scripts/cluster/entry-proxy.ts')],
    { ...process.env, ENTRY_PORT: String(entry.port), ENTRY_BACKENDS: state.apps.map((a) => a.url).join(',') },
    logFile,
  );
  state.entry = { ...entry, pid: child.pid! };
  writeState(state);
}

// ---------------------------------------------------------------------------------------------------------
// Up and down

export interface UpOptions {
  replicas?: number;
  standby?: boolean;
  pgbouncer?: boolean;
  entryPort?: number;
  /** Extra environment for the app processes. */
  appEnv?: Record<string, string>;
  /**
   * A primary of your own (a superuser URL to its `vbp` database, e.g. Debian's PostgreSQL 15): no embedded
   * primary and no standby are started; PgBouncer and the replicas go in front of it. CLUSTER_PRIMARY_URL.
   */
  primaryUrl?: string;
}

async function preferredPort(port: number): Promise<number> {
  if (!port) return freePort();
  const { createServer } = await import('net');
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => void freePort().then(done));
    probe.listen(port, '0.0.0.0', () => probe.close(() => done(port)));
  });
}

export async function clusterUp(options: UpOptions = {}): Promise<ClusterState> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const mark = (name: string, from: number) => (timings[name] = Date.now() - from);
  const tools = toolchain();
  mkdirSync(CLUSTER_DIR, { recursive: true, mode: 0o711 });
  chmodSync(CLUSTER_DIR, 0o711); // the server user passes through it
  try {
    chmodSync(resolve(CLUSTER_DIR, '..'), 0o711);
  } catch {
    // not ours
  }
  mkdirSync(join(CLUSTER_DIR, 'logs'), { recursive: true });
  const previous = readState();
  if (previous?.apps.some((a) => alive(a.pid)) || alive(previous?.entry?.pid)) {
    throw new Error(`the cluster in ${CLUSTER_DIR} is already running (npm run cluster:down first)`);
  }
  const password = persistentSecret(CLUSTER_DIR, 'postgres-password', () => randomBytes(18).toString('hex'));
  const secrets = {
    JWT_SECRET: persistentSecret(CLUSTER_DIR, 'jwt-secret', () => randomBytes(48).toString('base64')),
    BID_SEALING_KEY: persistentSecret(CLUSTER_DIR, 'bid-sealing-key', () => randomBytes(32).toString('base64')),
    AUDIT_SIGNING_KEY: persistentSecret(CLUSTER_DIR, 'audit-signing-key', () => randomBytes(32).toString('base64')),
  };
  const replicas = options.replicas ?? APP_REPLICAS;
  const external = options.primaryUrl ?? process.env.CLUSTER_PRIMARY_URL ?? null;
  const withStandby = !external && (options.standby ?? true);
  const withPgbouncer = options.pgbouncer ?? true;
  const primaryPort = previous?.primary.port ?? (await freePort());
  const standbyPort = previous?.standby?.port ?? (await freePort());
  const state: ClusterState = {
    dir: CLUSTER_DIR,
    password,
    primary: { port: primaryPort, dir: join(CLUSTER_DIR, 'primary'), url: url(primaryPort, password), adminUrl: url(primaryPort, password, 'postgres') },
    standby: withStandby ? { port: standbyPort, dir: join(CLUSTER_DIR, 'standby'), url: url(standbyPort, password) } : null,
    pgbouncer: null,
    apps: [],
    entry: null,
    walArchiveDir: join(CLUSTER_DIR, 'wal-archive'),
    secrets,
    appEnv: {},
    startedAt: new Date().toISOString(),
    timings,
  };
  if (external) {
    const parsed = new URL(external);
    const admin = new URL(external);
    admin.pathname = '/postgres';
    state.primary = { port: Number(parsed.port || 5432), dir: '', url: external, adminUrl: admin.toString(), external: true };
    state.password = decodeURIComponent(parsed.password);
  }
  let t = Date.now();
  if (external) {
    const [{ version }] = await sql(external, `SELECT current_setting('server_version') AS version`);
    log(`primary   external PostgreSQL ${String(version)}`);
    await sql(external, `ALTER DATABASE ${parsed(external)} SET default_transaction_isolation = 'read committed'`);
  } else {
    await startPrimary(tools, state);
  }
  mark('primary', t);
  if (!external) log(`primary   ${state.primary.url.replace(/:[^:@/]+@/, ':***@')} (${state.primary.dir})`);
  writeState(state);
  t = Date.now();
  if (withStandby) {
    await startStandby(tools, state);
    mark('standby', t);
    log(`standby   ${state.standby!.url.replace(/:[^:@/]+@/, ':***@')} (streaming from the primary, slot vbp_standby)`);
  }
  t = Date.now();
  if (withPgbouncer) {
    const port = await freePort();
    const through = new URL(state.primary.url);
    through.hostname = '127.0.0.1';
    through.port = String(port);
    state.pgbouncer = { port, url: through.toString(), pidFile: join(CLUSTER_DIR, 'pgbouncer', 'pgbouncer.pid') };
    await startPgbouncer(tools, state);
    mark('pgbouncer', t);
    log(`pgbouncer ${state.pgbouncer.url.replace(/:[^:@/]+@/, ':***@')} (transaction pooling, PgBouncer ${pgbouncerVersion()})`);
  }
  writeState(state);
  state.appEnv = {
    NODE_ENV: 'development',
    DATABASE_URL: state.pgbouncer?.url ?? state.primary.url,
    DATABASE_DIRECT_URL: state.primary.url,
    ...(state.standby ? { DATABASE_READ_URL: state.standby.url } : {}),
    DATABASE_POOLING: state.pgbouncer ? 'transaction' : 'session',
    DB_POOL_SIZE: '10',
    DEMO_DATA: 'true',
    DEMO_HISTORY: 'false',
    CLOCK_CONTROL: 'true',
    JOBS_ENABLED: 'true',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_LOGIN_PER_MINUTE: '0',
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '0',
    AUDIT_CHECKPOINT_DIR: join(CLUSTER_DIR, 'audit-checkpoints'),
    ...options.appEnv,
  };
  const entryPort = await preferredPort(options.entryPort ?? Number(process.env.CLUSTER_PORT || 3000));
  state.appEnv.PUBLIC_BASE_URL = `http://localhost:${entryPort}`;
  for (let i = 0; i < replicas; i++) {
    const port = await freePort();
    state.apps.push({ index: i, port, pid: 0, url: `http://127.0.0.1:${port}`, log: '' });
  }
  t = Date.now();
  // the first replica migrates and seeds (under the start-up lock); the others start meanwhile and wait on it
  const apps = state.apps.map((_, i) => spawnApp(state, i));
  await Promise.all(apps.map((app) => waitReady(app.url, 180_000, app.pid, app.log)));
  mark('apps', t);
  for (const app of state.apps) log(`app ${app.index + 1}     ${app.url} (pid ${app.pid})`);
  state.entry = { port: entryPort, pid: 0, url: `http://127.0.0.1:${entryPort}` };
  spawnEntry(state);
  await waitReady(state.entry.url, 30_000, state.entry.pid, join(CLUSTER_DIR, 'logs', 'entry.log'));
  timings.total = Date.now() - started;
  writeState(state);
  log(`entry     http://localhost:${entryPort}/graphql  (round-robin over ${replicas} replicas)`);
  log(`cluster up in ${(timings.total / 1000).toFixed(1)} s; state in ${join(CLUSTER_DIR, STATE_FILE)}; stop with npm run cluster:down`);
  return state;
}

async function stopPid(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM', ms = 15_000): Promise<void> {
  if (!pid || !alive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const until = Date.now() + ms;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

export async function clusterDown(options: { purge?: boolean } = {}): Promise<void> {
  const state = readState();
  if (!state) {
    log(`no cluster state in ${CLUSTER_DIR}`);
    return;
  }
  const tools = toolchain();
  await stopPid(state.entry?.pid);
  await Promise.all(state.apps.map((app) => stopPid(app.pid)));
  if (state.pgbouncer && existsSync(state.pgbouncer.pidFile)) await stopPid(Number(readFileSync(state.pgbouncer.pidFile, 'utf8')), 'SIGINT');
  if (state.standby && running(state.standby.dir)) pgCtl(tools, state.standby.dir, state.standby.port, '', 'stop');
  if (!state.primary.external && running(state.primary.dir)) pgCtl(tools, state.primary.dir, state.primary.port, '', 'stop');
  log('cluster stopped');
  if (options.purge) {
    rmSync(CLUSTER_DIR, { recursive: true, force: true });
    log(`removed ${CLUSTER_DIR}`);
  }
}
