/**
 * Driver threads. A run's driver is what is neither a chunk map nor I/O: a fit's starts (k-means), its M-steps
 * and the merging of chunk statistics, a model's preparation. Run in place, it holds the caller's event loop (the
 * API's) for as long as it computes. runDriver runs an exported function of a compiled module on a thread of its
 * own instead, with an engine of the caller's kind: an inline or Redis engine built again on that thread (its
 * sessions, Redis's encoding and decoding included, never touch the caller's thread), or one whose sessions the
 * caller's engine serves (the local engine: the rows and the chunk results cross as shared memory). The maps run
 * where they always run, and the function's code is the same, so the result is the same bits. A cancel
 * terminates the thread at once, whatever it is computing; the caller then releases what the thread's sessions
 * kept outside the process (Redis rows and queued jobs).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DriverData, DriverError, DriverReply, DriverRequest, DriverStart } from './driver-protocol';
import { toDriverError } from './driver-protocol';
import type { EngineRunOptions, ExecutionEngine, MatrixSession, RemoteSession } from './engine';
import { IdleThreads } from './idle-threads';
import { compiledModulePath } from './kernel';
import { ExecutorError, onAbort, RunCancelledError, throwIfAborted } from './run-support';

/** What a driver function gets besides its input. */
export interface DriverContext {
  /** the caller's engine, as seen from the driver thread (an inline or Redis engine runs on the driver thread itself) */
  engine: ExecutionEngine;
  /** hands an event (structured-cloneable) to the caller's onEvent, in order */
  emit(event: unknown): void;
}

/** An export a driver thread can run: input and result cross threads by structured clone. */
export type DriverFunction<I, O> = (input: I, ctx: DriverContext) => Promise<O>;

export interface RunDriverOptions {
  /** `__filename` of the module exporting the function (its compiled file is what the thread loads) */
  module: string;
  /** the export's name */
  name: string;
  /** structured-cloneable; typed arrays on a SharedArrayBuffer are shared, not copied */
  input: unknown;
  /** serves the driver's sessions; absent for a driver that maps nothing */
  engine?: ExecutionEngine;
  /** the signal cancels (the thread is terminated); log and the rest go to the engine's sessions */
  run?: Partial<EngineRunOptions>;
  onEvent?: (event: unknown) => void;
}

/** dist/driver-main.js beside this file when running compiled code; ../dist/driver-main.js from src (jest). */
function driverScriptPath(): string {
  const path = __filename.endsWith('.js') ? join(__dirname, 'driver-main.js') : join(__dirname, '..', 'dist', 'driver-main.js');
  if (!existsSync(path)) throw new ExecutorError(`The driver thread's code ${path} is missing: run npm run build (tsc -b) first`);
  return path;
}

/** An error from the driver thread as its class here: a cancellation, an engine setting, or a named located error. */
export function rebuildDriverError(e: DriverError): Error {
  if (e.name === 'AbortError') return new RunCancelledError(e.message);
  if (e.name === 'ExecutorError') return new ExecutorError(e.message, e.setting);
  const error = new Error(e.message) as Error & { details?: Record<string, unknown> };
  error.name = e.name;
  if (e.details) error.details = e.details;
  return error;
}

/** The buffers of typed arrays in `value` that are not shared, to move rather than copy. */
export function transferablesOf(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value && typeof value === 'object' && depth < 4) {
    for (const v of Array.isArray(value) ? value : Object.values(value)) transferablesOf(v, out, depth + 1);
  }
  return [...out];
}

/**
 * Driver threads that finished a run wait here for the next one (their modules stay loaded, so a driver starts in
 * a millisecond rather than a fifth of a second); at most 4, ended after 30 s unused. A cancelled or failed thread
 * is never kept.
 */
const waitingDrivers = new IdleThreads({ script: driverScriptPath, idleMs: 30_000, maxIdle: 4 });

/** Runs `o.name` of `o.module` on a driver thread and resolves with its result. */
export async function runDriver<O>(o: RunDriverOptions): Promise<O> {
  throwIfAborted(o.run?.signal);
  const job: DriverData = {
    module: compiledModulePath(o.module),
    name: o.name,
    input: o.input,
    engineKind: o.engine?.kind ?? 'inline',
    // an engine that can be built again computes on the driver thread (inline: the maps; Redis: the encoding of
    // every map's params and the decoding of its results), not back on the caller's
    threadEngine: o.engine ? o.engine.threadOptions?.() : {},
  };
  const thread = waitingDrivers.take();
  const sessions = new Map<number, MatrixSession>();
  // sessions of the thread's own engine that hold data outside the process, released here if the thread is terminated
  const remote = new Map<string, RemoteSession>();
  let nextSession = 1;
  let settled = false;

  return new Promise<O>((resolve, reject) => {
    const finish = (error: Error | undefined, result?: unknown, reusable = false): void => {
      if (settled) return;
      settled = true;
      stopListening();
      thread.off('error', onError);
      thread.off('exit', onExit);
      const open = [...sessions.values()];
      sessions.clear();
      // a thread whose run ended on its own may serve the next; any other goes first: nothing it computes matters now
      const released = reusable && open.length === 0 ? Promise.resolve(waitingDrivers.keep(thread)) : thread.terminate();
      // a terminated thread's messages are delivered before it exits: the last word on its remote sessions included
      void released
        .then(() => {
          thread.off('message', onMessage);
          const left = [...remote.values()].map((session) => o.engine?.releaseSession?.(session));
          return Promise.allSettled([...open.map((s) => s.close()), ...left]);
        })
        .then(() => (error ? reject(error) : resolve(result as O)));
    };
    const stopListening = onAbort(o.run?.signal, () => finish(new RunCancelledError()));
    const reply = (message: DriverReply, transfer: ArrayBuffer[] = []): void => {
      if (!settled) thread.postMessage(message, transfer);
    };

    const serve = async (m: Extract<DriverRequest, { id: number }>): Promise<void> => {
      try {
        if (!o.engine) throw new ExecutorError('this driver was started without an engine, so it cannot open a session');
        if (m.type === 'open') {
          const matrix =
            m.file !== undefined ? { file: m.file, rows: m.rows, cols: m.cols } : { data: new Float64Array(m.data!, m.offset * 8, m.rows * m.cols), rows: m.rows, cols: m.cols };
          const session = await o.engine.open(matrix, m.chunkRows, { ...o.run, numWorkers: m.numWorkers, memoryPerWorkerMb: m.memoryPerWorkerMb });
          if (settled) return void (await session.close());
          const id = nextSession++;
          sessions.set(id, session);
          reply({ type: 'opened', id: m.id, session: id, chunks: session.chunks.map(([s, e]) => [s, e]), info: session.info() });
          return;
        }
        const session = sessions.get(m.session);
        if (!session) throw new ExecutorError(`the driver asked for session ${m.session}, which is not open`);
        if (m.type === 'map') {
          const results = await session.map(m.kernel, m.params);
          const chunks = Array.from({ length: results.count }, (_, c) => results.chunk(c));
          reply({ type: 'mapped', id: m.id, results: chunks, info: session.info() }, transferablesOf(chunks));
        } else {
          sessions.delete(m.session);
          await session.close();
          reply({ type: 'closed', id: m.id, info: session.info() });
        }
      } catch (error) {
        reply({ type: 'error', id: m.id, error: toDriverError(error) });
      }
    };

    const onMessage = (m: DriverRequest): void => {
      if (m.type === 'remote') {
        if (m.held) remote.set(m.session.runId, m.session);
        else remote.delete(m.session.runId);
        return;
      }
      if (settled) return;
      if (m.type === 'log') {
        try {
          o.run?.log?.(m.message);
        } catch {
          // as an event listener's
        }
      } else if (m.type === 'event') {
        try {
          o.onEvent?.(m.event);
        } catch {
          // a listener's failure must not change the run
        }
      } else if (m.type === 'done') finish(undefined, m.result, true);
      else if (m.type === 'failed') finish(rebuildDriverError(m.error), undefined, true);
      else void serve(m);
    };
    const onError = (error: Error & { code?: string }): void =>
      finish(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ExecutorError(`The driver thread ran out of memory (${error.message}); use fewer components or dimensions`, 'memoryPerWorkerMb')
          : new ExecutorError(`The driver thread crashed: ${error.message}`),
      );
    const onExit = (code: number): void => finish(new ExecutorError(`The driver thread stopped (exit code ${code}) before it finished`));
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
    thread.postMessage({ type: 'run', job } satisfies DriverStart);
  });
}
