import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, closeAndRemove, followEvents, pipelineGraph, startServer, tempDir, upload, type Server } from './harness';

function text(res: request.Response): string {
  return res.text ?? (res.body as Buffer).toString('utf8');
}

describe('API end to end: downloads of run table outputs', () => {
  let server: Server;
  let url: string;
  let runId: string;
  const csv = blobsCsv(blobs([[0, 0], [6, 6], [0, 6]], 400));

  beforeAll(async () => {
    server = await startServer(tempDir('downloads'), { MIXFLOW_SEED: '0' });
    url = server.url;
    const dataset = (await upload(url, csv).expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'downloads', graph: pipelineGraph(dataset.id) }).expect(201)).body;
    runId = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body.id;
    await followEvents(url, runId);
  });
  afterAll(() => closeAndRemove(server));

  it('streams a table output as a CSV attachment with every row, as the pages show them', async () => {
    const res = await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/0/download?format=csv`).buffer(true).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9_-]+-predict-0\.csv"$/);
    const lines = text(res).trim().split('\n');
    expect(lines[0]).toBe('features,x,y,label,cluster,proba');
    expect(lines).toHaveLength(1201);
    const page = (await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/0?offset=1199&limit=1`).expect(200)).body;
    expect(Number(lines[1200].split(',').at(-2))).toBe(page.rows[0][4]);
  });

  it('downloads a stored dataset output (Read Dataset) as the dataset, and refuses models and other formats', async () => {
    const res = await request(url).get(`/api/runs/${runId}/nodes/read/outputs/0/download`).buffer(true).expect(200);
    const lines = text(res).trim().split('\n');
    expect(lines[0]).toBe('features,x,y,label');
    expect(lines).toHaveLength(csv.trim().split('\n').length);
    const model = await request(url).get(`/api/runs/${runId}/nodes/train/outputs/0/download`).expect(400);
    expect(model.body.message).toMatch(/is a model \(id .+\), not a table: export the model instead of downloading/);
    await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/0/download?format=parquet`).expect(400);
    await request(url).get(`/api/runs/${runId}/nodes/nope/outputs/0/download`).expect(404);
    await request(url).get(`/api/runs/${runId}/nodes/__proto__/outputs/0/download`).expect(404);
    await request(url).get(`/api/runs/${runId}/nodes/predict/outputs/3/download`).expect(404);
  });
  it('removes the temporary CSV of a dataset download when the client goes away mid-stream (run and dataset routes)', async () => {
    // a dataset big enough that the download is still being read when the client leaves
    const big = (await upload(url, blobsCsv(blobs([[0, 0], [6, 6]], 100_000)), 'big.csv').expect(201)).body;
    const exp = (await request(url).post('/api/experiments').send({ name: 'big download', graph: pipelineGraph(big.id) }).expect(201)).body;
    const bigRun = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({ onlyNode: 'read' }).expect(201)).body.id;
    await followEvents(url, bigRun);
    const tmp = path.join(server.dir, 'tmp');
    const temporaries = () => (fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((f) => f.endsWith('.csv')) : []);
    for (const route of [`/api/runs/${bigRun}/nodes/read/outputs/0/download`, `/api/datasets/${big.id}/download?format=csv`]) {
      const first = await new Promise<number>((resolve, reject) => {
        const req = http.get(`${url}${route}`, (res) => {
          res.once('data', (chunk: Buffer) => {
            expect(res.statusCode).toBe(200);
            expect(temporaries()).toHaveLength(1); // the conversion being read
            req.destroy();
            resolve(chunk.length);
          });
        });
        req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
      });
      expect(first).toBeGreaterThan(0);
      const deadline = Date.now() + 5000;
      while (temporaries().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(temporaries()).toEqual([]);
    }
    expect((await request(url).get('/api/health').expect(200)).body.status).toBe('ok');
  });
});
