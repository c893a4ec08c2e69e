// Helpers shared by the cluster (cluster.ts) and backup (backup.ts) scripts: the embedded package's own
// PostgreSQL binaries (initdb, pg_ctl, postgres — it ships no pg_basebackup or pg_dump), run as the server
// user, and a base copy of a running server through the low-level backup functions.
import { spawnSync } from 'child_process';
import { appendFileSync, chownSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { embeddedToolchain } from '../../src/platform/database/embedded-postgres';
export { walArchiveSettings } from '../../src/platform/database/embedded-postgres';

export type Tool = 'initdb' | 'pg_ctl' | 'postgres';

export interface Toolchain {
  bin(name: Tool): string;
  ids: { uid: number; gid: number } | null;
  version: string;
}

export function toolchain(): Toolchain {
  return embeddedToolchain();
}

/** Runs a PostgreSQL binary as the server user; throws with its output when it fails. */
export function runTool(tools: Toolchain, name: Tool, args: string[], options: { allowFail?: boolean; timeoutMs?: number } = {}): { status: number | null; output: string } {
  const run = spawnSync(tools.bin(name), args, {
    ...(tools.ids ?? {}),
    cwd: '/',
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0 && !options.allowFail) throw new Error(`${name} ${args.join(' ')} failed (${run.status ?? run.signal}): ${output.trim().split('\n').slice(-5).join(' | ')}`);
  return { status: run.status, output };
}

/** Makes `dir` (and what is below it) the server user's, so the server can use it. */
export function giveToServer(tools: Toolchain, dir: string): void {
  if (!tools.ids) return;
  const { uid, gid } = tools.ids;
  const walk = (path: string) => {
    chownSync(path, uid, gid);
    const stat = lstatSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
}

export function makeServerDir(tools: Toolchain, dir: string, mode = 0o700): void {
  mkdirSync(dir, { recursive: true, mode });
  if (tools.ids) chownSync(dir, tools.ids.uid, tools.ids.gid);
}

/** A value for postgresql.conf: single-quoted, quotes doubled. */
export function confValue(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function appendConf(dataDir: string, settings: Record<string, string>, file = 'postgresql.auto.conf'): void {
  const lines = Object.entries(settings).map(([name, value]) => `${name} = ${confValue(value)}`);
  appendFileSync(join(dataDir, file), `\n# added by scripts/cluster\n${lines.join('\n')}\n`);
}


/** What a base copy leaves out: the server's runtime files and the WAL (which comes from the archive or the stream). */
const SKIP_TOP = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans', 'log', 'backup_label.old']);

/** Copies a live data directory file by file; a file removed meanwhile (a dropped relation) is skipped. */
function copyLiveTree(from: string, to: string, top: boolean): number {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  let bytes = 0;
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (top && SKIP_TOP.has(entry.name)) {
      if (entry.isDirectory()) mkdirSync(target, { recursive: true, mode: 0o700 }); // the folder must exist, empty
      continue;
    }
    try {
      if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
      else if (entry.isDirectory()) bytes += copyLiveTree(source, target, false);
      else {
        copyFileSync(source, target);
        bytes += lstatSync(target).size;
      }
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
  return bytes;
}

export interface BaseCopy {
  /** Where the backup began and ended in the WAL, and when. */
  startLsn: string;
  stopLsn: string;
  startedAt: Date;
  stoppedAt: Date;
  bytes: number;
}

/**
 * A base copy of the server at `url` whose data directory is `sourceDir` (same machine), into `targetDir`:
 * pg_backup_start, copy the files, pg_backup_stop, and the backup_label it returns written into the copy.
 * The copy needs the WAL from startLsn to stopLsn to be consistent: from the archive (restore_command) or
 * streamed from the primary (a standby with primary_conninfo and a replication slot).
 */
export async function baseCopy(tools: Toolchain, url: string, sourceDir: string, targetDir: string, label: string): Promise<BaseCopy> {
  const client = new Client({ connectionString: url, application_name: 'vbp-base-backup' });
  await client.connect();
  try {
    const startedAt = new Date();
    const [{ lsn: startLsn }] = (await client.query<{ lsn: string }>('SELECT pg_backup_start($1, true)::text AS lsn', [label])).rows;
    let bytes = 0;
    try {
      bytes = copyLiveTree(sourceDir, targetDir, true);
    } catch (error) {
      await client.query('SELECT pg_backup_stop(false)').catch(() => undefined);
      throw error;
    }
    // waits until the WAL it needs is archived when archiving is on (wait_for_archive)
    const [stop] = (await client.query<{ lsn: string; labelfile: string; spcmapfile: string | null }>(
      'SELECT lsn::text AS lsn, labelfile, spcmapfile FROM pg_backup_stop(true)',
    )).rows;
    writeFileSync(join(targetDir, 'backup_label'), stop.labelfile);
    if (stop.spcmapfile) writeFileSync(join(targetDir, 'tablespace_map'), stop.spcmapfile);
    giveToServer(tools, targetDir);
    return { startLsn, stopLsn: stop.lsn, startedAt, stoppedAt: new Date(), bytes };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits until a query against `url` answers true (e.g. recovery finished). */
export async function waitFor(url: string, sql: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>(sql);
      if (rows[0]?.ok) return;
      last = 'not yet';
    } catch (error) {
      last = (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${sql} on ${url.replace(/:[^:@/]+@/, ':***@')}: ${last}`);
}
