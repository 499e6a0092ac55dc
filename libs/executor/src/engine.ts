import type { DataMatrix, GmmFitOptions, GmmModelJson } from '@mixflow/gmm';

export type EngineKind = 'inline' | 'local' | 'redis';

/** What a run asks of the engine: the Execution Tuning tab's values plus plumbing. */
export interface EngineRunOptions {
  /** Number of Workers, [1, 9999]; the local engine caps it at its maxWorkers and logs that it did */
  numWorkers: number;
  /** Memory per worker in MB, [1024, 65536]; the local engine sets it as each thread's old-generation limit */
  memoryPerWorkerMb: number;
  signal?: AbortSignal;
  onProgress?: (event: FitProgress) => void;
  log?: (message: string) => void;
}

export interface FitProgress {
  trial: number;
  iteration: number;
  maxIter: number;
  meanLogLikelihood: number;
  seconds: number;
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

export interface FitOutcome {
  model: GmmModelJson;
  run: EngineRunInfo;
}

export interface PredictOutcome {
  /** n: index of the most likely component */
  labels: Int32Array;
  /** n × k posterior probabilities, row-major */
  probabilities: Float64Array;
  run: EngineRunInfo;
}

/**
 * Runs the EM map/reduce: data is cut into fixed-size chunks once per fit; every iteration the current
 * parameters go to the workers, each returns the sufficient statistics of each of its chunks, and the
 * driver merges them in chunk order and runs the M-step. Every engine gives the same model, bit for bit.
 */
export interface ExecutionEngine {
  readonly kind: EngineKind;
  fitGmm(data: DataMatrix, options: GmmFitOptions, run: EngineRunOptions): Promise<FitOutcome>;
  predictGmm(model: GmmModelJson, data: DataMatrix, run: EngineRunOptions): Promise<PredictOutcome>;
  close(): Promise<void>;
}
