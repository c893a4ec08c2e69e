// The layering, checked by `npm run lint:boundaries` (part of `npm run lint` and .ci/run).
// docs/context-contracts.md explains the rules and lists the exceptions allowed below.
const CONTEXTS = 'catalog|tendering|agreements|listing|credit|orders|settlement|supervision|publication';

/** Files of another context that every context may import: catalog is the shared master data. */
const CATALOG_PUBLISHED = [
  '^src/catalog/catalog\\.module\\.ts$',
  '^src/catalog/(regions|organisations|products|users)/[^/]+\\.(entity|service)\\.ts$',
];

/** The short list of documented exceptions (docs/context-contracts.md, "Exceptions"). */
const EXCEPTIONS = [
  // pure quantity arithmetic both tendering and agreements must round the same way
  '^src/agreements/agreement-rules\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-not-app',
      comment: 'libs/ is pure code reusable from the app, CLIs and benchmarks: it imports nothing of the app, tests or benchmarks.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(src|test|bench|migrations|scripts)/' },
    },
    {
      name: 'libs-no-framework',
      comment: 'libs/ holds no Nest, TypeORM or database driver code.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '(^|/)node_modules/(@nestjs/|typeorm/|pg/|pg-boss/)' },
    },
    {
      name: 'no-test-code-in-app',
      comment: 'Application, library and migration code never imports the test harness or tests.',
      severity: 'error',
      // documented exception: docs/api.md's unit spec checks the docs against the security suite's matrix (pure data)
      from: { path: '^(src|libs|migrations)/', pathNot: '^src/platform/graphql/api-docs\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'platform-not-contexts',
      comment: 'src/platform is cross-cutting: it knows no bounded context (contexts plug into it through ports).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: `^src/(${CONTEXTS})/` },
    },
    {
      name: 'context-through-ports',
      comment:
        'A context reaches another only through src/platform/ports, published views (SQL), catalog master data ' +
        'or a documented exception (docs/context-contracts.md); *.module.ts files may import other modules for wiring.',
      severity: 'error',
      // documented exception: the demo history drives the whole app through each context's services, like an entry point
      from: { path: `^src/(${CONTEXTS})/`, pathNot: ['\\.module\\.ts$', '^src/catalog/demo/demo-history\\.service\\.ts$'] },
      to: {
        path: `^src/(${CONTEXTS})/`,
        pathNot: ['^src/$1/', ...CATALOG_PUBLISHED, ...EXCEPTIONS],
      },
    },
    {
      name: 'modules-wire-modules-only',
      comment: 'A context module imports another context only as a module (for dependency injection wiring).',
      severity: 'error',
      from: { path: `^src/(${CONTEXTS})/[^/]+\\.module\\.ts$` },
      to: {
        path: `^src/(${CONTEXTS})/`,
        pathNot: ['^src/$1/', `^src/(${CONTEXTS})/[^/]+\\.module\\.ts$`],
      },
    },
    {
      name: 'entry-points-in-cli',
      comment:
        'Only entry points compose the whole app: src/main.ts, command-line tools under src/cli/, the test harness and benchmarks.',
      severity: 'error',
      from: { pathNot: '^(src/main\\.ts|src/cli/|test/|bench/)' },
      to: { path: '^src/app\\.module\\.ts$' },
    },
    {
      name: 'cli-not-imported',
      comment: 'Command-line entry points are run, never imported.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-dev-deps-in-app',
      comment:
        'Code that runs in production (src, libs, migrations) uses runtime dependencies only; specs and the ' +
        'test-only OCDS schema validator (ajv) are not shipped code.',
      severity: 'error',
      from: { path: '^(src|libs|migrations)/', pathNot: ['\\.spec\\.ts$', '^libs/supervision-rules/src/ocds/ocds-validator\\.ts$'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-packages',
      comment: 'Every package imported is declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo in a relative path or an undeclared package).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.data)/' },
    // type-only imports count: an interface from another context is coupling too
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
