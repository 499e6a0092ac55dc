/**
 * The default engine: EM on Node worker threads of this process. Number of Workers = threads (capped
 * at maxWorkers), Memory per worker = each thread's old-generation limit. The rows are copied once per
 * fit into shared memory; each iteration every thread computes the statistics of a contiguous run of
 * chunks into shared slots, and the driver merges all chunks in chunk order.
 */
import { availableParallelism } from 'node:os';
import {
  chunkRanges,
  DEFAULT_CHUNK_ROWS,
  fitGmmWith,
  GaussianMixture,
  mergeStats,
  prepareParams,
  type DataMatrix,
  type GmmFitOptions,
  type GmmModelJson,
  type StatsRunner,
} from '@mixflow/gmm';
import { readStats, statsLength } from './codec';
import type { EngineRunOptions, ExecutionEngine, FitOutcome, PredictOutcome } from './engine';
import { cancellationOr, ExecutorError, onAbort, runInfo, splitChunks, startRun, throwIfAborted, withProgress } from './run-support';
import { ThreadPool, toSharedRows } from './thread-pool';
import type { ThreadFault } from './thread-protocol';

export interface LocalEngineOptions {
  /** the server's cap on threads per run; default os.availableParallelism() */
  maxWorkers?: number;
  /** tests only: thread `workerIndex` (0-based) commits `fault` when asked for iteration `iteration` (1-based) */
  faultInjection?: { workerIndex: number; iteration: number; fault: ThreadFault };
}

export class LocalEngine implements ExecutionEngine {
  readonly kind = 'local' as const;
  readonly maxWorkers: number;
  private readonly pools = new Set<ThreadPool>();

  constructor(private readonly o: LocalEngineOptions = {}) {
    const maxWorkers = o.maxWorkers ?? availableParallelism();
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new ExecutorError(`maxWorkers must be a whole number ≥ 1, got ${o.maxWorkers}`, 'maxWorkers');
    }
    this.maxWorkers = maxWorkers;
  }

  /** Threads of this engine that are still alive (0 when no run is in progress). */
  get liveThreads(): number {
    let n = 0;
    for (const pool of this.pools) n += pool.liveThreads;
    return n;
  }

  async fitGmm(data: DataMatrix, options: GmmFitOptions, run: EngineRunOptions): Promise<FitOutcome> {
    const started = startRun(run);
    const threads = this.threadsFor(run);
    const fitPools: ThreadPool[] = [];
    let threadsUsed = 0;

    const createRunner = async (train: DataMatrix, chunkRows: number): Promise<StatsRunner> => {
      throwIfAborted(run.signal);
      const ranges = chunkRanges(train.rows, chunkRows);
      const parts = splitChunks(ranges.length, threads);
      const pool = this.openPool(parts.length, run, train);
      fitPools.push(pool);
      threadsUsed = Math.max(threadsUsed, pool.size);
      if (pool.size < threads) {
        run.log?.(`Using ${pool.size} of ${threads} workers: the data has only ${ranges.length} chunk(s) of ${chunkRows} rows`);
      }
      let out: SharedArrayBuffer | null = null;
      const cursors = new Int32Array(new SharedArrayBuffer(parts.length * 4));
      let iteration = 0;
      return {
        compute: async (params) => {
          throwIfAborted(run.signal);
          iteration++;
          const prepared = prepareParams(params);
          const slotLength = statsLength(params.covarianceType, params.k, params.dims);
          out ??= new SharedArrayBuffer(ranges.length * slotLength * 8);
          const shared = out;
          parts.forEach(([first], t) => (cursors[t] = first));
          const fault = this.o.faultInjection;
          await pool.runEach(
            parts.map((_, workerIndex) => ({
              type: 'stats' as const,
              prepared,
              chunks: ranges,
              assignments: parts,
              cursors: cursors.buffer as SharedArrayBuffer,
              slotLength,
              out: shared,
              fault: fault && fault.workerIndex === workerIndex && fault.iteration === iteration ? fault.fault : undefined,
            })),
          );
          const slots = new Float64Array(shared);
          return mergeStats(ranges.map((_, c) => readStats(params.covarianceType, params.k, params.dims, slots, c * slotLength, prepared.shift)));
        },
        close: () => this.closePool(pool),
      };
    };

    const stopListening = onAbort(run.signal, () => fitPools.forEach((pool) => void pool.cancel()));
    try {
      const model = await fitGmmWith(data, withProgress(options, run), createRunner, run.signal);
      return { model: model.toJSON(), run: runInfo('local', run, threadsUsed, started, peakHeapMb(fitPools)) };
    } catch (error) {
      throw cancellationOr(error, run.signal);
    } finally {
      stopListening();
      await Promise.all(fitPools.map((pool) => this.closePool(pool)));
    }
  }

  async predictGmm(model: GmmModelJson, data: DataMatrix, run: EngineRunOptions): Promise<PredictOutcome> {
    const started = startRun(run);
    const k = GaussianMixture.fromJSON(model).k;
    const ranges = chunkRanges(data.rows, DEFAULT_CHUNK_ROWS);
    const parts = splitChunks(ranges.length, this.threadsFor(run));
    const labels = new SharedArrayBuffer(data.rows * 4);
    const probabilities = new SharedArrayBuffer(data.rows * k * 8);
    const pool = this.openPool(parts.length, run, data);
    const stopListening = onAbort(run.signal, () => void pool.cancel());
    try {
      await pool.runEach(
        parts.map(([first, end]) => ({
          type: 'predict' as const,
          model,
          start: ranges[first][0],
          end: ranges[end - 1][1],
          labels,
          probabilities,
        })),
      );
      return {
        labels: new Int32Array(labels).slice(),
        probabilities: new Float64Array(probabilities).slice(),
        run: runInfo('local', run, pool.size, started, peakHeapMb([pool])),
      };
    } catch (error) {
      throw cancellationOr(error, run.signal);
    } finally {
      stopListening();
      await this.closePool(pool);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools].map((pool) => this.closePool(pool)));
  }

  private threadsFor(run: EngineRunOptions): number {
    if (run.numWorkers <= this.maxWorkers) return run.numWorkers;
    run.log?.(
      `Number of Workers ${run.numWorkers} capped at ${this.maxWorkers}: this server runs at most ${this.maxWorkers} ` +
        'worker threads per run (maxWorkers)',
    );
    return this.maxWorkers;
  }

  private openPool(threads: number, run: EngineRunOptions, data: DataMatrix): ThreadPool {
    const pool = new ThreadPool({
      threads: Math.max(1, threads),
      memoryPerWorkerMb: run.memoryPerWorkerMb,
      data: toSharedRows(data.data.subarray(0, data.rows * data.cols)),
      rows: data.rows,
      cols: data.cols,
    });
    this.pools.add(pool);
    return pool;
  }

  private async closePool(pool: ThreadPool): Promise<void> {
    await pool.stop();
    this.pools.delete(pool);
  }

}

/** The highest peak heap any thread of these pools reached (0 before any measurement). */
function peakHeapMb(pools: ThreadPool[]): number {
  return Math.max(0, ...pools.map((pool) => pool.peakHeapMbPerWorker));
}
