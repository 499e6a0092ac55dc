import * as fs from 'node:fs';
import * as http from 'node:http';
import request from 'supertest';
import { fitGmm, GaussianMixture, makeDataMatrix } from '@mixflow/gmm';
import { startServer, tempDir, type Server } from './harness';
import { DIMS, postLines, servingModel, servingRows, vectorOf } from './serving-fixtures';

/** Answers of a streamed POST, line by line as they arrive; `send` writes more of the body, `end` finishes it. */
function openStream(url: string, contentType: string) {
  const lines: string[] = [];
  let rest = '';
  let status = 0;
  const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': contentType } });
  const done = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        lines.push(...parts.filter((l) => l !== ''));
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return {
    lines,
    status: () => status,
    send: (text: string) => new Promise<void>((resolve) => (req.write(text) ? resolve() : req.once('drain', resolve))),
    end: async () => {
      req.end();
      await done;
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('API end to end: deployments (named endpoints, atomic model swap, counters)', () => {
  let server: Server;
  let url: string;
  let modelA: string;
  let modelB: string;
  let oracleA: GaussianMixture;
  let oracleB: GaussianMixture;
  const n = 100_000;
  const x = servingRows(20_000, 3);

  beforeAll(async () => {
    server = await startServer(tempDir('deployments'), { MIXFLOW_SEED: '0', MIXFLOW_MAX_WORKERS: '2' });
    url = server.url;
    const fileA = servingModel(1);
    const fileB = servingModel(2);
    oracleA = GaussianMixture.fromJSON(fileA as never);
    oracleB = GaussianMixture.fromJSON(fileB as never);
    modelA = (await request(url).post('/api/models/import').send(fileA).expect(201)).body.id;
    modelB = (await request(url).post('/api/models/import').send(fileB).expect(201)).body.id;
  });
  afterAll(async () => {
    await server?.close();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  it('creates a deployment, refuses a name in use (409), an unknown model (404) and a name that is not a URL segment (400)', async () => {
    const created = await request(url).post('/api/deployments').send({ name: 'clusters', modelId: modelA }).expect(201);
    expect(created.body).toMatchObject({ name: 'clusters', modelId: modelA, counters: { rows: 0, requests: 0, errors: 0, p50Ms: null } });
    expect(created.body.modelDescription).toMatch(/k=8/);
    await request(url).post('/api/deployments').send({ name: 'clusters', modelId: modelB }).expect(409);
    const unknown = await request(url).post('/api/deployments').send({ name: 'other', modelId: 'nope' }).expect(404);
    expect(unknown.body.message).toMatch(/model 'nope' does not exist/);
    const badName = await request(url).post('/api/deployments').send({ name: 'a/b', modelId: modelA }).expect(400);
    expect(badName.body.details).toMatchObject({ field: 'name' });
    expect((await request(url).get('/api/deployments').expect(200)).body.map((d: { name: string }) => d.name)).toEqual(['clusters']);
    await request(url).get('/api/deployments/none').expect(404);
    await request(url).post('/api/deployments/none/predict').send({ rows: [] }).expect(404);
  });

  it('predicts JSON, NDJSON and CSV, each row naming the model that predicted it', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, features: vectorOf(x, i) }));
    const expected = Array.from(oracleA.predict(makeDataMatrix(x.subarray(0, 50 * DIMS), 50, DIMS)));
    const json = await request(url).post('/api/deployments/clusters/predict').send({ rows, predictionCol: 'c' }).expect(200);
    expect(json.body.rows.map((r: { c: number }) => r.c)).toEqual(expected);
    expect(json.body.rows.every((r: { modelId: string }) => r.modelId === modelA)).toBe(true);
    const nd = await postLines(`${url}/api/deployments/clusters/predict?predictionCol=c`, rows.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson');
    expect(nd.lines.map((l) => JSON.parse(l))).toEqual(rows.map((r, i) => ({ ...r, c: expected[i], modelId: modelA })));
    const csv = await postLines(`${url}/api/deployments/clusters/predict?predictionCol=c`, `id,features\n${rows.map((r) => `${r.id},${r.features}`).join('\n')}\n`, 'text/csv');
    expect(csv.lines[0]).toBe('id,features,c,modelId,error');
    expect(csv.lines[1]).toBe(`0,${rows[0].features},${expected[0]},${modelA},`);
  });

  it('swaps the model in the middle of a 100,000-row NDJSON stream: every row answered once, in order, by the model it names', async () => {
    const lineOf = (i: number) => `{"id":${i},"features":"${vectorOf(x, i % 20_000)}"}\n`;
    const stream = openStream(`${url}/api/deployments/clusters/predict?predictionCol=c`, 'application/x-ndjson');
    const half = n / 2;
    for (let start = 0; start < half; start += 1000) await stream.send(Array.from({ length: 1000 }, (_, j) => lineOf(start + j)).join(''));
    await until(() => stream.lines.length >= 5000, 'answers before the swap');
    const answeredBefore = stream.lines.length;
    const swapped = await request(url).put('/api/deployments/clusters').send({ modelId: modelB }).expect(200);
    expect(swapped.body.modelId).toBe(modelB);
    // a request after the swap uses the new model while the stream is still open
    const after = await request(url).post('/api/deployments/clusters/predict').send({ rows: [{ features: vectorOf(x, 0) }] }).expect(200);
    expect(after.body.rows[0].modelId).toBe(modelB);
    for (let start = half; start < n; start += 1000) await stream.send(Array.from({ length: 1000 }, (_, j) => lineOf(start + j)).join(''));
    await stream.end();
    expect(stream.status()).toBe(200);

    const answers = stream.lines.map((l) => JSON.parse(l) as { id: number; c: number; modelId: string; error?: string });
    expect(answers).toHaveLength(n);
    expect(answers.filter((a) => a.error)).toEqual([]);
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: n }, (_, i) => i)); // each row once, in order
    const firstB = answers.findIndex((a) => a.modelId === modelB);
    expect(firstB).toBeGreaterThanOrEqual(answeredBefore); // rows answered before the swap stay with the old model
    expect(firstB).toBeLessThan(n);
    expect(answers.slice(0, firstB).every((a) => a.modelId === modelA)).toBe(true);
    expect(answers.slice(firstB).every((a) => a.modelId === modelB)).toBe(true);
    const all = new Float64Array(n * DIMS);
    for (let i = 0; i < n; i++) all.set(x.subarray((i % 20_000) * DIMS, (i % 20_000 + 1) * DIMS), i * DIMS);
    const labelsA = oracleA.predict(makeDataMatrix(all, n, DIMS));
    const labelsB = oracleB.predict(makeDataMatrix(all, n, DIMS));
    const wrong = answers.filter((a, i) => a.c !== (a.modelId === modelA ? labelsA[i] : labelsB[i]));
    expect(wrong).toEqual([]);
    expect(labelsA.some((v, i) => v !== labelsB[i])).toBe(true); // the two models do disagree somewhere: the check means something

    const counters = (await request(url).get('/api/deployments/clusters').expect(200)).body.counters;
    expect(counters.rows).toBeGreaterThanOrEqual(n + 50 * 3 + 1);
    expect(counters.requests).toBeGreaterThanOrEqual(5);
    expect(counters.p50Ms).toBeGreaterThan(0);
    expect(counters.p99Ms).toBeGreaterThanOrEqual(counters.p50Ms);
  });

  it('refuses a swap to a model of another dimension (400 naming it; the old model keeps serving) and to an unknown model (404)', async () => {
    const x3 = servingRows(400, 9).filter((_, i) => i % DIMS < 3);
    const small = { ...fitGmm(makeDataMatrix(x3, 400, 3), { k: 2, maxIter: 5, randomSeed: 1 }).toJSON(), vectorCol: 'features' };
    const modelC = (await request(url).post('/api/models/import').send(small).expect(201)).body.id;
    const refused = await request(url).put('/api/deployments/clusters').send({ modelId: modelC }).expect(400);
    expect(refused.body.message).toMatch(/dimensions differ \(3, where the deployment's model has 10\); the current model keeps serving/);
    expect(refused.body.details).toMatchObject({ field: 'modelId' });
    await request(url).put('/api/deployments/clusters').send({ modelId: 'nope' }).expect(404);
    await request(url).put('/api/deployments/none').send({ modelId: modelA }).expect(404);
    expect((await request(url).get('/api/deployments/clusters').expect(200)).body.modelId).toBe(modelB);
    const still = await request(url).post('/api/deployments/clusters/predict').send({ rows: [{ features: vectorOf(x, 1) }] }).expect(200);
    expect(still.body.rows[0].modelId).toBe(modelB);
  });

  it('keeps a served model from being deleted (409), keeps deployments across a restart, and deletes them', async () => {
    const conflict = await request(url).delete(`/api/models/${modelB}`).expect(409);
    expect(conflict.body.message).toMatch(/served by deployment 'clusters'/);
    await server.close();
    server = await startServer(server.dir, { MIXFLOW_SEED: '0', MIXFLOW_MAX_WORKERS: '2' });
    url = server.url;
    const kept = (await request(url).get('/api/deployments').expect(200)).body;
    expect(kept).toEqual([expect.objectContaining({ name: 'clusters', modelId: modelB, counters: expect.objectContaining({ rows: 0 }) })]);
    const res = await request(url).post('/api/deployments/clusters/predict').send({ rows: [{ features: vectorOf(x, 2) }] }).expect(200);
    expect(res.body.rows[0].modelId).toBe(modelB);
    await request(url).delete('/api/deployments/clusters').expect(204);
    await request(url).get('/api/deployments/clusters').expect(404);
    await request(url).delete('/api/deployments/clusters').expect(404);
    await request(url).delete(`/api/models/${modelB}`).expect(204);
  });

  it('stops the work when the client goes away: a reader that stops reading holds the body back, and its request ends counted short', async () => {
    await request(url).post('/api/deployments').send({ name: 'gone', modelId: modelA }).expect(201);
    const req = http.request(`${url}/api/deployments/gone/predict`, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-ndjson' } });
    req.on('error', () => undefined);
    let answered = 0;
    req.on('response', (res) => {
      res.once('data', (chunk: Buffer) => {
        answered += chunk.length;
        res.pause(); // reads no more: the server's writes fill the socket and it stops reading the body
      });
    });
    const offered = 400_000;
    const block = Array.from({ length: 1000 }, (_, i) => `{"features":"${vectorOf(x, i)}"}\n`).join('');
    let sent = 0;
    while (sent < offered) {
      const drained = req.write(block) ? Promise.resolve(true) : new Promise<boolean>((resolve) => req.once('drain', () => resolve(true)));
      const stalled = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000));
      sent += 1000;
      if (!(await Promise.race([drained, stalled]))) break; // backpressure reached the client
    }
    expect(sent).toBeLessThan(offered);
    expect(answered).toBeGreaterThan(0);
    req.destroy();
    const counted = async () => (await request(url).get('/api/deployments/gone').expect(200)).body.counters;
    let counters = await counted();
    for (let t = 0; t < 100 && counters.requests === 0; t++) {
      await new Promise((r) => setTimeout(r, 100));
      counters = await counted();
    }
    expect(counters.requests).toBe(1); // the request ended on the server when its client went away
    expect(counters.rows).toBeLessThan(sent);
    await new Promise((r) => setTimeout(r, 500));
    expect((await counted()).rows).toBe(counters.rows);
    await request(url).delete('/api/deployments/gone').expect(204);
  });
});
