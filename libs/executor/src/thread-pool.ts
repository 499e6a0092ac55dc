/**
 * A fixed set of worker threads that share one copy of the rows (a SharedArrayBuffer). One pool
 * lives for one session (a fit, a prediction): its threads carry that run's memory limit, and cancelling or
 * failing the run terminates exactly its threads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExecutorError, RunCancelledError } from './run-support';
import type { ThreadData, ThreadReply, ThreadRequest } from './thread-protocol';

/** dist/worker.js beside this file when running compiled code; ../dist/worker.js from src (jest). */
export function workerScriptPath(): string {
  const fromDist = __filename.endsWith('.js');
  const path = fromDist ? join(__dirname, 'worker.js') : join(__dirname, '..', 'dist', 'worker.js');
  if (!existsSync(path)) {
    throw new ExecutorError(`The local engine's worker code ${path} is missing: run npm run build (tsc -b) first`);
  }
  return path;
}

/**
 * The rows as shared memory the threads read: where they already are when they lie on a SharedArrayBuffer
 * (the caller wrote them there), else one copy.
 */
export function toSharedRows(data: Float64Array): { buffer: SharedArrayBuffer; offset: number; copied: boolean } {
  if (data.buffer instanceof SharedArrayBuffer && data.byteOffset % 8 === 0) {
    return { buffer: data.buffer, offset: data.byteOffset / 8, copied: false };
  }
  const shared = new SharedArrayBuffer(data.byteLength);
  new Float64Array(shared).set(data);
  return { buffer: shared, offset: 0, copied: true };
}

interface Pending {
  resolve: (reply: ThreadReply & { type: 'done' }) => void;
  reject: (error: Error) => void;
}

export class ThreadPool {
  private readonly threads: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly exited: Promise<void>[] = [];
  private failure: Error | null = null;
  private stopping = false;
  private nextId = 1;
  private peakHeapMb = 0;
  private live = 0;

  constructor(
    private readonly o: {
      threads: number;
      memoryPerWorkerMb: number;
      /** the rows in shared memory, or `file`: a row file each thread reads a chunk at a time */
      data?: SharedArrayBuffer;
      file?: string;
      offset: number;
      rows: number;
      cols: number;
      kernelModules: string[];
    },
  ) {
    const script = workerScriptPath();
    for (let workerIndex = 0; workerIndex < o.threads; workerIndex++) {
      const { data, file, offset, rows, cols, kernelModules } = o;
      const workerData: ThreadData = { workerIndex, ...(file !== undefined ? { file } : { data }), offset, rows, cols, kernelModules };
      const thread = new Worker(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: o.memoryPerWorkerMb } });
      this.live++;
      thread.on('message', (reply: ThreadReply) => this.onReply(reply));
      thread.on('error', (error: Error & { code?: string }) => this.fail(this.describeFailure(workerIndex, error)));
      this.exited.push(
        new Promise<void>((resolve) =>
          thread.once('exit', (code) => {
            this.live--;
            if (!this.stopping) {
              this.fail(this.describeFailure(workerIndex, new Error(`the thread exited with code ${code}`)));
            }
            resolve();
          }),
        ),
      );
      this.threads.push(thread);
    }
  }

  get size(): number {
    return this.threads.length;
  }

  /** Threads that have not exited yet. */
  get liveThreads(): number {
    return this.live;
  }

  /** Largest V8 heap in use that any thread reported, in MB. */
  get peakHeapMbPerWorker(): number {
    return this.peakHeapMb;
  }

  /** Sends one request per thread (requests[i] to thread i) and waits for all; the first failure wins. */
  async runEach(requests: Array<Omit<ThreadRequest, 'id'> | null>): Promise<void> {
    const waits = requests.map((request, i) => (request ? this.send(i, request) : Promise.resolve()));
    await Promise.all(waits);
  }

  /** Stops every thread now (terminate interrupts running JavaScript); pending requests reject with `reason`. */
  async stop(reason: Error = new ExecutorError('The engine was closed while this run was in progress')): Promise<void> {
    this.failure ??= reason; // later requests fail at once instead of waiting on a stopped thread
    this.rejectAll(reason);
    this.stopping = true;
    await Promise.all(this.threads.map((t) => t.terminate()));
    await Promise.all(this.exited);
  }

  cancel(): Promise<void> {
    this.failure ??= new RunCancelledError();
    return this.stop(this.failure);
  }

  private send(index: number, request: Omit<ThreadRequest, 'id'>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => {
          this.peakHeapMb = Math.max(this.peakHeapMb, reply.peakHeapMb);
          resolve();
        },
        reject,
      });
      this.threads[index].postMessage({ ...request, id } as ThreadRequest);
    });
  }

  private onReply(reply: ThreadReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.type === 'done') waiter.resolve(reply);
    else waiter.reject(rebuildError(reply));
  }

  private describeFailure(workerIndex: number, error: Error & { code?: string }): Error {
    const which = `Worker ${workerIndex + 1} of ${this.threads.length || this.o.threads}`;
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new ExecutorError(
        `${which} ran out of memory (Memory per worker = ${this.o.memoryPerWorkerMb} MB): ` +
          'raise Memory per worker, or use fewer rows or components',
        'memoryPerWorkerMb',
      );
    }
    return new ExecutorError(
      `${which} crashed (${error.message}); the run was stopped. If the data is large, raise Memory per worker ` +
        `(now ${this.o.memoryPerWorkerMb} MB)`,
      'memoryPerWorkerMb',
    );
  }

  private fail(error: Error): void {
    if (this.failure || this.stopping) return;
    this.failure = error;
    void this.stop(error);
  }

  private rejectAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** An error thrown inside a thread, with its name, message and details (a kernel's located input errors keep them). */
function rebuildError(reply: ThreadReply & { type: 'error' }): Error {
  const error = new Error(reply.message) as Error & { details?: Record<string, unknown> };
  error.name = reply.name;
  if (reply.details) error.details = reply.details;
  return error;
}
