/**
 * The default engine: map/reduce on Node worker threads of this process. Number of Workers = threads (capped
 * at maxWorkers), Memory per worker = each thread's old-generation limit. The rows sit in shared memory for
 * the whole session (read where they are when the caller put them on a SharedArrayBuffer, else copied once);
 * each map, every thread computes a kernel over a contiguous run of chunks into shared result slots. A session's
 * threads are the process's waiting threads started with the same Memory per worker when there are some, and wait
 * for the next session when it ends on its own (idle-threads.ts): a small fit does not pay a thread's start.
 */
import { availableParallelism } from 'node:os';
import { chunkRanges, resultLayout, resultsIn, splitChunks } from './chunks';
import type { ChunkResults, EngineRunOptions, ExecutionEngine, MatrixSession } from './engine';
import { isRowFile, type RowSource } from './row-file';
import { kernelModules } from './kernel';
import { cancellationOr, ExecutorError, onAbort, runInfo, startRun, throwIfAborted } from './run-support';
import type { IdleThreads } from './idle-threads';
import { ThreadPool, toSharedRows } from './thread-pool';
import type { ThreadFault } from './thread-protocol';

export interface LocalEngineOptions {
  /** the server's cap on threads per run; default os.availableParallelism() */
  maxWorkers?: number;
  /** tests only: thread `workerIndex` (0-based) commits `fault` when asked for map number `map` (1-based) of a session */
  faultInjection?: { workerIndex: number; map: number; fault: ThreadFault };
  /** tests only: where threads wait between sessions instead of the process's waitingWorkers */
  idleThreads?: IdleThreads;
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

  async open(matrix: RowSource, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const started = startRun(run);
    const threads = this.threadsFor(run);
    const chunks = chunkRanges(matrix.rows, chunkRows);
    const parts = splitChunks(chunks.length, threads);
    if (parts.length < threads) {
      run.log?.(`Using ${parts.length} of ${threads} workers: the data has only ${chunks.length} chunk(s) of ${chunkRows} rows`);
    }
    // a row file stays on disk: each thread reads its chunks from it every map
    const shared = isRowFile(matrix) ? undefined : toSharedRows(matrix.data.subarray(0, matrix.rows * matrix.cols));
    const pool = new ThreadPool({
      threads: Math.max(1, parts.length),
      memoryPerWorkerMb: run.memoryPerWorkerMb,
      ...(shared ? { data: shared.buffer } : { file: (matrix as { file: string }).file }),
      offset: shared?.offset ?? 0,
      rows: matrix.rows,
      cols: matrix.cols,
      kernelModules: kernelModules(),
      ...(this.o.idleThreads ? { idle: this.o.idleThreads } : {}),
    });
    this.pools.add(pool);
    const stopListening = onAbort(run.signal, () => void pool.cancel());
    const cursors = new Int32Array(new SharedArrayBuffer(Math.max(1, parts.length) * 4));
    let maps = 0;

    const map = async (name: string, params: unknown): Promise<ChunkResults> => {
      throwIfAborted(run.signal);
      maps++;
      const { lengths, offsets, total } = resultLayout(name, params, chunks, matrix.cols);
      const out = new SharedArrayBuffer(total * 8);
      parts.forEach(([first], t) => (cursors[t] = first));
      const fault = this.o.faultInjection;
      try {
        await pool.runEach(
          parts.map((_, workerIndex) => ({
            type: 'map' as const,
            kernel: name,
            params,
            chunks,
            assignments: parts,
            cursors: cursors.buffer as SharedArrayBuffer,
            offsets,
            out,
            fault: fault && fault.workerIndex === workerIndex && fault.map === maps ? fault.fault : undefined,
          })),
        );
      } catch (error) {
        if (run.signal?.aborted) await this.closePool(pool); // a cancelled run's threads are gone when it rejects
        throw cancellationOr(error, run.signal);
      }
      return resultsIn(new Float64Array(out), offsets, lengths);
    };

    return {
      chunks,
      map,
      info: () => runInfo('local', run, pool.size, started, pool.peakHeapMbPerWorker),
      close: async () => {
        stopListening();
        // a session that ended on its own gives its threads back for the next one
        await pool.close();
        this.pools.delete(pool);
      },
    };
  }

  /** Stops the runs in progress; the process's waiting threads stay for other engines (closeIdleThreads ends them). */
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

  private async closePool(pool: ThreadPool): Promise<void> {
    await pool.stop();
    this.pools.delete(pool);
  }
}
