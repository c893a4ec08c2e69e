import { clusterDown } from '../../scripts/cluster/cluster-lib';

export default async function globalTeardown() {
  if (process.env.VBP_CLUSTER_STARTED_BY_TESTS === '1' && process.env.CLUSTER_KEEP !== 'true') await clusterDown();
}
