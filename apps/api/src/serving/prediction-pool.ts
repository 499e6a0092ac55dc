/**
 * The serving threads: long-lived worker threads that parse, predict and format batches of rows off the API's
 * event loop. The executor's pools live for one run over one shared matrix; serving needs threads that stay up
 * between requests and take text batches, each through the codec of its model's type (serving-thread.ts), so
 * the API stays responsive however large or fast the bodies come. A thread that dies fails its batches and is
 * replaced.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ServingError, ServingMessage, ServingReply, ServingRequest, ServingResult } from './protocol';

/** dist/serving/serving-thread.js beside this file when compiled; apps/api/dist/serving/... from src (jest). */
export function servingThreadPath(): string {
  const fromDist = __filename.endsWith('.js');
  const path = fromDist ? join(__dirname, 'serving-thread.js') : join(__dirname, '..', '..', 'dist', 'serving', 'serving-thread.js');
  if (!existsSync(path)) throw new Error(`the serving thread's code ${path} is missing: run npm run build first`);
  return path;
}

/** An error a serving thread answered with: `name` says whether it is the request's fault (an input error). */
export class ServingFailure extends Error {
  constructor(readonly error: ServingError) {
    super(error.message);
    this.name = error.name;
  }
  get details(): Record<string, unknown> | undefined {
    return this.error.details;
  }
}

interface Thread {
  worker: Worker;
  /** requests sent and not answered */
  busy: number;
  /** model keys whose payload this thread was sent */
  models: Set<string>;
  pending: Map<number, { resolve: (r: ServingResult) => void; reject: (e: Error) => void }>;
  /** requests waiting for the next message to the thread (sent together at the end of this turn of the event loop) */
  outbox: ServingMessage[];
  transfer: ArrayBuffer[];
}

export class PredictionPool {
  private readonly threads: (Thread | undefined)[];
  private nextId = 1;
  private stopped = false;

  constructor(readonly size: number) {
    this.threads = new Array<Thread | undefined>(Math.max(1, size)).fill(undefined);
  }

  /** The least busy thread's index (the first use of any thread starts them all). */
  pick(): number {
    let best = 0;
    let bestBusy = Infinity;
    for (let i = 0; i < this.threads.length; i++) {
      const busy = this.threads[i]?.busy ?? 0;
      if (busy < bestBusy) {
        best = i;
        bestBusy = busy;
      }
    }
    return best;
  }

  /** Threads running (started, not yet stopped or crashed). */
  get started(): number {
    return this.threads.filter((t) => t !== undefined).length;
  }

  /** Requests in flight on every thread. */
  get load(): number {
    return this.threads.reduce((n, t) => n + (t?.busy ?? 0), 0);
  }

  /**
   * Runs a request on thread `index`. A model's payload crosses to a thread once: later requests send its key,
   * and a thread that no longer holds it sends the request (and its body) back to be sent with the payload.
   */
  async run(index: number, request: ServingRequest, transfer: ArrayBuffer[] = []): Promise<ServingResult> {
    const thread = this.thread(index);
    const { model } = request;
    const known = thread.models.has(model.key);
    thread.models.add(model.key); // the thread reads its messages in order: the next ones find the payload there
    const first = await this.post(thread, { ...request, model: known ? { key: model.key } : model } as ServingRequest, transfer);
    if (first.ok || !first.needModel || !model.payload) return first;
    const again = first.text ? ({ ...request, text: first.text } as ServingRequest) : request;
    return this.post(thread, again, first.text && !(first.text.buffer instanceof SharedArrayBuffer) ? [first.text.buffer as ArrayBuffer] : []);
  }

  /** run, throwing a ServingFailure for an error answer. */
  async call(index: number, request: ServingRequest, transfer: ArrayBuffer[] = []): Promise<Extract<ServingResult, { ok: true }>> {
    const result = await this.run(index, request, transfer);
    if (!result.ok) throw new ServingFailure(result.error);
    return result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.threads.map((t) => t?.worker.terminate()));
  }

  /**
   * Queues the request for the thread; what queued up during this turn of the event loop leaves in one message
   * (100 clients' small requests cost a few messages, not 100).
   */
  private post(thread: Thread, request: ServingRequest, transfer: ArrayBuffer[]): Promise<ServingResult> {
    const id = this.nextId++;
    thread.busy++;
    if (thread.outbox.length === 0) setImmediate(() => this.flush(thread));
    thread.outbox.push({ ...request, id } as ServingMessage);
    thread.transfer.push(...transfer);
    return new Promise<ServingResult>((resolve, reject) => thread.pending.set(id, { resolve, reject }));
  }

  private flush(thread: Thread): void {
    const messages = thread.outbox;
    const transfer = thread.transfer;
    thread.outbox = [];
    thread.transfer = [];
    try {
      thread.worker.postMessage(messages, transfer);
    } catch (err) {
      for (const m of messages) {
        thread.pending.get(m.id)?.reject(err as Error);
        thread.pending.delete(m.id);
        thread.busy--;
      }
    }
  }

  /**
   * Thread `index`. The first use starts every thread: a thread takes a while to load the plugins, and a stream's
   * next batch goes to the least busy thread, which would otherwise be the one still loading.
   */
  private thread(index: number): Thread {
    if (this.stopped) throw new Error('the server is shutting down');
    const existing = this.threads[index];
    if (existing) return existing;
    for (let i = 0; i < this.threads.length; i++) this.threads[i] ??= this.startThread(i);
    return this.threads[index]!;
  }

  private startThread(index: number): Thread {
    const worker = new Worker(servingThreadPath());
    const thread: Thread = { worker, busy: 0, models: new Set(), pending: new Map(), outbox: [], transfer: [] };
    worker.on('message', (replies: ServingReply[]) => {
      for (const reply of replies) {
        const waiting = thread.pending.get(reply.id);
        if (!waiting) continue;
        thread.pending.delete(reply.id);
        thread.busy--;
        const { id: _id, ...result } = reply;
        waiting.resolve(result as ServingResult);
      }
    });
    const fail = (error: Error) => {
      if (this.threads[index] === thread) this.threads[index] = undefined;
      for (const waiting of thread.pending.values()) waiting.reject(new Error(`a serving thread stopped: ${error.message}`));
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
    worker.unref();
    return thread;
  }
}
