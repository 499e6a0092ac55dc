#!/usr/bin/env node
// Builds the AVX2 full- and diagonal-covariance kernels (kernels.cc) with node-gyp at `npm install` (libs/gmm's install
// script), from this machine's own compiler and Node headers; nothing is downloaded in their place. A failed build
// is not an error: the engine then runs the WebAssembly kernels, which give the same bits. `npm run build:native -w
// libs/gmm` builds again; `--if-stale` (the root build's) only when the module is missing or older than its source.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** npm's own node-gyp: npm names it in npm_config_node_gyp for install scripts; else the one beside this npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && fs.existsSync(p));
}

/**
 * The Node headers to build against: npm's nodedir when set, else the ones the running Node was installed with
 * (<prefix>/include/node, as Debian's, NodeSource's and the official tarballs lay them out). Never node-gyp's
 * download of them.
 */
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.join(path.dirname(process.execPath), '..')];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

const SOURCE = path.join(__dirname, 'kernels.cc');
const MODULE = path.join(root, 'build', 'Release', 'gmm_native.node');

function stale() {
  if (!fs.existsSync(MODULE)) return true;
  const built = fs.statSync(MODULE).mtimeMs;
  return [SOURCE, path.join(root, 'binding.gyp')].some((f) => fs.statSync(f).mtimeMs > built);
}

function main() {
  if (process.argv.includes('--if-stale') && !stale()) return;
  if (process.env.MIXFLOW_NO_NATIVE) {
    process.stderr.write('@mixflow/gmm: MIXFLOW_NO_NATIVE is set, the native kernels are not built (WebAssembly runs)\n');
    return;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write(`@mixflow/gmm: no native kernels for ${process.platform}-${process.arch} (WebAssembly runs)\n`);
    return;
  }
  const gyp = nodeGyp();
  if (!gyp) {
    process.stderr.write('@mixflow/gmm: node-gyp not found, the native kernels are not built (WebAssembly runs)\n');
    return;
  }
  const dir = nodeDir();
  if (!dir) {
    process.stderr.write("@mixflow/gmm: this Node's headers (include/node) are not installed, the native kernels are not built (WebAssembly runs)\n");
    return;
  }
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    const why = (r.stderr || String(r.error || '')).trim().split('\n').slice(-5).join('\n');
    process.stderr.write(`@mixflow/gmm: building the native kernels failed, WebAssembly runs instead:\n${why}\n`);
    return;
  }
  process.stderr.write('@mixflow/gmm: built the native AVX2 kernels (build/Release/gmm_native.node)\n');
}

main();
