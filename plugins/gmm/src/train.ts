import {
  ComponentError,
  engineRunOptions,
  tableInput,
  type ComponentDefinition,
  type ConfigureResult,
  type ExecuteResult,
  type ExecutionContext,
  type InputStats,
  type ModelPayload,
  type Params,
  type PortValue,
  modelInput,
} from '@mixflow/component-sdk';
import { availableParallelism } from 'node:os';
import { chunkRowsFor, describePositiveConstraint, resolveFitOptions, startWorkOf, trialCount, type GmmFitOptions, type StartInfo } from '@mixflow/gmm';
import { estimateTraining, estimateTrainingTime, type ResourceEstimate, type TimeEstimate } from '@mixflow/resource-estimator';
import { EXECUTION_PARAMS, featureChoice, type FeatureChoice, featureParams, fitOptionsFrom, givenStart, missingValuesParam, TRAINING_PARAMS, WEIGHT_COL_PARAM } from './params';
import { asComponentError, checkFeatures, checkWeightCol, tableOn, weightColOf } from './shared';
import { READ_SHARE, trainingData, type TrainingData } from './training-data';
import { TRAINING_VIEWS, trainingViewData } from './views';
import { fitEncodedOnEngine } from './engine-runs';
import { gmmPortModel } from './payload';

function trainingEstimate(params: Params, input: InputStats | undefined): ResourceEstimate {
  if (!input?.dims) {
    throw new ComponentError('the estimate needs the vector dimension: connect a table whose vector column has a known size, or choose Feature columns', {
      port: 0,
    });
  }
  const estimate = estimateTraining({
    dims: input.dims,
    k: params.k as number,
    ...(input.bytes !== undefined ? { dataBytes: input.bytes } : {}),
    ...(input.rows !== undefined ? { rows: input.rows } : {}),
    numWorkers: params.numWorkers as number,
    memoryPerWorkerMb: params.memoryPerWorkerMb as number,
  });
  // without a configured Number of Workers (the command line's estimate), the recommended count
  const workers = typeof params.numWorkers === 'number' ? params.numWorkers : estimate.recommendedWorkers;
  if (input.rows) estimate.time = trainingTime(fitOptionsFrom(params), input.rows, input.dims, workers, 'local');
  return estimate;
}

/**
 * Seconds per EM iteration and per run, from the flops and this machine's calibrated rate (calibrated once per
 * process, a few tens of milliseconds). The local engine runs at most one thread per core; other engines' workers
 * are other processes, each with a core of its own.
 */
/** `warm`: training starts from an initial model (given apart from `options`): no start, one trial. */
function trainingTime(options: GmmFitOptions, rows: number, dims: number, numWorkers: number, engine: string, warm = false): TimeEstimate {
  const o = resolveFitOptions(options);
  const workers = engine === 'local' ? Math.min(numWorkers, availableParallelism()) : numWorkers;
  return estimateTrainingTime({
    rows,
    dims,
    k: o.k,
    covarianceType: o.covarianceType,
    workers,
    maxIter: o.maxIter,
    trials: warm ? 1 : trialCount(o),
    chunkRows: o.chunkRows,
    start: warm ? { ...startWorkOf(o), fixed: true } : startWorkOf(o),
  });
}

/** Mean seconds between successive iterations of the same trial (the first iteration of each also holds its start). */
function meanIterationSeconds(stamps: ReadonlyArray<{ trial: number; seconds: number }>): number | undefined {
  let total = 0;
  let gaps = 0;
  for (let i = 1; i < stamps.length; i++) {
    if (stamps[i].trial !== stamps[i - 1].trial) continue;
    total += stamps[i].seconds - stamps[i - 1].seconds;
    gaps++;
  }
  return gaps ? total / gaps : undefined;
}

/**
 * Where a start's step puts it within the start, 0..1: k-means is seeding (k-means++, its first 30 %) then Lloyd's
 * iterations of at most kmeansMaxIter; refined is its samplings (half) then Lloyd on all rows. Lloyd usually stops
 * well before its limit, so the start's share of the bar ends with a step to EM.
 */
function startFraction(e: StartInfo): number {
  const within = Math.min(1, e.step / Math.max(1, e.steps));
  if (e.phase === 'seeding') return 0.3 * within;
  if (e.phase === 'sampling') return 0.5 * within;
  return 0.5 + 0.5 * within;
}

/** How a start's step reads in the node's message and the CLI's bar. */
export function describeStart(e: StartInfo): string {
  if (e.phase === 'seeding') return `k-means++ seeding, center ${e.step} of ${e.steps}`;
  if (e.phase === 'sampling') return `refined start, sampling ${e.step} of ${e.steps}`;
  return `k-means iteration ${e.step} (at most ${e.steps})`;
}

/** Share of each trial's bar its start takes, for the starts that report steps (k-means, k-means++, refined). */
const START_SHARE = 0.1;

/** GMM Training (Alink GmmTrainBatchOp): a table in, a Gaussian mixture model out. */
export const gmmTrain: ComponentDefinition = {
  description: {
    id: 'gmm-train',
    displayName: 'GMM Training',
    category: 'Clustering',
    version: 1,
    description: 'Fits a Gaussian mixture model of k Gaussians to the rows of a table with the EM algorithm.',
    icon: 'gmm-train',
    inputs: [
      // a stored dataset is read from its Parquet a batch at a time (training-data.ts), never loaded as a table first
      { name: 'data', label: 'Training data', type: 'table', readsStoredRows: true },
      { name: 'initialModel', label: 'Initial model (optional)', type: 'model', optional: true },
    ],
    outputs: [{ name: 'model', label: 'GMM model', type: 'model' }],
    parameters: [...featureParams(0, 'train'), WEIGHT_COL_PARAM, ...TRAINING_PARAMS, missingValuesParam('train'), ...EXECUTION_PARAMS],
    views: TRAINING_VIEWS,
  },

  viewData: trainingViewData,

  configure(params, inputs): ConfigureResult {
    const choice = featureChoice(params);
    const schema = tableInput(inputs, 0);
    if (!schema) return { outputs: [undefined], errors: [] };
    const { dims, errors } = checkFeatures(schema, choice, 0);
    errors.push(...checkWeightCol(schema, weightColOf(params), 0));
    const initial = modelInput(inputs, 1);
    if (initial) {
      const mismatch = initialModelMismatch(params, initial as { k?: number; dims?: number; covarianceType?: string }, dims);
      if (mismatch) errors.push({ port: 1, message: mismatch });
    }
    try {
      givenStart(params);
    } catch (err) {
      if (!(err instanceof ComponentError)) throw err;
      errors.push({ parameter: err.details.parameter, message: err.message });
    }
    if (errors.length) return { outputs: [undefined], errors };
    const rowCount = inputs[0]?.type === 'table' ? inputs[0].rowCount : undefined;
    if (typeof params.k === 'number' && rowCount !== undefined && params.k > rowCount) {
      // known before running when the input's row count is (a stored dataset): the API refuses the run with a 400
      errors.push({ parameter: 'k', message: `Number of clusters (${params.k}) is larger than the number of rows (${rowCount}); lower it or add data` });
      return { outputs: [undefined], errors };
    }
    return {
      outputs: [
        {
          type: 'model',
          modelType: 'gmm',
          ...(dims !== undefined ? { dims } : {}),
          ...(typeof params.k === 'number' ? { k: params.k } : {}),
          ...choice,
        },
      ],
      errors,
    };
  },

  estimate(params, inputs) {
    return trainingEstimate(params, inputs[0]);
  },

  execute: (ctx) => executeTraining(ctx, {}),
};

/**
 * Why an initial model cannot start this training (k, covariance type, dimension), or undefined. The message says
 * what differs and what to do.
 */
function initialModelMismatch(params: Params, model: { k?: number; dims?: number; covarianceType?: string }, dims: number | undefined): string | undefined {
  if (model.k !== undefined && model.k !== params.k) return `the initial model has ${model.k} clusters but Number of clusters is ${String(params.k)}; set Number of clusters to ${model.k} or connect a model with ${String(params.k)} clusters`;
  if (model.covarianceType !== undefined && model.covarianceType !== params.covarianceType) {
    return `the initial model's covariance type is ${model.covarianceType} but Covariance type is ${String(params.covarianceType)}; set Covariance type to ${model.covarianceType}`;
  }
  if (model.dims !== undefined && dims !== undefined && model.dims !== dims) return `the initial model has ${model.dims} dimensions but the features have ${dims}; choose the columns it was trained on`;
  if (params.init !== 'kmeans') return `Start does not apply with an initial model (training starts from it); leave Start at its default`;
  if (typeof params.trials === 'number' && params.trials > 1) return 'Trials does not apply with an initial model: every trial would start from it; set Trials to 1';
  return undefined;
}

/**
 * The warm start on port 1, when connected, after checking it fits: the model as it came (an encoded one is parsed
 * on the driver thread, not here).
 */
function warmStart(ctx: ExecutionContext, dims: number): ModelPayload | undefined {
  const v = ctx.inputs[1] as PortValue | undefined;
  if (!v) return undefined;
  if (v.type !== 'model') throw new ComponentError('input port 1 takes a GMM model (the initial model)', { nodeId: ctx.nodeId, port: 1 });
  const { head, model } = gmmPortModel(v.model, ctx.nodeId, 1);
  const mismatch = initialModelMismatch(ctx.params, head, dims);
  if (mismatch) throw new ComponentError(mismatch, { nodeId: ctx.nodeId, port: 1 });
  ctx.log('info', `starting from the initial model on port 1 (k = ${head.k}, ${head.covarianceType})`);
  return model;
}

/**
 * GMM Training whose fits also take `extra` options the description does not show (the command line's
 * mlpack options, a warm start's initial model).
 */
export function gmmTrainWith(extra: Partial<GmmFitOptions>): ComponentDefinition {
  return { ...gmmTrain, execute: (ctx) => executeTraining(ctx, extra) };
}

async function executeTraining(ctx: ExecutionContext, extra: Partial<GmmFitOptions>): Promise<ExecuteResult> {
  const choice = featureChoice(ctx.params);
  const table = tableOn(ctx, 0);
  ctx.progress(0, `reading the features of ${table.rowCount.toLocaleString('en-US')} rows`);
  const weightCol = weightColOf(ctx.params);
  let fitOptions: GmmFitOptions;
  try {
    fitOptions = fitOptionsFrom(ctx.params);
  } catch (err) {
    throw err instanceof ComponentError ? new ComponentError(err.message, { ...err.details, nodeId: ctx.nodeId }) : err;
  }
  const held = await trainingData(ctx, table, choice, weightCol, fitOptions.randomSeed ?? 0);
  try {
    return await trainOn(ctx, extra, held, fitOptions, choice, weightCol);
  } finally {
    held.release();
  }
}

/** Fits on the rows as `held` (in memory or streamed) and reports the run: log lines, metrics, the model. */
async function trainOn(
  ctx: ExecutionContext,
  extra: Partial<GmmFitOptions>,
  held: TrainingData,
  fitOptions: GmmFitOptions,
  choice: FeatureChoice,
  weightCol: string | undefined,
): Promise<ExecuteResult> {
  const { X, imputeMeans } = held;
  let options: GmmFitOptions;
  let initial: ModelPayload | undefined;
  try {
    initial = warmStart(ctx, X.cols);
    // training starts from the initial model: no start method
    options = { ...fitOptions, ...(initial ? { init: undefined } : {}), ...extra };
  } catch (err) {
    throw err instanceof ComponentError ? new ComponentError(err.message, { ...err.details, nodeId: ctx.nodeId }) : err;
  }
  const maxIter = options.maxIter ?? 100;
  const estimate = estimateTraining({
    dims: X.cols,
    k: options.k,
    rows: X.rows,
    numWorkers: ctx.params.numWorkers as number,
    memoryPerWorkerMb: ctx.params.memoryPerWorkerMb as number,
  });
  let trials: number;
  let startShare: number;
  let chunkRows: number;
  try {
    estimate.time = trainingTime(options, X.rows, X.cols, ctx.params.numWorkers as number, ctx.engine.kind, initial !== undefined);
    const resolved = resolveFitOptions(options);
    // a warm start runs once (a Trials above 1 was refused with it)
    trials = initial ? 1 : trialCount(resolved);
    chunkRows = chunkRowsFor(resolved, X.rows, X.cols);
    // a warm start or a fixed start (weights, means and precisions given) has no steps to report
    const fixed = initial || resolved.initialModel || (resolved.given?.weights && resolved.given.means && resolved.given.covariances);
    startShare = !fixed && ['kmeans', 'k-means++', 'refined'].includes(resolved.init) ? START_SHARE : 0;
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, 0);
  }
  // after the reading (when this node read the stored rows itself), trials (0-based) run one after another: each
  // its start, then up to maxIter iterations
  const readShare = held.readStored ? READ_SHARE : 0;
  const fractionOf = (trial: number, withinTrial: number) =>
    Math.min(0.99, readShare + ((1 - readShare) * (Math.max(0, Math.min(trials - 1, trial)) + withinTrial)) / trials);
  for (const w of estimate.warnings) ctx.log('warn', w.message);
  const chunks = Math.ceil(X.rows / chunkRows);
  ctx.log(
    'info',
    `training ${options.k} Gaussians on ${X.rows} rows × ${X.cols} dimensions, E-step in ${chunks} chunk${chunks === 1 ? '' : 's'} of ` +
      `up to ${Math.min(chunkRows, X.rows)} rows (set by the rows, k and the dimension, the same on any number of workers)`,
  );
  ctx.progress(readShare, `starting: ${options.k} Gaussians on ${X.rows.toLocaleString('en-US')} rows`);

  let lastTrial = -1;
  let lastLogLikelihood: number | undefined;
  const stamps: Array<{ trial: number; seconds: number }> = [];
  let outcome;
  try {
    outcome = await fitEncodedOnEngine(
      ctx.engine,
      X,
      options,
      {
        ...engineRunOptions(ctx),
        onStart: (e) => {
          ctx.progress(fractionOf(e.trial, startShare * startFraction(e)), `trial ${e.trial + 1} start: ${describeStart(e)}`);
          ctx.metric('start', e);
        },
        onProgress: (e) => {
          ctx.progress(fractionOf(e.trial, startShare + (1 - startShare) * (e.iteration / maxIter)), `trial ${e.trial + 1}, iteration ${e.iteration}: mean log-likelihood ${e.meanLogLikelihood.toFixed(6)}`);
          if (e.trial !== lastTrial) {
            if (trials > 1) ctx.log('info', `trial ${e.trial + 1} of ${trials}`);
            lastTrial = e.trial;
            lastLogLikelihood = undefined;
          }
          const change = lastLogLikelihood === undefined ? '' : ` (change ${formatChange(e.meanLogLikelihood - lastLogLikelihood)})`;
          ctx.log('info', `iteration ${e.iteration}: mean log-likelihood ${e.meanLogLikelihood.toPrecision(8)}${change}, ${e.seconds.toFixed(2)} s`);
          lastLogLikelihood = e.meanLogLikelihood;
          stamps.push({ trial: e.trial, seconds: e.seconds });
          ctx.metric('iteration', { trial: e.trial, iteration: e.iteration, meanLogLikelihood: e.meanLogLikelihood, seconds: e.seconds });
        },
      },
      // provenance, imputation means and how the rows were read are added on the driver thread, which encodes the model
      { choice, ...(imputeMeans ? { imputeMeans } : {}), training: { ...(weightCol ? { weightCol } : {}), dataMode: held.mode } },
      initial,
    );
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, 0);
  }

  const model = outcome.head;
  const t = model.training;
  if (t) {
    // the check GMM Model Selection applies to its candidates: a collapsed component's likelihood is spurious
    if (t.degenerate) {
      ctx.metric('degenerate', t.degenerate);
      ctx.log('warn', `the fit is degenerate, its likelihood and BIC are spurious: ${t.degenerate}. Lower k, try another covariance type or seed, or use GMM Model Selection`);
    }
    ctx.metric('logLikelihoodHistory', t.logLikelihoodHistory);
    ctx.metric('iterations', t.iterations);
    ctx.metric('converged', t.converged);
    ctx.metric('meanLogLikelihood', t.meanLogLikelihood);
    ctx.metric('bic', t.bic);
    ctx.metric('aic', t.aic);
    if (t.positiveConstraint) {
      ctx.metric('positiveConstraint', t.positiveConstraint);
      ctx.log('warn', describePositiveConstraint(t.positiveConstraint, model.covarianceType, t.iterations));
    }
    if (!t.converged) ctx.log('warn', `EM did not converge within maxIter = ${maxIter} iterations; raise maxIter or epsilon`);
    ctx.log(
      'info',
      `${t.converged ? 'converged' : 'stopped'} after ${t.iterations} iterations${trials > 1 ? ` (best of ${trials} trials)` : ''}: ` +
        `mean log-likelihood ${t.meanLogLikelihood.toPrecision(8)}, BIC ${t.bic.toPrecision(8)}; ` +
        `${outcome.run.seconds.toFixed(2)} s on the ${outcome.run.engine} engine with ${outcome.run.workersUsed} worker${outcome.run.workersUsed === 1 ? '' : 's'}`,
    );
  }
  ctx.metric('seconds', outcome.run.seconds);
  ctx.metric('engine', outcome.run.engine);
  ctx.metric('workersUsed', outcome.run.workersUsed);
  if (outcome.run.peakMemoryMbPerWorker !== undefined) ctx.metric('peakMemoryMbPerWorker', outcome.run.peakMemoryMbPerWorker);
  ctx.metric('estimate', estimate);
  const predicted = estimate.time.secondsPerIteration;
  const measured = meanIterationSeconds(stamps);
  const trialsRun = new Set(stamps.map((e) => e.trial)).size;
  ctx.metric('time', {
    predictedSecondsPerIteration: predicted,
    measuredSecondsPerIteration: measured ?? null,
    // per trial its start, then every iteration run and one scoring pass
    predictedSeconds: trialsRun * estimate.time.startSeconds + predicted * (stamps.length + trialsRun),
    predictedStartSeconds: estimate.time.startSeconds,
    measuredSeconds: outcome.run.seconds,
    rateGflops: estimate.time.rate.gflops,
  });
  ctx.log(
    'info',
    `time: predicted ${predicted.toPrecision(3)} s per iteration (${estimate.time.detail}), measured ` +
      (measured === undefined ? 'no full iteration' : `${measured.toPrecision(3)} s`),
  );
  ctx.progress(1, 'trained');
  return { outputs: [{ type: 'model', model: outcome.model }] };
}

/** A log-likelihood change with its sign, to 2 significant digits (EM's steps shrink by orders of magnitude). */
function formatChange(d: number): string {
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toPrecision(2)}`;
}
