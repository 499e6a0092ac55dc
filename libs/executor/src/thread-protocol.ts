/** Messages between the local engine's sessions and its worker threads (see worker.ts). */

/**
 * Gives a thread a session's rows: in shared memory, never copied per map, or in a row file (`file`), which the
 * thread reads a chunk at a time every map. A thread serves one session at a time and may serve many, one after
 * another (idle-threads.ts): each starts with 'attach' and ends with 'detach'.
 */
export interface AttachRequest {
  type: 'attach';
  id: number;
  /** the thread's place in the session, 0-based */
  workerIndex: number;
  data?: SharedArrayBuffer;
  file?: string;
  /** where the rows start in `data`, in Float64 elements */
  offset: number;
  rows: number;
  cols: number;
  /** compiled modules that export the registered kernels (kernel.ts); each loaded once per thread */
  kernelModules: string[];
}

/** Drops the session's rows (a row file is closed) so a waiting thread holds none; no reply. */
export interface DetachRequest {
  type: 'detach';
}

/** Test-only faults a thread can be told to commit, to prove how the driver copes. */
export type ThreadFault = 'oom' | 'crash';

/**
 * One map of a kernel. Thread t owns the contiguous chunk indices assignments[t] and takes them front to back
 * by atomically advancing cursors[t]; when its own run is done it helps the others the same way, so a thread
 * slowed by a busy machine does not hold up the map. Chunk c's result goes to out at offsets[c] whoever
 * computes it, so the order the caller reduces in never changes.
 */
export interface MapRequest {
  type: 'map';
  id: number;
  kernel: string;
  params: unknown;
  /** row ranges of every chunk, in chunk order */
  chunks: ReadonlyArray<readonly [number, number]>;
  /** per thread, its chunk indices [first, end) */
  assignments: Array<[number, number]>;
  /** Int32 per thread: the next chunk index of its assignment to take (set to `first` before the call) */
  cursors: SharedArrayBuffer;
  /** Float64 offset of each chunk's result in `out` */
  offsets: number[];
  out: SharedArrayBuffer;
  fault?: ThreadFault;
}

export type ThreadRequest = AttachRequest | MapRequest;

export type ThreadReply =
  | { type: 'done'; id: number; peakHeapMb: number }
  | { type: 'error'; id: number; name: string; message: string; details?: Record<string, unknown> };
