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

  it('run errors, node errors and logs never contain absolute paths', async () => {
    const dir = tempDir('paths-in-errors');
    const server = await startServer(dir, { MIXFLOW_SEED: '0' });
    try {
      const ds = (await upload(server.url, blobsCsv(blobs([[0, 0], [10, 10], [10, -10]], 30))).expect(201)).body;
      // the stored dataset disappears behind the server's back: reading it fails with the file system's message
      for (const f of fs.readdirSync(path.join(dir, 'datasets'))) fs.rmSync(path.join(dir, 'datasets', f));
      const exp = (await request(server.url).post('/api/experiments').send({ name: 'broken', graph: pipelineGraph(ds.id) }).expect(201)).body;
      const started = await request(server.url).post(`/api/experiments/${exp.id}/runs`).send({});
      const texts: string[] = [JSON.stringify(started.body)];
      if (started.status === 201) {
        const events = await followEvents(server.url, started.body.id);
        expect(events.at(-1)).toMatchObject({ type: 'run', status: 'failed' });
        texts.push(JSON.stringify(events));
        texts.push(JSON.stringify((await request(server.url).get(`/api/runs/${started.body.id}`).expect(200)).body));
        texts.push(JSON.stringify((await request(server.url).get(`/api/runs/${started.body.id}/logs`).expect(200)).body));
      }
      texts.push(JSON.stringify((await request(server.url).get(`/api/datasets/${ds.id}/preview`)).body));
      const all = texts.join('\n');
      expect(all).toMatch(/ENOENT|no such file|not found|cannot/i);
      expect(all).not.toContain(dir);
      expect(all).not.toMatch(/(?<![\w.~:/-])\/(tmp|work|home|srv|var|usr)\//);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
