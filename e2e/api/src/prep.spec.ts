import request from 'supertest';
import { closeAndRemove, followEvents, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

/** Two groups on very different scales (x in the thousands, y near 1), with a few missing cells. */
function scaledCsv(): string {
  const lines = ['x,y,label'];
  for (let i = 0; i < 40; i++) {
    const group = i % 2;
    const x = group ? 5000 + (i % 7) * 10 : 1000 + (i % 5) * 10;
    const y = group ? 1.5 + (i % 3) * 0.01 : 0.5 + (i % 4) * 0.01;
    lines.push(`${i === 3 ? '' : x},${i === 8 || i === 9 ? 'NA' : y},${group}`);
  }
  return lines.join('\n') + '\n';
}

function prepGraph(datasetId: string, o: { impute?: Record<string, unknown>; scale?: Record<string, unknown> } = {}) {
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      { id: 'impute', componentId: 'imputer-train', position: { x: 0, y: 100 }, params: { selectedCols: ['x', 'y'], ...o.impute } },
      { id: 'scale', componentId: 'standard-scaler-train', position: { x: 0, y: 200 }, params: { selectedCols: ['x', 'y'], ...o.scale } },
      { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 300 }, params: { featureCols: ['x', 'y'], k: 2, randomSeed: 1 } },
    ],
    edges: [
      { id: 'e1', source: 'read', sourcePort: 0, target: 'impute', targetPort: 0 },
      { id: 'e2', source: 'impute', sourcePort: 1, target: 'scale', targetPort: 0 },
      { id: 'e3', source: 'scale', sourcePort: 1, target: 'train', targetPort: 0 },
    ],
  };
}

describe('API end to end: Read Dataset → Missing Data Imputation → Standardization → GMM Training', () => {
  let server: Server;
  let url: string;
  let datasetId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('prep'), { MIXFLOW_SEED: '0' });
    url = server.url;
    datasetId = (await upload(url, scaledCsv()).expect(201)).body.id;
  });
  afterAll(() => closeAndRemove(server));

  it('the preparation components are in the palette with their PAI tabs', async () => {
    const { components } = (await request(url).get('/api/components').expect(200)).body;
    const byId = new Map(components.map((c: { id: string }) => [c.id, c]));
    for (const id of ['imputer-train', 'imputer-predict', 'standard-scaler-train', 'standard-scaler-predict', 'min-max-scaler-train', 'min-max-scaler-predict', 'split', 'sample', 'sample-with-size']) {
      expect(byId.has(id)).toBe(true);
    }
    expect(byId.get('standard-scaler-train')).toMatchObject({
      displayName: 'Standardization',
      outputs: [{ name: 'model', type: 'model' }, { name: 'data', type: 'table' }],
    });
    const imputer = byId.get('imputer-train') as { parameters: { name: string; tab: string }[] };
    expect(imputer.parameters.map((p) => `${p.name}:${p.tab}`)).toEqual(['selectedCols:field', 'outputCols:field', 'strategy:parameter', 'fillValue:parameter']);
  });

  it('runs the chain: cells filled and counted, columns standardized, the mixture trained on them', async () => {
    const exp = (await request(url).post('/api/experiments').send({ name: 'prep chain', graph: prepGraph(datasetId) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });

    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    expect(done.nodes.impute.metrics).toMatchObject({ imputedCells: 3, 'imputedCells.x': 1, 'imputedCells.y': 2 });
    const logs = (await request(url).get(`/api/runs/${run.id}/logs`).expect(200)).body as { nodeId?: string; message: string }[];
    expect(logs.filter((l) => l.nodeId === 'impute').map((l) => l.message).join('\n')).toMatch(/column "y": 2 missing cells filled with/);

    const filled = (await request(url).get(`/api/runs/${run.id}/nodes/impute/outputs/1?limit=100`).expect(200)).body;
    expect(filled.rows.flat().every((v: unknown) => v !== '' && v !== null)).toBe(true);
    const scaled = (await request(url).get(`/api/runs/${run.id}/nodes/scale/outputs/1?limit=100`).expect(200)).body;
    const xs = scaled.rows.map((r: number[]) => Number(r[0]));
    expect(xs.reduce((a: number, b: number) => a + b, 0) / xs.length).toBeCloseTo(0, 9);
    expect(Math.max(...xs)).toBeLessThan(2);

    expect(done.nodes.scale.outputs[0]).toMatchObject({ type: 'model' });
    expect(done.nodes.train.outputs[0]).toMatchObject({ type: 'model' });
    const models = (await request(url).get('/api/models').expect(200)).body as { id: string; modelType?: string; summary?: unknown }[];
    const scaler = models.find((m) => JSON.stringify(m).includes('standardizes x, y'));
    expect(scaler).toBeDefined();
    const exported = (await request(url).get(`/api/models/${scaler!.id}/export`).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => cb(null, text));
    })).body as string;
    expect(JSON.parse(exported)).toMatchObject({ modelType: 'standard-scaler', selectedCols: ['x', 'y'], withMean: true });
  });

  it('a parameter changes what runs: strategy VALUE fills with fillValue', async () => {
    const exp = (await request(url).post('/api/experiments').send({ name: 'fill 0', graph: prepGraph(datasetId, { impute: { strategy: 'VALUE', fillValue: '0' } }) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const filled = (await request(url).get(`/api/runs/${run.id}/nodes/impute/outputs/1?limit=100`).expect(200)).body;
    expect(filled.rows[3][0]).toBe(0);
    expect(filled.rows[8][1]).toBe(0);
  });

  it('bad parameters are a 400 naming the node and the parameter, before anything runs', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ scale: { selectedCols: ['nope'] } }, 'selectedCols', /column "nope" is not in the input table/],
      [{ impute: { strategy: 'VALUE' } }, 'fillValue', /required/],
      [{ impute: { strategy: 'VALUE', fillValue: 'zero' } }, 'fillValue', /must be a number/],
      [{ scale: { withMean: 'yes' } }, 'withMean', /JSON boolean/],
    ];
    for (const [o, parameter, message] of cases) {
      // saving checks the parameters' types; starting a run configures the graph on the dataset's schema
      const saved = await request(url).post('/api/experiments').send({ name: 'bad', graph: prepGraph(datasetId, o) });
      const res = saved.status === 400 ? saved.body : (await request(url).post(`/api/experiments/${saved.body.id}/runs`).send({}).expect(400)).body;
      expect(res.message).toMatch(message);
      expect(res.details).toMatchObject({ nodeId: parameter === 'withMean' || o.scale ? 'scale' : 'impute', parameter });
    }
  });
});
