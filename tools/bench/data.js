// `npm run bench -- --only DATA [--rows 5000000]`: issue 12's figures for data bigger than memory, on the real server.
// Writes a CSV of --rows rows × 10 numeric columns (x0..x9, blobs of 8 clusters, fixed seed; 5,000,000 rows is about
// 1 GB), starts the built server (local engine, 2 workers) on a temporary data folder and uploads it (streamed to a
// temporary file, one scan, DuckDB converts to Parquet); then trains Read Dataset → GMM Training (featureCols
// x0..x9, k 8, full, 5 iterations, epsilon 0) twice, each on a fresh server on the same folder: in memory (2 workers
// × 4096 MB, far above the matrix) and streamed with a 256 MB budget (the server's MIXFLOW_TRAINING_MEMORY_MB=256;
// memory per worker cannot go below PAI's 1024 MB, so the budget is the server's cap, not the Execution Tuning).
// Training reads the rows from the stored Parquet a batch at a time in both modes; streamed, they go to a row file
// that every EM iteration reads again. It prints upload seconds and MB/s, the server's peak resident memory (VmHWM,
// reset once per phase) during upload and during each training, seconds per EM iteration (from the training's
// `iteration` metric, polled: the gap between iteration 1 and the last) and the run log's data mode line.
// Targets (issue 12): upload peak ≤ 400 MB; in-memory training peak ≤ 1.5 × the 8-byte matrix + 300 MB; streamed
// with a 256 MB budget ≤ 2 × the in-memory seconds per iteration.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { makeBlobs } = require('@mixflow/gmm');
const { startServer, stopServer, memoryMb, resetPeak, json, poll } = require('./datapath');

const DIMS = 10;
const K = 8;
const ITERATIONS = 5;

async function writeCsv(file, rows) {
  const out = fs.createWriteStream(file);
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve)));
  const header = `${Array.from({ length: DIMS }, (_, j) => `x${j}`).join(',')}\n`;
  await write(header);
  for (let done = 0, batch = 0; done < rows; batch++) {
    const n = Math.min(20_000, rows - done);
    const { data } = makeBlobs({ rows: n, dims: DIMS, k: K, seed: 2000 + batch });
    const lines = new Array(n);
    for (let i = 0; i < n; i++) lines[i] = Array.from(data.data.subarray(i * DIMS, (i + 1) * DIMS), (v) => v.toFixed(6)).join(',');
    await write(lines.join('\n') + '\n');
    done += n;
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return fs.statSync(file).size;
}

/** Samples the server's peak RSS while `work` runs (VmHWM is the kernel's own peak; reset before). */
async function measured(pid, work) {
  resetPeak(pid);
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000, peakMb: memoryMb(pid).peak };
}

async function train(server, datasetId, memoryPerWorkerMb, label, say) {
  const graph = {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      {
        id: 'train',
        componentId: 'gmm-train',
        position: { x: 0, y: 100 },
        params: {
          featureCols: Array.from({ length: DIMS }, (_, j) => `x${j}`),
          k: K,
          covarianceType: 'full',
          maxIter: ITERATIONS,
          epsilon: 0,
          randomSeed: 1,
          numWorkers: 2,
          memoryPerWorkerMb,
        },
      },
    ],
    edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
  };
  const post = (route, body) => fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const experiment = await json(await post('/api/experiments', { name: `data ${label}`, graph }));
  const seen = new Map();
  const { value: run, seconds, peakMb } = await measured(server.child.pid, async () => {
    let r = await json(await post(`/api/experiments/${experiment.id}/runs`, {}));
    while (r.status === 'queued' || r.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      r = await json(await poll(`${server.url}/api/runs/${r.id}`));
      const it = r.nodes?.train?.metrics?.iteration;
      if (it && !seen.has(it.iteration)) seen.set(it.iteration, it.seconds);
    }
    return r;
  });
  if (run.status !== 'succeeded') throw new Error(`the ${label} run ${run.status}: ${JSON.stringify(run.nodes?.train ?? run.nodes)}`);
  const last = run.nodes.train.metrics.iteration;
  seen.set(last.iteration, last.seconds);
  const first = seen.get(1);
  const perIteration = first !== undefined && last.iteration > 1 ? (last.seconds - first) / (last.iteration - 1) : last.seconds / last.iteration;
  const logs = await json(await poll(`${server.url}/api/runs/${run.id}/logs`));
  const mode = logs.map((l) => l.message ?? String(l)).find((m) => /^data mode:/.test(m)) ?? '(no data mode line in the run log)';
  say(`DATA: ${label}: ${seconds.toFixed(1)} s, ${perIteration.toFixed(2)} s/iteration, peak RSS ${peakMb.toFixed(0)} MB`);
  return { label, memoryPerWorkerMb, seconds, secondsPerIteration: perIteration, peakMb, modeLine: mode };
}

async function runData({ rows = 5_000_000, json: asJson = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-data-'));
  const dataDir = path.join(dir, 'data');
  const say = (line) => asJson || process.stderr.write(`${line}\n`);
  let server;
  try {
    const csv = path.join(dir, 'data.csv');
    say(`DATA: writing a ${rows} × ${DIMS} CSV ...`);
    const bytes = await writeCsv(csv, rows);
    const mb = bytes / 2 ** 20;

    server = await startServer(dataDir);
    const idle = memoryMb(server.child.pid);
    const upload = await measured(server.child.pid, async () => {
      const form = new FormData();
      form.append('file', await fs.openAsBlob(csv, { type: 'text/csv' }), 'data.csv');
      return json(await fetch(`${server.url}/api/datasets`, { method: 'POST', body: form }));
    });
    const dataset = upload.value;
    say(`DATA: uploaded ${dataset.rowCount} rows in ${upload.seconds.toFixed(1)} s, peak RSS ${upload.peakMb.toFixed(0)} MB`);
    await stopServer(server);
    fs.rmSync(csv);

    const matrixMb = (dataset.rowCount * DIMS * 8) / 2 ** 20;
    server = await startServer(dataDir);
    // in memory: a budget far above the matrix
    const inMemory = await train(server, dataset.id, 4096, 'in memory (2 × 4096 MB)', say);
    await stopServer(server);
    // streamed: the server caps a training run's memory at 256 MB, below the matrix
    server = await startServer(dataDir, { MIXFLOW_TRAINING_MEMORY_MB: '256' });
    const streamed = await train(server, dataset.id, 1024, 'streamed (256 MB budget)', say);

    const result = {
      rows: dataset.rowCount,
      csvMb: mb,
      idleRssMb: idle.now,
      upload: { seconds: upload.seconds, mbPerSecond: mb / upload.seconds, peakMb: upload.peakMb, targetMb: 400 },
      matrixMb,
      inMemory: { ...inMemory, targetPeakMb: 1.5 * matrixMb + 300 },
      streamed: { ...streamed, targetSecondsPerIteration: 2 * inMemory.secondsPerIteration },
      loadAverage: os.loadavg(),
    };
    if (asJson) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const ok = (good) => (good ? 'meets' : 'MISSES');
      console.log(`DATA  ${result.rows} rows × ${DIMS} columns, CSV ${mb.toFixed(0)} MB, matrix ${matrixMb.toFixed(0)} MB; server idle RSS ${idle.now.toFixed(0)} MB`);
      console.log(`  upload:    ${upload.seconds.toFixed(1)} s, ${(mb / upload.seconds).toFixed(1)} MB/s, peak RSS ${upload.peakMb.toFixed(0)} MB (${ok(upload.peakMb <= 400)} ≤ 400 MB)`);
      console.log(`  in memory: ${inMemory.secondsPerIteration.toFixed(2)} s/iteration, peak RSS ${inMemory.peakMb.toFixed(0)} MB (${ok(inMemory.peakMb <= result.inMemory.targetPeakMb)} ≤ ${result.inMemory.targetPeakMb.toFixed(0)} MB); log: ${inMemory.modeLine}`);
      const target = result.streamed.targetSecondsPerIteration;
      console.log(`  streamed:  ${streamed.secondsPerIteration.toFixed(2)} s/iteration (${ok(streamed.secondsPerIteration <= target)} ≤ 2 × in memory = ${target.toFixed(2)} s), peak RSS ${streamed.peakMb.toFixed(0)} MB; log: ${streamed.modeLine}`);
      console.log(`  load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min; 2 cores shared)`);
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

module.exports = { runData };
