#!/usr/bin/env node
// `npm start` and `npm run worker`: run the built server (or worker), building first only when the build is
// missing or a source file is newer than it, so starting an up-to-date tree takes the server's own start time.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** what `npm run build` produces: the API's entry, the console's page, the worker's entry */
const OUTPUTS = ['apps/api/dist/main.js', 'apps/web/dist/index.html', 'apps/worker/dist/main.js'];
/** touched when `npm run build` has finished (tsc -b leaves unchanged outputs' times alone, so they cannot tell) */
const STAMP = 'apps/api/dist/.build-complete';
/** where the build reads from */
const SOURCES = ['libs', 'plugins', 'apps', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.json'];
const SKIP = new Set(['node_modules', 'dist', 'coverage', '.nx']);

function newestSource(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (SKIP.has(name) || name.startsWith('__') || name.endsWith('.spec.ts') || name.endsWith('.spec.tsx')) continue;
    newest = Math.max(newest, newestSource(path.join(entry, name)));
  }
  return newest;
}

/** True when every output exists and the last complete build is newer than every source file (tests excluded). */
function buildIsCurrent(dir = root) {
  if (![...OUTPUTS, STAMP].every((f) => fs.existsSync(path.join(dir, f)))) return false;
  const built = fs.statSync(path.join(dir, STAMP)).mtimeMs;
  return SOURCES.every((s) => newestSource(path.join(dir, s)) <= built);
}

/** Marks the build complete (the last step of `npm run build`). */
function stampBuild(dir = root) {
  fs.writeFileSync(path.join(dir, STAMP), `${new Date().toISOString()}\n`);
}

module.exports = { buildIsCurrent, stampBuild };

if (require.main === module && process.argv[2] === '--stamp') {
  stampBuild();
} else if (require.main === module) {
  const target = process.argv[2] === 'worker' ? 'apps/worker/dist/main.js' : 'apps/api/dist/main.js';
  if (!buildIsCurrent()) {
    console.error('mixflow: sources changed since the last build; building (npm run build)…');
    const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  require(path.join(root, target));
}
