#!/usr/bin/env node
// The `mixflow` command. Loads the compiled CLI; a fresh clone without a build compiles it once first.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const cliDir = path.resolve(__dirname, '..');
const main = path.join(cliDir, 'dist', 'main.js');

if (!fs.existsSync(main)) {
  process.stderr.write('mixflow: apps/cli/dist is missing; building it once with `tsc -b apps/cli` ...\n');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [cliDir] });
  try {
    execFileSync(process.execPath, [tsc, '-b', cliDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    process.stderr.write('mixflow: the build failed; run `npx tsc -b apps/cli` to see why.\n');
    process.exit(1);
  }
}

require(main).main();
