import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { blobs, blobsCsv, followEvents, pipelineGraph, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

describe('API end to end: recovery after a crash', () => {
  it('at start removes partial .tmp writes and outputs that no run records, logs them, and keeps what runs record', async () => {
    const dir = tempDir('recovery');
    let server = await startServer(dir, { MIXFLOW_SEED: '0' });
    try {
      const ds = (await upload(server.url, blobsCsv(blobs([[0, 0], [10, 10], [10, -10]], 30))).expect(201)).body;
      const exp = (await request(server.url).post('/api/experiments').send({ name: 'kept', graph: pipelineGraph(ds.id) }).expect(201)).body;
      const run = (await request(server.url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
      expect((await followEvents(server.url, run.id)).at(-1)).toMatchObject({ status: 'succeeded' });
      const page = (await request(server.url).get(`/api/runs/${run.id}/nodes/predict/outputs/0`).expect(200)).body;
      await server.kill();

      // what a kill -9 in the middle of writes leaves behind
      const runDir = path.join(dir, 'runs', run.id);
      const kept = fs.readdirSync(runDir).sort();
      const ghostRun = randomUUID();
      const leftovers = [
        path.join(runDir, `.${randomUUID()}.csv.123.456.abc.tmp`),
        path.join(runDir, `${randomUUID()}.csv`),
        path.join(dir, 'runs', ghostRun, `${randomUUID()}.csv`),
      ];
      for (const f of leftovers) {
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, 'x,y\n1,2\n');
      }

      server = await startServer(dir, { MIXFLOW_SEED: '0' });
      expect(server.output()).toMatch(/removed 3 file\(s\) under runs\/ that no run records/);
      expect(server.output()).toContain(`runs/${ghostRun}/`);
      for (const f of leftovers) expect([f, fs.existsSync(f)]).toEqual([f, false]);
      expect(fs.readdirSync(runDir).sort()).toEqual(kept);
      expect((await request(server.url).get(`/api/runs/${run.id}/nodes/predict/outputs/0`).expect(200)).body).toEqual(page);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
