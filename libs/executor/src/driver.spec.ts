import { join } from 'node:path';
import { runDriver } from './driver';
import type { RowMatrix } from './engine';
import { InlineEngine } from './inline-engine';
import { registerKernels, type ChunkKernel } from './kernel';
import { LocalEngine } from './local-engine';

const kernelFile = join(__dirname, '__fixtures__', 'test-kernels.js');
registerKernels(kernelFile, (require(kernelFile) as { kernels: ChunkKernel<never, unknown>[] }).kernels);
const drivers = join(__dirname, '__fixtures__', 'test-drivers.js');

// every driver starts a thread (and a local engine its own): slow on a busy machine
jest.setTimeout(30_000);

function matrix(rows: number, cols: number): RowMatrix {
  const data = new Float64Array(new SharedArrayBuffer(rows * cols * 8));
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    data[i] = (s / 2 ** 31 - 0.5) * 1e3 + 1 / 3;
  }
  return { data, rows, cols };
}

const params = { scale: 0.1, shift: new Float64Array([1e-3, -2e-3, 0.5]) };

describe('runDriver', () => {
  const m = matrix(5000, 3);

  it("gives the same bits as the map run in place, on the driver's own inline engine and on the caller's local engine", async () => {
    const session = await new InlineEngine().open(m, 256, { numWorkers: 1, memoryPerWorkerMb: 256 });
    const results = await session.map('test.weighted-sums', params);
    const inPlace = Array.from({ length: results.count }, (_, c) => Array.from(results.chunk(c)));

    const events: unknown[] = [];
    const input = { matrix: m, chunkRows: 256, numWorkers: 2, params };
    const inline = await runDriver<{ chunks: number[][]; engine: string }>({
      module: drivers,
      name: 'sumColumns',
      input,
      engine: new InlineEngine(),
      onEvent: (e) => events.push(e),
    });
    expect(inline.engine).toBe('inline');
    expect(inline.chunks).toEqual(inPlace);
    expect(events).toEqual(inPlace.map((_, c) => ({ chunk: c })));

    const local = new LocalEngine({ maxWorkers: 2 });
    try {
      const out = await runDriver<{ chunks: number[][]; engine: string; workersUsed: number }>({ module: drivers, name: 'sumColumns', input, engine: local });
      expect(out).toMatchObject({ engine: 'local', workersUsed: 2 });
      expect(out.chunks).toEqual(inPlace);
      expect(local.liveThreads).toBe(0); // the session the driver opened is closed
    } finally {
      await local.close();
    }
  });

  it('stops a driver that computes without yielding as soon as the run is cancelled', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const spinning = runDriver({
      module: drivers,
      name: 'spin',
      input: null,
      run: { signal: controller.signal },
      onEvent: () => {
        abortedAt = performance.now();
        controller.abort();
      },
    });
    await expect(spinning).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
  });

  it('runs the next driver on a thread that finished its run, never on one that was cancelled', async () => {
    const first = await runDriver<number>({ module: drivers, name: 'whichThread', input: null });
    expect(await runDriver<number>({ module: drivers, name: 'whichThread', input: null })).toBe(first);
    const controller = new AbortController();
    const spinning = runDriver({ module: drivers, name: 'spin', input: null, run: { signal: controller.signal }, onEvent: () => controller.abort() });
    await expect(spinning).rejects.toMatchObject({ name: 'AbortError' });
    // the spinning driver took the kept thread and was terminated with it
    expect(await runDriver<number>({ module: drivers, name: 'whichThread', input: null })).not.toBe(first);
  });

  it("rejects with the driver's error: its name, message and location", async () => {
    await expect(runDriver({ module: drivers, name: 'fail', input: null })).rejects.toMatchObject({
      name: 'RowError',
      message: 'row 3: not a number',
      details: { row: 3 },
    });
    await expect(runDriver({ module: drivers, name: 'nothing', input: null })).rejects.toThrow(/exports no function nothing/);
  });
});
