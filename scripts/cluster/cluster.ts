// npm run cluster:up [-- --replicas N --no-standby --no-pgbouncer --port P] | cluster:down [-- --purge] | cluster:status
// What it starts and why: scripts/cluster/cluster-lib.ts and docs/operations.md ("A province's cluster").
import { clusterDown, clusterUp, readState, alive } from './cluster-lib';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const flag = (name: string) => args.includes(name);
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  if (command === 'up') {
    await clusterUp({
      replicas: value('--replicas') ? Number(value('--replicas')) : undefined,
      standby: !flag('--no-standby'),
      pgbouncer: !flag('--no-pgbouncer'),
      entryPort: value('--port') ? Number(value('--port')) : undefined,
    });
  } else if (command === 'down') {
    await clusterDown({ purge: flag('--purge') });
  } else if (command === 'status') {
    const state = readState();
    if (!state) return void process.stdout.write('no cluster\n');
    const redact = (url: string) => url.replace(/:[^:@/]+@/, ':***@');
    process.stdout.write(
      [
        `primary   ${redact(state.primary.url)}`,
        state.standby ? `standby   ${redact(state.standby.url)}` : 'standby   (none)',
        state.pgbouncer ? `pgbouncer ${redact(state.pgbouncer.url)}` : 'pgbouncer (none)',
        ...state.apps.map((a) => `app ${a.index + 1}     ${a.url} pid ${a.pid} ${alive(a.pid) ? 'running' : 'stopped'}`),
        state.entry ? `entry     ${state.entry.url} pid ${state.entry.pid} ${alive(state.entry.pid) ? 'running' : 'stopped'}` : 'entry     (none)',
        '',
      ].join('\n'),
    );
  } else {
    process.stderr.write('usage: cluster.ts up|down|status\n');
    process.exit(2);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
