import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, followEvents, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

async function waitForNode(url: string, runId: string, nodeId: string, status: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const run = (await request(url).get(`/api/runs/${runId}`).expect(200)).body;
    if (run.nodes[nodeId]?.status === status) return;
    if (!['queued', 'running'].includes(run.status)) throw new Error(`run ended (${run.status}) before node ${nodeId} was ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`node ${nodeId} never became ${status}`);
}

/** GET /api/models/:id/export's bytes as text. */
async function exportText(url: string, id: string): Promise<string> {
  const res = await request(url).get(`/api/models/${id}/export`).buffer(true).parse((res, cb) => {
    let body = '';
    res.on('data', (c: Buffer) => (body += c.toString()));
    res.on('end', () => cb(null, body));
  }).expect(200);
  return res.body as unknown as string;
}

describe('API end to end: restart', () => {
  const dir = tempDir('restart');
  let server: Server | undefined;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks runs in flight as interrupted and keeps experiments and models', async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    let url = server.url;
    // a finished run, so there is a model with lineage
    const small = (await upload(url, blobsCsv(blobs([[0, 0], [8, 8], [8, -8]], 40))).expect(201)).body;
    const quick = (await request(url).post('/api/experiments').send({ name: 'quick', graph: pipelineGraph(small.id) }).expect(201)).body;
    const done = (await request(url).post(`/api/experiments/${quick.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, done.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const models = (await request(url).get('/api/models').expect(200)).body;
    expect(models).toHaveLength(1);

    // a long training (epsilon 0, many iterations on 20 000 rows), stopped by a graceful shutdown mid-way
    const big = (await upload(url, blobsCsv(blobs([[0, 0], [1, 1], [2, 0], [0, 2], [3, 3], [1, 3], [3, 1], [2, 2]], 2500, 1))).expect(201)).body;
    const slow = (
      await request(url)
        .post('/api/experiments')
        .send({ name: 'slow', graph: pipelineGraph(big.id, { k: 8, maxIter: 100000, epsilon: 0, trials: 20 }) })
        .expect(201)
    ).body;
    const inflight = (await request(url).post(`/api/experiments/${slow.id}/runs`).send({}).expect(201)).body;
    await waitForNode(url, inflight.id, 'train', 'running');
    await server.close();

    // and one the server never got to finish because it crashed: written as it would have been left
    const db = new Database(path.join(dir, 'mixflow.sqlite'));
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO runs (id, experimentId, experimentVersion, status, engine, createdAt, startedAt, nodes) VALUES (?, ?, 1, 'running', 'inline', ?, ?, ?)`,
    ).run('crashed-run', quick.id, now, now, JSON.stringify({ read: { status: 'succeeded', progress: 1, metrics: {}, outputs: [] }, train: { status: 'running', progress: 0.3, metrics: {}, outputs: [] } }));
    db.close();

    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    url = server.url;
    const interrupted = (await request(url).get(`/api/runs/${inflight.id}`).expect(200)).body;
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.nodes.train.status).toBe('interrupted');
    expect(interrupted.nodes.read.status).toBe('succeeded');
    expect(interrupted.error).toMatch(/server stopped/);
    const crashed = (await request(url).get('/api/runs/crashed-run').expect(200)).body;
    expect(crashed.status).toBe('interrupted');
    expect(crashed.nodes.train.status).toBe('interrupted');
    expect(crashed.finishedAt).toBeDefined();
    // the events of an interrupted run end at once with its status
    expect((await followEvents(url, 'crashed-run')).at(-1)).toMatchObject({ type: 'run', status: 'interrupted' });

    const experiments = (await request(url).get('/api/experiments').expect(200)).body.map((e: { name: string }) => e.name).sort();
    expect(experiments).toEqual(['quick', 'slow']);
    const after = (await request(url).get('/api/models').expect(200)).body;
    expect(after.map((m: { id: string }) => m.id)).toEqual(models.map((m: { id: string }) => m.id));
    expect((await request(url).get(`/api/models/${models[0].id}`).expect(200)).body.model.k).toBe(3);
    // the stored outputs of the finished run are still readable
    const page = (await request(url).get(`/api/runs/${done.id}/nodes/predict/outputs/0?limit=5`).expect(200)).body;
    expect(page.total).toBe(120);
    // cancel: the running node and the ones after it become cancelled, and the event stream ends with it
    const toCancel = (await request(url).post(`/api/experiments/${slow.id}/runs`).send({}).expect(201)).body;
    await waitForNode(url, toCancel.id, 'train', 'running');
    const eventsPromise = followEvents(url, toCancel.id);
    const cancelled = (await request(url).post(`/api/runs/${toCancel.id}/cancel`).expect(200)).body;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.nodes).toMatchObject({ read: { status: 'succeeded' }, train: { status: 'cancelled' }, predict: { status: 'cancelled' } });
    expect((await eventsPromise).at(-1)).toMatchObject({ type: 'run', status: 'cancelled' });
    // and a crash (SIGKILL) mid-run is caught on the next start too
    const again = (await request(url).post(`/api/experiments/${slow.id}/runs`).send({}).expect(201)).body;
    await waitForNode(url, again.id, 'train', 'running');
    await server.kill();
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    expect((await request(server.url).get(`/api/runs/${again.id}`).expect(200)).body.status).toBe('interrupted');
  });
});

describe('API end to end: a database of the first version', () => {
  const dir = tempDir('upgrade');
  let server: Server | undefined;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its GMM models after the models table becomes generic: listed with type and figures, exported bit for bit', async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    await server.close();
    // back to the first version's models table (k, dims, covarianceType columns), holding a model stored then
    const file = { type: 'mixflow.gmm', version: 1, covarianceType: 'diag', dims: 2, k: 2, weights: [0.5, 0.5], means: [[0, 0], [5, 5]], covariances: [[1, 1], [1, 1]], vectorCol: 'features' };
    const db = new Database(path.join(dir, 'mixflow.sqlite'));
    db.exec(`DROP TABLE "models"; DELETE FROM "migrations" WHERE "name" LIKE 'GenericModels%' OR "name" LIKE 'ModelFiles%';
      CREATE TABLE "models" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "k" integer NOT NULL, "dims" integer NOT NULL,
      "covarianceType" varchar NOT NULL, "model" text NOT NULL, "experimentId" varchar, "runId" varchar, "nodeId" varchar,
      "parentModelId" varchar, "createdAt" varchar NOT NULL)`);
    db.prepare(`INSERT INTO "models" VALUES ('old-model', 'old', 2, 2, 'diag', ?, NULL, NULL, NULL, NULL, '2025-01-01T00:00:00.000Z')`).run(JSON.stringify(file));
    db.close();

    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    const url = server.url;
    const listed = (await request(url).get('/api/models').expect(200)).body;
    expect(listed).toEqual([
      expect.objectContaining({ id: 'old-model', modelType: 'gmm', description: 'k=2, 2-D', k: 2, dims: 2, covarianceType: 'diag', fields: { k: 2, dims: 2, covarianceType: 'diag' } }),
    ]);
    expect(await exportText(url, 'old-model')).toBe(JSON.stringify(file, null, 2));
    const online = (await request(url).post('/api/models/old-model/predict').send({ rows: [{ features: '5 5' }, { features: '0 0.1' }] }).expect(200)).body;
    expect(online.rows.map((r: { prediction: number }) => r.prediction)).toEqual([1, 0]);
  });
});

describe('API end to end: listing models', () => {
  const dir = tempDir('model-list');
  let server: Server | undefined;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads only the summaries, never the payloads (a wide model is hundreds of MB of JSON)', async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    const small = (await upload(server.url, blobsCsv(blobs([[0, 0], [8, 8]], 40))).expect(201)).body;
    const exp = (await request(server.url).post('/api/experiments').send({ name: 'one model', graph: pipelineGraph(small.id) }).expect(201)).body;
    const run = (await request(server.url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    await followEvents(server.url, run.id);
    const [before] = (await request(server.url).get('/api/models').expect(200)).body;
    await server.close();
    // a payload that cannot be parsed: listing must not touch it
    const db = new Database(path.join(dir, 'mixflow.sqlite'));
    const { file } = db.prepare('SELECT "file" FROM "models" WHERE "id" = ?').get(before.id) as { file: string };
    db.close();
    fs.writeFileSync(path.join(dir, 'models', file), '{"not json');
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    expect((await request(server.url).get('/api/models').expect(200)).body).toEqual([before]);
  });
});

describe('API end to end: model payloads in files', () => {
  const dir = tempDir('model-files');
  let server: Server | undefined;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moves payloads an older version kept in SQLite to files at start, and removes half-written and unrecorded model files', async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    const trained = (await request(server.url).post('/api/models/import').send({ type: 'mixflow.gmm', version: 1, covarianceType: 'spherical', dims: 1, k: 1, weights: [1], means: [[3]], covariances: [2] }).expect(201)).body;
    await server.close();
    const modelDir = path.join(dir, 'models');
    expect(fs.readdirSync(modelDir)).toHaveLength(1);

    // the models table of the version before model files: the payload in "model", a row without file and header
    const file = { type: 'mixflow.gmm', version: 1, covarianceType: 'diag', dims: 2, k: 2, weights: [0.5, 0.5], means: [[0, 0], [5, 5]], covariances: [[1, 1], [1, 1]], vectorCol: 'features' };
    const db = new Database(path.join(dir, 'mixflow.sqlite'));
    db.prepare(`INSERT INTO "models" ("id", "name", "modelType", "summary", "file", "header", "model", "createdAt") VALUES ('in-sqlite', 'old', 'gmm', ?, NULL, NULL, ?, '2025-06-01T00:00:00.000Z')`).run(
      JSON.stringify({ text: 'k=2, 2-D', fields: { k: 2, dims: 2, covarianceType: 'diag' } }),
      JSON.stringify({ modelType: 'gmm', ...file }),
    );
    db.close();
    // a crash mid-write (a temporary file) and between a file's write and its row (a file no row names)
    fs.writeFileSync(path.join(dir, 'tmp', 'half-written.json'), '{"type":"mixflow.gmm","means":[[0,');
    fs.writeFileSync(path.join(modelDir, 'no-row.json'), '{}');

    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    const url = server.url;
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(fs.readdirSync(modelDir)).not.toContain('no-row.json');
    expect(server.output()).toMatch(/moved the payloads of 1 model\(s\) from SQLite to files under models\//);
    expect(server.output()).toMatch(/removed 1 file\(s\) under models\/ that no model records.*models\/no-row\.json/);
    const check = new Database(path.join(dir, 'mixflow.sqlite'));
    const row = check.prepare('SELECT "file", "header", "model" FROM "models" WHERE "id" = ?').get('in-sqlite') as { file: string; header: string; model: string | null };
    check.close();
    expect(row.model).toBeNull();
    // the row's header: the format's version, the port schema and the codec's head (the model without its parameters)
    expect(JSON.parse(row.header)).toEqual({
      version: 1,
      portSchema: { type: 'model', modelType: 'gmm', dims: 2, k: 2, vectorCol: 'features' },
      head: { modelType: 'gmm', type: 'mixflow.gmm', version: 1, covarianceType: 'diag', dims: 2, k: 2, vectorCol: 'features' },
    });
    expect(fs.readdirSync(modelDir)).toContain(row.file);
    expect(fs.readdirSync(modelDir)).toHaveLength(2);

    // nothing lost: the moved model exports bit for bit and predicts; the other one is untouched
    expect(await exportText(url, 'in-sqlite')).toBe(JSON.stringify(file, null, 2));
    const detail = (await request(url).get('/api/models/in-sqlite').expect(200)).body;
    expect(detail).toMatchObject({ id: 'in-sqlite', modelType: 'gmm', k: 2, model: file });
    const online = (await request(url).post('/api/models/in-sqlite/predict').send({ rows: [{ features: '5 5' }, { features: '0 0.1' }] }).expect(200)).body;
    expect(online.rows.map((r: { prediction: number }) => r.prediction)).toEqual([1, 0]);
    expect(JSON.parse(await exportText(url, trained.id))).toMatchObject({ means: [[3]], covariances: [2] });

    // a removed model's file goes with it
    await request(url).delete('/api/models/in-sqlite').expect(204);
    expect(fs.readdirSync(modelDir)).not.toContain(row.file);
  });
});
