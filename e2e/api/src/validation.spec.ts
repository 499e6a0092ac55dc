import request from 'supertest';
import { blobs, blobsCsv, closeAndRemove, followEvents, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(60_000);

describe('API end to end: bad input is a 400 naming what is wrong', () => {
  let server: Server;
  let url: string;
  let datasetId: string;
  let experimentId: string;
  let modelId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('validation'), { MIXFLOW_SEED: '0' });
    url = server.url;
    datasetId = (await upload(url, blobsCsv(blobs([[0, 0], [10, 10], [10, -10]], 30))).expect(201)).body.id;
    experimentId = (await request(url).post('/api/experiments').send({ name: 'valid', graph: pipelineGraph(datasetId) }).expect(201)).body.id;
    const run = (await request(url).post(`/api/experiments/${experimentId}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toMatchObject({ status: 'succeeded' });
    modelId = (await request(url).get('/api/models').expect(200)).body[0].id;
  });
  afterAll(() => closeAndRemove(server));

  const withNode = (change: (n: Record<string, unknown>) => Record<string, unknown>) => {
    const g = pipelineGraph(datasetId);
    return { ...g, nodes: [change({ ...g.nodes[0] }), ...g.nodes.slice(1)] };
  };

  it('a node without position, on POST and PUT', async () => {
    const graph = withNode(({ position: _p, ...n }) => n);
    for (const res of [
      await request(url).post('/api/experiments').send({ name: 'x', graph }),
      await request(url).put(`/api/experiments/${experimentId}`).send({ graph }),
    ]) {
      expect([res.status, res.body.details]).toEqual([400, { field: 'graph.nodes.0.position' }]);
    }
  });

  it('an estimate with dims -3', async () => {
    const res = await request(url).post('/api/components/gmm-train/estimate').send({ params: { k: 2, vectorCol: 'f' }, inputs: [{ rows: 10, dims: -3 }] });
    expect([res.status, res.body.details]).toEqual([400, { field: 'inputs.0.dims' }]);
  });

  it('JSON nested 10,000 deep, anywhere in the body', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (const body of [deep, `{"name":"x","graph":{"nodes":[{"params":{"k":${deep}}}],"edges":[]}}`]) {
      const res = await request(url).post('/api/experiments').set('content-type', 'application/json').send(body);
      expect([res.status, res.body.message]).toEqual([400, 'the JSON body nests deeper than 64 levels']);
    }
  });

  it('strings are not converted to numbers: k "3" is refused, naming the node and parameter', async () => {
    const graph = pipelineGraph(datasetId, { k: '3' });
    const res = await request(url).post('/api/experiments').send({ name: 'x', graph });
    expect([res.status, res.body.details]).toEqual([400, { nodeId: 'train', parameter: 'k' }]);
    expect(res.body.message).toContain('Number of clusters must be a JSON number, got "3"');
    const estimate = await request(url).post('/api/components/gmm-train/estimate').send({ params: { k: '3', vectorCol: 'f' } });
    expect([estimate.status, estimate.body.details]).toEqual([400, { parameter: 'k' }]);
  });

  it('a multi-select (enums) parameter takes a JSON list of its options: a comma string, an empty list or an unknown value is a 400 naming it', async () => {
    const selectionGraph = (covarianceTypes: unknown) => ({
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
        { id: 'select', componentId: 'gmm-model-selection', position: { x: 0, y: 100 }, params: { vectorCol: 'features', kMax: 3, covarianceTypes } },
      ],
      edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'select', targetPort: 0 }],
    });
    const cases: [unknown, string][] = [
      ['full,tied', 'Covariance types must be a JSON array, got "full,tied"'],
      [[], 'Covariance types must list at least one of full, diag, spherical, tied'],
      [['full', 'round'], 'Covariance types must hold only full, diag, spherical, tied, got "round"'],
    ];
    for (const [value, message] of cases) {
      const res = await request(url).post('/api/experiments').send({ name: 'x', graph: selectionGraph(value) });
      expect([res.status, res.body.details]).toEqual([400, { nodeId: 'select', parameter: 'covarianceTypes' }]);
      expect(res.body.message).toContain(message);
    }
    const ok = (await request(url).post('/api/experiments').send({ name: 'select', graph: selectionGraph(['tied', 'full']) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${ok.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toMatchObject({ status: 'succeeded' });
    const candidates = (await request(url).get(`/api/runs/${run.id}/nodes/select/outputs/1?limit=100`).expect(200)).body;
    const at = candidates.columns.map((c: { name: string }) => c.name).indexOf('covarianceType');
    expect([...new Set(candidates.rows.map((r: unknown[]) => r[at]))]).toEqual(['full', 'tied']);
    // a candidate's scatter (the view's item): labelled by that candidate's own model, which the answer carries
    const kAt = candidates.columns.map((c: { name: string }) => c.name).indexOf('k');
    const second = (await request(url).get(`/api/runs/${run.id}/nodes/select/views/scatter?item=1&limit=20`).expect(200)).body;
    expect({ k: second.model.k, covarianceType: second.model.covarianceType }).toEqual({ k: candidates.rows[1][kAt], covarianceType: candidates.rows[1][at] });
    expect(second.labels).toHaveLength(20);
    expect((await request(url).get(`/api/runs/${run.id}/nodes/select/views/scatter?limit=20`).expect(200)).body.model).toBeUndefined();
    const beyond = (await request(url).get(`/api/runs/${run.id}/nodes/select/views/scatter?item=99`).expect(400)).body;
    expect(beyond.message).toMatch(/item 99 is not a candidate of node 'select': it has 6/);
    await request(url).get(`/api/runs/${run.id}/nodes/select/views/scatter?item=-1`).expect(400);
  });

  it('names and labels: at most 200 characters, no control or bidi-override characters', async () => {
    for (const [body, field] of [
      [{ name: 'n'.repeat(201) }, 'name'],
      [{ name: 'nul\u0000here' }, 'name'],
      [{ name: 'invoice\u202efdp.exe' }, 'name'],
      [{ name: 'x', graph: withNode((n) => ({ ...n, label: 'l'.repeat(1024 * 1024) })) }, 'graph.nodes.0.label'],
      [{ name: 'x', graph: withNode((n) => ({ ...n, label: 'a\u2066b' })) }, 'graph.nodes.0.label'],
    ] as const) {
      const res = await request(url).post('/api/experiments').send(body);
      expect([res.status, res.body.details?.field]).toEqual([400, field]);
    }
    const named = await upload(url, 'a,b\n1,2\n').field('name', 'x\u0007y');
    expect([named.status, named.body.details?.field]).toEqual([400, 'name']);
  });

  it('a dataset named by its file: control and bidi characters dropped, cut to 200 characters', async () => {
    const long = (await upload(url, 'a,b\n1,2\n', `${'n'.repeat(5000)}.csv`).expect(201)).body;
    expect(long.name).toBe('n'.repeat(200));
    const bidi = (await upload(url, 'a,b\n1,2\n', 'report\u202eslx.csv').expect(201)).body;
    expect(bidi.name).toBe('reportslx');
  });

  it('prototype keys are refused as column names: in a CSV header, a graph parameter and a prediction request', async () => {
    for (const key of ['__proto__', 'constructor']) {
      const csv = await upload(url, `${key},b\n1,2\n`);
      expect([csv.status, csv.body.details]).toEqual([400, { column: key }]);
      const graph = await request(url).post('/api/experiments').send({ name: 'x', graph: withNodePredict(key) });
      expect([graph.status, graph.body.details]).toEqual([400, { nodeId: 'predict', parameter: 'predictionCol' }]);
      const predict = await request(url).post(`/api/models/${modelId}/predict`).send({ rows: [{ features: '1 2' }], predictionCol: key });
      expect([predict.status, predict.body.details]).toEqual([400, { field: 'predictionCol' }]);
    }
    // the same request with an ordinary name keeps the prediction
    const ok = await request(url).post(`/api/models/${modelId}/predict`).send({ rows: [{ features: '1 2' }], predictionCol: 'c' }).expect(200);
    expect(Object.keys(ok.body.rows[0])).toContain('c');
  });

  function withNodePredict(predictionCol: string) {
    const g = pipelineGraph(datasetId);
    return { ...g, nodes: g.nodes.map((n) => (n.id === 'predict' ? { ...n, params: { ...n.params, predictionCol } } : n)) };
  }
});
