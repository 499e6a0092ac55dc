import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, followEvents, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

/** every file under `dir`, relative, sorted */
function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]))
    .sort();
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('API end to end: ids never become paths', () => {
  let server: Server;
  let url: string;
  let outer: string;
  let datasetId: string;
  let experimentId: string;
  let runId: string;
  let outputBefore: unknown;

  beforeAll(async () => {
    // the data folder sits inside a folder of its own, so writes beside it (`../x`) show up in the walk too
    outer = tempDir('paths');
    fs.writeFileSync(path.join(outer, 'neighbour.txt'), 'untouched');
    fs.mkdirSync(path.join(outer, 'data'));
    server = await startServer(path.join(outer, 'data'), { MIXFLOW_SEED: '0' });
    url = server.url;
    datasetId = (await upload(url, blobsCsv(blobs([[0, 0], [10, 10], [10, -10]], 40))).expect(201)).body.id;
    experimentId = (await request(url).post('/api/experiments').send({ name: 'victim', graph: pipelineGraph(datasetId) }).expect(201)).body.id;
    runId = (await request(url).post(`/api/experiments/${experimentId}/runs`).send({}).expect(201)).body.id;
    expect((await followEvents(url, runId)).at(-1)).toMatchObject({ type: 'run', status: 'succeeded' });
    outputBefore = (await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/0?limit=1000`).expect(200)).body;
  });
  afterAll(async () => {
    await server?.close();
    if (outer) fs.rmSync(outer, { recursive: true, force: true });
  });

  const hostileIds = () => [
    '../../../somewhere/x',
    `../${runId}/predict`,
    '..',
    'a/b',
    'a\\b',
    'read.0',
    'x\u0000y',
    '\u202eevil',
    ' read',
    'a'.repeat(65),
    '',
  ];

  /** the pipeline graph with node `read` renamed to `id` everywhere */
  function renamed(id: string) {
    const g = pipelineGraph(datasetId);
    return {
      nodes: g.nodes.map((n) => (n.id === 'read' ? { ...n, id } : n)),
      edges: g.edges.map((e) => ({ ...e, source: e.source === 'read' ? id : e.source })),
    };
  }

  it('refuses node, edge and run-selection ids that are not [A-Za-z0-9_-]{1,64}, naming the field', async () => {
    for (const id of hostileIds()) {
      const created = await request(url).post('/api/experiments').send({ name: 'hostile', graph: renamed(id) });
      expect([created.status, created.body.details?.field]).toEqual([400, 'graph.nodes.0.id']);
      expect(created.body.message).toContain('letters, digits, _ and - only, 1 to 64 characters');

      const updated = await request(url).put(`/api/experiments/${experimentId}`).send({ graph: renamed(id) });
      expect([updated.status, updated.body.details?.field]).toEqual([400, 'graph.nodes.0.id']);

      const g = pipelineGraph(datasetId);
      const badEdge = await request(url).post('/api/graphs/configure').send({ graph: { ...g, edges: [{ ...g.edges[0], id }, ...g.edges.slice(1)] } });
      expect([badEdge.status, badEdge.body.details?.field]).toEqual([400, 'graph.edges.0.id']);

      const fromNode = await request(url).post(`/api/experiments/${experimentId}/runs`).send({ fromNode: id });
      expect([fromNode.status, fromNode.body.details?.field]).toEqual([400, 'fromNode']);
    }
    // the stored experiment is the one saved before: no hostile PUT went through
    expect((await request(url).get(`/api/experiments/${experimentId}`).expect(200)).body.version).toBe(1);
  });

  it('refuses path parameters that are not ids, before any lookup', async () => {
    for (const id of ['..%2F..%2Fetc', '%2e%2e', 'a%00b', 'x'.repeat(65)]) {
      for (const route of [`/api/runs/${id}`, `/api/runs/${runId}/nodes/${id}/outputs/0`, `/api/datasets/${id}/preview`, `/api/experiments/${id}`, `/api/models/${id}`]) {
        const res = await request(url).get(route);
        expect([route, res.status]).toEqual([route, 400]);
      }
    }
  });

  it('names output files by server-made ids and leaves nothing outside the data folder', async () => {
    const files = walk(outer);
    expect(files).toContain('neighbour.txt');
    const unexpected = files.filter(
      (f) =>
        f !== 'neighbour.txt' &&
        !/^data\/mixflow\.sqlite(-wal|-shm|-journal)?$/.test(f) &&
        !new RegExp(`^data/datasets/${UUID}\\.parquet$`).test(f) &&
        !new RegExp(`^data/runs/${UUID}/${UUID}\\.csv$`).test(f) &&
        !new RegExp(`^data/models/${UUID}\\.json$`).test(f),
    );
    expect(unexpected).toEqual([]);
    // the victim run's outputs are still its own: one table output file (predict; read's is the dataset), unchanged
    expect(files.filter((f) => f.startsWith(`data/runs/${runId}/`))).toHaveLength(1);
    expect((await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/0?limit=1000`).expect(200)).body).toEqual(outputBefore);
  });
});
