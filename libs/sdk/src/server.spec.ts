/**
 * The same SDK graph embedded and on a server: the API (apps/api, built by `npm run build`) runs as a child
 * process on a free loopback port with a temporary data folder and the in-process engine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GaussianMixture, makeDataMatrix } from '@mixflow/gmm';
import { startChild, type StartedChild } from '@mixflow/testing';
import { GmmModelSelectionBatchOp, GmmPredictBatchOp, GmmTrainBatchOp, graphToSdkCode, MemSourceBatchOp, Mixflow } from './index';
import { evaluate, lastExport } from './__fixtures__/evaluate';
import { PAI_ROWS } from './__fixtures__/pai-example';

const API_MAIN = path.resolve(__dirname, '..', '..', '..', 'apps', 'api', 'dist', 'main.js');

describe('embedded and server runs', () => {
  let api: StartedChild | undefined;
  let server: Mixflow;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-sdk-server-'));

  beforeAll(async () => {
    if (!fs.existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run npm run build first`);
    const started = await startChild(process.execPath, [API_MAIN], {
      env: { PORT: '0', HOST: '127.0.0.1', MIXFLOW_DATA: dataDir, MIXFLOW_ENGINE: 'inline', MIXFLOW_SEED: '0' },
      ready: /serving on http:\/\/localhost:(\d+)/,
      timeoutMs: 60_000,
    });
    api = started;
    server = new Mixflow({ url: `http://127.0.0.1:${started.ready[1]}`, pollIntervalMs: 50, timeoutMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await api?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function workflow() {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const model = new GmmTrainBatchOp().setVectorCol('features').setK(2).setRandomSeed(3).linkFrom(data);
    const predictor = new GmmPredictBatchOp().setPredictionCol('cluster_id').setVectorCol('features').linkFrom(model, data);
    return { model, predictor };
  }

  it('give the same model and the same predictions', async () => {
    const { model, predictor } = workflow();
    const embedded = await model.getModel(new Mixflow({ engine: 'inline' }));
    const remote = await model.getModel(server);
    const strip = (m: typeof embedded) => ({ ...m, training: { ...m.training, seconds: 0 } });
    expect(strip(remote)).toEqual(strip(embedded));
    expect(await predictor.collect(server)).toEqual(await predictor.collect(new Mixflow({ engine: 'inline' })));
  }, 60_000);

  it('GMM Model Selection over REST: the same best model and candidates as embedded', async () => {
    const selection = new GmmModelSelectionBatchOp()
      .setVectorCol('features')
      .setKMax(3)
      .setCovarianceTypes(['full', 'spherical'])
      .linkFrom(new MemSourceBatchOp(PAI_ROWS, 'features string'));
    const embedded = new Mixflow({ engine: 'inline' });
    const strip = (m: Awaited<ReturnType<typeof selection.getModel>>) => ({ ...m, training: { ...m.training, seconds: 0 } });
    expect(strip(await selection.getModel(server))).toEqual(strip(await selection.getModel(embedded)));
    const withoutSeconds = (rows: (string | number)[][]) => rows.map((r) => r.filter((_, j) => j !== 9));
    expect(withoutSeconds(await selection.collectCandidates(server))).toEqual(withoutSeconds(await selection.collectCandidates(embedded)));
  }, 60_000);

  it('saveAsExperiment stores a graph that opens on the canvas and exports as the same code', async () => {
    const { predictor } = workflow();
    const saved = await predictor.saveAsExperiment('PAI example', server);
    expect(saved.name).toBe('PAI example');
    const graph = await server.experimentGraph(saved.id);
    expect(graph.nodes.map((n) => n.componentId)).toEqual(['read-dataset', 'gmm-train', 'gmm-predict']);
    const datasetId = graph.nodes[0].params.datasetId as string;
    expect(datasetId).not.toMatch(/^sdk-mem-/); // uploaded: a server dataset id
    const code = await server.exportExperiment(saved.id);
    expect(code).toBe(graphToSdkCode(graph));
    expect(code).toContain(`.setDatasetId('${datasetId}')`);
    expect(code).toContain('.linkFrom(gmmTrain1, readDataset1)');
    // the exported code builds the canvas graph again, and runs on the server to the same predictions
    const rebuilt = lastExport(evaluate(code)) as GmmPredictBatchOp;
    expect(rebuilt.toGraph().edges).toEqual(graph.edges);
    expect(rebuilt.toGraph().nodes.map((n) => [n.id, n.componentId, n.params])).toEqual(graph.nodes.map((n) => [n.id, n.componentId, n.params]));
    expect(await rebuilt.collect(server)).toEqual(await predictor.collect(server));
  }, 60_000);

  async function get<T>(route: string): Promise<T> {
    const response = await fetch(`${server.url}${route}`);
    if (!response.ok) throw new Error(`GET ${route} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  it('collect, getModel and print leave no experiment behind; results and trained models stay', async () => {
    const { model, predictor } = workflow();
    const embedded = new Mixflow({ engine: 'inline' });
    const expectedRows = await predictor.collect(embedded);
    const expectedModel = await model.getModel(embedded);
    const strip = (m: typeof expectedModel) => ({ ...m, training: { ...m.training, seconds: 0 } });
    const experimentsBefore = await get<{ id: string }[]>('/api/experiments');
    const modelsBefore = await get<{ id: string }[]>('/api/models');

    // n + 2 server runs (the old SDK saved one experiment "SDK <operator> <time>" per run): the list must not grow at all
    const n = 3;
    for (let i = 0; i < n; i++) expect(await predictor.collect(server)).toEqual(expectedRows);
    const fetched = await model.getModel(server);
    expect(strip(fetched)).toEqual(strip(expectedModel));
    let printed = '';
    await predictor.print(2, server, (t) => (printed += t));
    expect(printed).toContain('-0.6264538 0.1836433');
    expect(printed).toContain('13 more rows');

    const experimentsAfter = await get<{ id: string; name: string }[]>('/api/experiments');
    expect(experimentsAfter.map((e) => e.id).sort()).toEqual(experimentsBefore.map((e) => e.id).sort());
    expect(experimentsAfter.filter((e) => e.name.startsWith('SDK '))).toEqual([]);

    // every run trained a model (n collects + getModel + print, each runs GMM Training); they stay on the server
    const modelsAfter = await get<{ id: string; lineage: { experimentId?: string } }[]>('/api/models');
    const added = modelsAfter.filter((m) => !modelsBefore.some((b) => b.id === m.id));
    expect(added).toHaveLength(n + 2);
    const detail = await Promise.all(added.map((m) => get<{ model: typeof expectedModel; lineage: { experimentId?: string } }>(`/api/models/${m.id}`)));
    expect(detail.some((d) => JSON.stringify(strip(d.model)) === JSON.stringify(strip(fetched)))).toBe(true);
    for (const d of detail) expect(experimentsAfter.some((e) => e.id === d.lineage.experimentId)).toBe(false);
  }, 60_000);

  it('a server run that fails or is refused deletes its temporary experiment too', async () => {
    const before = (await get<{ id: string }[]>('/api/experiments')).map((e) => e.id).sort();
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    // k above the row count: the server refuses the run (400) after the experiment was created
    const tooMany = new GmmTrainBatchOp().setVectorCol('features').setK(50).linkFrom(data);
    await expect(tooMany.getModel(server)).rejects.toThrow(/Number of clusters \(50\) is larger than the number of rows \(15\)/);
    // concurrent runs of one client each use their own temporary experiment
    const { predictor } = workflow();
    const [a, b] = await Promise.all([predictor.collect(server), predictor.collect(server)]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(PAI_ROWS.length);
    expect((await get<{ id: string }[]>('/api/experiments')).map((e) => e.id).sort()).toEqual(before);
  }, 60_000);

  it('scoreModel and sampleModel: a model file embedded, a stored model id over REST, the same figures and rows', async () => {
    const embedded = new Mixflow({ engine: 'inline' });
    const file = await workflow().model.getModel(embedded);
    const response = await fetch(`${server.url}/api/models/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(file) });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };

    const rows = PAI_ROWS.slice(0, 9).map(([features]) => ({ features }));
    const local = await embedded.scoreModel(file, rows);
    const X = makeDataMatrix(Float64Array.from(rows.flatMap((r) => r.features.split(' ').map(Number))), rows.length, 2);
    const mixture = GaussianMixture.fromJSON(file);
    expect(local).toEqual({ rows: 9, droppedRows: 0, meanLogLikelihood: mixture.score(X), bic: mixture.bic(X), aic: mixture.aic(X) });
    const remote = await server.scoreModel(id, rows);
    expect(remote.rows).toBe(9);
    expect(remote.meanLogLikelihood).toBeCloseTo(local.meanLogLikelihood, 12);
    expect(remote.bic).toBeCloseTo(local.bic, 10);
    expect(await server.scoreModel(id, [...rows, { features: '' }], { missingValues: 'drop' })).toMatchObject({ rows: 9, droppedRows: 1 });
    await expect(server.scoreModel(id, [{ features: '1 2 3' }])).rejects.toThrow(/row 1: the row has 3 features but the model has 2 dimensions/);

    const drawn = await embedded.sampleModel(file, { n: 20, seed: 5 });
    expect(drawn).toHaveLength(20);
    expect(drawn.map((r) => r.component)).toEqual(Array.from(mixture.sample(20, 5).labels));
    expect(await server.sampleModel(id, { n: 20, seed: 5 })).toEqual(drawn);
    await expect(server.sampleModel(id, { n: 0 })).rejects.toThrow(/→ 400: .*n must not be less than 1/);
    await expect(embedded.sampleModel(id, { n: 5 })).rejects.toThrow(/reads a model stored on a server/);
  }, 60_000);

  it('an unreachable server gets a clear error', async () => {
    const { model } = workflow();
    await expect(model.getModel(new Mixflow({ url: 'http://127.0.0.1:9' }))).rejects.toThrow(/cannot reach the Mixflow server at http:\/\/127.0.0.1:9/);
  });
});
