// npm run backup            — a base backup of the running server (the cluster's primary when the cluster
//                             is up, else the embedded server of DATA_DIR, which must run with WAL_ARCHIVE_DIR)
// npm run restore -- --to <instant> [--into <dir>]
//                           — point-in-time restore into a new data directory; prints how to start the app on it
// npm run restore -- --stop <dir>   — stops a restored server
// Options: --url <superuser url> --archive <dir> --backups <dir> (a server of your own on this machine).
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { archiveCurrentWal, BackupSource, listBackups, restoreTo, takeBaseBackup } from './backup-lib';
import { readState, REPO } from './cluster-lib';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The server to back up and where its WAL and backups go. */
function source(args: string[]): { source: BackupSource; backupRoot: string; password: string } {
  const url = option(args, '--url');
  if (url) {
    const archiveDir = option(args, '--archive');
    if (!archiveDir) throw new Error('--url needs --archive <the directory its archive_command copies to>');
    return { source: { url, archiveDir: resolve(archiveDir) }, backupRoot: resolve(option(args, '--backups') ?? join(REPO, '.data', 'backups')), password: decodeURIComponent(new URL(url).password) };
  }
  const cluster = readState();
  if (cluster && existsSync(join(cluster.primary.dir, 'postmaster.pid'))) {
    return {
      source: { url: cluster.primary.adminUrl, dataDir: cluster.primary.dir, archiveDir: cluster.walArchiveDir },
      backupRoot: resolve(option(args, '--backups') ?? join(cluster.dir, 'backups')),
      password: cluster.password,
    };
  }
  const dataDir = resolve(process.env.DATA_DIR || join(REPO, '.data'));
  const pg = join(dataDir, 'postgres');
  const archiveDir = process.env.WAL_ARCHIVE_DIR;
  if (!archiveDir) throw new Error('set WAL_ARCHIVE_DIR (the same value the app runs with), or pass --url and --archive');
  if (!existsSync(join(pg, 'port')) || !existsSync(join(pg, 'server.pid'))) throw new Error(`the embedded server of ${dataDir} is not running: start the app (npm start) with WAL_ARCHIVE_DIR set`);
  const password = readFileSync(join(pg, 'password'), 'utf8').trim();
  const port = readFileSync(join(pg, 'port'), 'utf8').trim();
  const clusterDir = existsSync(join(pg, 'cluster-path')) ? readFileSync(join(pg, 'cluster-path'), 'utf8').trim() : join(pg, 'cluster');
  return {
    source: { url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, dataDir: clusterDir, archiveDir: resolve(archiveDir) },
    backupRoot: resolve(option(args, '--backups') ?? join(dataDir, 'backups')),
    password,
  };
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const where = source(args);
  if (command === 'backup') {
    const info = await takeBaseBackup(where.source, where.backupRoot);
    await archiveCurrentWal(where.source.url);
    process.stdout.write(
      `base backup ${info.dir}\n  ${(info.bytes / 1e6).toFixed(1)} MB in ${(info.ms / 1000).toFixed(1)} s, WAL ${info.startLsn} … ${info.stopLsn}, ended ${info.stoppedAt}\n  WAL archive: ${info.archiveDir}\n`,
    );
  } else if (command === 'restore' && option(args, '--stop')) {
    const { runTool, toolchain } = await import('./postgres-tools');
    runTool(toolchain(), 'pg_ctl', ['-D', resolve(option(args, '--stop')!), '-m', 'fast', '-w', 'stop']);
    process.stdout.write('stopped\n');
  } else if (command === 'restore') {
    const to = option(args, '--to');
    if (!to || Number.isNaN(Date.parse(to))) throw new Error('usage: npm run restore -- --to <instant, e.g. 2026-12-05T09:30:00+08:00> [--into <new dir>]');
    const target = new Date(to);
    try {
      await archiveCurrentWal(where.source.url, 15_000); // the WAL up to now, if the source still answers
    } catch {
      // a lost server: restore from what the archive holds
    }
    const into = resolve(option(args, '--into') ?? join(where.backupRoot, `restored-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    const restored = await restoreTo({ target, backupRoot: where.backupRoot, into, password: where.password, archiveDir: where.source.archiveDir });
    process.stdout.write(
      [
        `restored to ${target.toISOString()} from ${restored.backup.dir} in ${(restored.ms / 1000).toFixed(1)} s`,
        `  data directory ${restored.dataDir}, running on port ${restored.port}`,
        `  start the app on it:  DATABASE_URL='${restored.url('vbp')}' npm start`,
        `  then verifyAuditChain as the admin (docs/operations.md, "Restore drills")`,
        `  stop it: npm run restore -- --stop ${restored.dataDir}`,
        '',
      ].join('\n'),
    );
  } else if (command === 'list') {
    for (const b of listBackups(where.backupRoot)) process.stdout.write(`${b.dir}  ended ${b.stoppedAt}  ${(b.bytes / 1e6).toFixed(1)} MB\n`);
  } else {
    throw new Error('usage: backup.ts backup|restore|list');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
