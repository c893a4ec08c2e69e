// `npm run test:cluster`: the suite that runs against the deployment of `npm run cluster:up` (a primary, a
// streaming standby, PgBouncer, three app replicas, the entry point). Not part of `npm test`. The global
// setup starts the cluster unless one is running (then it is left as found); with CLUSTER_PRIMARY_URL the
// primary is that server (e.g. Debian's PostgreSQL 15, scripts/cluster/with-debian-postgres.sh).
const base = require('./jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  testTimeout: 240000,
  maxWorkers: 1,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  transform: e2e.transform,
  moduleNameMapper: e2e.moduleNameMapper,
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
};
