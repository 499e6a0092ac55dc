/**
 * GMM on the distributed engine against a real redis-server on a free loopback port and two worker processes
 * (apps/worker/dist/main.js, which finds the GMM kernels by name through the plugins it loads; run
 * `npm run build` first; `npm run test:redis` does).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { InlineEngine, QUEUE_NAME, QUEUE_PREFIX, RedisEngine, startRedisWorker } from '@mixflow/executor';
import { makeBlobs, type DataMatrix, type GmmFitOptions, type GmmModelJson } from '@mixflow/gmm';
import { freePort, startChild, startRedisServer, type StartedChild } from '@mixflow/testing';
import { fitOnEngine, predictOnEngine } from './engine-runs';

const blobs = (rows: number, dims: number, k: number, seed = 11): DataMatrix => makeBlobs({ rows, dims, k, seed }).data;

/** The model without its wall-clock seconds, the one field that may differ between identical fits. */
function withoutTiming(model: GmmModelJson): GmmModelJson {
  return model.training ? { ...model, training: { ...model.training, seconds: 0 } } : model;
}

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..', '..');
const workerMain = join(root, 'apps', 'worker', 'dist', 'main.js');

describe('RedisEngine with a real redis-server and two worker processes', () => {
  let redis: StartedChild | undefined;
  let redisUrl = '';
  const workers: StartedChild[] = [];
  let engine: RedisEngine;

  const startWorker = () =>
    startChild(process.execPath, [workerMain], {
      env: { REDIS_URL: redisUrl, MIXFLOW_LOCK_DURATION_MS: '2000', MIXFLOW_STALLED_INTERVAL_MS: '500' },
      ready: /ready: serving kernels .*gmm\.em-stats/,
      timeoutMs: 20_000,
    });

  beforeAll(async () => {
    if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run npm run build first`);
    const server = await startRedisServer();
    redis = server;
    redisUrl = server.url;
    workers.push(await startWorker(), await startWorker());
    engine = new RedisEngine({ redisUrl, noWorkerTimeoutMs: 5000 });
  });

  afterAll(async () => {
    await engine?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  });

  it('finishes with the same model, bit for bit, when a worker is killed mid-iteration', async () => {
    const data = blobs(120_000, 8, 4, 21);
    const options: GmmFitOptions = { k: 4, maxIter: 6, epsilon: 0, chunkRows: 4096, randomSeed: 3 };
    const run = { numWorkers: 2, memoryPerWorkerMb: 1024 };
    const expected = await fitOnEngine(new InlineEngine(), data, options, run);

    const watcher = new Queue(QUEUE_NAME, { connection: { url: redisUrl }, prefix: QUEUE_PREFIX });
    const log: string[] = [];
    let killed: Promise<void> | null = null;
    let finished = false;
    const killWhenBothBusy = async () => {
      // both workers (concurrency 1) hold a job: the one killed certainly dies mid-job
      while ((await watcher.getActiveCount()) < 2) {
        if (finished) return;
        await new Promise((r) => setTimeout(r, 5));
      }
      await workers[0].stop('SIGKILL');
    };
    try {
      const outcome = await fitOnEngine(engine, data, options, {
        ...run,
        log: (m) => log.push(m),
        onProgress: (e) => {
          if (e.iteration === 2) killed ??= killWhenBothBusy();
        },
      });
      finished = true;
      await killed;
      expect(workers[0].child.signalCode).toBe('SIGKILL');
      expect(log.join('\n')).toMatch(/stalled \(its worker stopped\); BullMQ retries it on another worker/);
      expect(outcome.run.engine).toBe('redis');
      expect(outcome.model.training?.iterations).toBe(6);
      expect(JSON.stringify(withoutTiming(outcome.model))).toBe(JSON.stringify(withoutTiming(expected.model)));
    } finally {
      await watcher.close();
    }
  });

  it("fits with sample weights to the inline engine's model, bit for bit: the weights travel with the rows", async () => {
    const rows = blobs(20_000, 3, 3, 8);
    const data: DataMatrix = { ...rows, weights: Float64Array.from({ length: rows.rows }, (_, i) => 1 + (i % 3)) };
    const options: GmmFitOptions = { k: 3, maxIter: 4, epsilon: 0, chunkRows: 2048, randomSeed: 2 };
    const run = { numWorkers: 2, memoryPerWorkerMb: 1024 };
    const expected = await fitOnEngine(new InlineEngine(), data, options, run);
    const remote = await fitOnEngine(engine, data, options, run);
    expect(remote.run.engine).toBe('redis');
    expect(expected.model.training?.totalWeight).toBe(39_999);
    expect(JSON.stringify(withoutTiming(remote.model))).toBe(JSON.stringify(withoutTiming(expected.model)));
  });

  it("keeps the caller's thread out of the sessions: the driver thread runs them (Redis's encoding and decoding included), logging here", async () => {
    const data = blobs(20_000, 3, 3, 9);
    const options: GmmFitOptions = { k: 3, maxIter: 3, epsilon: 0, chunkRows: 2048, randomSeed: 4 };
    const run = { numWorkers: 2, memoryPerWorkerMb: 1024 };
    const expected = await fitOnEngine(new InlineEngine(), data, options, run);
    const open = jest.spyOn(engine, 'open');
    const log: string[] = [];
    try {
      const remote = await fitOnEngine(engine, data, { ...options }, { ...run, log: (m) => log.push(m) });
      expect(open).not.toHaveBeenCalled();
      expect(log).toEqual([expect.stringMatching(/^Redis engine at redis:\/\/127\.0\.0\.1:\d+\/?: \d+ worker process\(es\) connected$/)]);
      expect(remote.run.engine).toBe('redis');
      expect(JSON.stringify(withoutTiming(remote.model))).toBe(JSON.stringify(withoutTiming(expected.model)));
    } finally {
      open.mockRestore();
    }
  });

  it('predicts the same labels, probabilities and log densities as the inline engine', async () => {
    const train = blobs(3000, 3, 3, 5);
    const { model } = await fitOnEngine(new InlineEngine(), train, { k: 3, maxIter: 5 }, { numWorkers: 1, memoryPerWorkerMb: 1024 });
    const rows = blobs(20_000, 3, 3, 6);
    const inline = await predictOnEngine(new InlineEngine(), model, rows, { numWorkers: 1, memoryPerWorkerMb: 1024 });
    const remote = await predictOnEngine(engine, model, rows, { numWorkers: 2, memoryPerWorkerMb: 1024 });
    expect(Array.from(remote.labels)).toEqual(Array.from(inline.labels));
    expect(Array.from(remote.probabilities)).toEqual(Array.from(inline.probabilities));
    expect(Array.from(remote.logDensity)).toEqual(Array.from(inline.logDensity));
  });

  it("stores each map's params once and each job's results under a key the driver deletes: BullMQ's jobs stay small", async () => {
    const data = blobs(30_000, 40, 3, 9);
    const options: GmmFitOptions = { k: 3, maxIter: 3, epsilon: 0, chunkRows: 4096, randomSeed: 4 };
    const run = { numWorkers: 2, memoryPerWorkerMb: 1024 };
    const expected = await fitOnEngine(new InlineEngine(), data, options, run);
    const remote = await fitOnEngine(engine, data, options, run);
    expect(JSON.stringify(withoutTiming(remote.model))).toBe(JSON.stringify(withoutTiming(expected.model)));
    const probe = new Redis(redisUrl);
    const queue = new Queue(QUEUE_NAME, { connection: { url: redisUrl }, prefix: QUEUE_PREFIX });
    try {
      expect(await probe.keys(`${QUEUE_PREFIX}:params:*`)).toEqual([]);
      expect(await probe.keys(`${QUEUE_PREFIX}:result:*`)).toEqual([]);
      const jobs = await queue.getCompleted(0, 200);
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        // 40 dimensions, k = 3: each map's params and each job's results are kilobytes; the job holds neither
        expect(JSON.stringify(job.data).length).toBeLessThan(400);
        expect(String(job.returnvalue)).toMatch(new RegExp(`^${QUEUE_PREFIX}:result:`));
      }
    } finally {
      probe.disconnect();
      await queue.close();
    }
  });

  it('stops a cancelled fit within a second and removes its chunks from Redis', async () => {
    const data = blobs(60_000, 8, 4, 22);
    const controller = new AbortController();
    let abortedAt = 0;
    const fit = fitOnEngine(engine, data, { k: 4, maxIter: 200, epsilon: 0, chunkRows: 4096 }, {
      numWorkers: 2,
      memoryPerWorkerMb: 1024,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.iteration === 1) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    // the driver thread was terminated mid-session: the caller released its rows and its queued jobs
    const probe = new Redis(redisUrl);
    const queue = new Queue(QUEUE_NAME, { connection: { url: redisUrl }, prefix: QUEUE_PREFIX });
    try {
      expect(await probe.keys(`${QUEUE_PREFIX}:rows:*`)).toEqual([]);
      expect(await probe.keys(`${QUEUE_PREFIX}:params:*`)).toEqual([]);
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      probe.disconnect();
      await queue.close();
    }
  });

  it("says Redis is up at once while Redis runs a long command (as storing a wide fit's job), not after it", async () => {
    expect(await engine.services()).toEqual({ redis: 'up' });
    const busy = new Redis(redisUrl);
    try {
      const started = performance.now();
      const script = busy.eval('local i = 0 while i < 100000000 do i = i + 1 end return i', 0);
      await new Promise((r) => setTimeout(r, 50)); // the script holds Redis by now
      const asked = performance.now();
      expect(await engine.services()).toEqual({ redis: 'up' });
      const answered = performance.now() - asked;
      await script;
      const held = performance.now() - started;
      expect(held).toBeGreaterThan(answered + 300); // the answer did not wait for the script
      expect(answered).toBeLessThan(300);
    } finally {
      busy.disconnect();
    }
  });

  it('fails within seconds with the one unreachable message when Redis is not there', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const unreachable = new RedisEngine({ redisUrl: closed });
    const started = Date.now();
    try {
      await expect(
        fitOnEngine(unreachable, blobs(100, 2, 2), { k: 2, maxIter: 2 }, { numWorkers: 1, memoryPerWorkerMb: 1024 }),
      ).rejects.toThrow(new Error(`Redis at ${closed} is unreachable`));
      await expect(startRedisWorker({ redisUrl: closed })).rejects.toThrow(new Error(`Redis at ${closed} is unreachable`));
    } finally {
      await unreachable.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('RedisEngine on a data folder the workers share (MIXFLOW_SHARED_DATA)', () => {
  let redis: StartedChild | undefined;
  const workers: StartedChild[] = [];
  let redisUrl = '';
  let dir = '';

  beforeAll(async () => {
    // made here, not as the file loads: a run that skips this block leaves no folder behind
    dir = mkdtempSync(join(tmpdir(), 'mixflow-shared-data-'));
    if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run npm run build first`);
    const server = await startRedisServer();
    redis = server;
    redisUrl = server.url;
    for (let i = 0; i < 2; i++) {
      workers.push(await startChild(process.execPath, [workerMain], { env: { REDIS_URL: redisUrl, MIXFLOW_DATA: dir }, ready: /ready: serving kernels .*gmm\.em-stats/, timeoutMs: 20_000 }));
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the workers read a streamed row file from the folder, not through Redis: the in-memory model, bit for bit', async () => {
    const data = blobs(40_000, 4, 3, 8);
    const file = join(dir, 'tmp-rows.rows');
    writeFileSync(file, new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength));
    const options: GmmFitOptions = { k: 3, maxIter: 5, epsilon: 0, chunkRows: 4096, randomSeed: 2 };
    const run = { numWorkers: 2, memoryPerWorkerMb: 1024 };
    const expected = await fitOnEngine(new InlineEngine(), data, options, run);
    const engine = new RedisEngine({ redisUrl, noWorkerTimeoutMs: 5000, sharedDataDir: dir });
    const client = new Redis(redisUrl);
    try {
      const log: string[] = [];
      // the sample is every row: the same k-means start as in memory
      const streamed = await fitOnEngine(engine, { file, rows: data.rows, cols: data.cols, sample: data }, options, { ...run, log: (m) => log.push(m) });
      expect(log).toContainEqual('Redis engine: the workers read the rows from tmp-rows.rows in the shared data folder, not through Redis');
      expect(await client.keys('*:rows:*')).toEqual([]);
      expect(streamed.model.means).toEqual(expected.model.means);
      expect(streamed.model.covariances).toEqual(expected.model.covariances);
      expect(streamed.model.training!.logLikelihoodHistory).toEqual(expected.model.training!.logLikelihoodHistory);
      // without the shared folder the server reads the row file a chunk at a time into Redis: the same model
      const unshared = new RedisEngine({ redisUrl, noWorkerTimeoutMs: 5000 });
      try {
        const viaRedis = await fitOnEngine(unshared, { file, rows: data.rows, cols: data.cols, sample: data }, options, run);
        expect(viaRedis.model.means).toEqual(expected.model.means);
      } finally {
        await unshared.close();
      }
    } finally {
      client.disconnect();
      await engine.close();
    }
  });
});
