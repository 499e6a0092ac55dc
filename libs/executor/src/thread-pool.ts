/**
 * A fixed set of worker threads that share one copy of the rows (a SharedArrayBuffer). One pool
 * lives for one session (a fit, a prediction): its threads carry that run's memory limit, and cancelling or
 * failing the run terminates exactly its threads. The threads come from the process's waiting threads
 * (idle-threads.ts) when some started with the same limit, and go back there when the session closes with every
 * request answered and nothing failed.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { IdleThreads } from './idle-threads';
import { ExecutorError, RunCancelledError } from './run-support';
import type { DetachRequest, ThreadReply, ThreadRequest } from './thread-protocol';

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

/** A set of local engine threads waiting between sessions (tests make their own, to count starts). */
export function workerThreads(o: { idleMs: number; maxIdle: number }): IdleThreads {
  return new IdleThreads({ script: workerScriptPath, ...o });
}

/** The local engine's threads waiting between sessions, keyed by Memory per worker; ended after 30 s unused. */
export const waitingWorkers = workerThreads({ idleMs: 30_000, maxIdle: 2 * availableParallelism() });

interface Pending {
  resolve: (reply: ThreadReply & { type: 'done' }) => void;
  reject: (error: Error) => void;
}

/** A thread of the pool with the listeners the pool gave it (taken off when the thread goes back). */
interface PoolThread {
  thread: Worker;
  onMessage: (reply: ThreadReply) => void;
  onError: (error: Error & { code?: string }) => void;
  onExit: (code: number) => void;
  exited: Promise<void>;
}

export class ThreadPool {
  private readonly threads: PoolThread[] = [];
  private readonly pending = new Map<number, Pending>();
  /** every thread has its rows (a thread's error here is the first request's error) */
  private readonly attached: Promise<void>;
  private failure: Error | null = null;
  private stopping = false;
  /** set once the threads are stopped or given back */
  private ended: Promise<void> | null = null;
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
      /** where threads are taken from and given back to; the process's waitingWorkers by default */
      idle?: IdleThreads;
    },
  ) {
    const idle = o.idle ?? waitingWorkers;
    for (let workerIndex = 0; workerIndex < o.threads; workerIndex++) {
      const thread = idle.take(o.memoryPerWorkerMb);
      this.live++;
      let markExited!: () => void;
      const entry: PoolThread = {
        thread,
        onMessage: (reply) => this.onReply(reply),
        onError: (error) => this.fail(this.describeFailure(workerIndex, error)),
        onExit: (code) => {
          this.live--;
          markExited();
          if (!this.stopping) this.fail(this.describeFailure(workerIndex, new Error(`the thread exited with code ${code}`)));
        },
        exited: new Promise<void>((resolve) => (markExited = resolve)),
      };
      thread.on('message', entry.onMessage);
      thread.on('error', entry.onError);
      thread.once('exit', entry.onExit);
      this.threads.push(entry);
    }
    const { data, file, offset, rows, cols, kernelModules } = o;
    this.attached = this.sendEach(
      this.threads.map((_, workerIndex) => ({ type: 'attach', workerIndex, ...(file !== undefined ? { file } : { data }), offset, rows, cols, kernelModules })),
    );
    this.attached.catch(() => undefined); // reported by the first runEach
  }

  get size(): number {
    return this.o.threads;
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
    await this.attached;
    await this.sendEach(requests);
  }

  /**
   * Ends the session. Its threads go back to wait for the next session when they answered every request and none
   * failed (a kernel's error, such as a located input error, leaves a thread sound); otherwise they are stopped.
   */
  async close(): Promise<void> {
    await this.attached.catch(() => undefined);
    if (this.ended || this.failure || this.pending.size > 0 || this.live < this.o.threads) return this.stop();
    this.stopping = true;
    this.failure = new ExecutorError("This run's session is closed");
    this.ended = Promise.resolve();
    const idle = this.o.idle ?? waitingWorkers;
    for (const { thread, onMessage, onError, onExit } of this.threads.splice(0)) {
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
      this.live--;
      thread.postMessage({ type: 'detach' } satisfies DetachRequest);
      idle.keep(thread, this.o.memoryPerWorkerMb);
    }
  }

  /** Stops every thread now (terminate interrupts running JavaScript); pending requests reject with `reason`. */
  async stop(reason: Error = new ExecutorError('The engine was closed while this run was in progress')): Promise<void> {
    this.failure ??= reason; // later requests fail at once instead of waiting on a stopped thread
    this.rejectAll(reason);
    this.stopping = true;
    this.ended ??= Promise.all(this.threads.splice(0).map(({ thread, exited }) => thread.terminate().then(() => exited))).then(() => undefined);
    await this.ended;
  }

  cancel(): Promise<void> {
    this.failure ??= new RunCancelledError();
    return this.stop(this.failure);
  }

  private sendEach(requests: Array<Omit<ThreadRequest, 'id'> | null>): Promise<void> {
    return Promise.all(requests.map((request, i) => (request ? this.send(i, request) : undefined))).then(() => undefined);
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
      this.threads[index].thread.postMessage({ ...request, id } as ThreadRequest);
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
    const which = `Worker ${workerIndex + 1} of ${this.o.threads}`;
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
