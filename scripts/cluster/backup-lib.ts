// Backups with PostgreSQL's own mechanisms and the embedded package's own binaries (it ships no pg_dump or
// pg_basebackup): continuous WAL archiving into a directory (archive_command, set by WAL_ARCHIVE_DIR for the
// embedded server and always on in the cluster's primary) plus base backups through the low-level backup
// functions (pg_backup_start / copy / pg_backup_stop); point-in-time restore into a new data directory with
// restore_command and recovery_target_time. docs/operations.md, "Backups", has the procedure for a server
// of your own.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { freePort } from '../../src/platform/database/embedded-postgres';
import { appendConf, baseCopy, giveToServer, makeServerDir, runTool, toolchain, waitFor } from './postgres-tools';

export interface BackupSource {
  /** A superuser connection to the server (on this machine). */
  url: string;
  /** Its data directory (SHOW data_directory when not given). */
  dataDir?: string;
  /** Where its archive_command copies WAL segments. */
  archiveDir: string;
}

export interface BaseBackupInfo {
  dir: string;
  label: string;
  startLsn: string;
  stopLsn: string;
  startedAt: string;
  stoppedAt: string;
  archiveDir: string;
  serverVersion: string;
  /** Settings a standby or a restore must not set lower than the source had (recovery refuses to start). */
  settings: Record<string, string>;
  bytes: number;
  ms: number;
}

async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Closes the current WAL segment and waits until the archiver has copied it (so a restore can reach now). */
export async function archiveCurrentWal(url: string, timeoutMs = 30_000): Promise<string> {
  const [{ segment }] = await query<{ segment: string }>(url, 'SELECT pg_walfile_name(pg_switch_wal()) AS segment');
  await waitFor(url, `SELECT coalesce(last_archived_wal >= '${segment}', false) AS ok FROM pg_stat_archiver`, timeoutMs);
  return segment;
}

/** A base backup of `source` into `<backupRoot>/base-<time>/` (data/ and backup.json). */
export async function takeBaseBackup(source: BackupSource, backupRoot: string): Promise<BaseBackupInfo> {
  const started = Date.now();
  const tools = toolchain();
  const [settings] = await query<{ archive_mode: string; data_directory: string; version: string }>(
    source.url,
    `SELECT current_setting('archive_mode') AS archive_mode, current_setting('data_directory') AS data_directory, current_setting('server_version') AS version`,
  );
  if (settings.archive_mode === 'off') {
    throw new Error('the server does not archive its WAL (archive_mode = off): start it with WAL_ARCHIVE_DIR set (embedded) or archive_mode/archive_command (your own server)');
  }
  const hot = await query<{ name: string; setting: string }>(
    source.url,
    `SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
  );
  const label = `vbp-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const dir = join(backupRoot, label.replace(/^vbp-/, 'base-'));
  mkdirSync(dir, { recursive: true });
  const copy = await baseCopy(tools, source.url, source.dataDir ?? settings.data_directory, join(dir, 'data'), label);
  const info: BaseBackupInfo = {
    dir,
    label,
    startLsn: copy.startLsn,
    stopLsn: copy.stopLsn,
    startedAt: copy.startedAt.toISOString(),
    stoppedAt: copy.stoppedAt.toISOString(),
    archiveDir: source.archiveDir,
    serverVersion: settings.version,
    settings: Object.fromEntries(hot.map((row) => [row.name, row.setting])),
    bytes: copy.bytes,
    ms: Date.now() - started,
  };
  writeFileSync(join(dir, 'backup.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

export function listBackups(backupRoot: string): BaseBackupInfo[] {
  if (!existsSync(backupRoot)) return [];
  return readdirSync(backupRoot)
    .filter((name) => name.startsWith('base-') && existsSync(join(backupRoot, name, 'backup.json')))
    .map((name) => JSON.parse(readFileSync(join(backupRoot, name, 'backup.json'), 'utf8')) as BaseBackupInfo)
    .sort((a, b) => a.stoppedAt.localeCompare(b.stoppedAt));
}

export interface RestoreResult {
  dataDir: string;
  port: number;
  /** postgres://…/<database> of the restored server (same superuser password as the source). */
  url(database: string): string;
  backup: BaseBackupInfo;
  /** From copying the base backup to the server accepting writes after replaying up to the target. */
  ms: number;
  stop(): void;
}

/**
 * Point-in-time restore: the newest base backup that ended before `target`, copied into `into`, replayed
 * from the WAL archive up to `target` (every transaction committed at or before it, none after), then
 * promoted. The server is left running on a free port (stop() stops it).
 */
export async function restoreTo(options: { target: Date; backupRoot: string; into: string; password: string; archiveDir?: string }): Promise<RestoreResult> {
  const started = Date.now();
  const tools = toolchain();
  const candidates = listBackups(options.backupRoot).filter((b) => new Date(b.stoppedAt) <= options.target);
  const backup = candidates[candidates.length - 1];
  if (!backup) throw new Error(`no base backup in ${options.backupRoot} ended before ${options.target.toISOString()}`);
  const archiveDir = options.archiveDir ?? backup.archiveDir;
  if (existsSync(join(options.into, 'PG_VERSION'))) throw new Error(`${options.into} already holds a database: restore into a new directory`);
  makeServerDir(tools, options.into);
  cpSync(join(backup.dir, 'data'), options.into, { recursive: true, verbatimSymlinks: true });
  for (const leftover of ['standby.signal', 'postmaster.pid']) rmSync(join(options.into, leftover), { force: true });
  appendConf(options.into, {
    ...(backup.settings ?? {}),
    restore_command: `cp '${archiveDir}/%f' '%p'`,
    // PostgreSQL's own timestamp syntax (it refuses the ISO 'T…Z' form here)
    recovery_target_time: options.target.toISOString().replace('T', ' ').replace('Z', '+00'),
    recovery_target_action: 'promote',
    // the restored server must not archive into (or stream from) the source's places
    archive_mode: 'off',
    primary_conninfo: '',
    primary_slot_name: '',
  });
  writeFileSync(join(options.into, 'recovery.signal'), '');
  giveToServer(tools, options.into);
  const port = await freePort();
  const logFile = join(options.into, 'restore.log');
  try {
    runTool(tools, 'pg_ctl', ['-D', options.into, '-l', logFile, '-w', '-t', '300', '-o', `-p ${port} -c listen_addresses=127.0.0.1`, 'start']);
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  const url = (database: string) => `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;
  await waitFor(url('postgres'), 'SELECT NOT pg_is_in_recovery() AS ok', 300_000);
  return {
    dataDir: options.into,
    port,
    url,
    backup,
    ms: Date.now() - started,
    stop: () => void runTool(tools, 'pg_ctl', ['-D', options.into, '-m', 'fast', '-w', 'stop'], { allowFail: true }),
  };
}
