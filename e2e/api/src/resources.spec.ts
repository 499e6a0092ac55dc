import request from 'supertest';
import { closeAndRemove, followEvents, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

const DIMS = 2000;
const ROWS = 50;

/** ROWS rows of one DIMS-dimensional vector column: small to upload, large to fit with full covariances */
function wideCsv(): string {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648).toFixed(3);
  const rows = Array.from({ length: ROWS }, () => `"${Array.from({ length: DIMS }, rand).join(' ')}"`);
  return ['features', ...rows].join('\n') + '\n';
}

describe('API end to end: resource guard and parameter bounds', () => {
  let server: Server;
  let url: string;
  let datasetId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('resources'), { MIXFLOW_SEED: '0', MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '1' });
    url = server.url;
    datasetId = (await upload(url, wideCsv(), 'wide.csv').expect(201)).body.id;
  });
  afterAll(() => closeAndRemove(server));

  const graph = (train: Record<string, unknown>) => ({
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { vectorCol: 'features', k: 40, covarianceType: 'full', ...train } },
    ],
    edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
  });

  it('refuses a run whose estimate exceeds workers × memory per worker, naming node, parameter, needed and configured memory', async () => {
    const g = graph({ numWorkers: 1, memoryPerWorkerMb: 1024 });
    const estimate = (await request(url).post('/api/graphs/configure').send({ graph: g }).expect(200)).body.nodes.train.estimate;
    const needed = Math.ceil(estimate.dataAwareMemoryMb ?? estimate.formulaMemoryMb);
    expect(needed).toBeGreaterThan(1024);
    const exp = (await request(url).post('/api/experiments').send({ name: 'too big', graph: g }).expect(201)).body;

    const refused = await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(400);
    expect(refused.body.details).toEqual({ nodeId: 'train', parameter: 'memoryPerWorkerMb' });
    expect(refused.body.message).toContain(`needs about ${needed.toLocaleString('en-US')} MB per worker`);
    expect(refused.body.message).toContain('Memory per worker is 1,024 MB');
    expect(refused.body.errors[0]).toMatchObject({ nodeId: 'train', neededMb: needed, configuredMb: 1024, workers: 1 });
    // nothing was started
    expect((await request(url).get(`/api/experiments/${exp.id}/runs`).expect(200)).body).toEqual([]);

    // the request may say to run anyway
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({ runAnyway: true }).expect(201)).body;
    await request(url).post(`/api/runs/${run.id}/cancel`).expect(200);
    expect(['cancelled', 'failed']).toContain((await followEvents(url, run.id)).at(-1)!.status);
  });

  it('a run within its memory starts', async () => {
    const small = {
      nodes: [{ id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } }],
      edges: [],
    };
    const exp = (await request(url).post('/api/experiments').send({ name: 'small', graph: small }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toMatchObject({ status: 'succeeded' });
  });

  it('trials, maxIter, k and samplings have upper bounds in their descriptions, enforced', async () => {
    const train = (await request(url).get('/api/components').expect(200)).body.components.find((c: { id: string }) => c.id === 'gmm-train');
    const max = (name: string) => train.parameters.find((p: { name: string }) => p.name === name).max;
    for (const name of ['trials', 'maxIter', 'k']) {
      expect(max(name)).toEqual(expect.any(Number));
      const res = await request(url).post('/api/experiments').send({ name: 'bounds', graph: graph({ [name]: max(name) + 1 }) });
      expect([name, res.status, res.body.details]).toEqual([name, 400, { nodeId: 'train', parameter: name }]);
      expect(res.body.message).toContain(`must be at most ${max(name)}`);
    }
    const refined = await request(url).post('/api/experiments').send({ name: 'bounds', graph: graph({ init: 'refined', samplings: max('samplings') + 1 }) });
    expect([refined.status, refined.body.details]).toEqual([400, { nodeId: 'train', parameter: 'samplings' }]);
  });
});
