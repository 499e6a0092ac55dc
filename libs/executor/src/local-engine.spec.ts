import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from './create-engine';
import type { ExecutionEngine, RowMatrix } from './engine';
import type { RowSource } from './row-file';
import { InlineEngine } from './inline-engine';
import { compiledModulePath, getKernel, registerKernels, type ChunkKernel } from './kernel';
import { LocalEngine, type LocalEngineOptions } from './local-engine';
import { RedisEngine } from './redis-engine';
import { closeIdleThreads, type IdleThreads } from './idle-threads';
import { ExecutorError } from './run-support';
import { workerThreads } from './thread-pool';

const kernelFile = join(__dirname, '__fixtures__', 'test-kernels.js');
registerKernels(kernelFile, (require(kernelFile) as { kernels: ChunkKernel<never, unknown>[] }).kernels);

// every session starts its worker threads: slow on a busy machine
jest.setTimeout(30_000);

const run = { numWorkers: 1, memoryPerWorkerMb: 256 };

/** rows × cols values from a fixed linear congruential sequence, with fractions that make addition order matter. */
function matrix(rows: number, cols: number, shared = false): RowMatrix {
  const data = shared ? new Float64Array(new SharedArrayBuffer(rows * cols * 8)) : new Float64Array(rows * cols);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    data[i] = (s / 2 ** 31 - 0.5) * 1e3 + 1 / 3;
  }
  return { data, rows, cols };
}

/** What one map gives, chunk by chunk, as plain arrays. */
async function mapAll(engine: ExecutionEngine, m: RowSource, chunkRows: number, kernel: string, params: unknown, numWorkers = 1) {
  const session = await engine.open(m, chunkRows, { ...run, numWorkers });
  try {
    const results = await session.map(kernel, params);
    return { chunks: Array.from({ length: results.count }, (_, c) => Array.from(results.chunk(c))), info: session.info() };
  } finally {
    await session.close();
  }
}

const sumParams = { scale: 0.1, shift: new Float64Array([1e-3, -2e-3, 0.5]) };

describe('LocalEngine', () => {
  const m = matrix(5000, 3);

  it('gives every chunk the same bits as the inline engine, with 1, 2 and 4 workers', async () => {
    const inline = await mapAll(new InlineEngine(), m, 256, 'test.weighted-sums', sumParams);
    expect(inline.chunks).toHaveLength(20);
    expect(inline.chunks[19][0]).toBe(5000 - 19 * 256);
    const engine = new LocalEngine({ maxWorkers: 4 });
    try {
      for (const numWorkers of [1, 2, 4]) {
        const local = await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, numWorkers);
        expect(local.info.workersUsed).toBe(numWorkers);
        expect(local.chunks).toEqual(inline.chunks);
      }
    } finally {
      await engine.close();
    }
  });

  it('maps a row file a chunk at a time to the same bits as the rows in memory (inline, 1 and 2 threads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixflow-rowfile-'));
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const file = join(dir, 'rows.f64');
      writeFileSync(file, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
      const onDisk = { file, rows: m.rows, cols: m.cols };
      const inMemory = await mapAll(new InlineEngine(), m, 256, 'test.weighted-sums', sumParams);
      expect((await mapAll(new InlineEngine(), onDisk, 256, 'test.weighted-sums', sumParams)).chunks).toEqual(inMemory.chunks);
      for (const numWorkers of [1, 2]) {
        expect((await mapAll(engine, onDisk, 256, 'test.weighted-sums', sumParams, numWorkers)).chunks).toEqual(inMemory.chunks);
      }
      // a kernel that reads row positions: chunk-local rows are the same rows
      const scaled = await mapAll(engine, onDisk, 1000, 'test.scaled-first', { a: 2, b: 3 }, 2);
      expect(scaled.chunks[2][7]).toBe(m.data[2007 * 3] * 6);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prepares params once per worker and gives results whose length depends on the chunk', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const local = await mapAll(engine, m, 1000, 'test.scaled-first', { a: 2, b: 3 }, 2);
      expect(local.chunks.map((c) => c.length)).toEqual([1000, 1000, 1000, 1000, 1000]);
      expect(local.chunks[2][7]).toBe(m.data[(2007) * 3] * 6);
    } finally {
      await engine.close();
    }
  });

  it('reads rows on a SharedArrayBuffer where they are, and copies other rows once', async () => {
    const shared = matrix(3000, 3, true);
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const session = await engine.open(shared, 500, { ...run, numWorkers: 2 });
      shared.data[0] = 1e6; // written after open: the threads see it only if they read the caller's memory
      const first = (await session.map('test.scaled-first', { a: 1, b: 1 })).chunk(0)[0];
      await session.close();
      expect(first).toBe(1e6);

      const plain = matrix(3000, 3);
      const copied = await engine.open(plain, 500, { ...run, numWorkers: 2 });
      plain.data[0] = 1e6;
      const seen = (await copied.map('test.scaled-first', { a: 1, b: 1 })).chunk(0)[0];
      await copied.close();
      expect(seen).toBe(matrix(1, 3).data[0]);
    } finally {
      await engine.close();
    }
  });

  it('caps Number of Workers at maxWorkers and says so in the run log', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    const log: string[] = [];
    try {
      const session = await engine.open(m, 256, { ...run, numWorkers: 5, log: (line) => log.push(line) });
      await session.map('test.weighted-sums', sumParams);
      expect(session.info()).toMatchObject({ engine: 'local', workersRequested: 5, workersUsed: 2 });
      expect(session.info().peakMemoryMbPerWorker).toBeGreaterThan(0);
      await session.close();
      expect(log.join('\n')).toMatch(/Number of Workers 5 capped at 2/);
    } finally {
      await engine.close();
    }
  });

  it("passes a kernel's located error back with its name and details", async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const failed = mapAll(engine, m, 256, 'test.fails-at', { row: 4000 }, 2);
      await expect(failed).rejects.toMatchObject({ name: 'RowError', message: 'row 4001: not a number', details: { row: 4001 } });
      expect(engine.liveThreads).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('names the kernel when none is registered under the name', async () => {
    await expect(mapAll(new InlineEngine(), m, 256, 'nope.kernel', {})).rejects.toThrow(/no kernel "nope.kernel" is registered here; the registered kernels are .*test.weighted-sums/);
    expect(() => getKernel('nope.kernel')).toThrow(ExecutorError);
  });

  it('refuses a second kernel under a taken name', () => {
    expect(() => registerKernels(join(__dirname, 'other.js'), [{ ...getKernel('test.scaled-first') } as ChunkKernel<never, unknown>])).toThrow(
      /kernel "test.scaled-first" from .*other.js is already registered by .*test-kernels.js/,
    );
  });

  it('finds the compiled module of a source file', () => {
    expect(compiledModulePath(join('/repo', 'plugins', 'gmm', 'src', 'em-kernels.ts'))).toBe(join('/repo', 'plugins', 'gmm', 'dist', 'em-kernels.js'));
    expect(compiledModulePath(join('/repo', 'x', 'dist', 'k.js'))).toBe(join('/repo', 'x', 'dist', 'k.js'));
  });

  it('fails the run naming Memory per worker when a worker runs out of memory, and keeps serving', async () => {
    const engine = new LocalEngine({ maxWorkers: 2, faultInjection: { workerIndex: 1, map: 2, fault: 'oom' } });
    try {
      const session = await engine.open(m, 256, { numWorkers: 2, memoryPerWorkerMb: 32 });
      await session.map('test.weighted-sums', sumParams);
      const failed = session.map('test.weighted-sums', sumParams);
      await expect(failed).rejects.toThrow(/Worker 2 of 2 ran out of memory \(Memory per worker = 32 MB\).*raise Memory per worker/);
      await expect(failed).rejects.toMatchObject({ setting: 'memoryPerWorkerMb' });
      await session.close();
      expect(engine.liveThreads).toBe(0);
      // the process and the next run go on (the fault strikes only thread 2; 1 thread here)
      const next = await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 1);
      expect(next.chunks).toHaveLength(20);
    } finally {
      await engine.close();
    }
  });

  it('fails the run with a message naming the setting when a worker crashes', async () => {
    const engine = new LocalEngine({ maxWorkers: 2, faultInjection: { workerIndex: 0, map: 1, fault: 'crash' } });
    try {
      const failed = mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 2);
      await expect(failed).rejects.toThrow(ExecutorError);
      await expect(failed).rejects.toThrow(/Worker 1 of 2 crashed \(the thread exited with code 70\).*Memory per worker/);
      expect(engine.liveThreads).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('stops every worker within a second when the run is cancelled mid-map', async () => {
    const big = matrix(400_000, 8);
    const engine = new LocalEngine({ maxWorkers: 2 });
    const controller = new AbortController();
    try {
      const session = await engine.open(big, 2048, { ...run, numWorkers: 2, signal: controller.signal });
      const loop = (async () => {
        for (;;) await session.map('test.weighted-sums', { scale: 1, shift: new Float64Array(8) });
      })();
      await new Promise((r) => setTimeout(r, 50));
      const abortedAt = performance.now();
      controller.abort();
      await expect(loop).rejects.toMatchObject({ name: 'AbortError' });
      expect(performance.now() - abortedAt).toBeLessThan(1000);
      expect(engine.liveThreads).toBe(0);
      await session.close();
    } finally {
      await engine.close();
    }
  }, 20_000);

  it('ends a run in progress with a clear error when the engine is closed', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    const session = await engine.open(matrix(200_000, 8), 2048, { ...run, numWorkers: 2 });
    const mapping = session.map('test.weighted-sums', { scale: 1, shift: new Float64Array(8) });
    const closing = engine.close();
    await expect(mapping).rejects.toThrow(/engine was closed while this run was in progress/);
    await closing;
    expect(engine.liveThreads).toBe(0);
  });

  it('names the parameter when the run options are out of range', async () => {
    const engine = new LocalEngine({ maxWorkers: 1 });
    await expect(engine.open(m, 256, { numWorkers: 0, memoryPerWorkerMb: 1024 })).rejects.toThrow(/^Number of Workers must be a whole number ≥ 1, got 0$/);
    await expect(engine.open(m, 256, { numWorkers: 1, memoryPerWorkerMb: 1.5 })).rejects.toThrow(/^Memory per worker must be a whole number of MB ≥ 1, got 1.5$/);
    await expect(engine.open(m, 0, run)).rejects.toThrow(/chunkRows must be a whole number ≥ 1, got 0/);
  });
});

describe('LocalEngine threads kept between sessions', () => {
  const m = matrix(5000, 3);
  const sets: IdleThreads[] = [];
  /** an engine whose threads wait in a set of their own, so the test counts the starts */
  function engineWith(o: { idleMs?: number; maxIdle?: number; faultInjection?: LocalEngineOptions['faultInjection'] } = {}) {
    const idleThreads = workerThreads({ idleMs: o.idleMs ?? 30_000, maxIdle: o.maxIdle ?? 4 });
    sets.push(idleThreads);
    return { idleThreads, engine: new LocalEngine({ maxWorkers: 2, idleThreads, ...(o.faultInjection ? { faultInjection: o.faultInjection } : {}) }) };
  }
  afterAll(() => closeIdleThreads());

  it('runs the next session with the same Memory per worker on the threads of the last, with the same bits', async () => {
    const { idleThreads, engine } = engineWith();
    const inline = await mapAll(new InlineEngine(), m, 256, 'test.weighted-sums', sumParams);
    expect((await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 2)).chunks).toEqual(inline.chunks);
    expect(idleThreads.started).toBe(2);
    expect(idleThreads.idle).toBe(2);
    expect(engine.liveThreads).toBe(0);
    // other rows (a shared copy of its own) and another kernel on the same two threads, then one of them alone
    const other = matrix(3000, 3, true);
    const scaled = await mapAll(engine, other, 1000, 'test.scaled-first', { a: 2, b: 3 }, 2);
    expect(scaled.chunks[2][7]).toBe(other.data[2007 * 3] * 6);
    expect((await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 1)).chunks).toEqual(inline.chunks);
    expect(idleThreads.started).toBe(2);
    // Memory per worker is a thread's limit from its start: another limit starts a thread of its own
    const session = await engine.open(m, 256, { numWorkers: 1, memoryPerWorkerMb: 300 });
    await session.map('test.weighted-sums', sumParams);
    await session.close();
    expect(idleThreads.started).toBe(3);
    expect(idleThreads.idle).toBe(3);
    await engine.close();
    expect(idleThreads.idle).toBe(3); // closing an engine leaves the process's waiting threads
    await closeIdleThreads();
    expect(idleThreads.idle).toBe(0);
  });

  it("keeps a thread whose kernel threw a located error, and never a cancelled session's threads", async () => {
    const { idleThreads, engine } = engineWith();
    await expect(mapAll(engine, m, 256, 'test.fails-at', { row: 10 }, 1)).rejects.toMatchObject({ name: 'RowError' });
    expect(idleThreads.idle).toBe(1);
    const controller = new AbortController();
    const session = await engine.open(matrix(400_000, 8), 2048, { ...run, numWorkers: 2, signal: controller.signal });
    expect(idleThreads.started).toBe(2); // the kept thread and one more
    const loop = (async () => {
      for (;;) await session.map('test.weighted-sums', { scale: 1, shift: new Float64Array(8) });
    })();
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(loop).rejects.toMatchObject({ name: 'AbortError' });
    await session.close();
    expect(engine.liveThreads).toBe(0);
    expect(idleThreads.idle).toBe(0);
    await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 2);
    expect(idleThreads.started).toBe(4);
  }, 20_000);

  it('replaces a thread that ran out of memory, and ends its sibling rather than keeping it', async () => {
    const { idleThreads, engine } = engineWith({ faultInjection: { workerIndex: 1, map: 1, fault: 'oom' } });
    const failed = mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 2);
    await expect(failed).rejects.toThrow(/Worker 2 of 2 ran out of memory/);
    expect(idleThreads.idle).toBe(0);
    // the fault strikes thread 2 of a session: one thread here, a new one
    const next = await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 1);
    expect(next.chunks).toHaveLength(20);
    expect(idleThreads.started).toBe(3);
    expect(idleThreads.idle).toBe(1);
  });

  it('ends a waiting thread after the idle time, and the next session starts a new one', async () => {
    const { idleThreads, engine } = engineWith({ idleMs: 200 });
    await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 1);
    expect(idleThreads.idle).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(idleThreads.idle).toBe(0);
    await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 1);
    expect(idleThreads.started).toBe(2);
  });

  it('keeps at most maxIdle threads waiting', async () => {
    const { idleThreads, engine } = engineWith({ maxIdle: 1 });
    await mapAll(engine, m, 256, 'test.weighted-sums', sumParams, 2);
    expect(idleThreads.idle).toBe(1);
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
