import * as fs from 'node:fs';
import request from 'supertest';
import { blobs, blobsCsv, followEvents, pipelineGraph, startServer, tempDir, upload, type Server } from './harness';

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
  afterAll(async () => {
    await server?.close();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

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
});
