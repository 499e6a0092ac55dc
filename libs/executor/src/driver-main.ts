/**
 * Entry point of a driver thread (compiled to dist/driver-main.js; see driver.ts). It loads the driver's module,
 * runs the export with an engine, and posts the result. When the caller's engine is an InlineEngine, the thread
 * runs one itself; otherwise every session is the caller's: rows go over as shared memory, each map's
 * params too (copied once here into shared memory, so neither the caller nor the engine's threads copy them
 * again), and the chunk results come back the same way.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DriverFunction } from './driver';
import { rebuildDriverError, transferablesOf } from './driver';
import type { DriverData, DriverReply, DriverRequest } from './driver-protocol';
import { toDriverError } from './driver-protocol';
import type { ChunkResults, EngineRunInfo, EngineRunOptions, ExecutionEngine, MatrixSession, RowMatrix } from './engine';
import { InlineEngine } from './inline-engine';
import { toSharedRows } from './thread-pool';

const { module: modulePath, name, input, engineKind, ownInlineEngine } = workerData as DriverData;
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

port.on('message', (reply: DriverReply) => {
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
  readonly kind = engineKind;

  async open(matrix: RowMatrix, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const shared = toSharedRows(matrix.data.subarray(0, matrix.rows * matrix.cols));
    const opened = await ask<'opened'>({
      type: 'open',
      data: shared.buffer,
      offset: shared.offset,
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

async function main(): Promise<void> {
  const fn = (require(modulePath) as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`${modulePath} exports no function ${name} for a driver thread to run`);
  const engine: ExecutionEngine = ownInlineEngine ? new InlineEngine() : new CallerEngine();
  const result = await (fn as DriverFunction<unknown, unknown>)(input, { engine, emit: (event) => port.postMessage({ type: 'event', event } satisfies DriverRequest) });
  port.postMessage({ type: 'done', result } satisfies DriverRequest, transferablesOf(result));
}

main().catch((error: unknown) => port.postMessage({ type: 'failed', error: toDriverError(error) } satisfies DriverRequest));
