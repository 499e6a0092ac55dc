/**
 * Nothing heavy runs on the API's event loop: while a 1,000,000-row fit and batch prediction (and the fit's scatter
 * view), a 2,000-column full-covariance fit (then its cancel) and a 50 MB prediction body run, GET /api/health keeps
 * answering, p99 under 200 ms and never a second late. The latencies are taken by a process of their own, so that this process's own work (building and sending
 * 50 MB) is not counted against the server.
 */
import * as http from 'node:http';
import request from 'supertest';
import { closeAndRemove, followEvents, lcg, percentile, post, runGraph, Server, startSampler, startServer, tempDir, upload, wideCsv } from './harness';

jest.setTimeout(120_000);

const BIG_ROWS = 1_000_000;

/** BIG_ROWS rows of x, y around three centers. */
function bigCsv(): Buffer {
  const rand = lcg(3);
  const parts: string[] = ['x,y\n'];
  for (let i = 0; i < BIG_ROWS; i++) {
    const c = i % 3;
    parts.push(`${(c * 5 + rand()).toFixed(4)},${(c * 3 + rand()).toFixed(4)}\n`);
  }
  return Buffer.from(parts.join(''));
}

/** About `bytes` of a JSON prediction body of x, y rows. */
function predictBody(bytes: number): Buffer {
  const rand = lcg(11);
  const rows: string[] = [];
  let size = 10;
  while (size < bytes) {
    const row = `{"x":${(rand() * 10).toFixed(6)},"y":${(rand() * 6).toFixed(6)}}`;
    rows.push(row);
    size += row.length + 1;
  }
  return Buffer.from(`{"rows":[${rows.join(',')}]}`);
}

/**
 * A Read Dataset of the wide vectors and a k = 2 full-covariance GMM Training of `maxIter` iterations on them;
 * with `predict`, a GMM Prediction of the same rows with the trained model.
 */
function wideFitGraph(datasetId: string, maxIter: number, predict = false) {
  const graph = {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { vectorCol: 'features', k: 2, covarianceType: 'full', maxIter, epsilon: 0, numWorkers: 2 } },
    ],
    edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
  };
  if (!predict) return graph;
  return {
    nodes: [...graph.nodes, { id: 'predict', componentId: 'gmm-predict', position: { x: 0, y: 200 }, params: { vectorCol: 'features', predictionCol: 'c', numWorkers: 2 } }],
    edges: [
      ...graph.edges,
      { id: 'e2', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
      { id: 'e3', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
    ],
  };
}

/** Logs the health latencies of the phases and holds them to the bounds: p99 under 200 ms, none a second late. */
function expectResponsive(taken: number[], phases: string[]): void {
  const latencies = [...taken].sort((a, b) => a - b);
  const p99 = percentile(latencies, 0.99);
  console.log(
    `health while ${phases.join('; ')}: ${latencies.length} requests, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
      `p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
  );
  expect(latencies.length).toBeGreaterThan(100);
  expect(p99).toBeLessThan(200);
  // one long stall is one sample among hundreds, which p99 would not see
  expect(latencies[latencies.length - 1]).toBeLessThan(1000);
}

async function waitForStatus(url: string, runId: string, nodeId: string, status: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const run = (await request(url).get(`/api/runs/${runId}`).expect(200)).body;
    if (run.nodes[nodeId]?.status === status) return;
    if (Date.now() > until) throw new Error(`node ${nodeId} is ${run.nodes[nodeId]?.status}, not ${status}, after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('API end to end: the event loop stays free while heavy work runs', () => {
  let server: Server;
  let url: string;
  let bigId: string;
  let wideId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('responsive'), { MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '2' });
    url = server.url;
    bigId = (await upload(url, bigCsv().toString(), 'big.csv').expect(201)).body.id;
    wideId = (await upload(url, wideCsv(40, 2000).toString(), 'wide.csv').expect(201)).body.id;
  });
  afterAll(() => closeAndRemove(server));

  it('answers /api/health with p99 under 200 ms during a 1M-row fit and prediction, a 2,000-column full fit and its cancel, and a 50 MB prediction body', async () => {
    const body = predictBody(50 * 1024 * 1024);
    const sampler = startSampler(url);
    const phases: string[] = [];
    try {
      // (a) 1,000,000 rows: the start (k-means over every row), the M-steps, then a prediction with its detail text
      const t0 = Date.now();
      const bigRun = await runGraph(url, {
        nodes: [
          { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: bigId } },
          { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { featureCols: ['x', 'y'], k: 3, maxIter: 30, epsilon: 0, numWorkers: 2 } },
          { id: 'predict', componentId: 'gmm-predict', position: { x: 0, y: 200 }, params: { featureCols: ['x', 'y'], predictionCol: 'c', predictionDetailCol: 'p', numWorkers: 2 } },
        ],
        edges: [
          { id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 },
          { id: 'e2', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
          { id: 'e3', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
        ],
      });
      const bigEvents = await followEvents(url, bigRun);
      expect(bigEvents.at(-1)).toMatchObject({ type: 'run', status: 'succeeded' });
      phases.push(`1M-row fit and prediction ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const modelId = (await request(url).get(`/api/runs/${bigRun}`).expect(200)).body.nodes.train.outputs[0].modelId as string;
      // the console's scatter of that fit: 2,000 of the million rows, labelled by the model
      const scatter = (await request(url).get(`/api/runs/${bigRun}/nodes/train/views/scatter?limit=2000`).expect(200)).body;
      expect(scatter.points).toHaveLength(2000);
      expect(scatter.labels).toHaveLength(2000);

      // (b) 2,000 columns, full covariances: each M-step factors 2 × (2000 × 2000); run anyway, then cancel mid-fit
      const t1 = Date.now();
      const wideRun = await runGraph(
        url,
        wideFitGraph(wideId, 50),
        { runAnyway: true },
      );
      await waitForStatus(url, wideRun, 'train', 'running', 30_000);
      await new Promise((r) => setTimeout(r, 3000)); // inside the start or an M-step by now
      const cancelAt = Date.now();
      const cancelled = (await request(url).post(`/api/runs/${wideRun}/cancel`).expect(200)).body;
      expect(Date.now() - cancelAt).toBeLessThan(2000);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.nodes.train.status).toBe('cancelled');
      phases.push(`2,000-column fit ${((cancelAt - t1) / 1000).toFixed(1)} s, cancelled in ${Date.now() - cancelAt} ms`);

      // (c) a 50 MB JSON prediction body
      const t2 = Date.now();
      const answer = await post(`${url}/api/models/${modelId}/predict`, body);
      expect(answer.status).toBe(200);
      expect(answer.text.startsWith('{"rows":[{')).toBe(true);
      phases.push(`50 MB prediction ${((Date.now() - t2) / 1000).toFixed(1)} s`);
    } finally {
      expectResponsive(await sampler.stop(), phases);
    }
  });
});

/** The columns of the wide fit whose model is stored, exported and imported: 2 × 1,500 × 1,500 covariances (4.5 million numbers). */
const WIDE_MODEL_DIMS = 1500;

/** GET `url`'s whole body, on a connection of its own. */
function download(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('API end to end: a wide model is stored, exported and imported off the event loop', () => {
  let server: Server;
  let url: string;
  let wideId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('responsive-models'), { MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '2' });
    url = server.url;
    wideId = (await upload(url, wideCsv(40, WIDE_MODEL_DIMS).toString(), 'wide.csv').expect(201)).body.id;
  });
  afterAll(() => closeAndRemove(server));

  it(`answers /api/health with p99 under 200 ms while a ${WIDE_MODEL_DIMS}-column full-covariance fit finishes and its model is stored, exported, imported and predicted with`, async () => {
    const sampler = startSampler(url);
    const phases: string[] = [];
    try {
      // (a) the fit finishes: its model (tens of MB of JSON) is encoded on the driver thread and written as a file;
      // GMM Prediction hands it to the local engine's workers encoded
      const t0 = Date.now();
      const runId = await runGraph(url, wideFitGraph(wideId, 1, true), { runAnyway: true });
      expect((await followEvents(url, runId)).at(-1)).toMatchObject({ type: 'run', status: 'succeeded' });
      const modelId = (await request(url).get(`/api/runs/${runId}`).expect(200)).body.nodes.train.outputs[0].modelId as string;
      const predicted = (await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/0?limit=40`).expect(200)).body;
      expect(predicted.total).toBe(40);
      phases.push(`fit, store and batch prediction ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      // (b) the export: written on a thread, streamed
      const t1 = Date.now();
      const exported = await download(`${url}/api/models/${modelId}/export`);
      expect(exported.status).toBe(200);
      expect(exported.body.subarray(0, 40).toString()).toMatch(/^\{\n {2}"type": "mixflow\.gmm",/);
      phases.push(`export of ${(exported.body.length / 1024 / 1024).toFixed(0)} MB ${((Date.now() - t1) / 1000).toFixed(1)} s`);

      // (c) the same bytes imported: streamed to a file, parsed and checked on a thread
      const t2 = Date.now();
      const imported = await post(`${url}/api/models/import`, exported.body);
      expect(imported.status).toBe(201);
      const summary = JSON.parse(imported.text);
      expect(summary).toMatchObject({ modelType: 'gmm', k: 2, dims: WIDE_MODEL_DIMS, covarianceType: 'full' });
      expect(summary.id).not.toBe(modelId);
      phases.push(`import ${((Date.now() - t2) / 1000).toFixed(1)} s`);

      // (d) both predict, the same cluster for the same rows (the serving threads parse the models)
      const t3 = Date.now();
      const rand = lcg(5);
      const rows = Array.from({ length: 3 }, () => ({ features: Array.from({ length: WIDE_MODEL_DIMS }, () => rand().toFixed(3)).join(' ') }));
      const trained = (await request(url).post(`/api/models/${modelId}/predict`).send({ rows }).expect(200)).body.rows;
      const again = (await request(url).post(`/api/models/${summary.id}/predict`).send({ rows }).expect(200)).body.rows;
      expect(trained.map((r: { prediction: number }) => r.prediction)).toEqual(again.map((r: { prediction: number }) => r.prediction));
      expect(trained.every((r: { prediction: number }) => r.prediction === 0 || r.prediction === 1)).toBe(true);
      phases.push(`predictions ${((Date.now() - t3) / 1000).toFixed(1)} s`);
    } finally {
      expectResponsive(await sampler.stop(), phases);
    }
    // about 90 s on 2 cores at a load average of 9
  }, 240_000);
});
