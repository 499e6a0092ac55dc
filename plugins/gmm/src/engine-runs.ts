/**
 * GMM fitting and prediction on any execution engine: the EM driver (libs/gmm's fitGmmWith) asks the engine to
 * map the 'gmm.em-stats' kernel over the training rows' chunks each iteration, then merges the chunks' statistics
 * in chunk order; prediction maps 'gmm.predict'. Same data and options give the same model bits whatever the
 * engine and the number of workers. The drivers (starts, M-steps, a model's preparation) run on a driver thread
 * of the executor (runDriver), never on the caller's event loop; a cancel stops them at once.
 */
import {
  runDriver,
  RunCancelledError,
  toSharedRows,
  type DriverContext,
  type EngineRunInfo,
  type EngineRunOptions,
  type ExecutionEngine,
  type MatrixSession,
} from '@mixflow/executor';
import {
  DEFAULT_CHUNK_ROWS,
  fitGmmWith,
  GaussianMixture,
  GmmInputError,
  isSampledRows,
  mergeStats,
  prepareParams,
  type DataMatrix,
  type GmmFitOptions,
  type GmmModelJson,
  type IterationInfo,
  type StartInfo,
  type SampledRows,
  type StatsRunner,
} from '@mixflow/gmm';
import { isEncodedModel, type EncodedModel, type ModelPayload } from '@mixflow/component-sdk';
import { EM_STATS_KERNEL, EM_STATS_WEIGHTED_KERNEL, PREDICT_KERNEL, readStats } from './em-kernels';
import type { FeatureChoice } from './params';
import { encodeGmm, gmmHeadOf, gmmModelJson, type GmmModelHead } from './payload';
import { withFeatureProvenance } from './shared';

export interface FitProgress {
  trial: number;
  iteration: number;
  maxIter: number;
  meanLogLikelihood: number;
  seconds: number;
}

/** A trial's start moving (k-means++ centers, k-means iterations, refined's samplings), before its first iteration. */
export type StartProgress = StartInfo;

/** Least time between two start events a driver sends (a start's steps can be a few milliseconds apart). */
const START_EVENT_MS = 100;

export interface FitOutcome {
  model: GmmModelJson;
  run: EngineRunInfo;
}

/**
 * A fit whose model was finished and encoded on the driver thread: the caller's thread gets the model's JSON on
 * shared memory (nothing to copy, walk or stringify there) and its head to report from.
 */
export interface EncodedFitOutcome {
  head: GmmModelHead;
  model: EncodedModel;
  run: EngineRunInfo;
}

/** What GMM Training adds to the fitted model (plain data, applied where the model is): the columns it read, the imputation means, training details. */
export interface TrainedModelFinish {
  choice: FeatureChoice;
  imputeMeans?: number[];
  training?: Partial<Pick<NonNullable<GmmModelJson['training']>, 'weightCol' | 'dataMode'>>;
}

export function finishTrainedModel(model: GmmModelJson, finish: TrainedModelFinish): GmmModelJson {
  const out = withFeatureProvenance(model, finish.choice);
  if (finish.imputeMeans) out.imputeMeans = finish.imputeMeans;
  if (out.training && finish.training) out.training = { ...out.training, ...finish.training };
  return out;
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

/** The rows (and sample weights) as a driver thread takes them: on shared memory, where they are or copied there once. */
interface SharedMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
  weights?: Float64Array;
}

function onSharedMemory(values: Float64Array): Float64Array {
  const { buffer, offset } = toSharedRows(values);
  return new Float64Array(buffer, offset * 8, values.length);
}

function shared(m: DataMatrix): SharedMatrix {
  const data = onSharedMemory(m.data.subarray(0, m.rows * m.cols));
  return { data, rows: m.rows, cols: m.cols, ...(m.weights ? { weights: onSharedMemory(m.weights) } : {}) };
}

function matrixOf(m: SharedMatrix): DataMatrix {
  return { data: m.data, rows: m.rows, cols: m.cols, ...(m.weights ? { weights: m.weights } : {}) };
}

/**
 * Training rows in a row file (libs/executor's RowFile: rows × cols float64, row-major), read by the engine every
 * E-step; the start runs on `sample`, a seeded sample of them. What training streams when the rows do not fit the
 * run's memory.
 */
export interface StreamedRows extends SampledRows {
  file: string;
}

function isStreamed(data: DataMatrix | StreamedRows): data is StreamedRows {
  return typeof (data as StreamedRows).file === 'string';
}

/** The engine settings a driver thread passes to the sessions it opens (the rest of the run stays with the caller). */
type SessionSettings = Pick<EngineRunOptions, 'numWorkers' | 'memoryPerWorkerMb'>;

/**
 * Fits on `engine`: the driver (starts, M-steps) on a driver thread, every E-step as a map over the training rows'
 * chunks. `options.onIteration` and `run.onProgress` are called here, once per iteration; `options.onStart` and
 * `run.onStart` as each trial's start moves (at most every 100 ms, and at each phase's first and last step).
 */
export function fitOnEngine(engine: ExecutionEngine, data: DataMatrix | StreamedRows, options: GmmFitOptions, run: FitRunOptions): Promise<FitOutcome> {
  return runFit<FitOutcome>(engine, data, options, run);
}

/**
 * fitOnEngine whose model is finished (`finish`) and encoded on the driver thread: what a model that is stored
 * takes (a 2,000-dimension full model's nested arrays took seconds to cross to the caller's thread and more to
 * stringify there). `initialModel` may come encoded too (`initial`): it is parsed on the driver thread.
 */
export function fitEncodedOnEngine(
  engine: ExecutionEngine,
  data: DataMatrix | StreamedRows,
  options: GmmFitOptions,
  run: FitRunOptions,
  finish: TrainedModelFinish,
  initial?: ModelPayload,
): Promise<EncodedFitOutcome> {
  return runFit<EncodedFitOutcome>(engine, data, options, run, { finish, ...(initial ? { initial } : {}) });
}

type FitRunOptions = EngineRunOptions & { onProgress?: (event: FitProgress) => void; onStart?: (event: StartProgress) => void };

async function runFit<O>(
  engine: ExecutionEngine,
  data: DataMatrix | StreamedRows,
  options: GmmFitOptions,
  run: FitRunOptions,
  encoding: Pick<FitDriverInput, 'finish' | 'initial'> = {},
): Promise<O> {
  const { onIteration, onStart, ...cloneable } = options;
  const maxIter = options.maxIter ?? 100;
  const settings: SessionSettings = { numWorkers: run.numWorkers, memoryPerWorkerMb: run.memoryPerWorkerMb };
  try {
    return await runDriver<O>({
      module: __filename,
      name: fitDriver.name,
      input: (isStreamed(data)
        ? { data: shared(data.sample), file: data.file, rows: data.rows, options: cloneable, settings, ...encoding }
        : { data: shared(data), options: cloneable, settings, ...encoding }) satisfies FitDriverInput,
      engine,
      run,
      onEvent: (event) => {
        if (isStartEvent(event)) {
          onStart?.(event);
          run.onStart?.(event);
          return;
        }
        const info = event as IterationInfo;
        onIteration?.(info);
        run.onProgress?.({ trial: info.trial, iteration: info.iteration, maxIter, meanLogLikelihood: info.meanLogLikelihood, seconds: info.seconds });
      },
    });
  } catch (error) {
    throw runError(error, run.signal);
  }
}

interface FitDriverInput {
  /** the rows; with `file`, the start's sample of the rows in that row file */
  data: SharedMatrix;
  file?: string;
  /** with `file`: how many rows it holds */
  rows?: number;
  options: GmmFitOptions;
  settings: SessionSettings;
  /** finish and encode the model (fitEncodedOnEngine) */
  finish?: TrainedModelFinish;
  /** the initial model as it came on a port (maybe encoded), parsed here into options.initialModel */
  initial?: ModelPayload;
}

/** fitOnEngine's driver, on a driver thread: fitGmmWith with every E-step mapped on the engine; iterations as events. */
export async function fitDriver(input: FitDriverInput, ctx: DriverContext): Promise<FitOutcome | EncodedFitOutcome> {
  let session: MatrixSession | undefined;
  const createRunner = async (train: DataMatrix | SampledRows, chunkRows: number): Promise<StatsRunner> => {
    const weights = isSampledRows(train) ? undefined : train.weights;
    // streamed rows stay in their row file: the engine reads its chunks every map
    const source = isSampledRows(train) ? { file: input.file!, rows: train.rows, cols: train.cols } : weights ? withWeightColumn(train, weights) : train;
    const opened = await ctx.engine.open(source, chunkRows, input.settings);
    const kernel = weights ? EM_STATS_WEIGHTED_KERNEL : EM_STATS_KERNEL;
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
  let lastStart = 0;
  let lastPhase = '';
  const onStart = (info: StartInfo): void => {
    const now = Date.now();
    // the first and last step of each phase always, the others at most every START_EVENT_MS
    if (info.phase === lastPhase && info.step !== 1 && info.step !== info.steps && now - lastStart < START_EVENT_MS) return;
    lastStart = now;
    lastPhase = info.phase;
    ctx.emit(info);
  };
  const data: DataMatrix | SampledRows =
    input.file !== undefined ? { rows: input.rows!, cols: input.data.cols, sample: matrixOf(input.data) } : matrixOf(input.data);
  const initialModel = input.initial ? { initialModel: gmmModelJson(input.initial) } : {};
  const model = await fitGmmWith(data, { ...input.options, ...initialModel, onIteration: (info) => ctx.emit(info), onStart }, createRunner);
  if (!input.finish) return { model: model.toJSON(), run: session!.info() };
  const finished = finishTrainedModel(model.toJSON(), input.finish);
  const { modelType: _type, ...head } = gmmHeadOf(finished);
  return { head, model: encodeGmm(finished), run: session!.info() };
}

function isStartEvent(event: unknown): event is StartProgress {
  return typeof event === 'object' && event !== null && 'phase' in event;
}

/** The rows with their sample weight appended as one more column (what 'gmm.em-stats-weighted' reads). */
function withWeightColumn(train: DataMatrix, weights: Float64Array): DataMatrix {
  const { rows, cols: d } = train;
  // on shared memory from the start, so handing it to the engine does not copy it again
  const out = new Float64Array(new SharedArrayBuffer(rows * (d + 1) * Float64Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < rows; i++) {
    out.set(train.data.subarray(i * d, (i + 1) * d), i * (d + 1));
    out[i * (d + 1) + d] = weights[i];
  }
  return { data: out, rows, cols: d + 1 };
}

/** Rows per session of a prediction given `onRows`: the node's progress (and the CLI's bar) moves once per batch. */
export const PREDICT_BATCH_ROWS = 100_000;

/**
 * Labels, posterior probabilities and log density of every row, mapped over chunks on `engine` by one driver job
 * (the model is read and checked once, on its thread: a port's model goes as it came, an encoded one parsed there). With `onRows` the rows go in batches of `batchRows`, a
 * session each, and `onRows(done, total)` follows every batch; every row's results are its own, so the batches
 * change nothing but when the progress moves.
 */
export async function predictOnEngine(
  engine: ExecutionEngine,
  model: GmmModelJson | ModelPayload,
  data: DataMatrix,
  run: EngineRunOptions,
  onRows?: (done: number, total: number) => void,
  batchRows = PREDICT_BATCH_ROWS,
): Promise<PredictOutcome> {
  const settings: SessionSettings = { numWorkers: run.numWorkers, memoryPerWorkerMb: run.memoryPerWorkerMb };
  try {
    return await runDriver<PredictOutcome>({
      module: __filename,
      name: predictDriver.name,
      input: { model, data: shared(data), settings, batchRows: onRows ? batchRows : data.rows } satisfies PredictDriverInput,
      engine,
      run,
      onEvent: (done) => onRows?.(done as number, data.rows),
    });
  } catch (error) {
    throw runError(error, run.signal);
  }
}

interface PredictDriverInput {
  /** the model file, or a GMM payload as it came on a port (an encoded one is parsed on the driver thread) */
  model: GmmModelJson | ModelPayload;
  data: SharedMatrix;
  settings: SessionSettings;
  /** rows per session; the rows done are an event after each */
  batchRows: number;
}

/** predictOnEngine's driver, on a driver thread: a session per batch of rows; the results come back moved, not copied. */
export async function predictDriver(input: PredictDriverInput, ctx: DriverContext): Promise<PredictOutcome> {
  const { settings } = input;
  const model = gmmModelJson(input.model);
  const data = matrixOf(input.data);
  const { k } = GaussianMixture.fromJSON(model); // a bad model fails here, before any worker starts
  // the local engine's sessions are served by the caller's thread (the API's): the model goes to its workers
  // encoded on shared memory, not as nested arrays to copy there and again to each worker
  const params = ctx.engine.kind === 'local' ? (isEncodedModel(input.model as ModelPayload) ? (input.model as EncodedModel) : encodeGmm(model)) : model;
  const labels = new Int32Array(data.rows);
  const probabilities = new Float64Array(data.rows * k);
  const logDensity = new Float64Array(data.rows);
  const batchRows = Math.max(1, input.batchRows);
  let info: EngineRunInfo | undefined;
  let seconds = 0;
  let first = 0;
  // at least one session, so no rows at all run (and report) as before
  do {
    const last = Math.min(data.rows, first + batchRows);
    const batch = { data: data.data.subarray(first * data.cols, last * data.cols), rows: last - first, cols: data.cols };
    const session = await ctx.engine.open(batch, DEFAULT_CHUNK_ROWS, settings);
    try {
      const results = await session.map(PREDICT_KERNEL, params);
      session.chunks.forEach(([start, end], c) => {
        const part = results.chunk(c);
        const rows = end - start;
        for (let i = 0; i < rows; i++) labels[first + start + i] = part[i];
        logDensity.set(part.subarray(rows, 2 * rows), first + start);
        probabilities.set(part.subarray(2 * rows), (first + start) * k);
      });
    } finally {
      await session.close();
    }
    const used = session.info();
    seconds += used.seconds;
    const peak = Math.max(info?.peakMemoryMbPerWorker ?? 0, used.peakMemoryMbPerWorker ?? 0);
    info = { ...used, ...(peak > 0 ? { peakMemoryMbPerWorker: peak } : {}) };
    ctx.emit(last);
    first = last;
  } while (first < data.rows);
  return { labels, probabilities, logDensity, run: { ...info!, seconds } };
}
