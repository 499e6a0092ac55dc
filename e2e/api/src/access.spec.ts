import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, closeAndRemove, pipelineGraph, Server, startServer, tempDir } from './harness';

jest.setTimeout(90_000);

const TOKEN = 'e2e-token-0123456789abcdef';
const bearer = { Authorization: `Bearer ${TOKEN}` };

/** the run's events, read with the token in the query string as the console's EventSource sends it */
async function eventsWithQueryToken(url: string, runId: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${url}/api/runs/${runId}/events?access_token=${TOKEN}`, { headers: { accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  return (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

describe('API end to end: access token, Origin and Host checks, security headers, body limits', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startServer(tempDir('access'), { MIXFLOW_SEED: '0', MIXFLOW_API_TOKEN: TOKEN, MIXFLOW_ALLOWED_HOSTS: 'mixflow.lan' });
    url = server.url;
  });
  afterAll(() => closeAndRemove(server));

  it('with MIXFLOW_API_TOKEN every route but /api/health needs the Bearer token', async () => {
    expect((await request(url).get('/api/health').expect(200)).body.status).toBe('ok');
    for (const [method, route] of [['get', '/api/experiments'], ['get', '/api/docs-json'], ['post', '/api/experiments'], ['get', '/api/models/x/export'], ['get', '/api/runs/x/events']] as const) {
      const none = await request(url)[method](route);
      expect([route, none.status, none.headers['www-authenticate']]).toEqual([route, 401, 'Bearer realm="mixflow"']);
      expect(none.body.message).toContain('Authorization: Bearer');
      const wrong = await request(url)[method](route).set('Authorization', 'Bearer not-the-token');
      expect([route, wrong.status]).toEqual([route, 401]);
    }
    expect((await request(url).get('/api/experiments').set(bearer).expect(200)).body).toEqual([]);
    // the token in the query string opens GETs (EventSource, download links) but never a state change
    await request(url).get(`/api/experiments?access_token=${TOKEN}`).expect(200);
    // the guard takes the token out: the route's own query validation (unknown keys are a 400) never sees it
    expect((await request(url).get(`/api/experiments?datasetId=none&access_token=${TOKEN}`).expect(200)).body).toEqual([]);
    await request(url).post(`/api/experiments?access_token=${TOKEN}`).send({ name: 'x' }).expect(401);
  });

  it('SSE and downloads work with the token', async () => {
    const csv = blobsCsv(blobs([[0, 0], [10, 10], [10, -10]], 30));
    const ds = (await request(url).post('/api/datasets').set(bearer).attach('file', Buffer.from(csv), 'd.csv').expect(201)).body;
    const exp = (await request(url).post('/api/experiments').set(bearer).send({ name: 'token run', graph: pipelineGraph(ds.id) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).set(bearer).send({}).expect(201)).body;
    expect((await eventsWithQueryToken(url, run.id)).at(-1)).toMatchObject({ type: 'run', status: 'succeeded' });
    const model = (await request(url).get('/api/models').set(bearer).expect(200)).body[0];
    const file = await fetch(`${url}/api/models/${model.id}/export?access_token=${TOKEN}`);
    expect([file.status, file.headers.get('content-disposition')]).toEqual([200, expect.stringContaining('attachment')]);
    expect(((await file.json()) as { k: number }).k).toBe(3);
  });

  it('refuses state-changing requests from a foreign Origin (403), such as a cross-site form post', async () => {
    const own = url.replace('http://', '');
    for (const origin of ['http://evil.example', 'null', `http://${own}.evil.example`, 'https://127.0.0.1:1']) {
      const form = await request(url).post('/api/experiments').set(bearer).set('Origin', origin).type('form').send('name=pwned');
      expect([origin, form.status]).toEqual([origin, 403]);
      expect(form.body.message).toContain('cross-site request refused');
      const upload = await request(url).post('/api/datasets').set(bearer).set('Origin', origin).attach('file', Buffer.from('a\n1\n'), 'x.csv');
      expect([origin, upload.status]).toEqual([origin, 403]);
      await request(url).delete('/api/experiments/x').set(bearer).set('Origin', origin).expect(403);
    }
    expect((await request(url).get('/api/experiments').set(bearer).expect(200)).body.map((e: { name: string }) => e.name)).not.toContain('pwned');
    // the console's own origin, an allowed host, and clients without Origin pass; reads are not checked
    await request(url).post('/api/experiments').set(bearer).set('Origin', url).send({ name: 'same origin' }).expect(201);
    await request(url).post('/api/experiments').set(bearer).set('Origin', 'http://mixflow.lan:3000').send({ name: 'allowed host' }).expect(201);
    await request(url).post('/api/experiments').set(bearer).send({ name: 'no origin' }).expect(201);
    await request(url).get('/api/experiments').set(bearer).set('Origin', 'http://evil.example').expect(200);
  });

  it('answers only to loopback Host names and MIXFLOW_ALLOWED_HOSTS (DNS rebinding)', async () => {
    for (const host of ['evil.example', 'evil.example:80', '127.0.0.1.evil.example', 'localhost.evil.example']) {
      const res = await request(url).get('/api/health').set('Host', host);
      expect([host, res.status]).toEqual([host, 403]);
      expect(res.body.message).toContain('MIXFLOW_ALLOWED_HOSTS');
    }
    for (const host of ['localhost:3000', '127.0.0.1', '[::1]:3000', 'mixflow.lan', 'MIXFLOW.LAN:8080']) {
      expect([host, (await request(url).get('/api/health').set('Host', host)).status]).toEqual([host, 200]);
    }
  });

  it('sends security headers with a CSP, and no X-Powered-By', async () => {
    for (const route of ['/api/health', '/', '/api/docs']) {
      const res = await request(url).get(route).set(bearer);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
    }
  });

  it('limits JSON bodies per route: 2 MB for graphs and names, 64 MB for predictions', async () => {
    const big = JSON.stringify({ name: 'x', graph: { nodes: [], edges: [], pad: 'p'.repeat(3 * 1024 * 1024) } });
    const refused = await request(url).post('/api/experiments').set(bearer).set('content-type', 'application/json').send(big);
    expect(refused.status).toBe(413);
    const model = (await request(url).get('/api/models').set(bearer).expect(200)).body[0];
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ features: `${i % 7} ${i % 5}`, pad: 'x'.repeat(30) }));
    const body = JSON.stringify({ rows, predictionCol: 'c' });
    expect(body.length).toBeGreaterThan(3 * 1024 * 1024);
    const predicted = await request(url).post(`/api/models/${model.id}/predict`).set(bearer).set('content-type', 'application/json').send(body).expect(200);
    expect(predicted.body.rows).toHaveLength(60_000);
  });
});

describe('API end to end: exposure and prediction rate', () => {
  it('a non-loopback HOST without a token does not start', () => {
    const dir = tempDir('open');
    try {
      const main = path.resolve(__dirname, '..', '..', '..', 'apps', 'api', 'dist', 'main.js');
      // refused before anything binds: the check runs first, so this test never listens on 0.0.0.0
      const res = spawnSync(process.execPath, [main], {
        cwd: dir,
        env: { ...process.env, HOST: '0.0.0.0', PORT: '0', MIXFLOW_DATA: dir, MIXFLOW_API_TOKEN: '', MIXFLOW_ALLOW_OPEN: '' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('HOST=0.0.0.0 serves Mixflow to other machines without an access token');
      expect(res.stdout + res.stderr).not.toContain('serving on');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('MIXFLOW_PREDICT_RATE limits prediction requests per minute (429), and nothing else', async () => {
    const server = await startServer(tempDir('rate'), { MIXFLOW_SEED: '0', MIXFLOW_PREDICT_RATE: '3' });
    try {
      const csv = blobsCsv(blobs([[0, 0], [10, 10], [10, -10]], 30));
      const ds = (await request(server.url).post('/api/datasets').attach('file', Buffer.from(csv), 'd.csv').expect(201)).body;
      const exp = (await request(server.url).post('/api/experiments').send({ name: 'rate', graph: pipelineGraph(ds.id) }).expect(201)).body;
      const run = (await request(server.url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
      for (let i = 0; i < 100 && !['succeeded', 'failed'].includes((await request(server.url).get(`/api/runs/${run.id}`)).body.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const model = (await request(server.url).get('/api/models').expect(200)).body[0];
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(server.url).post(`/api/models/${model.id}/predict`).send({ rows: [{ features: '1 2' }] })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      for (let i = 0; i < 5; i++) await request(server.url).get('/api/models').expect(200);
    } finally {
      await server.close();
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  });
});
