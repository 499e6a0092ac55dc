import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, closeAndRemove, followEvents, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

/** A plugin package outside plugins/: plain JavaScript, one component (Rename Column). */
const FIXTURE_PLUGIN = path.resolve(__dirname, '..', '..', 'fixtures', 'rename-column');

function renameGraph(datasetId: string, rename: Record<string, unknown>) {
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      { id: 'rename', componentId: 'rename-column', position: { x: 0, y: 100 }, params: rename },
      { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 200 }, params: { vectorCol: 'point', k: 2, randomSeed: 1 } },
    ],
    edges: [
      { id: 'e1', source: 'read', sourcePort: 0, target: 'rename', targetPort: 0 },
      { id: 'e2', source: 'rename', sourcePort: 0, target: 'train', targetPort: 0 },
    ],
  };
}

describe('API end to end: a plugin from MIXFLOW_PLUGINS', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startServer(tempDir('plugins'), { MIXFLOW_SEED: '0', MIXFLOW_PLUGINS: FIXTURE_PLUGIN });
    url = server.url;
  });
  afterAll(() => closeAndRemove(server));

  it('lists its component beside the built-in ones, for the canvas palette', async () => {
    const { components } = (await request(url).get('/api/components').expect(200)).body;
    const ids = components.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['read-dataset', 'gmm-train', 'rename-column']));
    const rename = components.find((c: { id: string }) => c.id === 'rename-column');
    expect(rename.parameters.map((p: { name: string }) => p.name)).toEqual(['column', 'newName']);
  });

  it('runs it in a workflow: its output feeds GMM Training under the new column name', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0], [6, 6]], 20))).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'renamed', graph: renameGraph(ds.id, { column: 'features', newName: 'point' }) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });

    const renamed = (await request(url).get(`/api/runs/${run.id}/nodes/rename/outputs/0?limit=100`).expect(200)).body;
    expect(renamed.columns.map((c: { name: string }) => c.name)).toEqual(['point', 'x', 'y', 'label']);
    const original = (await request(url).get(`/api/datasets/${ds.id}/preview?limit=100`).expect(200)).body;
    expect(renamed.rows).toEqual(original.rows);
    expect(renamed.total).toBe(40);
    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    expect(done.nodes.train.outputs[0]).toMatchObject({ type: 'model' });
  });

  it('its configure errors stop a run before it starts, naming the node and parameter', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0], [6, 6]], 5))).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'clash', graph: renameGraph(ds.id, { column: 'features', newName: 'x' }) }).expect(201)).body;
    const res = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(400)).body;
    expect(res.message).toContain('the input table already has a column "x"');
    expect(res.details).toMatchObject({ nodeId: 'rename', parameter: 'newName' });
  });
});

describe('API end to end: MIXFLOW_PLUGINS naming a folder that is not there', () => {
  it('the server does not start, and says which folder', async () => {
    const dir = tempDir('plugins-missing');
    try {
      await expect(startServer(dir, { MIXFLOW_SEED: '0', MIXFLOW_PLUGINS: path.join(dir, 'nope') })).rejects.toThrow(/the plugin folder .*nope \(MIXFLOW_PLUGINS\) does not exist/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
