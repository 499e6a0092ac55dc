import request from 'supertest';
import { blobs, blobsCsv, closeAndRemove, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(60_000);

describe('API end to end: experiment versions, files and SDK code', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startServer(tempDir('experiments'), { MIXFLOW_SEED: '0' });
    url = server.url;
  });
  afterAll(() => closeAndRemove(server));

  it('saving what is stored makes no new version; a changed graph or name does', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0], [9, 9]], 20))).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'unchanged', graph: pipelineGraph(ds.id) }).expect(201)).body;
    const same = (await request(url).put(`/api/experiments/${exp.id}`).send({ graph: exp.graph, name: 'unchanged' }).expect(200)).body;
    expect(same.version).toBe(1);
    expect(same.updatedAt).toBe(exp.updatedAt);
    expect((await request(url).get(`/api/experiments/${exp.id}/versions`).expect(200)).body).toHaveLength(1);
    expect((await request(url).put(`/api/experiments/${exp.id}`).send({ graph: pipelineGraph(ds.id, { k: 2 }) }).expect(200)).body.version).toBe(2);
    expect((await request(url).put(`/api/experiments/${exp.id}`).send({ name: 'renamed' }).expect(200)).body.version).toBe(3);
    expect((await request(url).put(`/api/experiments/${exp.id}`).send({ name: 'renamed' }).expect(200)).body.version).toBe(3);
  });

  it('lists the experiments that read a dataset (what deleting it would break)', async () => {
    const used = (await upload(url, blobsCsv(blobs([[0, 0], [9, 9]], 20))).expect(201)).body;
    const other = (await upload(url, blobsCsv(blobs([[0, 0], [9, 9]], 20))).expect(201)).body;
    const a = (await request(url).post('/api/experiments').send({ name: 'reads it', graph: pipelineGraph(used.id) }).expect(201)).body;
    await request(url).post('/api/experiments').send({ name: 'reads another', graph: pipelineGraph(other.id) }).expect(201);
    const listed = (await request(url).get('/api/experiments').query({ datasetId: used.id }).expect(200)).body;
    expect(listed.map((e: { id: string; name: string }) => [e.id, e.name])).toEqual([[a.id, 'reads it']]);
    expect((await request(url).get('/api/experiments').query({ datasetId: 'no-such-dataset' }).expect(200)).body).toEqual([]);
    expect((await request(url).get('/api/experiments').expect(200)).body.length).toBeGreaterThanOrEqual(2);
  });

  it('opens an old version whole and restores it as the newest version, keeping every version', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0], [9, 9]], 20))).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'history', graph: pipelineGraph(ds.id, { k: 4 }) }).expect(201)).body;
    await request(url).put(`/api/experiments/${exp.id}`).send({ graph: pipelineGraph(ds.id, { k: 2 }) }).expect(200);
    const v1 = (await request(url).get(`/api/experiments/${exp.id}/versions/1`).expect(200)).body;
    expect(v1).toMatchObject({ version: 1, name: 'history' });
    expect(v1.graph.nodes.find((n: { id: string }) => n.id === 'train').params.k).toBe(4);
    const missing = await request(url).get(`/api/experiments/${exp.id}/versions/9`).expect(404);
    expect(missing.body.message).toContain('its versions are 2, 1');
    await request(url).get(`/api/experiments/${exp.id}/versions/x`).expect(400);
    const restored = (await request(url).post(`/api/experiments/${exp.id}/versions/1/restore`).expect(200)).body;
    expect(restored.version).toBe(3);
    expect(restored.graph.nodes.find((n: { id: string }) => n.id === 'train').params.k).toBe(4);
    expect((await request(url).get(`/api/experiments/${exp.id}/versions`).expect(200)).body.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it('exports an experiment as a file and imports it back, naming the datasets this server lacks', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0], [9, 9]], 20)), 'my blobs.csv').expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'to share', graph: pipelineGraph(ds.id, { k: 2 }) }).expect(201)).body;
    const res = await request(url).get(`/api/experiments/${exp.id}/export`).buffer(true).parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString()));
      r.on('end', () => cb(null, text));
    }).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="to_share.experiment.json"');
    const file = JSON.parse(res.body as string);
    expect(file).toMatchObject({ format: 'mixflow.experiment', formatVersion: 1, name: 'to share', datasets: [{ id: ds.id, name: 'my blobs', nodeIds: ['read'] }] });
    expect(file.graph).toEqual(exp.graph);

    const back = (await request(url).post('/api/experiments/import').send(file).expect(201)).body;
    expect(back.missingDatasets).toEqual([]);
    expect(back.experiment).toMatchObject({ name: 'to share', version: 1, graph: exp.graph });
    expect(back.experiment.id).not.toBe(exp.id);

    // on a server without the dataset: imported, and the dataset named as it was exported
    await request(url).delete(`/api/datasets/${ds.id}`).expect(204);
    const lacking = (await request(url).post('/api/experiments/import').send(file).expect(201)).body;
    expect(lacking.missingDatasets).toEqual([{ id: ds.id, name: 'my blobs', nodeIds: ['read'] }]);

    // not an experiment file: 400 naming the field, nothing created
    const before = (await request(url).get('/api/experiments').expect(200)).body.length;
    const bad = await request(url).post('/api/experiments/import').send({ ...file, format: 'mixflow.gmm' }).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('format');
    await request(url).post('/api/experiments/import').send({ ...file, graph: { nodes: [{ id: 'n', componentId: 'nope', position: { x: 0, y: 0 }, params: {} }], edges: [] } }).expect(400);
    expect((await request(url).get('/api/experiments').expect(200)).body).toHaveLength(before);
  });

  it('answers the experiment as SDK code that builds the same graph', async () => {
    const exp = (await request(url).post('/api/experiments').send({ name: 'code', graph: pipelineGraph('sample-three-blobs', { k: 3 }) }).expect(201)).body;
    const { code } = (await request(url).get(`/api/experiments/${exp.id}/sdk-code`).expect(200)).body;
    expect(code).toContain("from '@mixflow/sdk'");
    expect(code).toContain(".setDatasetId('sample-three-blobs')");
    expect(code).toContain('.setK(3)');
    expect(code).toMatch(/new GmmTrainBatchOp\(\)[\s\S]*\.linkFrom\(read\)/);
  });
});
