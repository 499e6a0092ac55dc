// `npm run bench -- --only DATAPATH [--mb 200]`: the data path from upload to EM on the real server.
// Writes a CSV of about --mb MB (an id and a 10-dimension Alink vector per row, fixed seed), starts the built
// server (apps/api/dist/main.js) on a temporary data folder with the local engine and uploads the CSV; then
// starts the server again on the same folder (so what the upload left on the heap does not count) and runs
// Read Dataset → GMM Training (k 4, 3 iterations, 2 workers). It reads each server's peak resident memory
// (/proc/<pid>/status VmHWM, set back to the current RSS through /proc/<pid>/clear_refs once it is up), and lists
// the files the run wrote.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { makeBlobs } = require('@mixflow/gmm');

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'apps', 'api', 'dist', 'main.js');
const DIMS = 10;
const K = 4;

/** Writes the CSV in batches of blobs (seeded per batch) until it reaches `bytes`; returns its rows and size. */
async function writeCsv(file, bytes) {
  const out = fs.createWriteStream(file);
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve)));
  await write('id,features\n');
  let rows = 0;
  let size = 'id,features\n'.length;
  for (let batch = 0; size < bytes; batch++) {
    const { data } = makeBlobs({ rows: 10_000, dims: DIMS, k: K, seed: 1000 + batch });
    let text = '';
    for (let i = 0; i < data.rows && size + text.length < bytes; i++) {
      text += `${rows + 1},${Array.from(data.data.subarray(i * DIMS, (i + 1) * DIMS)).join(' ')}\n`;
      rows++;
    }
    size += text.length;
    await write(text);
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return { rows, bytes: fs.statSync(file).size };
}

function memoryMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

/** Sets the peak (VmHWM) back to the current RSS, so the next reading is the peak of the next phase only. */
function resetPeak(pid) {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** The built server on `dir` (loopback, any free port); `env` adds to or overrides its environment. */
async function startServer(dir, env = {}) {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm run bench does)`);
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [MAIN], {
    cwd: dir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      MIXFLOW_DATA: dir,
      MIXFLOW_DB: path.join(dir, 'mixflow.sqlite'),
      MIXFLOW_ENGINE: 'local',
      MIXFLOW_MAX_WORKERS: '2',
      MIXFLOW_MAX_UPLOAD_MB: '4096',
      MIXFLOW_SEED: '0',
      MIXFLOW_WEB_DIST: path.join(dir, 'no-web'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = /serving on http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

async function json(response) {
  const body = await response.json();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * GET that tries again when the connection drops: a server busy reading 200 MB may let an idle keep-alive socket
 * close just as the next poll reuses it.
 */
async function poll(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt === 5) throw new Error(`GET ${url}: ${error.message} (${error.cause?.message ?? 'no cause'})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Every file under `dir`, relative, with its size in MB. */
function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map((name) => path.join(dir, String(name)))
    .filter((file) => fs.statSync(file).isFile())
    .map((file) => ({ file: path.relative(dir, file), mb: fs.statSync(file).size / 2 ** 20 }));
}

async function runDatapath({ mb = 200, json: asJson = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-datapath-'));
  const dataDir = path.join(dir, 'data');
  const say = (line) => asJson || process.stderr.write(`${line}\n`);
  let server;
  try {
    const csv = path.join(dir, 'datapath.csv');
    say(`DATAPATH: writing a ${mb} MB CSV ...`);
    const written = await writeCsv(csv, mb * 2 ** 20);

    server = await startServer(dataDir);
    const idle = memoryMb(server.child.pid);
    resetPeak(server.child.pid);
    let started = performance.now();
    const form = new FormData();
    form.append('file', await fs.openAsBlob(csv, { type: 'text/csv' }), 'datapath.csv');
    const dataset = await json(await fetch(`${server.url}/api/datasets`, { method: 'POST', body: form }));
    const upload = { seconds: (performance.now() - started) / 1000, peakMb: memoryMb(server.child.pid).peak };
    say(`DATAPATH: uploaded ${dataset.rowCount} rows in ${upload.seconds.toFixed(1)} s, peak RSS ${upload.peakMb.toFixed(0)} MB`);
    await stopServer(server);

    server = await startServer(dataDir);
    const pid = server.child.pid;
    const graph = {
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: dataset.id } },
        {
          id: 'train',
          componentId: 'gmm-train',
          position: { x: 0, y: 100 },
          params: { vectorCol: 'features', k: K, maxIter: 3, epsilon: 0, randomSeed: 1, numWorkers: 2 },
        },
      ],
      edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
    };
    const post = (route, body) =>
      fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const experiment = await json(await post('/api/experiments', { name: 'datapath', graph }));
    resetPeak(pid);
    started = performance.now();
    let run = await json(await post(`/api/experiments/${experiment.id}/runs`, {}));
    while (run.status === 'queued' || run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      run = await json(await poll(`${server.url}/api/runs/${run.id}`));
    }
    if (run.status !== 'succeeded') throw new Error(`the run ${run.status}: ${JSON.stringify(run.nodes)}`);
    const training = { seconds: (performance.now() - started) / 1000, peakMb: memoryMb(pid).peak };
    const runFiles = filesUnder(path.join(dataDir, 'runs', run.id));
    const datasetFiles = filesUnder(path.join(dataDir, 'datasets'));
    say(`DATAPATH: read + trained in ${training.seconds.toFixed(1)} s, peak RSS ${training.peakMb.toFixed(0)} MB`);

    const result = { csvMb: written.bytes / 2 ** 20, rows: written.rows, idleRssMb: idle.now, upload, training, datasetFiles, runFiles };
    if (asJson) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      console.log(`DATAPATH  CSV ${result.csvMb.toFixed(0)} MB, ${result.rows} rows × ${DIMS}-dimension vectors; server idle RSS ${idle.now.toFixed(0)} MB`);
      console.log(`  upload:          ${upload.seconds.toFixed(1)} s, peak server RSS ${upload.peakMb.toFixed(0)} MB`);
      console.log(`  read + training: ${training.seconds.toFixed(1)} s, peak server RSS ${training.peakMb.toFixed(0)} MB (a fresh server; k ${K}, 3 iterations, 2 workers)`);
      console.log(`  dataset files:   ${datasetFiles.map((f) => `${f.file} ${f.mb.toFixed(1)} MB`).join(', ')}`);
      console.log(`  run files:       ${runFiles.map((f) => `${f.file} ${f.mb.toFixed(1)} MB`).join(', ') || '(none)'}`);
    }
    return result;
  } catch (error) {
    if (server) error.message += `\nserver exit ${server.child.exitCode ?? server.child.signalCode ?? '(running)'}; its last output:\n${server.output().slice(-3000)}`;
    throw error;
  } finally {
    if (server) await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

module.exports = { runDatapath, startServer, stopServer, memoryMb, resetPeak, json, poll, filesUnder };
