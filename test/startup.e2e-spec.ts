// Starting the real app process: a fatal fault prints one line (cause and fix) and exits non-zero by itself
// (a hung start would be killed by the harness and fail here; how long an exit takes is printed, not asserted:
// the start transpiles the app, which a busy CI machine slows down), leaving no PostgreSQL behind; and a clone below a private (0700) folder starts as root and keeps
// its data across restarts.
import { spawnSync } from 'child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { createServer, Server } from 'net';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { adminQuery, ADMIN_URL_ENV, AppProcess, databaseUrl, postgresServers, postgresServersAfter, runAppUntilExit, spawnApp } from '@test/harness';

const ROOT = resolve(__dirname, '..');

/** The one line a failed start prints on stderr. */
function faultLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim());
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^VBP platform cannot start: .+ — fix: .+/);
  return lines[0];
}

/** The process ended on its own (the harness kills a hung one, leaving no exit code); the time is printed. */
function exitedByItself(run: { code: number | null; ms: number }): void {
  expect(run.code).not.toBeNull();
  process.stdout.write(`start-up fault: exit ${run.code} after ${run.ms} ms (${expect.getState().currentTestName})\n`);
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolveServer(server));
  });
}

describe('start-up faults', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vbp-startup-'));
  chmodSync(scratch, 0o755); // as root, the server user must reach the data folders below it
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a taken port: one line naming the port and the fix, exit non-zero, no database left running', async () => {
    const blocker = await listen();
    const port = (blocker.address() as { port: number }).port;
    const dataDir = join(scratch, 'port-taken');
    try {
      const run = await runAppUntilExit({ PORT: String(port), DATA_DIR: dataDir });
      expect(run.code).not.toBe(0);
      expect(run.code).not.toBeNull();
      exitedByItself(run);
      expect(faultLine(run.stderr)).toContain(`port ${port} is already in use`);
      expect(faultLine(run.stderr)).toMatch(/set PORT to a free port/);
      expect(await postgresServersAfter(dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('a bad configuration value: one line naming the variable, exit 78 (EX_CONFIG)', async () => {
    const run = await runAppUntilExit({ DB_POOL_SIZE: 'many', DATA_DIR: join(scratch, 'bad-config') });
    expect(run.code).toBe(78);
    exitedByItself(run);
    expect(faultLine(run.stderr)).toMatch(/DB_POOL_SIZE must be a whole number .*fix: correct DB_POOL_SIZE/);
  }, 60_000);

  it('an embedded database that cannot start: one line naming its folder, exit non-zero, nothing left running', async () => {
    const dataDir = join(scratch, 'broken-cluster');
    const clusterDir = join(dataDir, 'postgres', 'cluster');
    mkdirSync(clusterDir, { recursive: true });
    // a cluster PostgreSQL 18 refuses: made by a server version that does not exist
    writeFileSync(join(clusterDir, 'PG_VERSION'), '9\n');
    writeFileSync(join(dataDir, 'postgres', 'password'), 'irrelevant');
    const run = await runAppUntilExit({ DATA_DIR: dataDir });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    exitedByItself(run);
    expect(faultLine(run.stderr)).toContain(`the embedded PostgreSQL in ${clusterDir} did not start`);
    expect(await postgresServersAfter(dataDir)).toEqual([]);
  }, 60_000);

  it('an unreachable DATABASE_URL: one line naming the server, exit non-zero', async () => {
    const blocker = await listen();
    const port = (blocker.address() as { port: number }).port;
    blocker.close(); // a port nobody listens on
    const run = await runAppUntilExit({ DATABASE_URL: `postgres://vbp:secret@127.0.0.1:${port}/vbp`, DATA_DIR: join(scratch, 'no-db') });
    expect(run.code).not.toBe(0);
    exitedByItself(run);
    expect(faultLine(run.stderr)).toMatch(new RegExp(`cannot connect to the database at 127\\.0\\.0\\.1:${port}/vbp \\(ECONNREFUSED.*fix: .*DATABASE_URL`));
  }, 60_000);

  it('a failing migration: one line saying so, exit non-zero', async () => {
    const adminUrl = process.env[ADMIN_URL_ENV]!;
    const name = `t_migfail_${process.pid}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    try {
      // the first migration creates this table, so it fails and is rolled back
      await adminQuery(databaseUrl(adminUrl, name), 'CREATE TABLE audit_log (id integer)');
      const run = await runAppUntilExit({ DATABASE_URL: databaseUrl(adminUrl, name), DATA_DIR: join(scratch, 'migration') }, 120_000);
      expect(run.code).toBe(1);
      expect(faultLine(run.stderr)).toMatch(/a database migration failed and was rolled back: .*audit_log.* already exists — fix: /);
    } finally {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }, 150_000);

  it('a stop request during start-up stops the embedded database it had started', async () => {
    const dataDir = join(scratch, 'interrupted');
    const child = spawnApp({ DATA_DIR: dataDir, DEMO_DATA: 'false' });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      // wait until its PostgreSQL runs, then ask the app to stop
      const until = Date.now() + 60_000;
      while (!postgresServers(dataDir).length && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(postgresServers(dataDir)).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(143); // 128 + SIGTERM: stopped, not failed
      expect(await postgresServersAfter(dataDir)).toEqual([]);
      // the database it stopped is no start-up fault
      expect(stderr).not.toMatch(/cannot start/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 150_000);
});

const asRoot = process.getuid?.() === 0;
(asRoot ? describe : describe.skip)('as root, from a clone below a private (0700) folder', () => {
  it('starts, serves, and keeps its data across a restart; the cluster lives where the server user can reach it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vbp-private-')); // mode 0700, like /root
    const clone = join(parent, 'repo');
    let clusterHome: string | null = null;
    try {
      const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
      for (const file of files) {
        if (!existsSync(join(ROOT, file))) continue;
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        cpSync(join(ROOT, file), join(clone, file));
      }
      // as `npm install` would have it, below the private folder (reached through the link)
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
      const env = { DEMO_DATA: 'false', DATA_DIR: join(clone, '.data') };

      const first = await AppProcess.start(env, 150_000, clone);
      const health = await fetch(`${first.url}/health`);
      expect(health.status).toBe(200);
      await first.stop();

      const record = join(clone, '.data', 'postgres', 'cluster-path');
      expect(existsSync(record)).toBe(true);
      const clusterDir = readFileSync(record, 'utf8').trim();
      clusterHome = dirname(clusterDir);
      expect(clusterDir.startsWith('/var/lib/vbp-platform/clusters/')).toBe(true);
      expect(readFileSync(join(clusterHome, 'DATA_DIR'), 'utf8').trim()).toBe(join(clone, '.data', 'postgres'));
      expect(await postgresServersAfter(clusterDir)).toEqual([]);

      const second = await AppProcess.start(env, 150_000, clone);
      expect(second.output()).not.toMatch(/migrations applied/); // the same database, already migrated
      const login = await fetch(`${second.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { login(username: "admin", password: "Admin#2026") { accessToken } }' }),
      });
      expect(((await login.json()) as { data?: { login?: { accessToken?: string } } }).data?.login?.accessToken).toBeTruthy();
      await second.stop();
      expect(await postgresServersAfter(clusterDir)).toEqual([]);
    } finally {
      if (clusterHome) rmSync(clusterHome, { recursive: true, force: true });
      rmSync(parent, { recursive: true, force: true });
    }
  }, 400_000);
});
