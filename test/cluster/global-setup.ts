import { alive, clusterUp, readState } from '../../scripts/cluster/cluster-lib';

/** Starts the cluster for the suite unless one is already running (which is then left running). */
export default async function globalSetup() {
  const state = readState();
  if (!process.env.DATABASE_URL && state?.entry && alive(state.entry.pid) && state.apps.every((a) => alive(a.pid))) {
    process.stdout.write(`\nusing the running cluster at ${state.entry.url}\n`);
    return;
  }
  process.env.VBP_CLUSTER_STARTED_BY_TESTS = '1';
  // DATABASE_URL given: the cluster's primary is that server (e.g. Debian's PostgreSQL 15; no standby)
  await clusterUp({ entryPort: 0, primaryUrl: process.env.DATABASE_URL || undefined });
}
