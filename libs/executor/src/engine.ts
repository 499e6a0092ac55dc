export type EngineKind = 'inline' | 'local' | 'redis';

/** What a run asks of the engine: the Execution Tuning tab's values plus plumbing. */
export interface EngineRunOptions {
  /** Number of Workers, [1, 9999]; the local engine caps it at its maxWorkers and logs that it did */
  numWorkers: number;
  /** Memory per worker in MB, [1024, 65536]; the local engine sets it as each thread's old-generation limit */
  memoryPerWorkerMb: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /**
   * Told before a session stores anything outside this process (held: true) and once it has removed it again
   * (held: false), so that the thread that started a driver can release what the driver's thread leaves behind
   * when it is terminated mid-session (see ExecutionEngine.releaseSession).
   */
  onRemoteSession?: (session: RemoteSession, held: boolean) => void;
}

/** What a session keeps outside this process (the Redis engine: its rows under a run id, its queued jobs). */
export interface RemoteSession {
  runId: string;
  chunks: number;
}

export interface EngineRunInfo {
  engine: EngineKind;
  workersRequested: number;
  workersUsed: number;
  memoryPerWorkerMb: number;
  /** measured peak heap per worker (MB), where the engine can measure it */
  peakMemoryMbPerWorker?: number;
  seconds: number;
}

/**
 * Rows × cols numbers, row-major. When `data` lies on a SharedArrayBuffer (see sharedRows) the local engine's
 * threads read it where it is; otherwise it is copied into shared memory once per session.
 */
export interface RowMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Rows kept on disk (row-file.ts): rows × cols float64, row-major, read a chunk at a time. */
export interface RowFile {
  /** the file's path, made by the server (never a string of a request) */
  file: string;
  rows: number;
  cols: number;
}

/** The rows an engine's session maps over: in memory, or in a row file. */
export type RowSource = RowMatrix | RowFile;

/** Each chunk's kernel result, in chunk order, whoever computed it. */
export interface ChunkResults {
  readonly count: number;
  /** chunk c's result (a view; copy what you keep beyond the next map of the session) */
  chunk(c: number): Float64Array;
}

/**
 * A row matrix placed where the workers read it (shared memory, Redis), cut into fixed chunks once. Every map
 * runs a registered kernel over every chunk; the caller reduces the results in chunk order, so the outcome
 * never depends on the engine or the number of workers.
 */
export interface MatrixSession {
  /** [start, end) rows of every chunk, in order */
  readonly chunks: ReadonlyArray<readonly [number, number]>;
  map(kernel: string, params: unknown): Promise<ChunkResults>;
  /** what the run used so far (workers, seconds since the session opened, peak memory) */
  info(): EngineRunInfo;
  close(): Promise<void>;
}

/**
 * Runs chunked map/reduce over a row matrix with kernels that plugins register (see kernel.ts). What a kernel
 * computes (EM statistics, predictions, ...) is the plugin's business; every engine gives the same bits.
 */
export interface ExecutionEngine {
  readonly kind: EngineKind;
  /**
   * Places the rows (once) and cuts them into chunks of `chunkRows` rows; close the session when done. Rows in a
   * row file (row-file.ts) stay there: every map reads its chunks from the file again.
   */
  open(matrix: RowSource, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession>;
  /** The outside services the engine needs and whether each answers now, by name (the Redis engine: redis); none when absent. */
  services?(): Promise<Record<string, 'up' | 'down'>>;
  /**
   * The options that build this engine again on a driver thread (runDriver), whose sessions then run on that
   * thread, not the caller's: the Redis engine encodes every map's params and decodes its results there. Absent
   * when the caller's engine must serve the thread's sessions itself (the local engine's worker threads).
   */
  threadOptions?(): Record<string, unknown>;
  /** Removes what a session of this engine kind left outside this process when its thread was terminated. */
  releaseSession?(session: RemoteSession): Promise<void>;
  close(): Promise<void>;
}
