#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: ts-node in transpile-only mode (type checking is
// `npm run typecheck`'s job) plus the tsconfig path aliases. Usage: node scripts/run-ts.js file.ts [args…]
'use strict';
const path = require('path');
const root = path.resolve(__dirname, '..');
require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
require('tsconfig-paths').register({ baseUrl: root, paths: require(path.join(root, 'tsconfig.json')).compilerOptions.paths });
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts.js <file.ts> [args…]\n');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
