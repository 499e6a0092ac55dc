/**
 * Started threads kept between runs. Starting a thread and loading its modules (the GMM kernels compile their
 * WebAssembly) costs about a fifth of a CPU second; a small fit's whole EM costs about as much. So a thread whose
 * run ended on its own waits here, unreferenced (it never keeps the process alive), for the next run that asks for
 * the same old-generation limit (Memory per worker is a thread's resource limit, fixed at its start), and is ended
 * after a while unused or by closeIdleThreads at shutdown. A cancelled, crashed or out-of-memory thread is
 * terminated by its run, never kept.
 */
import { Worker } from 'node:worker_threads';

export interface IdleThreadsOptions {
  /** the entry script of every thread, resolved when a thread starts */
  script: () => string;
  /** how long a thread waits unused before it is ended */
  idleMs: number;
  /** at most this many threads wait; a thread given back beyond it is ended */
  maxIdle: number;
}

/** Every set of kept threads of this process, for closeIdleThreads. */
const everySet = new Set<IdleThreads>();

/** Ends every waiting thread of the process now (a server's shutdown); threads in use are their runs'. */
export async function closeIdleThreads(): Promise<void> {
  await Promise.all([...everySet].map((set) => set.close()));
}

export class IdleThreads {
  /** waiting threads by their old-generation limit in MB (0: none set), the most recently kept last */
  private readonly waiting = new Map<number, Worker[]>();
  private readonly timers = new Map<Worker, NodeJS.Timeout>();
  private startedCount = 0;

  constructor(private readonly o: IdleThreadsOptions) {
    everySet.add(this);
  }

  /** Threads this set has started since it was made (a test counts them to see reuse). */
  get started(): number {
    return this.startedCount;
  }

  /** Threads waiting now. */
  get idle(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  /** A waiting thread with this old-generation limit (none: no limit), else a new one; referenced while in use. */
  take(maxOldGenerationSizeMb?: number): Worker {
    const key = maxOldGenerationSizeMb ?? 0;
    const thread = this.waiting.get(key)?.pop();
    if (thread) {
      clearTimeout(this.timers.get(thread));
      this.timers.delete(thread);
      thread.ref();
      return thread;
    }
    const fresh = new Worker(this.o.script(), key ? { resourceLimits: { maxOldGenerationSizeMb: key } } : {});
    this.startedCount++;
    // a run's own listener reports a failure; a waiting thread's must not become an uncaught 'error' of the process
    fresh.on('error', () => undefined);
    fresh.once('exit', () => this.forget(fresh, key));
    return fresh;
  }

  /**
   * Gives back a thread whose run ended on its own, with every request answered, to serve the next run asking for
   * the same limit. The caller has removed its listeners.
   */
  keep(thread: Worker, maxOldGenerationSizeMb?: number): void {
    const key = maxOldGenerationSizeMb ?? 0;
    if (this.idle >= this.o.maxIdle) return void thread.terminate();
    thread.unref();
    const list = this.waiting.get(key) ?? [];
    list.push(thread);
    this.waiting.set(key, list);
    const timer = setTimeout(() => {
      this.forget(thread, key);
      void thread.terminate();
    }, this.o.idleMs);
    timer.unref();
    this.timers.set(thread, timer);
  }

  /** Ends every waiting thread. */
  async close(): Promise<void> {
    const threads = [...this.waiting.values()].flat();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private forget(thread: Worker, key: number): void {
    clearTimeout(this.timers.get(thread));
    this.timers.delete(thread);
    const list = this.waiting.get(key);
    const at = list ? list.indexOf(thread) : -1;
    if (at >= 0) list!.splice(at, 1);
  }
}
