import { fitGmm, GmmInputError, type GmmFitOptions } from '@mixflow/gmm';
import { blobs, withoutTiming } from './__fixtures__/models';
import { createEngine } from './create-engine';
import { InlineEngine } from './inline-engine';
import { LocalEngine } from './local-engine';
import { RedisEngine } from './redis-engine';
import { ExecutorError } from './run-support';

const run = { numWorkers: 1, memoryPerWorkerMb: 256 };
const data = blobs(3000, 3, 3);
// several chunks per worker, so the chunk-order merge is exercised, and a fixed iteration count
const options: GmmFitOptions = { k: 3, covarianceType: 'full', maxIter: 8, epsilon: 0, chunkRows: 256, randomSeed: 5 };

describe('LocalEngine', () => {
  it('gives the same model, bit for bit, as the inline engine with 1, 2 and 4 workers', async () => {
    const inline = await new InlineEngine().fitGmm(data, options, run);
    const engine = new LocalEngine({ maxWorkers: 4 });
    try {
      for (const numWorkers of [1, 2, 4]) {
        const local = await engine.fitGmm(data, options, { ...run, numWorkers });
        expect(local.run.workersUsed).toBe(numWorkers);
        expect(JSON.stringify(withoutTiming(local.model))).toBe(JSON.stringify(withoutTiming(inline.model)));
      }
    } finally {
      await engine.close();
    }
    expect(inline.model.training?.iterations).toBe(8);
    expect(JSON.stringify(withoutTiming(fitGmm(data, options).toJSON()))).toBe(JSON.stringify(withoutTiming(inline.model)));
  });

  it('gives the same model for every covariance type with 2 workers', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      for (const covarianceType of ['diag', 'spherical', 'tied'] as const) {
        const o = { ...options, covarianceType, maxIter: 4 };
        const inline = await new InlineEngine().fitGmm(data, o, run);
        const local = await engine.fitGmm(data, o, { ...run, numWorkers: 2 });
        expect(JSON.stringify(withoutTiming(local.model))).toBe(JSON.stringify(withoutTiming(inline.model)));
      }
    } finally {
      await engine.close();
    }
  });

  it('caps Number of Workers at maxWorkers and says so in the run log', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    const log: string[] = [];
    try {
      const outcome = await engine.fitGmm(data, { ...options, maxIter: 2 }, { ...run, numWorkers: 5, log: (m) => log.push(m) });
      expect(outcome.run).toMatchObject({ engine: 'local', workersRequested: 5, workersUsed: 2 });
      expect(log.join('\n')).toMatch(/Number of Workers 5 capped at 2/);
      expect(outcome.run.peakMemoryMbPerWorker).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('reports progress once per iteration with the log-likelihood', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    const events: Array<{ iteration: number; meanLogLikelihood: number }> = [];
    try {
      await engine.fitGmm(data, options, { ...run, numWorkers: 2, onProgress: (e) => events.push(e) });
    } finally {
      await engine.close();
    }
    expect(events.map((e) => e.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.every((e) => Number.isFinite(e.meanLogLikelihood))).toBe(true);
  });

  it('predicts the same labels and probabilities as the inline engine', async () => {
    const { model } = await new InlineEngine().fitGmm(data, options, run);
    const rows = blobs(20_000, 3, 3, 12); // more than two chunks of predictions
    const inline = await new InlineEngine().predictGmm(model, rows, run);
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const local = await engine.predictGmm(model, rows, { ...run, numWorkers: 2 });
      expect(local.run.workersUsed).toBe(2);
      expect(local.labels).toHaveLength(20_000);
      expect(Array.from(local.labels)).toEqual(Array.from(inline.labels));
      expect(Array.from(local.probabilities)).toEqual(Array.from(inline.probabilities));
    } finally {
      await engine.close();
    }
  });

  it('fails the run naming Memory per worker when a worker runs out of memory, and keeps serving', async () => {
    const engine = new LocalEngine({ maxWorkers: 2, faultInjection: { workerIndex: 1, iteration: 2, fault: 'oom' } });
    try {
      const failed = engine.fitGmm(data, options, { numWorkers: 2, memoryPerWorkerMb: 32 });
      await expect(failed).rejects.toThrow(/Worker 2 of 2 ran out of memory \(Memory per worker = 32 MB\).*raise Memory per worker/);
      await expect(failed).rejects.toMatchObject({ setting: 'memoryPerWorkerMb' });
      expect(engine.liveThreads).toBe(0);
      // the process and the next run go on (the fault only strikes iteration 2 of thread 2; 1 thread here)
      const next = await engine.fitGmm(data, options, { ...run, numWorkers: 1 });
      expect(next.model.training?.iterations).toBe(8);
    } finally {
      await engine.close();
    }
  });

  it('fails the run with a message naming the setting when a worker crashes', async () => {
    const engine = new LocalEngine({ maxWorkers: 2, faultInjection: { workerIndex: 0, iteration: 3, fault: 'crash' } });
    try {
      const failed = engine.fitGmm(data, options, { ...run, numWorkers: 2 });
      await expect(failed).rejects.toThrow(ExecutorError);
      await expect(failed).rejects.toThrow(/Worker 1 of 2 crashed \(the thread exited with code 70\).*Memory per worker/);
      expect(engine.liveThreads).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('stops every worker within a second when the run is cancelled mid-iteration', async () => {
    const big = blobs(80_000, 8, 6);
    const engine = new LocalEngine({ maxWorkers: 2 });
    const controller = new AbortController();
    let abortedAt = 0;
    let iterations = 0;
    try {
      const fit = engine.fitGmm(big, { k: 6, init: 'random_from_data', maxIter: 500, epsilon: 0, chunkRows: 2048 }, {
        ...run,
        numWorkers: 2,
        signal: controller.signal,
        onProgress: () => {
          if (++iterations === 1) {
            setTimeout(() => {
              abortedAt = performance.now();
              controller.abort();
            }, 5);
          }
        },
      });
      await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
      const stoppedAfterMs = performance.now() - abortedAt;
      expect(abortedAt).toBeGreaterThan(0);
      expect(stoppedAfterMs).toBeLessThan(1000);
      expect(engine.liveThreads).toBe(0);
      expect(iterations).toBeLessThan(500);
    } finally {
      await engine.close();
    }
  }, 20_000);

  it('ends a run in progress with a clear error when the engine is closed', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    let closing: Promise<void> | undefined;
    const fit = engine.fitGmm(data, { ...options, maxIter: 500 }, {
      ...run,
      numWorkers: 2,
      onProgress: () => {
        closing ??= engine.close();
      },
    });
    await expect(fit).rejects.toThrow(/engine was closed while this run was in progress/);
    await closing;
    expect(engine.liveThreads).toBe(0);
  });

  it('names the parameter when the run options are out of range', async () => {
    const engine = new LocalEngine({ maxWorkers: 1 });
    await expect(engine.fitGmm(data, options, { numWorkers: 0, memoryPerWorkerMb: 1024 })).rejects.toThrow(/numWorkers/);
    await expect(engine.fitGmm(data, options, { numWorkers: 1, memoryPerWorkerMb: 1.5 })).rejects.toThrow(/memoryPerWorkerMb/);
  });

  it('passes input errors of the model through as GmmInputError', async () => {
    const engine = new LocalEngine({ maxWorkers: 1 });
    await expect(engine.predictGmm({ type: 'mixflow.gmm' } as never, data, run)).rejects.toThrow(GmmInputError);
  });
});

describe('createEngine', () => {
  const saved = { engine: process.env.MIXFLOW_ENGINE, url: process.env.REDIS_URL };
  afterEach(() => {
    process.env.MIXFLOW_ENGINE = saved.engine;
    process.env.REDIS_URL = saved.url;
    if (saved.engine === undefined) delete process.env.MIXFLOW_ENGINE;
    if (saved.url === undefined) delete process.env.REDIS_URL;
  });

  it('chooses by MIXFLOW_ENGINE, local by default', async () => {
    delete process.env.MIXFLOW_ENGINE;
    expect(createEngine().kind).toBe('local');
    process.env.MIXFLOW_ENGINE = 'redis';
    process.env.REDIS_URL = 'redis://127.0.0.1:6390';
    const redis = createEngine();
    expect(redis).toBeInstanceOf(RedisEngine);
    await redis.close();
    expect(createEngine({ kind: 'inline' })).toBeInstanceOf(InlineEngine);
    expect((createEngine({ kind: 'local', maxWorkers: 3 }) as LocalEngine).maxWorkers).toBe(3);
  });

  it('names MIXFLOW_ENGINE or REDIS_URL when they are wrong or missing', () => {
    process.env.MIXFLOW_ENGINE = 'spark';
    expect(() => createEngine()).toThrow(/MIXFLOW_ENGINE must be one of inline, local, redis, got "spark"/);
    process.env.MIXFLOW_ENGINE = 'redis';
    delete process.env.REDIS_URL;
    expect(() => createEngine()).toThrow(/needs REDIS_URL/);
  });
});
