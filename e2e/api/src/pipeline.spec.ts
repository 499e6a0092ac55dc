import request from 'supertest';
import { GaussianMixture, makeDataMatrix } from '@mixflow/gmm';
import { blobs, blobsCsv, closeAndRemove, dataFiles, followEvents, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(60_000);

const CENTERS: [number, number][] = [
  [0, 0],
  [10, 10],
  [10, -10],
];

/** the share of rows whose predicted cluster matches the true label under the best one-to-one relabelling */
function agreement(truth: number[], predicted: number[], k: number): number {
  const perms = (xs: number[]): number[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
  let best = 0;
  for (const p of perms([...Array(k).keys()])) {
    const hits = truth.filter((t, i) => p[t] === predicted[i]).length;
    best = Math.max(best, hits / truth.length);
  }
  return best;
}

describe('API end to end: dataset → experiment → run → model', () => {
  let server: Server;
  let url: string;
  const rows = blobs(CENTERS, 60);

  beforeAll(async () => {
    server = await startServer(tempDir('pipeline'));
    url = server.url;
  });
  afterAll(() => closeAndRemove(server));

  it('serves health, the components, the OpenAPI document with the DTOs, and the first-start samples', async () => {
    expect((await request(url).get('/api/health')).body).toMatchObject({ status: 'ok', engine: 'inline' });
    const components = await request(url).get('/api/components').expect(200);
    expect(components.body.components.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['read-dataset', 'gmm-train', 'gmm-predict', 'gmm-predict-stream']));
    expect(components.body.tabs.map((t: { label: string }) => t.label)).toContain('Execution Tuning');
    const doc = (await request(url).get('/api/docs-json').expect(200)).body;
    expect(doc.paths['/api/models/{id}/predict']).toBeDefined();
    expect(doc.paths['/api/runs/{id}/nodes/{nodeId}/views/{viewId}']).toBeDefined();
    const train = components.body.components.find((c: { id: string }) => c.id === 'gmm-train');
    expect(train.views.find((v: { id: string }) => v.id === 'scatter')).toEqual({ id: 'scatter', kind: 'gmm.scatter', title: 'Clusters', source: { data: 'training-sample' } });
    // properties documented by the Swagger CLI plugin's metadata, not by hand-written decorators
    expect(Object.keys(doc.components.schemas.CreateExperimentDto.properties)).toEqual(expect.arrayContaining(['name', 'graph']));
    expect(doc.components.schemas.CreateExperimentDto.required).toContain('name');
    expect((await request(url).get('/api/docs')).status).toBe(200);
    expect((await request(url).get('/')).text).toContain('npm run build');
    const datasets = (await request(url).get('/api/datasets').expect(200)).body;
    expect(datasets.find((d: { id: string }) => d.id === 'sample-three-blobs')).toMatchObject({ builtIn: true, rowCount: 300 });
    const experiments = (await request(url).get('/api/experiments').expect(200)).body;
    expect(experiments.map((e: { name: string }) => e.name)).toContain('GMM on three blobs');
  });

  it('configures a graph without running it, and estimates resources', async () => {
    const res = (await request(url).post('/api/graphs/configure').send({ graph: pipelineGraph('sample-three-blobs') }).expect(200)).body;
    expect(res.errors).toEqual([]);
    // the stored dataset as stored: the console shows its column statistics in the pickers downstream
    expect(res.nodes.read.outputs[0]).toMatchObject({ type: 'table', rowCount: 300, datasetId: 'sample-three-blobs' });
    expect(res.nodes.train.inputStats[0]).toMatchObject({ rows: 300, dims: 2 });
    expect(res.nodes.train.outputs[0]).toMatchObject({ type: 'model', dims: 2, k: 3 });
    expect(res.nodes.train.estimate.formula).toContain('2 × 2 × 3');
    expect(res.nodes.predict.outputs[0].schema.columns.map((c: { name: string }) => c.name)).toEqual(['features', 'x', 'y', 'label', 'cluster', 'proba']);
    const missing = (await request(url).post('/api/graphs/configure').send({ graph: pipelineGraph('sample-three-blobs', { vectorCol: 'nope' }) }).expect(200)).body;
    expect(missing.nodes.train.errors[0]).toMatchObject({ parameter: 'vectorCol' });
    const estimate = (await request(url).post('/api/components/gmm-train/estimate').send({ params: { vectorCol: 'f', k: 8 }, inputs: [{ dims: 10, rows: 1000 }] }).expect(200)).body;
    expect(estimate.formula).toContain('10 × 10 × 8');
    expect(estimate.recommendedMemoryMb).toBeGreaterThanOrEqual(1024);
  });

  it('runs the sample experiment as it is', async () => {
    const sample = (await request(url).get('/api/experiments').expect(200)).body.find((e: { name: string }) => e.name === 'GMM on three blobs');
    const run = (await request(url).post(`/api/experiments/${sample.id}/runs`).send({}).expect(201)).body;
    const events = await followEvents(url, run.id);
    expect(events.at(-1)).toEqual({ type: 'run', status: 'succeeded' });
  });

  it('runs the seeded "Old Faithful: standardize, cluster, evaluate" pipeline and evaluates its two clusters', async () => {
    const experiments = (await request(url).get('/api/experiments').expect(200)).body;
    // the console opens the most recently updated experiment: the three blobs stay first
    expect(experiments[0].name).toBe('GMM on three blobs');
    const sample = experiments.find((e: { name: string }) => e.name === 'Old Faithful: standardize, cluster, evaluate');
    expect(sample.nodeCount).toBe(5);
    const run = (await request(url).post(`/api/experiments/${sample.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    // R's faithful: mean eruption 3.487783 min, mean wait 70.89706 min
    expect(done.nodes.standardize.metrics['mean.eruptions']).toBeCloseTo(3.487783, 6);
    expect(done.nodes.standardize.metrics['mean.waiting']).toBeCloseTo(70.897059, 6);
    const m = done.nodes.evaluate.metrics;
    expect(m).toMatchObject({ count: 272, k: 2, silhouetteRows: 272, silhouetteExact: true });
    // the short and the long eruptions
    expect([...m.countArray].sort((a: number, b: number) => a - b)).toEqual([97, 175]);
    // two columns standardized with the sample deviation: the total sum of squares is 2·(n − 1)
    expect(m.ssb + m.ssw).toBeCloseTo(2 * 271, 9);
    expect(m.vrc).toBeCloseTo((m.ssb / (2 - 1)) / (m.ssw / (272 - 2)), 9);
    expect(m.silhouetteCoefficient).toBeCloseTo(0.746, 3);
    expect(m.db).toBeCloseTo(0.3377, 4);
  });

  it('uploads a CSV, trains and predicts, follows the events and recovers the blobs', async () => {
    const ds = (await upload(url, blobsCsv(rows), 'blobs.csv').expect(201)).body;
    expect(ds).toMatchObject({ name: 'blobs', rowCount: 180, builtIn: false });
    expect(ds.schema.columns[0]).toEqual({ name: 'features', type: 'vector', vectorSize: 2 });
    const preview = (await request(url).get(`/api/datasets/${ds.id}/preview?offset=2&limit=3`).expect(200)).body;
    expect(preview.total).toBe(180);
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0][1]).toBeCloseTo(rows[2].x, 10);

    const exp = (await request(url).post('/api/experiments').send({ name: 'blobs', graph: pipelineGraph(ds.id) }).expect(201)).body;
    expect(exp.version).toBe(1);
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect(run.experimentVersion).toBe(1);
    const events = await followEvents(url, run.id);
    const last = events.at(-1);
    expect(last).toEqual({ type: 'run', status: 'succeeded' });
    for (const nodeId of ['read', 'train', 'predict']) {
      const statuses = events.filter((e) => e.type === 'node' && e.nodeId === nodeId).map((e) => e.status);
      expect(statuses.at(-1)).toBe('succeeded');
    }
    expect(events.some((e) => e.type === 'metric' && e.nodeId === 'train' && e.name === 'logLikelihoodHistory')).toBe(true);

    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    expect(done.status).toBe('succeeded');
    const train = done.nodes.train;
    expect(train.metrics.iterations).toBeGreaterThan(0);
    expect(Number.isFinite(train.metrics.bic)).toBe(true);
    expect(train.outputs[0]).toMatchObject({ port: 0, type: 'model' });

    const page = (await request(url).get(`/api/runs/${run.id}/nodes/predict/outputs/0?limit=1000`).expect(200)).body;
    expect(page.total).toBe(180);
    const names = page.columns.map((c: { name: string }) => c.name);
    const predicted = page.rows.map((r: unknown[]) => Number(r[names.indexOf('cluster')]));
    const truth = page.rows.map((r: unknown[]) => Number(r[names.indexOf('label')]));
    expect(agreement(truth, predicted, 3)).toBe(1);

    const modelPort = (await request(url).get(`/api/runs/${run.id}/nodes/train/outputs/0`).expect(200)).body;
    expect(modelPort.modelId).toBe(train.outputs[0].modelId);
    expect(modelPort.model.k).toBe(3);
    expect(modelPort.modelType).toBe('gmm');
    expect(modelPort.model.type).toBe('mixflow.gmm');
    expect(modelPort.model.modelType).toBeUndefined();

    const logs = (await request(url).get(`/api/runs/${run.id}/logs`).expect(200)).body;
    expect(logs.some((l: { nodeId?: string }) => l.nodeId === 'train')).toBe(true);

    const sample = (await request(url).get(`/api/runs/${run.id}/nodes/train/sample?limit=30`).expect(200)).body;
    expect(sample.dims).toBe(2);
    expect(sample.points).toHaveLength(30);
    expect(sample.labels).toHaveLength(30);
    // a random sample of the rows: each point is a row of the table, and its label is the prediction node's for that row
    const rowOf = new Map<string, number>(page.rows.map((r: unknown[], i: number) => [`${r[names.indexOf('x')]},${r[names.indexOf('y')]}`, i]));
    const sampledRows = sample.points.map((p: number[]) => rowOf.get(`${p[0]},${p[1]}`));
    expect(sampledRows.every((r: number | undefined) => r !== undefined)).toBe(true);
    expect(sampledRows).not.toEqual(Array.from({ length: 30 }, (_, i) => i * 6));
    sample.labels.forEach((label: number, i: number) => expect(label).toBe(predicted[sampledRows[i]]));
    // the sample route is the scatter view's data, served by the component's provider
    const scatter = (await request(url).get(`/api/runs/${run.id}/nodes/train/views/scatter?limit=30`).expect(200)).body;
    expect(scatter).toEqual(sample);
    const noView = (await request(url).get(`/api/runs/${run.id}/nodes/train/views/histogram`).expect(404)).body;
    expect(noView.message).toContain("node 'train' (GMM Training) has no view 'histogram'; its views are scatter,");
    const metricsView = (await request(url).get(`/api/runs/${run.id}/nodes/train/views/metrics`).expect(400)).body;
    expect(metricsView.message).toContain("draws the node's metrics");
    await request(url).get(`/api/runs/${run.id}/nodes/train/views/scatter?limit=0`).expect(400);

    // a run from the prediction node reuses the stored upstream outputs
    const partial = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({ fromNode: 'predict' }).expect(201)).body;
    expect(Object.keys(partial.nodes)).toEqual(['predict']);
    expect((await followEvents(url, partial.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
  });

  it("warm start on the canvas: GMM Training's optional model input trains from the upstream model, whose id the lineage names", async () => {
    const sample = (await request(url).get('/api/datasets').expect(200)).body.find((d: { id: string }) => d.id === 'sample-three-blobs');
    const graph = {
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: sample.id } },
        { id: 'first', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { vectorCol: 'features', k: 3, maxIter: 2 } },
        { id: 'warm', componentId: 'gmm-train', position: { x: 0, y: 200 }, params: { vectorCol: 'features', k: 3, maxIter: 2 } },
      ],
      edges: [
        { id: 'e1', source: 'read', sourcePort: 0, target: 'first', targetPort: 0 },
        { id: 'e2', source: 'read', sourcePort: 0, target: 'warm', targetPort: 0 },
        { id: 'e3', source: 'first', sourcePort: 0, target: 'warm', targetPort: 1 },
      ],
    };
    const exp = (await request(url).post('/api/experiments').send({ name: 'warm start', graph }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    const firstId = done.nodes.first.outputs[0].modelId;
    const warmId = done.nodes.warm.outputs[0].modelId;
    const warm = (await request(url).get(`/api/models/${warmId}`).expect(200)).body;
    expect(warm.model.training.init).toBe('model');
    const listed = (await request(url).get('/api/models').expect(200)).body.find((m: { id: string }) => m.id === warmId);
    expect(listed.lineage).toMatchObject({ runId: run.id, nodeId: 'warm', parentModelId: firstId });
  });

  it('sample weights over REST: the graph takes weightCol, configure names a bad one, the model records it', async () => {
    const params = { vectorCol: 'features', k: 3, maxIter: 5, weightCol: 'x' };
    const graph = (train: Record<string, unknown>) => ({
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: 'sample-three-blobs' } },
        { id: 'weighted', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: train },
      ],
      edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'weighted', targetPort: 0 }],
    });
    const bad = (await request(url).post('/api/graphs/configure').send({ graph: graph({ ...params, weightCol: 'nope' }) }).expect(200)).body;
    expect(bad.nodes.weighted.errors[0]).toMatchObject({ parameter: 'weightCol', column: 'nope' });
    // column x of the three blobs has negative values: the run fails naming the first such row and the column
    const refused = (await request(url).post('/api/experiments').send({ name: 'weights refused', graph: graph(params) }).expect(201)).body;
    const failed = (await request(url).post(`/api/experiments/${refused.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, failed.id)).at(-1)).toMatchObject({ type: 'run', status: 'failed' });
    const failure = (await request(url).get(`/api/runs/${failed.id}`).expect(200)).body;
    expect(JSON.stringify(failure)).toMatch(/row \d+, column \\"x\\": the weight is negative/);
    const exp = (await request(url).post('/api/experiments').send({ name: 'weights', graph: graph({ ...params, weightCol: 'label' }) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    const model = (await request(url).get(`/api/models/${done.nodes.weighted.outputs[0].modelId}`).expect(200)).body.model;
    expect(model.training).toMatchObject({ weightCol: 'label', rows: 300, totalWeight: 300 });
    // a weighted model is a model like any other: it exports and imports again
    const imported = (await request(url).post('/api/models/import').send(model).expect(201)).body;
    expect((await request(url).get(`/api/models/${imported.id}`).expect(200)).body.model.training).toMatchObject({ weightCol: 'label', totalWeight: 300 });
  });

  it('keeps every save as a version and a run records the version it ran', async () => {
    const ds = (await upload(url, blobsCsv(rows)).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'versions', graph: pipelineGraph(ds.id) }).expect(201)).body;
    const saved = (await request(url).put(`/api/experiments/${exp.id}`).send({ graph: pipelineGraph(ds.id, { k: 2 }) }).expect(200)).body;
    expect(saved.version).toBe(2);
    const versions = (await request(url).get(`/api/experiments/${exp.id}/versions`).expect(200)).body;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect(run.experimentVersion).toBe(2);
    await followEvents(url, run.id);
    const copy = (await request(url).post(`/api/experiments/${exp.id}/duplicate`).expect(201)).body;
    expect(copy.name).toBe('versions (copy)');
    expect(copy.graph.nodes[1].params.k).toBe(2);
    await request(url).delete(`/api/experiments/${copy.id}`).expect(204);
    await request(url).get(`/api/experiments/${copy.id}`).expect(404);
  });

  it('exports a model, imports it, and predicts online (JSON and streamed NDJSON)', async () => {
    const models = (await request(url).get('/api/models').expect(200)).body;
    const trained = models.find((m: { lineage: { nodeId?: string }; k: number }) => m.lineage.nodeId === 'train' && m.k === 3);
    expect(trained.lineage.runId).toBeDefined();
    expect(trained).toMatchObject({ modelType: 'gmm', description: 'k=3, 2-D', fields: { k: 3, dims: 2 } });
    expect(trained.lineage.experimentId).toBeDefined();
    const exported = await request(url).get(`/api/models/${trained.id}/export`).buffer(true).parse((res, cb) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => cb(null, body));
    }).expect(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename=".*\.gmm\.json"$/);
    const file = JSON.parse(exported.body as unknown as string);
    expect(file).toMatchObject({ type: 'mixflow.gmm', k: 3, dims: 2 });

    const imported = (await request(url).post('/api/models/import').send(file).expect(201)).body;
    expect(imported).toMatchObject({ k: 3, dims: 2, covarianceType: file.covarianceType });
    expect(imported.id).not.toBe(trained.id);
    const detail = (await request(url).get(`/api/models/${imported.id}`).expect(200)).body;
    expect(detail.model.means).toEqual(file.means);

    const points = CENTERS.map(([x, y]) => ({ features: `${x} ${y}`, id: `${x},${y}` }));
    const online = (await request(url).post(`/api/models/${imported.id}/predict`).send({ rows: points, predictionDetailCol: 'p' }).expect(200)).body;
    const clusters = online.rows.map((r: { prediction: number }) => r.prediction);
    expect(new Set(clusters).size).toBe(3);
    expect(online.rows[0].id).toBe('0,0');
    const proba = online.rows[0].p.split(' ').map(Number);
    expect(proba).toHaveLength(3);
    expect(Math.max(...proba)).toBeGreaterThan(0.99);

    const ndjson = points.map((p) => JSON.stringify(p)).join('\n') + '\n{"features": "1 2 3"}\n';
    const streamed = await fetch(`${url}/api/models/${imported.id}/predict?predictionCol=c`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: ndjson,
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await streamed.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, 3).map((l) => l.c)).toEqual(clusters);
    expect(lines[3]).toMatchObject({ line: 4 });
    expect(lines[3].error).toMatch(/3 features but the model has 2 dimensions/);

    await request(url).delete(`/api/models/${imported.id}`).expect(204);
    await request(url).get(`/api/models/${imported.id}`).expect(404);
  });

  it("scores new rows (the engine's score, BIC and AIC) and samples rows with their component over REST", async () => {
    const models = (await request(url).get('/api/models').expect(200)).body;
    const trained = models.find((m: { lineage: { nodeId?: string }; k: number }) => m.lineage.nodeId === 'train' && m.k === 3);
    const file = (await request(url).get(`/api/models/${trained.id}`).expect(200)).body.model;
    const mixture = GaussianMixture.fromJSON(file);
    const fresh = blobs(CENTERS, 7, 0.5).map((r) => ({ features: `${r.x} ${r.y}` }));
    const X = makeDataMatrix(Float64Array.from(fresh.flatMap((r) => r.features.split(' ').map(Number))), fresh.length, 2);
    const score = (await request(url).post(`/api/models/${trained.id}/score`).send({ rows: fresh }).expect(200)).body;
    expect(score.rows).toBe(fresh.length);
    expect(score.droppedRows).toBe(0);
    expect(score.meanLogLikelihood).toBeCloseTo(mixture.score(X), 10);
    expect(score.bic).toBeCloseTo(mixture.bic(X), 8);
    expect(score.aic).toBeCloseTo(mixture.aic(X), 8);

    // missingValues drop leaves the empty row out of the score; error (the default) names the row
    const withGap = [{ features: fresh[0].features }, { features: '' }];
    const dropped = (await request(url).post(`/api/models/${trained.id}/score`).send({ rows: withGap, missingValues: 'drop' }).expect(200)).body;
    expect(dropped).toMatchObject({ rows: 1, droppedRows: 1 });
    const bad = (await request(url).post(`/api/models/${trained.id}/score`).send({ rows: withGap }).expect(400)).body;
    expect(bad.message).toMatch(/^row 2: /);
    expect(bad.details).toMatchObject({ row: 2, column: 'features' });
    await request(url).post(`/api/models/${trained.id}/score`).send({ rows: [] }).expect(400);

    const sampled = (await request(url).post(`/api/models/${trained.id}/sample`).send({ n: 50, seed: 4 }).expect(200)).body.rows;
    const drawn = mixture.sample(50, 4);
    expect(sampled).toHaveLength(50);
    expect(sampled.map((r: { component: number }) => r.component)).toEqual(Array.from(drawn.labels));
    expect(sampled[3].features.split(' ').map(Number)).toEqual(Array.from(drawn.data.data.subarray(6, 8)));
    expect((await request(url).post(`/api/models/${trained.id}/sample`).send({ n: 50, seed: 4 }).expect(200)).body.rows).toEqual(sampled);
    for (const body of [{ n: 0 }, { n: '5' }, { n: 1e6 }, { n: 5, seed: -1 }]) {
      const res = (await request(url).post(`/api/models/${trained.id}/sample`).send(body).expect(400)).body;
      expect(res.message).toMatch(/\b(n|seed)\b/);
    }
  });
});

describe('API end to end: bad input is a 400 and leaves nothing behind', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startServer(tempDir('bad'), { MIXFLOW_SEED: '0' });
    url = server.url;
  });
  afterAll(() => closeAndRemove(server));

  async function counts() {
    const [datasets, experiments, models] = await Promise.all(
      ['/api/datasets', '/api/experiments', '/api/models'].map(async (p) => (await request(url).get(p).expect(200)).body.length),
    );
    return { datasets, experiments, models, files: dataFiles(server.dir) };
  }

  it('malformed CSV: names the row', async () => {
    const before = await counts();
    const res = await upload(url, 'a,b\n1,2\n3,"4\n5,6\n', 'bad.csv').expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.message).toMatch(/row \d+/);
    expect(await counts()).toEqual(before);
  });

  it('vectors of mixed dimension: names the row and column', async () => {
    const before = await counts();
    const res = await upload(url, 'features,label\n"1 2",0\n"3 4",1\n"5 6 7",1\n', 'mixed.csv').expect(400);
    expect(res.body.message).toMatch(/row 3/);
    expect(res.body.message).toContain('features');
    expect(await counts()).toEqual(before);
  });

  it('k larger than the rows: the run is refused naming the node and parameter', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0]], 4))).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'k too big', graph: pipelineGraph(ds.id, { k: 10 }) }).expect(201)).body;
    const res = await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(400);
    expect(res.body.details).toMatchObject({ nodeId: 'train', parameter: 'k' });
    expect(res.body.message).toMatch(/Number of clusters \(10\) is larger than the number of rows \(4\)/);
    expect((await request(url).get(`/api/experiments/${exp.id}/runs`).expect(200)).body).toEqual([]);
  });

  it('unknown component: names the node', async () => {
    const before = await counts();
    const graph = pipelineGraph('x');
    graph.nodes.push({ id: 'mystery', componentId: 'no-such-component', position: { x: 0, y: 0 }, params: {} } as never);
    const res = await request(url).post('/api/experiments').send({ name: 'bad', graph }).expect(400);
    expect(res.body.details.nodeId).toBe('mystery');
    expect(res.body.message).toContain("unknown component 'no-such-component'");
    expect(await counts()).toEqual(before);
  });

  it('cyclic graph: names the nodes on the cycle', async () => {
    const before = await counts();
    const graph = {
      nodes: ['a', 'b'].map((id) => ({ id, componentId: 'gmm-predict', position: { x: 0, y: 0 }, params: { vectorCol: 'features', predictionCol: 'c' } })),
      edges: [
        { id: 'ab', source: 'a', sourcePort: 0, target: 'b', targetPort: 1 },
        { id: 'ba', source: 'b', sourcePort: 0, target: 'a', targetPort: 1 },
      ],
    };
    const res = await request(url).post('/api/experiments').send({ name: 'cycle', graph }).expect(400);
    expect(res.body.message).toMatch(/cycle through nodes '(a|b)' → '(a|b)' → '(a|b)'/);
    expect(await counts()).toEqual(before);
  });

  it('wrong port type: names the edge and node', async () => {
    const exp = (await request(url).post('/api/experiments').send({ name: 'ok', graph: pipelineGraph('sample-three-blobs') }).expect(201)).body;
    const graph = pipelineGraph('sample-three-blobs');
    graph.edges[2] = { id: 'e3', source: 'train', sourcePort: 0, target: 'predict', targetPort: 1 };
    graph.edges[1] = { id: 'e2', source: 'read', sourcePort: 0, target: 'predict', targetPort: 0 };
    const res = await request(url).put(`/api/experiments/${exp.id}`).send({ graph }).expect(400);
    expect(res.body.details).toMatchObject({ nodeId: 'predict' });
    expect(res.body.message).toMatch(/is a (table|model) but input .* takes a (model|table)/);
    const after = (await request(url).get(`/api/experiments/${exp.id}`).expect(200)).body;
    expect(after.version).toBe(1);
    expect((await request(url).get(`/api/experiments/${exp.id}/versions`).expect(200)).body).toHaveLength(1);
  });

  it('unknown DTO fields are refused, naming the field (JSON and multipart)', async () => {
    const before = await counts();
    const res = await request(url).post('/api/experiments').send({ name: 'x', colour: 'red' }).expect(400);
    expect(res.body.message).toContain('property colour should not exist');
    expect(res.body.details.field).toBe('colour');
    const nested = await request(url).post('/api/experiments').send({ name: 'x', graph: { nodes: [], edges: [], extra: 1 } }).expect(400);
    expect(nested.body.message).toContain('extra should not exist');
    const multipart = await request(url).post('/api/datasets').field('colour', 'red').attach('file', Buffer.from('a\n1\n'), 'a.csv').expect(400);
    expect(multipart.body.message).toContain('property colour should not exist');
    expect(await counts()).toEqual(before);
  });

  it('a model file that is not a valid GMM: names the field', async () => {
    const before = await counts();
    const res = await request(url)
      .post('/api/models/import')
      .send({ type: 'mixflow.gmm', version: 1, covarianceType: 'diag', dims: 2, k: 1, weights: [1], means: [[0, 'x']], covariances: [[1, 1]] })
      .expect(400);
    expect(res.body.message).toContain('means[0][1]');
    expect(res.body.details.field).toBe('means[0][1]');
    // a model of a type no plugin registered
    const unknown = await request(url).post('/api/models/import').send({ modelType: 'kmeans', version: 1, centers: [[0, 0]] }).expect(400);
    expect(unknown.body.message).toContain('unknown model type "kmeans"; this installation reads gmm');
    expect(unknown.body.details.field).toBe('modelType');
    await request(url).post('/api/models/import').send({ type: 'other.format', version: 1 }).expect(400);
    expect(await counts()).toEqual(before);
  });
});

describe('API end to end: upload limit', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startServer(tempDir('limit'), { MIXFLOW_SEED: '0', MIXFLOW_MAX_UPLOAD_MB: '0.001' });
  });
  afterAll(() => closeAndRemove(server));

  it('an upload over MIXFLOW_MAX_UPLOAD_MB is a 400 that says the limit, and leaves no file', async () => {
    const big = blobsCsv(blobs([[0, 0]], 200));
    expect(big.length).toBeGreaterThan(1100);
    const res = await upload(server.url, big).expect(400);
    expect(res.body.message).toContain('larger than the upload limit of 0.001 MB');
    expect(dataFiles(server.dir)).toEqual({ tmp: [], datasets: [] });
    expect((await request(server.url).get('/api/datasets').expect(200)).body).toEqual([]);
    await upload(server.url, 'x,y\n1,2\n').expect(201);
  });
});
