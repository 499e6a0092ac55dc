// `npm run bench -- --only SERVE [--rows 200000] [--seconds 10]`: issue 15's serving figures on the real server.
// Starts the built server (apps/api/dist/main.js) on loopback with 2 serving threads and no rate limit, imports a
// k = 8, 10-dimension model and measures, from one client: rows/s of an NDJSON stream (vector column, then feature
// columns, both with the detail column, then the vector column without it), of JSON batches (10,000 rows each, one
// after another) and of a CSV stream, each of --rows rows with the detail column; then 100 concurrent
// clients sending 100-row JSON batches for --seconds (requests/s, rows/s, p50/p99 latency); and, in the same run,
// the in-process engine's rows/s on the same rows (GaussianMixture.predictWithProba). The ratio served /
// in-process is the figure to push toward 1. The client runs on the same machine as the server: its parsing of
// the answers costs CPU the server does not get.
// Each stream figure is a running server's: the case is first sent WARM_ROWS rows (its code paths compiled by V8
// on both serving threads, as after a few seconds of traffic). The first stream after the server starts, with only
// a few hundred rows before it, is printed on its own line: it pays that compilation (~0.15 s of CPU per thread).
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fitGmm, GaussianMixture, makeBlobs, makeDataMatrix } = require('@mixflow/gmm');
const { startServer, stopServer, json } = require('./datapath');

const DIMS = 10;
const K = 8;
const JSON_BATCH = 10_000;
const CLIENTS = 100;
const CLIENT_ROWS = 100;
/** rows of each stream case sent before it is timed */
const WARM_ROWS = 20_000;

/** POST on `agent`: status, the answer's bytes, milliseconds from the first byte sent to the last received. */
function post(url, body, contentType, agent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': contentType } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function lineCount(buffer) {
  let n = 0;
  for (let at = buffer.indexOf(10); at >= 0; at = buffer.indexOf(10, at + 1)) n++;
  return n;
}

/** CPU seconds the process has used, all its threads (user + system; /proc ticks are 1/100 s on Linux). */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

async function runServe({ rows = 200_000, seconds = 10, json: asJson = false } = {}) {
  const say = (line) => asJson || process.stderr.write(`${line}\n`);
  const { data } = makeBlobs({ rows, dims: DIMS, k: K, seed: 11 });
  const x = data.data;
  const vector = (i) => Array.from(x.subarray(i * DIMS, (i + 1) * DIMS)).join(' ');
  const model = fitGmm(makeDataMatrix(x.subarray(0, 20_000 * DIMS), 20_000, DIMS), { k: K, maxIter: 20, randomSeed: 1 });
  const file = { ...model.toJSON(), vectorCol: 'features' };

  // the engine in this process, on the same rows (labels and probabilities, as the served answers carry)
  const mixture = GaussianMixture.fromJSON(file);
  mixture.predictWithProba(makeDataMatrix(x.subarray(0, 1000 * DIMS), 1000, DIMS)); // warm-up
  let started = performance.now();
  mixture.predictWithProba(makeDataMatrix(x, rows, DIMS));
  const engineRowsPerSecond = rows / ((performance.now() - started) / 1000);
  say(`SERVE: the engine in-process predicts ${Math.round(engineRowsPerSecond)} rows/s`);

  const ndjson = Buffer.from(Array.from({ length: rows }, (_, i) => `{"id":${i},"features":"${vector(i)}"}\n`).join(''));
  const names = Array.from({ length: DIMS }, (_, j) => `f${j}`);
  const ndjsonColumns = Buffer.from(
    Array.from({ length: rows }, (_, i) => `{"id":${i},${names.map((n, j) => `"${n}":${x[i * DIMS + j]}`).join(',')}}\n`).join(''),
  );
  const csv = Buffer.from(
    `id,${names.join(',')}\n` + Array.from({ length: rows }, (_, i) => `${i},${Array.from(x.subarray(i * DIMS, (i + 1) * DIMS)).join(',')}\n`).join(''),
  );
  const batches = [];
  for (let start = 0; start < rows; start += JSON_BATCH) {
    const part = [];
    for (let i = start; i < Math.min(rows, start + JSON_BATCH); i++) part.push({ id: i, features: vector(i) });
    batches.push(Buffer.from(JSON.stringify({ rows: part, predictionDetailCol: 'p' })));
  }
  const small = Array.from({ length: 50 }, (_, b) =>
    Buffer.from(JSON.stringify({ rows: Array.from({ length: CLIENT_ROWS }, (_, i) => ({ features: vector((b * CLIENT_ROWS + i) % rows) })) })),
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-serve-'));
  let server;
  try {
    server = await startServer(dir, { MIXFLOW_PREDICT_RATE: '0', MIXFLOW_MAX_WORKERS: '2' });
    const imported = await json(await fetch(`${server.url}/api/models/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(file) }));
    const predictUrl = `${server.url}/api/models/${imported.id}/predict`;
    const pid = server.child.pid;
    const one = new http.Agent({ keepAlive: true, maxSockets: 1 });

    const firstLines = (body, n) => {
      let end = 0;
      for (let i = 0; i < n; i++) {
        const next = body.indexOf(10, end);
        if (next < 0) return body;
        end = next + 1;
      }
      return body.subarray(0, end);
    };
    const stream = async (body, type, query, expectLines, warmRows = WARM_ROWS) => {
      await post(`${predictUrl}?${query}`, firstLines(body, warmRows), type, one); // warm-up
      const cpu = cpuSeconds(pid);
      const r = await post(`${predictUrl}?${query}`, body, type, one);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.subarray(0, 500)}`);
      const lines = lineCount(r.body);
      if (lines !== expectLines) throw new Error(`${lines} answer lines for ${expectLines} expected`);
      return { rowsPerSecond: rows / (r.ms / 1000), serverCpuMicrosPerRow: ((cpuSeconds(pid) - cpu) * 1e6) / rows };
    };
    // the first stream after the start, a few hundred rows after the first request (the code not yet compiled)
    const firstStream = await stream(ndjson, 'application/x-ndjson', 'predictionDetailCol=p', rows, 200);
    say(`SERVE: NDJSON, the first stream after the start: ${Math.round(firstStream.rowsPerSecond)} rows/s`);
    const ndjsonStream = await stream(ndjson, 'application/x-ndjson', 'predictionDetailCol=p', rows);
    const ndjsonRowsPerSecond = ndjsonStream.rowsPerSecond;
    say(`SERVE: NDJSON, 1 client: ${Math.round(ndjsonRowsPerSecond)} rows/s`);
    // the issue's other NDJSON cases: feature columns instead of a vector column, and no detail column
    const ndjsonColumnsStream = await stream(ndjsonColumns, 'application/x-ndjson', `featureCols=${names.join(',')}&predictionDetailCol=p`, rows);
    say(`SERVE: NDJSON feature columns, 1 client: ${Math.round(ndjsonColumnsStream.rowsPerSecond)} rows/s`);
    const ndjsonPlainStream = await stream(ndjson, 'application/x-ndjson', '', rows);
    say(`SERVE: NDJSON without detail, 1 client: ${Math.round(ndjsonPlainStream.rowsPerSecond)} rows/s`);
    const csvStream = await stream(csv, 'text/csv', `featureCols=${names.join(',')}&predictionDetailCol=p`, rows + 1);
    const csvRowsPerSecond = csvStream.rowsPerSecond;
    say(`SERVE: CSV, 1 client: ${Math.round(csvRowsPerSecond)} rows/s`);

    await post(predictUrl, batches[0], 'application/json', one); // warm-up
    let cpu = cpuSeconds(pid);
    started = performance.now();
    for (const body of batches) {
      const r = await post(predictUrl, body, 'application/json', one);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.subarray(0, 500)}`);
    }
    const jsonRowsPerSecond = rows / ((performance.now() - started) / 1000);
    const jsonCpuMicrosPerRow = ((cpuSeconds(pid) - cpu) * 1e6) / rows;
    say(`SERVE: JSON batches of ${JSON_BATCH} rows, 1 client: ${Math.round(jsonRowsPerSecond)} rows/s`);

    const many = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const latencies = [];
    let failed = 0;
    const until = performance.now() + seconds * 1000;
    cpu = cpuSeconds(pid);
    started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; performance.now() < until; n++) {
          const r = await post(predictUrl, small[(c + n) % small.length], 'application/json', many);
          if (r.status === 200) latencies.push(r.ms);
          else failed++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const concurrent = {
      clients: CLIENTS,
      rowsPerRequest: CLIENT_ROWS,
      seconds: elapsed,
      requests: latencies.length,
      failed,
      requestsPerSecond: latencies.length / elapsed,
      rowsPerSecond: (latencies.length * CLIENT_ROWS) / elapsed,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      serverCpuMicrosPerRequest: ((cpuSeconds(pid) - cpu) * 1e6) / Math.max(1, latencies.length),
    };
    one.destroy();
    many.destroy();

    const [load1] = os.loadavg();
    const serverCpuMicrosPerRow = {
      ndjsonFirstStream: firstStream.serverCpuMicrosPerRow,
      ndjson: ndjsonStream.serverCpuMicrosPerRow,
      ndjsonColumns: ndjsonColumnsStream.serverCpuMicrosPerRow,
      ndjsonWithoutDetail: ndjsonPlainStream.serverCpuMicrosPerRow,
      json: jsonCpuMicrosPerRow,
      csv: csvStream.serverCpuMicrosPerRow,
    };
    const ndjsonColumnsRowsPerSecond = ndjsonColumnsStream.rowsPerSecond;
    const ndjsonWithoutDetailRowsPerSecond = ndjsonPlainStream.rowsPerSecond;
    const result = {
      rows,
      dims: DIMS,
      k: K,
      engineRowsPerSecond,
      ndjsonFirstStreamRowsPerSecond: firstStream.rowsPerSecond,
      ndjsonRowsPerSecond,
      ndjsonColumnsRowsPerSecond,
      ndjsonWithoutDetailRowsPerSecond,
      jsonRowsPerSecond,
      csvRowsPerSecond,
      serverCpuMicrosPerRow,
      concurrent,
      load1,
    };
    if (asJson) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const ratio = (v) => `${(v / engineRowsPerSecond).toFixed(2)} of in-process`;
      console.log(`SERVE  ${rows} rows × ${DIMS} dimensions, k ${K}, with the detail column; 2 serving threads, client and server on one machine`);
      console.log(`  in-process engine:  ${Math.round(engineRowsPerSecond)} rows/s`);
      const cpuOf = (us) => `server CPU ${us.toFixed(1)} µs/row`;
      console.log(`  NDJSON, 1 client:   ${Math.round(ndjsonRowsPerSecond)} rows/s (${ratio(ndjsonRowsPerSecond)}), ${cpuOf(serverCpuMicrosPerRow.ndjson)}`);
      console.log(`    first stream after the start (200 rows before it): ${Math.round(firstStream.rowsPerSecond)} rows/s, ${cpuOf(serverCpuMicrosPerRow.ndjsonFirstStream)}`);
      console.log(`    feature columns:  ${Math.round(ndjsonColumnsRowsPerSecond)} rows/s (${ratio(ndjsonColumnsRowsPerSecond)}), ${cpuOf(serverCpuMicrosPerRow.ndjsonColumns)}`);
      console.log(`    without detail:   ${Math.round(ndjsonWithoutDetailRowsPerSecond)} rows/s (${ratio(ndjsonWithoutDetailRowsPerSecond)}), ${cpuOf(serverCpuMicrosPerRow.ndjsonWithoutDetail)}`);
      console.log(`  JSON, 1 client:     ${Math.round(jsonRowsPerSecond)} rows/s in ${JSON_BATCH}-row batches (${ratio(jsonRowsPerSecond)}), ${cpuOf(serverCpuMicrosPerRow.json)}`);
      console.log(`  CSV, 1 client:      ${Math.round(csvRowsPerSecond)} rows/s (${ratio(csvRowsPerSecond)}), ${cpuOf(serverCpuMicrosPerRow.csv)}`);
      console.log(
        `  ${CLIENTS} clients × ${CLIENT_ROWS}-row JSON batches for ${elapsed.toFixed(1)} s: ${concurrent.requestsPerSecond.toFixed(0)} requests/s, ` +
          `${Math.round(concurrent.rowsPerSecond)} rows/s, p50 ${concurrent.p50Ms.toFixed(0)} ms, p99 ${concurrent.p99Ms.toFixed(0)} ms, ` +
          `server CPU ${(concurrent.serverCpuMicrosPerRequest / 1000).toFixed(2)} ms/request` +
          (failed ? `, ${failed} failed` : ''),
      );
      console.log(`machine: ${os.availableParallelism()} cores, load average ${load1.toFixed(2)} at the end`);
    }
    return result;
  } catch (error) {
    if (server) error.message += `\nserver's last output:\n${server.output().slice(-3000)}`;
    throw error;
  } finally {
    if (server) await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runServe };

if (require.main === module) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  runServe({ rows: arg('rows', 200_000), seconds: arg('seconds', 10) }).catch((error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  });
}
