// ESLint (flat config) with typescript-eslint's type-aware recommended rules; `npm run lint`.
// Layering between folders is dependency-cruiser's job (.dependency-cruiser.js), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // the codebase's convention: a leading underscore marks a deliberately unused binding
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // tests and benchmarks read untyped GraphQL/JSON responses (supertest's body is `any`) and raw SQL rows;
    // typing every response would double the test code without catching anything a failing assertion does not
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', 'libs/*/src/spec-helpers.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // stubs and fakes implement async interfaces (ports, services) with answers they already have
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Apollo plugin hooks must return promises; `async` without `await` is how these implement that interface
    files: [
      'src/platform/graphql/graphql-setup.ts',
      'src/platform/graphql/graphiql.ts',
      'src/platform/http/body-limits.ts',
      'src/platform/metrics/metrics.plugin.ts',
      'src/platform/rate-limit/rate-limiter.ts',
    ],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // plain JavaScript (configs, scripts): no type information, CommonJS
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // the pages the app serves (/console, /public): browser scripts, ECharts loaded before them
    files: ['src/platform/web/pages/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, echarts: 'readonly' } },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
