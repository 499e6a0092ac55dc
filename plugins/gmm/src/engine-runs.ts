/**
 * GMM fitting and prediction on any execution engine: the EM driver (libs/gmm's fitGmmWith) runs here and asks
 * the engine to map the 'gmm.em-stats' kernel over the training rows' chunks each iteration, then merges the
 * chunks' statistics in chunk order; prediction maps 'gmm.predict'. Same data and options give the same model
 * bits whatever the engine and the number of workers.
 */
import { RunCancelledError, type EngineRunInfo, type EngineRunOptions, type ExecutionEngine, type MatrixSession } from '@mixflow/executor';
import {
  DEFAULT_CHUNK_ROWS,
  fitGmmWith,
  GaussianMixture,
  GmmInputError,
  mergeStats,
  prepareParams,
  type DataMatrix,
  type GmmFitOptions,
  type GmmModelJson,
  type StatsRunner,
} from '@mixflow/gmm';
import { EM_STATS_KERNEL, EM_STATS_WEIGHTED_KERNEL, PREDICT_KERNEL, readStats } from './em-kernels';

export interface FitProgress {
  trial: number;
  iteration: number;
  maxIter: number;
  meanLogLikelihood: number;
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
  /** n: log p(x) of every row under the mixture (GaussianMixture.scoreSamples) */
  logDensity: Float64Array;
  run: EngineRunInfo;
}

/**
 * The error a failed run reports: the cancellation once the signal has fired; a thread's or a Redis worker's
 * located input error (which comes back by name) as the GmmInputError it was.
 */
function runError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return new RunCancelledError();
  const e = error as Error & { details?: Record<string, unknown> };
  if (e instanceof Error && !(e instanceof GmmInputError) && e.name === 'GmmInputError') return new GmmInputError(e.message, e.details ?? {});
  return error;
}

/** The caller's onIteration plus one progress event per iteration. */
function withProgress(options: GmmFitOptions, onProgress: ((event: FitProgress) => void) | undefined): GmmFitOptions {
  if (!onProgress) return options;
  const maxIter = options.maxIter ?? 100;
  const callerHook = options.onIteration;
  return {
    ...options,
    onIteration: (info) => {
      callerHook?.(info);
      onProgress({ trial: info.trial, iteration: info.iteration, maxIter, meanLogLikelihood: info.meanLogLikelihood, seconds: info.seconds });
    },
  };
}

/** Fits on `engine`: starts on this thread, every E-step as a map over the training rows' chunks. */
export async function fitOnEngine(
  engine: ExecutionEngine,
  data: DataMatrix,
  options: GmmFitOptions,
  run: EngineRunOptions & { onProgress?: (event: FitProgress) => void },
): Promise<FitOutcome> {
  let session: MatrixSession | undefined;
  const createRunner = async (train: DataMatrix, chunkRows: number): Promise<StatsRunner> => {
    const opened = await engine.open(train.weights ? withWeightColumn(train, train.weights) : train, chunkRows, run);
    const kernel = train.weights ? EM_STATS_WEIGHTED_KERNEL : EM_STATS_KERNEL;
    session = opened;
    return {
      compute: async (params) => {
        const prepared = prepareParams(params);
        const results = await opened.map(kernel, prepared);
        const chunks = Array.from({ length: results.count }, (_, c) =>
          readStats(params.covarianceType, params.k, params.dims, results.chunk(c), 0, prepared.shift),
        );
        return mergeStats(chunks);
      },
      close: () => opened.close(),
    };
  };
  try {
    const model = await fitGmmWith(data, withProgress(options, run.onProgress), createRunner, run.signal);
    return { model: model.toJSON(), run: session!.info() };
  } catch (error) {
    throw runError(error, run.signal);
  }
}

/** The rows with their sample weight appended as one more column (what 'gmm.em-stats-weighted' reads). */
function withWeightColumn(train: DataMatrix, weights: Float64Array): DataMatrix {
  const { rows, cols: d } = train;
  const out = new Float64Array(rows * (d + 1));
  for (let i = 0; i < rows; i++) {
    out.set(train.data.subarray(i * d, (i + 1) * d), i * (d + 1));
    out[i * (d + 1) + d] = weights[i];
  }
  return { data: out, rows, cols: d + 1 };
}

/** Labels, posterior probabilities and log density of every row, mapped over chunks on `engine`. */
export async function predictOnEngine(engine: ExecutionEngine, model: GmmModelJson, data: DataMatrix, run: EngineRunOptions): Promise<PredictOutcome> {
  const { k } = GaussianMixture.fromJSON(model); // a bad model fails here, before any worker starts
  const session = await engine.open(data, DEFAULT_CHUNK_ROWS, run);
  try {
    const results = await session.map(PREDICT_KERNEL, model);
    const labels = new Int32Array(data.rows);
    const probabilities = new Float64Array(data.rows * k);
    const logDensity = new Float64Array(data.rows);
    session.chunks.forEach(([start, end], c) => {
      const part = results.chunk(c);
      const rows = end - start;
      for (let i = 0; i < rows; i++) labels[start + i] = part[i];
      logDensity.set(part.subarray(rows, 2 * rows), start);
      probabilities.set(part.subarray(2 * rows), start * k);
    });
    return { labels, probabilities, logDensity, run: session.info() };
  } catch (error) {
    throw runError(error, run.signal);
  } finally {
    await session.close();
  }
}
