/**
 * The server on the Redis engine when Redis is not there: a run fails within 5 s with the one message
 * "Redis at redis://host:port is unreachable" (nothing of ioredis appended), /api/health answers 503 with
 * redis "down", and the server still stops at once. Runs in `npm run test:redis` (needs redis-server).
 */
import * as fs from 'node:fs';
import request from 'supertest';
import { freePort } from '@mixflow/testing';
import { blobs, blobsCsv, pipelineGraph, Server, startRedis, startServer, tempDir, upload } from './harness';

jest.setTimeout(60_000);

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** Starts a run of a fresh experiment and waits for its end; returns the run and how long it took. */
async function runToEnd(url: string, datasetId: string): Promise<{ run: Record<string, any>; ms: number }> {
  const exp = (await request(url).post('/api/experiments').send({ name: 'redis down', graph: pipelineGraph(datasetId) }).expect(201)).body;
  const started = Date.now();
  let run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
  while (!TERMINAL.has(run.status)) {
    if (Date.now() - started > 20_000) throw new Error(`the run is still ${run.status} after 20 s`);
    await new Promise((r) => setTimeout(r, 100));
    run = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
  }
  return { run, ms: Date.now() - started };
}

/** The server stops (SIGTERM) within `ms`, its BullMQ connections to a dead Redis included. */
async function closesWithin(server: Server, ms: number): Promise<void> {
  const started = Date.now();
  await server.close();
  expect(Date.now() - started).toBeLessThan(ms);
}

describe('API end to end on the Redis engine with Redis down', () => {
  it('fails a run within 5 s with "Redis at … is unreachable" and answers /api/health with 503 when Redis was never there', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const server = await startServer(tempDir('redis-never'), { MIXFLOW_ENGINE: 'redis', REDIS_URL: redisUrl });
    try {
      const health = await request(server.url).get('/api/health').expect(503);
      expect(health.body).toMatchObject({ status: 'down', engine: 'redis', redis: 'down' });

      const datasetId = (await upload(server.url, blobsCsv(blobs([[0, 0], [5, 5], [0, 5]], 30))).expect(201)).body.id;
      const { run, ms } = await runToEnd(server.url, datasetId);
      expect(ms).toBeLessThan(5000);
      expect(run.status).toBe('failed');
      expect(run.nodes.train.error).toBe(`Redis at ${redisUrl} is unreachable`);
      expect(run.error).toBe(`node 'train' failed: Redis at ${redisUrl} is unreachable`);
    } finally {
      await closesWithin(server, 5000);
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  });

  it('says the same when Redis goes away after the engine connected, and health turns 503', async () => {
    const redis = await startRedis();
    const server = await startServer(tempDir('redis-gone'), { MIXFLOW_ENGINE: 'redis', REDIS_URL: redis.url });
    try {
      expect((await request(server.url).get('/api/health').expect(200)).body).toMatchObject({ status: 'ok', engine: 'redis', redis: 'up' });
      const datasetId = (await upload(server.url, blobsCsv(blobs([[0, 0], [5, 5], [0, 5]], 30))).expect(201)).body.id;
      // Redis up but no worker process: the engine connects (queue, event reader), then says what is missing
      const first = await runToEnd(server.url, datasetId);
      expect(first.run.nodes.train.error).toMatch(/^No mixflow worker is connected to Redis at /);

      await redis.kill();
      const health = await request(server.url).get('/api/health').expect(503);
      expect(health.body).toMatchObject({ status: 'down', redis: 'down' });
      const { run, ms } = await runToEnd(server.url, datasetId);
      expect(ms).toBeLessThan(5000);
      expect(run.status).toBe('failed');
      expect(run.nodes.train.error).toBe(`Redis at ${redis.url} is unreachable`);
    } finally {
      await closesWithin(server, 5000);
      await redis.kill();
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  });
});
