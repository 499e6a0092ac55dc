/** Messages between the local engine's driver and its worker threads (see worker.ts). */
import type { GmmModelJson, PreparedParams } from '@mixflow/gmm';

/** Given to each thread once, at start: the rows live in shared memory, never copied per iteration. */
export interface ThreadData {
  workerIndex: number;
  data: SharedArrayBuffer;
  rows: number;
  cols: number;
}

/** Test-only faults a thread can be told to commit, to prove how the driver copes. */
export type ThreadFault = 'oom' | 'crash';

/**
 * One E-step. Thread t owns the contiguous chunk indices assignments[t] and takes them front to back by
 * atomically advancing cursors[t]; when its own run is done it helps the others the same way, so a
 * thread slowed by a busy machine does not hold up the iteration. Chunk c's statistics go to slot c of
 * `out` (slot c starts at c × slotLength) whoever computes them, so the merge order never changes.
 */
export interface StatsRequest {
  type: 'stats';
  id: number;
  prepared: PreparedParams;
  /** row ranges of every chunk, in chunk order */
  chunks: Array<[number, number]>;
  /** per thread, its chunk indices [first, end) */
  assignments: Array<[number, number]>;
  /** Int32 per thread: the next chunk index of its assignment to take (set to `first` before the call) */
  cursors: SharedArrayBuffer;
  slotLength: number;
  out: SharedArrayBuffer;
  fault?: ThreadFault;
}

export interface PredictRequest {
  type: 'predict';
  id: number;
  model: GmmModelJson;
  start: number;
  end: number;
  /** Int32 (rows) and Float64 (rows × k) outputs, written in place */
  labels: SharedArrayBuffer;
  probabilities: SharedArrayBuffer;
}

export type ThreadRequest = StatsRequest | PredictRequest;

export type ThreadReply =
  | { type: 'done'; id: number; peakHeapMb: number }
  | { type: 'error'; id: number; name: string; message: string; details?: Record<string, unknown> };
