import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComponentEnv, DatasetRowColumns } from '@mixflow/component-sdk';
import { LocalEngine } from '@mixflow/executor';
import { getColumn, tableFromColumns, unloadedTable, type Table } from '@mixflow/table';
import { blobsTable, modelOf, RecordingEngine, run, tableValue } from './__fixtures__/harness';
import { chooseDataMode, memoryBudget } from './training-data';
import { gmmTrain } from './train';

// the threads of a LocalEngine start per session: slow on a busy machine
jest.setTimeout(60_000);

const stored = blobsTable({ rows: 3000, k: 3, seed: 9 });
const params = { featureCols: ['x', 'y'], k: 3, maxIter: 6, epsilon: 0, randomSeed: 4, numWorkers: 2, memoryPerWorkerMb: 1024 };

/**
 * A host that stores `table` as dataset 'ds' and reads its rows in batches of at most 2,048 (as DuckDB's data chunks);
 * records the largest batch, the row files it handed out, and whether anything loaded the table whole.
 */
function storedEnv(table: Table, trainingMemoryMb?: number) {
  const seen = { loads: 0, largestBatch: 0, files: [] as string[] };
  const env: ComponentEnv = {
    datasetSchema: (id) => (id === 'ds' ? { schema: table.schema, rowCount: table.rowCount } : undefined),
    loadDataset: async () => (seen.loads++, table),
    readDatasetRows: async (_id, columns: DatasetRowColumns, onBatch) => {
      const names = 'columns' in columns ? columns.columns : [];
      const cols = names.map((n) => getColumn(table, n) as Float64Array);
      for (let start = 0; start < table.rowCount; start += 2048) {
        const n = Math.min(2048, table.rowCount - start);
        const values = new Float64Array(n * cols.length);
        for (let i = 0; i < n; i++) cols.forEach((c, j) => (values[i * cols.length + j] = c[start + i]));
        seen.largestBatch = Math.max(seen.largestBatch, n);
        await onBatch(values, n, start);
      }
      return table.rowCount;
    },
    tempFile: (suffix) => {
      const file = join(tmpdir(), `mixflow-test-${randomUUID()}${suffix}`);
      seen.files.push(file);
      return file;
    },
    ...(trainingMemoryMb !== undefined ? { trainingMemoryMb } : {}),
  };
  return { env, seen, input: tableValue(unloadedTable(table.schema, table.rowCount, 'ds')) };
}

describe('GMM Training on a stored dataset: in memory or streamed', () => {
  it('chooses streamed when the matrix does not fit the budget (workers × memory per worker, or the host cap when lower)', () => {
    expect(memoryBudget({ numWorkers: 2, memoryPerWorkerMb: 1024 }, undefined)).toEqual({ mb: 2048, detail: '2 workers × 1024 MB = 2048 MB' });
    const capped = memoryBudget({ numWorkers: 2, memoryPerWorkerMb: 1024 }, 256);
    expect(capped.mb).toBe(256);
    expect(capped.detail).toMatch(/MIXFLOW_TRAINING_MEMORY_MB/);
    // 5,000,000 × 10 numbers: 381 MB
    expect(chooseDataMode(5_000_000, 10, capped)).toEqual({ mode: 'stream', matrixMb: (5_000_000 * 80) / 2 ** 20 });
    expect(chooseDataMode(5_000_000, 10, memoryBudget({ numWorkers: 2, memoryPerWorkerMb: 4096 }, undefined)).mode).toBe('memory');
  });

  it('streams when the budget is too small: says so in the log, records it, reads from a row file, and removes it', async () => {
    const { env, seen, input } = storedEnv(stored, 0.01);
    const engine = new RecordingEngine();
    const r = await run(gmmTrain, params, [input], engine, env);
    expect(r.logs).toContainEqual(expect.stringMatching(/^info: data mode: streamed; the 3000 × 2 matrix \(0\.046 MB\) does not fit the run's memory budget of 0\.01 MB \(the server's training memory budget/));
    expect(r.logs).toContainEqual(expect.stringContaining('the start runs on a seeded sample of 3000 of the 3000 rows'));
    expect(r.metrics.dataMode).toMatchObject({ mode: 'stream', budgetMb: 0.01, startSampleRows: 3000 });
    expect(modelOf(r).training).toMatchObject({ dataMode: 'stream', rows: 3000, startSampleRows: 3000 });
    // memory-bounded: batches of at most 2,048 rows, the table never loaded, the engine given a row file
    expect(seen.loads).toBe(0);
    expect(seen.largestBatch).toBeLessThanOrEqual(2048);
    expect(engine.fits[0].file).toBe(seen.files[0]);
    expect(existsSync(seen.files[0])).toBe(false);
    expect(r.progress).toContainEqual({ fraction: (0.1 * 2048) / 3000, message: 'read 2,048 of 3,000 rows into a row file' });
  });

  it('reports the rows it reads as the first tenth of its bar, then the start and EM after it, never going back', async () => {
    for (const [budget, into] of [[undefined, 'into memory'], [0.01, 'into a row file']] as const) {
      const { env, input } = storedEnv(stored, budget);
      const r = await run(gmmTrain, params, [input], new RecordingEngine(), env);
      const reading = r.progress.filter((p) => p.message?.startsWith('read '));
      expect(reading).toEqual([
        { fraction: (0.1 * 2048) / 3000, message: `read 2,048 of 3,000 rows ${into}` },
        { fraction: 0.1, message: `read 3,000 of 3,000 rows ${into}` },
      ]);
      expect(r.progress.find((p) => p.message?.startsWith('starting: '))!.fraction).toBe(0.1);
      const first = r.progress.find((p) => p.message?.startsWith('trial 1, iteration 1: '))!;
      expect(first.fraction).toBeCloseTo(0.1 + 0.9 * (0.1 + 0.9 / 6), 12);
      const fractions = r.progress.map((p) => p.fraction);
      fractions.slice(1).forEach((f, i) => expect(f).toBeGreaterThanOrEqual(fractions[i]));
    }
  });

  it('gives the same model streamed (threads reading the row file) as in memory, and as the table loaded whole', async () => {
    const inMemory = storedEnv(stored);
    const memory = await run(gmmTrain, params, [inMemory.input], new RecordingEngine(), inMemory.env);
    expect(memory.logs).toContainEqual(expect.stringMatching(/^info: data mode: in memory; the 3000 × 2 matrix \(0\.046 MB\) fits the run's memory budget of 2048 MB \(2 workers × 1024 MB = 2048 MB\); read from the stored Parquet a batch at a time/));
    expect(modelOf(memory).training!.dataMode).toBe('memory');
    expect(inMemory.seen.loads).toBe(0);

    const streamedEnv = storedEnv(stored, 0.01);
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const streamed = await run(gmmTrain, params, [streamedEnv.input], engine, streamedEnv.env);
      const a = modelOf(memory);
      const b = modelOf(streamed);
      expect(b.means).toEqual(a.means);
      expect(b.covariances).toEqual(a.covariances);
      expect(b.weights).toEqual(a.weights);
      expect(b.training!.logLikelihoodHistory).toEqual(a.training!.logLikelihoodHistory);
    } finally {
      await engine.close();
    }
    const whole = await run(gmmTrain, params, [tableValue(stored)]);
    expect(whole.logs).toContainEqual(expect.stringContaining('data mode: in memory; the input is a table in memory'));
    expect(modelOf(whole).means).toEqual(modelOf(memory).means);
    const loaded = await run(gmmTrain, params, [tableValue({ ...stored, origin: { datasetId: 'ds' } })]);
    expect(loaded.logs).toContainEqual(expect.stringContaining("data mode: in memory; the input is stored dataset 'ds' already loaded as a table"));
  });

  it('names the row and column of a missing value, and leaves the row out under drop', async () => {
    const x = Float64Array.from(getColumn(stored, 'x') as Float64Array);
    x[2500] = NaN;
    const holed = tableFromColumns({ columns: [{ name: 'x', type: 'double', missing: 1 }, { name: 'y', type: 'double' }] }, [x, getColumn(stored, 'y') as Float64Array]);
    const { env, input } = storedEnv(holed, 0.01);
    await expect(run(gmmTrain, params, [input], new RecordingEngine(), env)).rejects.toMatchObject({ details: { row: 2501, column: 'x' } });
    const dropped = await run(gmmTrain, { ...params, missingValues: 'drop' }, [input], new RecordingEngine(), env);
    expect(dropped.metrics.droppedRows).toBe(1);
    expect(modelOf(dropped).training!.rows).toBe(2999);
  });
});
