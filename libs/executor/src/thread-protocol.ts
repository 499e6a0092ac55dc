/** Messages between the local engine's driver and its worker threads (see worker.ts). */

/**
 * Given to each thread once, at start: the rows live in shared memory, never copied per map; or in a row file
 * (`file`), which the thread reads a chunk at a time every map.
 */
export interface ThreadData {
  workerIndex: number;
  data?: SharedArrayBuffer;
  file?: string;
  /** where the rows start in `data`, in Float64 elements */
  offset: number;
  rows: number;
  cols: number;
  /** compiled modules that export the registered kernels (kernel.ts) */
  kernelModules: string[];
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

export type ThreadRequest = MapRequest;

export type ThreadReply =
  | { type: 'done'; id: number; peakHeapMb: number }
  | { type: 'error'; id: number; name: string; message: string; details?: Record<string, unknown> };
