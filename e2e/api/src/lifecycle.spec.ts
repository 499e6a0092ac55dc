import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, closeAndRemove, followEvents, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

const SLOW_TRAINING = { k: 8, maxIter: 100000, epsilon: 0, trials: 20 };
const SLOW_CENTERS: [number, number][] = [[0, 0], [1, 1], [2, 0], [0, 2], [3, 3], [1, 3], [3, 1], [2, 2]];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The file name the server gave a node's first output in a run (a server-made id, stored with the run). */
function storedOutput(dir: string, runId: string, nodeId: string): { port: number; file?: string; datasetId?: string } {
  const db = new Database(path.join(dir, 'mixflow.sqlite'), { readonly: true });
  try {
    const { nodes } = db.prepare('SELECT nodes FROM runs WHERE id = ?').get(runId) as { nodes: string };
    return (JSON.parse(nodes) as Record<string, { outputs: { port: number; file?: string }[] }>)[nodeId].outputs.find((o) => o.port === 0)!;
  } finally {
    db.close();
  }
}

function outputFile(dir: string, runId: string, nodeId: string): string {
  return storedOutput(dir, runId, nodeId).file!;
}

/** Replaces data row `row` (1-based, the line after the header is row 1) of a CSV file with an unreadable line. */
function corruptRow(file: string, row: number): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[row] = '"an unclosed quote,1,2';
  fs.writeFileSync(file, lines.join('\n'));
}

describe('API end to end: deleting experiments, paging large files, replaying run logs', () => {
  let server: Server;
  let url: string;
  const rows = blobs([[0, 0], [10, 10], [10, -10]], 60);
  let slowDatasetId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('lifecycle'), { MIXFLOW_SEED: '0' });
    url = server.url;
    slowDatasetId = (await upload(url, blobsCsv(blobs(SLOW_CENTERS, 2500, 1)), 'slow.csv').expect(201)).body.id;
  });
  afterAll(() => closeAndRemove(server));

  /** Starts the long training and returns the run once its training node is running and has logged. */
  async function startSlowRun(experimentId: string): Promise<{ id: string }> {
    const run = (await request(url).post(`/api/experiments/${experimentId}/runs`).send({}).expect(201)).body;
    await waitFor('the training node to run and log', async () => {
      const r = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
      if (!['queued', 'running'].includes(r.status)) throw new Error(`run ended (${r.status}) before its training started`);
      const logs = (await request(url).get(`/api/runs/${run.id}/logs`).expect(200)).body;
      return r.nodes.train.status === 'running' && logs.some((l: { nodeId?: string }) => l.nodeId === 'train') ? r : undefined;
    });
    return run;
  }

  it('deleting an experiment removes its versions, runs, logs and output files, keeps its models, and is refused while a run is in flight', async () => {
    const ds = (await upload(url, blobsCsv(rows)).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'to delete', graph: pipelineGraph(ds.id) }).expect(201)).body;
    await request(url).put(`/api/experiments/${exp.id}`).send({ graph: pipelineGraph(ds.id, { k: 2 }) }).expect(200);
    const finished = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, finished.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const model = (await request(url).get('/api/models').expect(200)).body.find((m: { lineage: { runId?: string } }) => m.lineage.runId === finished.id);
    expect(model).toBeDefined();
    const runDir = (id: string) => path.join(server.dir, 'runs', id);
    // Read Dataset's output is the dataset itself: referenced, not copied into the run's folder
    expect(storedOutput(server.dir, finished.id, 'read')).toMatchObject({ datasetId: ds.id });
    expect(storedOutput(server.dir, finished.id, 'read').file).toBeUndefined();
    expect(fs.readdirSync(runDir(finished.id))).toEqual([outputFile(server.dir, finished.id, 'predict')]);
    const readPage = (await request(url).get(`/api/runs/${finished.id}/nodes/read/outputs/0?offset=3&limit=2`).expect(200)).body;
    expect(readPage).toEqual((await request(url).get(`/api/datasets/${ds.id}/preview?offset=3&limit=2`).expect(200)).body);
    expect(readPage.rows.map((r: unknown[]) => r.slice(0, 4))).toEqual(rows.slice(3, 5).map((r) => [`${r.x} ${r.y}`, r.x, r.y, r.label]));

    // a run in flight: 409 naming it, and nothing is deleted
    await request(url).put(`/api/experiments/${exp.id}`).send({ graph: pipelineGraph(slowDatasetId, SLOW_TRAINING) }).expect(200);
    const inflight = await startSlowRun(exp.id);
    const refused = await request(url).delete(`/api/experiments/${exp.id}`).expect(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(refused.body.message).toContain(`run '${inflight.id}'`);
    expect(refused.body.message).toMatch(/cancel it first/);
    await request(url).get(`/api/experiments/${exp.id}`).expect(200);
    expect((await request(url).get(`/api/experiments/${exp.id}/runs`).expect(200)).body).toHaveLength(2);
    expect(fs.existsSync(runDir(finished.id))).toBe(true);

    expect((await request(url).post(`/api/runs/${inflight.id}/cancel`).expect(200)).body.status).toBe('cancelled');
    expect(storedOutput(server.dir, inflight.id, 'read')).toMatchObject({ datasetId: slowDatasetId });
    expect(fs.readdirSync(runDir(inflight.id))).toEqual([]);
    await request(url).delete(`/api/experiments/${exp.id}`).expect(204);

    await request(url).get(`/api/experiments/${exp.id}`).expect(404);
    for (const runId of [finished.id, inflight.id]) {
      await request(url).get(`/api/runs/${runId}`).expect(404);
      await request(url).get(`/api/runs/${runId}/logs`).expect(404);
      expect(fs.existsSync(runDir(runId))).toBe(false);
    }
    const db = new Database(path.join(server.dir, 'mixflow.sqlite'), { readonly: true });
    try {
      const count = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
      expect(count('SELECT COUNT(*) AS n FROM experiment_versions WHERE experimentId = ?', exp.id)).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM runs WHERE experimentId = ?', exp.id)).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM run_logs WHERE runId IN (?, ?)', finished.id, inflight.id)).toBe(0);
    } finally {
      db.close();
    }
    // the trained model is the user's result: it stays, with its lineage
    const kept = (await request(url).get(`/api/models/${model.id}`).expect(200)).body;
    expect(kept.lineage).toMatchObject({ experimentId: exp.id, runId: finished.id, nodeId: 'train' });
  });

  it('dataset previews page by SQL over the Parquet; run output pages read only as far as the page goes (a corrupt line after it does not matter)', async () => {
    const ds = (await upload(url, blobsCsv(rows), 'paged.csv').expect(201)).body;
    const before = (await request(url).get(`/api/datasets/${ds.id}/preview?offset=2&limit=3`).expect(200)).body;
    expect(before).toEqual({
      columns: ds.schema.columns,
      rows: rows.slice(2, 5).map((r) => [`${r.x} ${r.y}`, r.x, r.y, r.label]),
      total: 180,
    });
    const exp = (await request(url).post('/api/experiments').send({ name: 'paged', graph: pipelineGraph(ds.id) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const outputBefore = (await request(url).get(`/api/runs/${run.id}/nodes/predict/outputs/0?offset=10&limit=5`).expect(200)).body;
    expect(outputBefore.total).toBe(180);
    expect(outputBefore.rows.map((r: unknown[]) => r.slice(0, 4))).toEqual(rows.slice(10, 15).map((r) => [`${r.x} ${r.y}`, r.x, r.y, r.label]));

    corruptRow(path.join(server.dir, 'runs', run.id, outputFile(server.dir, run.id, 'predict')), 100);

    expect((await request(url).get(`/api/datasets/${ds.id}/preview?offset=2&limit=3`).expect(200)).body).toEqual(before);
    expect((await request(url).get(`/api/datasets/${ds.id}/preview?offset=0&limit=99`).expect(200)).body.rows).toHaveLength(99);
    expect((await request(url).get(`/api/runs/${run.id}/nodes/predict/outputs/0?offset=10&limit=5`).expect(200)).body).toEqual(outputBefore);
    // a run output page that reaches the corrupt line still reports it, naming the row
    const broken = await request(url).get(`/api/runs/${run.id}/nodes/predict/outputs/0?offset=95&limit=10`).expect(400);
    expect(broken.body.message).toMatch(/row 100/);
  });

  it('the event stream replays the stored logs after the node states, then goes on live without duplicates', async () => {
    const ds = (await upload(url, blobsCsv(rows)).expect(201)).body;
    const quick = (await request(url).post('/api/experiments').send({ name: 'replay', graph: pipelineGraph(ds.id) }).expect(201)).body;
    const done = (await request(url).post(`/api/experiments/${quick.id}/runs`).send({}).expect(201)).body;
    await followEvents(url, done.id);
    // a finished run: node states, every node's metrics, every stored log, then the run event
    const logs = (await request(url).get(`/api/runs/${done.id}/logs`).expect(200)).body;
    expect(logs.length).toBeGreaterThan(0);
    const finished = (await request(url).get(`/api/runs/${done.id}`).expect(200)).body;
    const metrics = Object.entries(finished.nodes as Record<string, { metrics: Record<string, unknown> }>).flatMap(([nodeId, n]) =>
      Object.entries(n.metrics).map(([name, value]) => ({ type: 'metric', nodeId, name, value })),
    );
    expect(metrics.some((m) => m.nodeId === 'train' && m.name === 'logLikelihoodHistory')).toBe(true);
    const replayed = await followEvents(url, done.id);
    expect(replayed.map((e) => e.type)).toEqual([...Array(3).fill('node'), ...metrics.map(() => 'metric'), ...logs.map(() => 'log'), 'run']);
    expect(replayed.filter((e) => e.type === 'metric')).toEqual(metrics);
    expect(replayed.filter((e) => e.type === 'log')).toEqual(logs.map((l: Record<string, unknown>) => ({ type: 'log', ...l })));

    // a run in flight that logged before the console connected
    const slow = (await request(url).post('/api/experiments').send({ name: 'replay slow', graph: pipelineGraph(slowDatasetId, SLOW_TRAINING) }).expect(201)).body;
    const run = await startSlowRun(slow.id);
    const earlier = (await request(url).get(`/api/runs/${run.id}/logs`).expect(200)).body;
    // the response's headers arrive once the server has subscribed to the live run
    const res = await fetch(`${url}/api/runs/${run.id}/events`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    await request(url).post(`/api/runs/${run.id}/cancel`).expect(200);
    const events = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
    const all = (await request(url).get(`/api/runs/${run.id}/logs`).expect(200)).body;
    expect(all.slice(0, earlier.length)).toEqual(earlier);
    expect(events.filter((e) => e.type === 'log')).toEqual(all.map((l: Record<string, unknown>) => ({ type: 'log', ...l })));
    expect(events.slice(0, 3).map((e) => e.type)).toEqual(['node', 'node', 'node']);
    expect(events.at(-1)).toMatchObject({ type: 'run', status: 'cancelled' });
  });
});
