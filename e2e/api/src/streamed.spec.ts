import * as fs from 'node:fs';
import request from 'supertest';
import { blobs, blobsCsv, dataFiles, followEvents, pipelineGraph, startServer, tempDir, upload } from './harness';

// two servers, one after the other, on one data folder: slow on a busy machine
jest.setTimeout(120_000);

/** Runs Read Dataset → GMM Training → GMM Prediction on the server at `url`; the run, its log and its model. */
async function train(url: string, datasetId: string) {
  const graph = pipelineGraph(datasetId, { numWorkers: 2, memoryPerWorkerMb: 1024, maxIter: 8, epsilon: 0 });
  const exp = (await request(url).post('/api/experiments').send({ name: 'streamed', graph }).expect(201)).body;
  const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
  expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
  const logs: { message: string }[] = (await request(url).get(`/api/runs/${run.id}/logs`).expect(200)).body;
  const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
  const model = (await request(url).get(`/api/runs/${run.id}/nodes/train/outputs/0`).expect(200)).body.model;
  return { logs: logs.map((l) => l.message), metrics: done.nodes.train.metrics, model };
}

describe('API end to end: training streams a stored dataset from disk when it does not fit the memory budget', () => {
  const dir = tempDir('mixflow-e2e-streamed-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('streams under MIXFLOW_TRAINING_MEMORY_MB, says so, leaves no row file, and gives the in-memory model', async () => {
    const rows = blobs([[0, 0], [6, 0], [0, 6]], 400);
    let streamed;
    let datasetId: string;
    const capped = await startServer(dir, { MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '2', MIXFLOW_TRAINING_MEMORY_MB: '0.01', MIXFLOW_SEED: '0' });
    try {
      datasetId = (await upload(capped.url, blobsCsv(rows), 'blobs.csv').expect(201)).body.id;
      streamed = await train(capped.url, datasetId);
    } finally {
      await capped.close();
    }
    expect(streamed.logs).toContainEqual(expect.stringMatching(/^data mode: streamed; the 1200 × 2 matrix \(0\.018 MB\) does not fit the run's memory budget of 0\.01 MB/));
    expect(streamed.logs).toContainEqual(expect.stringContaining('the start runs on a seeded sample of 1200 of the 1200 rows'));
    expect(streamed.metrics.dataMode).toMatchObject({ mode: 'stream', budgetMb: 0.01 });
    expect(streamed.model.training).toMatchObject({ dataMode: 'stream', rows: 1200 });
    expect(dataFiles(dir).tmp.filter((f) => f.endsWith('.rows'))).toEqual([]);

    const open = await startServer(dir, { MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '2', MIXFLOW_SEED: '0' });
    try {
      const inMemory = await train(open.url, datasetId);
      expect(inMemory.logs).toContainEqual(expect.stringMatching(/^data mode: in memory; the 1200 × 2 matrix \(0\.018 MB\) fits the run's memory budget of 2048 MB/));
      expect(inMemory.model.training.dataMode).toBe('memory');
      // the sample is every row here, so the k-means start is the same: the same model, bit for bit
      expect(inMemory.model.means).toEqual(streamed.model.means);
      expect(inMemory.model.covariances).toEqual(streamed.model.covariances);
      expect(inMemory.model.weights).toEqual(streamed.model.weights);
    } finally {
      await open.close();
    }
  });
});
