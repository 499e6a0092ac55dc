/** Messages between a driver thread (driver-main.ts) and the thread that started it (driver.ts). */
import type { EngineKind, EngineRunInfo, RemoteSession } from './engine';

/** What a driver thread runs: sent as a 'run' message, one run at a time (a thread may serve many, one after another). */
export interface DriverData {
  /** compiled module exporting the driver function */
  module: string;
  /** the export's name */
  name: string;
  input: unknown;
  /** the caller's engine's kind, which the thread's engine reports */
  engineKind: EngineKind;
  /**
   * The caller's engine's threadOptions: the thread builds an engine of the same kind with them and runs its
   * sessions itself (inline, Redis); absent, it asks the caller to run every session (local)
   */
  threadEngine?: Record<string, unknown>;
}

/**
 * From the driver thread: a session to open, a map to run, a session to close, an event, a line for the run's log,
 * a session of the thread's own engine that holds data outside the process (or no longer does), the end.
 */
export type DriverRequest =
  | {
      type: 'open';
      id: number;
      /** the rows in shared memory, or `file`: a row file (row-file.ts) the engine reads a chunk at a time */
      data?: SharedArrayBuffer;
      file?: string;
      offset: number;
      rows: number;
      cols: number;
      chunkRows: number;
      numWorkers: number;
      memoryPerWorkerMb: number;
    }
  | { type: 'map'; id: number; session: number; kernel: string; params: unknown }
  | { type: 'close'; id: number; session: number }
  | { type: 'event'; event: unknown }
  | { type: 'log'; message: string }
  | { type: 'remote'; session: RemoteSession; held: boolean }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: DriverError };

/** To the driver thread: run a driver. */
export interface DriverStart {
  type: 'run';
  job: DriverData;
}

/** To the driver thread: the answer to request `id`. */
export type DriverReply =
  | { type: 'opened'; id: number; session: number; chunks: Array<[number, number]>; info: EngineRunInfo }
  | { type: 'mapped'; id: number; results: Float64Array[]; info: EngineRunInfo }
  | { type: 'closed'; id: number; info: EngineRunInfo }
  | { type: 'error'; id: number; error: DriverError };

/** An error as it crosses threads: its name, message and located details (a row, a parameter, a setting). */
export interface DriverError {
  name: string;
  message: string;
  details?: Record<string, unknown>;
  setting?: string;
}

export function toDriverError(error: unknown): DriverError {
  const e = error as Error & { details?: Record<string, unknown>; setting?: string };
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(error),
    ...(e?.details ? { details: { ...e.details } } : {}),
    ...(e?.setting ? { setting: e.setting } : {}),
  };
}
