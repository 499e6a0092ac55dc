/**
 * Entry point of a driver thread (compiled to dist/driver-main.js; see driver.ts). For each 'run' message it loads
 * the driver's module (once per thread), runs the export with an engine, and posts the result. When the caller's
 * engine can be built again (threadOptions: inline, Redis), the thread runs one of its own: an inline engine's maps
 * compute here, a Redis engine's sessions (the queue's producer, the results' consumer, the encoding of every
 * map's params and the decoding of its results) run here, its log lines and the rows it keeps in Redis reported to
 * the caller. Otherwise every session is the caller's: rows go over as shared memory, each map's params too
 * (copied once here into shared memory, so neither the caller nor the engine's threads copy them again), and the
 * chunk results come back the same way.
 */
import { parentPort } from 'node:worker_threads';
import type { DriverFunction } from './driver';
import { rebuildDriverError, transferablesOf } from './driver';
import type { DriverData, DriverReply, DriverRequest, DriverStart } from './driver-protocol';
import { toDriverError } from './driver-protocol';
import type { ChunkResults, EngineKind, EngineRunInfo, EngineRunOptions, ExecutionEngine, MatrixSession } from './engine';
import { InlineEngine } from './inline-engine';
import { isRowFile, type RowSource } from './row-file';
import type { RedisEngineOptions } from './redis-engine';
import { ExecutorError } from './run-support';
import { toSharedRows } from './thread-pool';

const port = parentPort!;
const waiting = new Map<number, { resolve: (reply: DriverReply) => void; reject: (error: Error) => void }>();
let nextId = 1;

type Ask = DriverRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function ask<T extends DriverReply['type']>(request: Ask): Promise<Extract<DriverReply, { type: T }>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (reply: DriverReply) => void, reject });
    port.postMessage({ ...request, id } as DriverRequest);
  });
}

port.on('message', (message: DriverReply | DriverStart) => {
  if (message.type === 'run') return void run(message.job);
  const reply = message;
  const waiter = waiting.get(reply.id);
  if (!waiter) return;
  waiting.delete(reply.id);
  if (reply.type === 'error') waiter.reject(rebuildDriverError(reply.error));
  else waiter.resolve(reply);
});

/** Large typed arrays in `value` moved onto shared memory (small ones are cheaper to copy). */
function onSharedMemory(value: unknown, depth = 0): unknown {
  if (value instanceof Float64Array && !(value.buffer instanceof SharedArrayBuffer) && value.length >= 4096) {
    const shared = new Float64Array(new SharedArrayBuffer(value.byteLength));
    shared.set(value);
    return shared;
  }
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value) || depth > 3) return value;
  if (Array.isArray(value)) return value.map((v) => onSharedMemory(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, onSharedMemory(v, depth + 1)]));
}

/** The caller's engine: sessions opened, mapped and closed over there. */
class CallerEngine implements ExecutionEngine {
  constructor(readonly kind: EngineKind) {}

  async open(matrix: RowSource, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const shared = isRowFile(matrix) ? undefined : toSharedRows(matrix.data.subarray(0, matrix.rows * matrix.cols));
    const opened = await ask<'opened'>({
      type: 'open',
      ...(shared ? { data: shared.buffer } : { file: (matrix as { file: string }).file }),
      offset: shared?.offset ?? 0,
      rows: matrix.rows,
      cols: matrix.cols,
      chunkRows,
      numWorkers: run.numWorkers,
      memoryPerWorkerMb: run.memoryPerWorkerMb,
    });
    let info: EngineRunInfo = opened.info;
    return {
      chunks: opened.chunks,
      map: async (kernel: string, params: unknown): Promise<ChunkResults> => {
        const mapped = await ask<'mapped'>({ type: 'map', session: opened.session, kernel, params: onSharedMemory(params) });
        info = mapped.info;
        return { count: mapped.results.length, chunk: (c) => mapped.results[c] };
      },
      info: () => info,
      close: async () => {
        info = (await ask<'closed'>({ type: 'close', session: opened.session })).info;
      },
    };
  }

  async close(): Promise<void> {
    // the caller owns its engine
  }
}

/** Engines of this thread by kind and options, kept for its next runs (a Redis engine keeps its connections). */
const ownEngines = new Map<string, ExecutionEngine>();

function buildEngine(kind: EngineKind, options: Record<string, unknown>): ExecutionEngine {
  if (kind === 'inline') return new InlineEngine();
  if (kind === 'redis') {
    // loaded only by the threads that need BullMQ and ioredis
    const { RedisEngine } = require('./redis-engine') as typeof import('./redis-engine');
    return new RedisEngine(options as unknown as RedisEngineOptions);
  }
  throw new ExecutorError(`a driver thread cannot build a ${kind} engine of its own`);
}

/** This thread's engine of `kind`; its sessions' log lines and the data they keep outside the process go to the caller. */
function ownEngine(kind: EngineKind, options: Record<string, unknown>): ExecutionEngine {
  const key = JSON.stringify([kind, options]);
  let engine = ownEngines.get(key);
  if (!engine) ownEngines.set(key, (engine = buildEngine(kind, options)));
  const built = engine;
  return {
    kind,
    open: (matrix, chunkRows, run) =>
      built.open(matrix, chunkRows, {
        ...run,
        log: (message) => port.postMessage({ type: 'log', message } satisfies DriverRequest),
        onRemoteSession: (session, held) => port.postMessage({ type: 'remote', session, held } satisfies DriverRequest),
      }),
    close: async () => undefined, // kept for the thread's next run
  };
}

async function main(job: DriverData): Promise<void> {
  const fn = (require(job.module) as Record<string, unknown>)[job.name];
  if (typeof fn !== 'function') throw new Error(`${job.module} exports no function ${job.name} for a driver thread to run`);
  const engine: ExecutionEngine = job.threadEngine ? ownEngine(job.engineKind, job.threadEngine) : new CallerEngine(job.engineKind);
  const result = await (fn as DriverFunction<unknown, unknown>)(job.input, { engine, emit: (event) => port.postMessage({ type: 'event', event } satisfies DriverRequest) });
  port.postMessage({ type: 'done', result } satisfies DriverRequest, transferablesOf(result));
}

function run(job: DriverData): void {
  main(job).catch((error: unknown) => port.postMessage({ type: 'failed', error: toDriverError(error) } satisfies DriverRequest));
}
