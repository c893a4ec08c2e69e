#!/usr/bin/env node
// npm run build: compiles the app (src, libs, migrations) with tsc into dist/, then
// - rewrites the tsconfig path aliases (@libs/…) in the emitted JavaScript to relative paths, so the compiled
//   app needs no resolver hook at run time;
// - writes dist/main.js, the production entry point (`node dist/main.js`, see `npm run start:prod`).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const started = Date.now();

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// the cockpit's and portal's static pages ship beside their compiled controller
fs.cpSync(path.join(root, 'src/platform/web/pages'), path.join(dist, 'src/platform/web/pages'), { recursive: true });

// @libs/<name> → dist/libs/<name>/src, as a path relative to each emitted file
const { paths } = require(path.join(root, 'tsconfig.json')).compilerOptions;
const aliases = Object.entries(paths).map(([alias, [target]]) => [alias, path.join(dist, target)]);
function rewrite(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = text.replace(/require\("(@libs\/[^"]+)"\)/g, (whole, specifier) => {
    const found = aliases.find(([alias]) => alias === specifier);
    if (!found) throw new Error(`${path.relative(root, file)}: no tsconfig path for ${specifier}`);
    let relative = path.relative(path.dirname(file), found[1]).split(path.sep).join('/');
    if (!relative.startsWith('.')) relative = `./${relative}`;
    return `require("${relative}")`;
  });
  if (out !== text) fs.writeFileSync(file, out);
}
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.js')) rewrite(full);
  }
})(dist);

// Data the app reads at run time would be copied here, beside the compiled code that reads it; today there is
// none (demo data and migrations are TypeScript, compiled above; the OCDS schemas serve the tests only).

fs.writeFileSync(
  path.join(dist, 'main.js'),
  "'use strict';\n// Production entry point written by scripts/build.js: the compiled app starts from src/main.js.\nrequire('./src/main.js');\n",
);
process.stdout.write(`build: dist/ written in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
