/**
 * A deleted dataset keeps its name on the server (issue 18, item 8): graph checks, runs, partial runs, the dataset
 * route and exported files say `dataset "old faithful" (deleted)`, never only its UUID, also after a restart.
 */
import * as fs from 'node:fs';
import request from 'supertest';
import { blobs, blobsCsv, pipelineGraph, startServer, tempDir, upload, type Server } from './harness';

jest.setTimeout(120_000);

describe('API end to end: a deleted dataset is named by the name it had', () => {
  const dir = tempDir('deleted-datasets');
  let server: Server;

  beforeAll(async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const named = 'dataset "old faithful" (deleted)';

  it('graph checks, runs, partial runs, the dataset route and exports name it; a restart keeps the name', async () => {
    const csv = blobsCsv(blobs([[0, 0], [5, 5], [0, 5]], 30));
    const ds = (await upload(server.url, csv, 'old faithful.csv').expect(201)).body as { id: string; name: string };
    expect(ds.name).toBe('old faithful');
    const graph = pipelineGraph(ds.id);
    const experiment = (await request(server.url).post('/api/experiments').send({ name: 'Reads old faithful', graph }).expect(201)).body as { id: string };
    const first = (await request(server.url).post(`/api/experiments/${experiment.id}/runs`).send({}).expect(201)).body as { id: string };
    for (let i = 0; i < 300; i++) {
      const r = (await request(server.url).get(`/api/runs/${first.id}`).expect(200)).body as { status: string };
      if (r.status === 'succeeded') break;
      if (r.status !== 'running' && r.status !== 'queued') throw new Error(`the first run ${r.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await request(server.url).delete(`/api/datasets/${ds.id}`).expect(204);

    const check = async () => {
      // the graph check (what the console shows on the Read Dataset node)
      const configured = (await request(server.url).post('/api/graphs/configure').send({ graph }).expect(200)).body as {
        nodes: Record<string, { errors: { parameter?: string; message: string }[] }>;
      };
      const onRead = configured.nodes.read.errors[0];
      expect(onRead).toMatchObject({ parameter: 'datasetId' });
      expect(onRead!.message).toContain(`${named} no longer exists; upload it again, or choose another dataset`);
      expect(onRead!.message).not.toContain(ds.id);

      // a run of the whole graph is refused with the name
      const refused = await request(server.url).post(`/api/experiments/${experiment.id}/runs`).send({}).expect(400);
      expect(refused.body.message).toBe(`node 'read' (Read Dataset): ${named} no longer exists; upload it again, or choose another dataset`);

      // the list of deleted datasets' names (the console's Read Dataset shows them in any browser)
      const deleted = (await request(server.url).get('/api/datasets/deleted').expect(200)).body as { id: string; name: string; deletedAt: string }[];
      expect(deleted).toEqual([{ id: ds.id, name: 'old faithful', deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);

      // the dataset's own route
      const gone = await request(server.url).get(`/api/datasets/${ds.id}`).expect(404);
      expect(gone.body.message).toBe(`${named} no longer exists; GET /api/datasets lists them`);

      // the exported file says which data the graph read; importing it lists the dataset as missing, by name
      const file = (await request(server.url).get(`/api/experiments/${experiment.id}/export`).expect(200)).body as { datasets: { id: string; name?: string }[] };
      expect(file.datasets).toEqual([{ id: ds.id, name: 'old faithful', nodeIds: ['read'] }]);
      const imported = (await request(server.url).post('/api/experiments/import').send({ ...file, name: 'Imported' }).expect(201)).body as {
        missingDatasets: { id: string; name?: string }[];
      };
      expect(imported.missingDatasets).toEqual([{ id: ds.id, name: 'old faithful', nodeIds: ['read'] }]);
    };
    await check();

    // a partial run reusing the first run's output of Read Dataset (the dataset itself) names it too
    const partial = await request(server.url).post(`/api/experiments/${experiment.id}/runs`).send({ fromNode: 'train' });
    expect(partial.status).toBe(400);
    expect(partial.body.message).toContain(named);
    expect(partial.body.message).not.toContain(ds.id);

    // the name is stored, not held in memory: after a restart the messages are the same
    await server.close();
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    await check();
  });
});
