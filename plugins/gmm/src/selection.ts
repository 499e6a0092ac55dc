/**
 * GMM Model Selection: fits every (k, covariance type) of a grid on the same rows and outputs the model with the
 * lowest BIC (or AIC), as R's mclust chooses with Mclust(); port 1 is the table of all candidates.
 *
 * Candidates are independent fits: up to Number of Workers of them run at once, each on one worker of the engine
 * over the one shared copy of the rows. Each candidate is the same deterministic fit whoever runs it, and the best is
 * chosen from the table in grid order, so the answer does not depend on the number of workers.
 */
import { availableParallelism } from 'node:os';
import {
  ComponentError,
  engineRunOptions,
  inLabels,
  tableInput,
  type ComponentDefinition,
  type ConfigureResult,
  type EncodedModel,
  type ExecutionContext,
  type ExecuteResult,
  type FieldError,
  type InputStats,
  type ParameterDescription,
  type Params,
  type PortSchema,
  type ViewDescription,
} from '@mixflow/component-sdk';
import { RunCancelledError } from '@mixflow/executor';
import {
  COVARIANCE_TYPES,
  GmmInputError,
  SELECTION_CRITERIA,
  candidateFromModel,
  chooseBest,
  failedCandidate,
  resolveFitOptions,
  startWorkOf,
  resolveSelectionOptions,
  selectionGrid,
  selectionSummary,
  type CandidateResult,
  type CovarianceType,
  type DataMatrix,
  type GmmModelJson,
  type ResolvedSelectionOptions,
  type SelectionOptions,
} from '@mixflow/gmm';
import { estimateTraining, estimateTrainingTime, type ResourceEstimate, type TimeEstimate } from '@mixflow/resource-estimator';
import { tableFromColumns, type Table, type TableSchema } from '@mixflow/table';
import { fitEncodedOnEngine } from './engine-runs';
import { GMM_MODEL_TYPE, gmmModelJson, type GmmModelHead } from './payload';
import { COVARIANCE_LABELS, EXECUTION_PARAMS, featureChoice, featureParams, fitOptionsFrom, missingValuesParam, TRAINING_PARAMS } from './params';
import { asComponentError, checkFeatures, featuresOf, tableOn, trainingRows } from './shared';
import { CANDIDATE_MODELS, TRAINING_SAMPLE, trainingViewData } from './views';

/** mclust's names of the four covariance models. */
const MCLUST_MODELS: Record<CovarianceType, string> = { full: 'VVV', tied: 'EEE', diag: 'VVI', spherical: 'VII' };

/** GMM Training's parameters that the grid chooses instead of the user. */
// and the given starts, whose shapes depend on k and the covariance type
const CHOSEN_BY_THE_GRID = new Set(['k', 'covarianceType', 'weightsInit', 'meansInit', 'precisionsInit']);

export const SELECTION_PARAMS: ParameterDescription[] = [
  { name: 'kMin', label: 'Smallest number of clusters', tab: 'parameter', type: 'int', default: 1, min: 1, help: 'The smallest number of Gaussians tried. Default 1.' },
  {
    name: 'kMax',
    label: 'Largest number of clusters',
    tab: 'parameter',
    type: 'int',
    default: 9,
    min: 1,
    help: "The largest number of Gaussians tried (mclust's G = 1..9 by default); at most the number of distinct rows. Default 9.",
  },
  {
    name: 'covarianceTypes',
    label: 'Covariance types',
    tab: 'parameter',
    type: 'enums',
    default: [...COVARIANCE_TYPES],
    options: COVARIANCE_TYPES.map((v) => ({ value: v, label: `${COVARIANCE_LABELS[v] ?? v} (mclust ${MCLUST_MODELS[v]})` })),
    help: "The covariance types tried, one or more of full, tied, diag, spherical (mclust's VVV, EEE, VVI, VII); in the CLI comma separated. Default all four.",
  },
  {
    name: 'criterion',
    label: 'Criterion',
    tab: 'parameter',
    type: 'enum',
    default: 'bic',
    options: SELECTION_CRITERIA.map((v) => ({ value: v, label: v === 'bic' ? 'BIC (lower is better)' : 'AIC (lower is better)' })),
    help: "What chooses the model: BIC = −2·log-likelihood + p·ln n, or AIC = −2·log-likelihood + 2p, with scikit-learn's sign (lower is better; mclust's BIC is the negative). Degenerate candidates, whose likelihood comes from a collapsed component, are never chosen.",
  },
];

/** The candidates table (output 1): one row per (k, covariance type), in grid order. */
export const CANDIDATES_SCHEMA: TableSchema = {
  columns: [
    { name: 'k', type: 'long' },
    { name: 'covarianceType', type: 'string' },
    { name: 'logLikelihood', type: 'double' },
    { name: 'meanLogLikelihood', type: 'double' },
    { name: 'bic', type: 'double' },
    { name: 'aic', type: 'double' },
    { name: 'parameters', type: 'long' },
    { name: 'iterations', type: 'long' },
    { name: 'converged', type: 'string' },
    { name: 'seconds', type: 'double' },
    { name: 'selected', type: 'string' },
    { name: 'degenerate', type: 'string' },
    { name: 'error', type: 'string' },
  ],
};

export const SELECTION_VIEWS: ViewDescription[] = [
  { id: 'criterion', kind: 'gmm.selection-chart', title: 'Criterion against k (lower is better)', source: { metrics: ['candidates', 'bestIndex', 'criterion'] } },
  { id: 'candidates', kind: 'table', title: 'Candidates', source: { output: 1 } },
  { id: 'scatter', kind: 'gmm.scatter', title: 'Clusters of the best model', source: { data: TRAINING_SAMPLE } },
  { id: 'model', kind: 'gmm.model-cards', title: 'Best model', source: { output: 0 } },
  { id: 'metrics', kind: 'metrics-table', title: 'Selection', source: { metrics: ['best', 'criterion', 'candidateCount', 'seconds', 'engine', 'workersUsed'] } },
];

/** The covarianceTypes parameter (an enums list; as CLI text, comma separated) as the engine's list; an error names it. */
export function parseCovarianceTypes(value: unknown): CovarianceType[] {
  const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
  if (list.length === 0) throw new GmmInputError(`Covariance types must list at least one of ${COVARIANCE_TYPES.join(', ')}`, { parameter: 'covarianceTypes' });
  for (const t of list) {
    if (!COVARIANCE_TYPES.includes(t as CovarianceType)) {
      throw new GmmInputError(`Covariance types must hold only ${COVARIANCE_TYPES.join(', ')}, got "${t}"`, { parameter: 'covarianceTypes' });
    }
  }
  return list as CovarianceType[];
}

/** The engine's selection options from resolved parameters. */
export function selectionOptionsFrom(params: Params): SelectionOptions {
  const { k: _k, covarianceType: _type, ...fit } = fitOptionsFrom(params);
  return {
    kMin: params.kMin as number,
    kMax: params.kMax as number,
    covarianceTypes: parseCovarianceTypes(params.covarianceTypes),
    criterion: params.criterion as SelectionOptions['criterion'],
    fit,
  };
}

function gridSize(params: Params): number | undefined {
  try {
    const o = resolveSelectionOptions(selectionOptionsFrom(params));
    return (o.kMax - o.kMin + 1) * o.covarianceTypes.length;
  } catch {
    return undefined;
  }
}

/**
 * The grid's time: every candidate's EM on one worker (at most maxIter iterations per trial, as GMM Training
 * estimates it), summed, over the candidates that run at once (local engine: at most one per core).
 */
function gridTime(o: ResolvedSelectionOptions, rows: number, dims: number, numWorkers: number, engine: string): TimeEstimate {
  const grid = selectionGrid(o);
  const lanes = Math.max(1, Math.min(grid.length, engine === 'local' ? Math.min(numWorkers, availableParallelism()) : numWorkers));
  const fit = resolveFitOptions({ ...o.fit, k: o.kMax });
  const times = grid.map((c) =>
    estimateTrainingTime({
      rows,
      dims,
      k: c.k,
      covarianceType: c.covarianceType,
      workers: 1,
      maxIter: fit.maxIter,
      trials: fit.trials,
      chunkRows: fit.chunkRows,
      start: startWorkOf(resolveFitOptions({ ...o.fit, k: c.k, covarianceType: c.covarianceType })),
    }),
  );
  const largest = times.reduce((a, b) => (b.flopsPerIteration > a.flopsPerIteration ? b : a));
  const total = times.reduce((sum, t) => sum + t.maxSeconds, 0);
  return {
    ...largest,
    maxSeconds: total / lanes,
    workers: lanes,
    detail: `${grid.length} candidates, each on one worker, ${lanes} at a time: at most ${total.toPrecision(3)} s of EM in all / ${lanes} ≈ ${(total / lanes).toPrecision(3)} s (largest candidate: ${largest.detail})`,
  };
}

/** The estimate of the whole grid: every candidate holds all rows in one worker; the largest is k = kMax. */
function selectionEstimate(params: Params, input: InputStats | undefined, engine = 'local'): ResourceEstimate {
  if (!input?.dims) {
    throw new ComponentError('the estimate needs the vector dimension: connect a table whose vector column has a known size, or choose Feature columns', {
      port: 0,
    });
  }
  const kMax = params.kMax as number;
  const estimate = estimateTraining({
    dims: input.dims,
    k: kMax,
    ...(input.bytes !== undefined ? { dataBytes: input.bytes } : {}),
    ...(input.rows !== undefined ? { rows: input.rows } : {}),
    numWorkers: 1,
    memoryPerWorkerMb: params.memoryPerWorkerMb as number,
  });
  const n = gridSize(params);
  const workers = params.numWorkers as number;
  const grid = n === undefined ? 'the grid' : `the grid of ${n} candidates (k = ${params.kMin}..${kMax} × ${parseCovarianceTypes(params.covarianceTypes).length} covariance types)`;
  const detail = `${grid} runs up to ${workers} candidate(s) at a time, each on all rows in one worker; the largest candidate (k = ${kMax}) sets the memory.`;
  const recommendedWorkers = n === undefined ? estimate.recommendedWorkers : Math.max(1, Math.min(n, 9999));
  let time: TimeEstimate | undefined;
  if (input.rows && n !== undefined) {
    time = gridTime(resolveSelectionOptions(selectionOptionsFrom(params)), input.rows, input.dims, typeof workers === 'number' ? workers : recommendedWorkers, engine);
  }
  return {
    ...estimate,
    recommendedWorkers,
    dataAwareDetail: estimate.dataAwareDetail ? `${estimate.dataAwareDetail} ${detail}` : detail,
    ...(time ? { time } : {}),
  };
}

function configureSelection(params: Params, inputs: (PortSchema | undefined)[]): ConfigureResult {
  const choice = featureChoice(params);
  const schema = tableInput(inputs, 0);
  const errors: FieldError[] = [];
  try {
    resolveSelectionOptions(selectionOptionsFrom(params));
  } catch (e) {
    if (!(e instanceof GmmInputError)) throw e;
    errors.push({ ...(e.details.parameter ? { parameter: e.details.parameter } : {}), message: inLabels(e.message, SELECTION_PARAMS, e.details.parameter) });
  }
  const rowCount = inputs[0]?.type === 'table' ? inputs[0].rowCount : undefined;
  if (typeof params.kMax === 'number' && rowCount !== undefined && params.kMax > rowCount) {
    errors.push({ parameter: 'kMax', message: `Largest number of clusters (${params.kMax}) is larger than the number of rows (${rowCount}); lower it or add data` });
  }
  const table: PortSchema = { type: 'table', schema: CANDIDATES_SCHEMA };
  if (!schema) return { outputs: [undefined, table], errors };
  const features = checkFeatures(schema, choice, 0);
  errors.push(...features.errors);
  if (errors.length) return { outputs: [undefined, table], errors };
  const model: PortSchema = { type: 'model', modelType: GMM_MODEL_TYPE, ...(features.dims !== undefined ? { dims: features.dims } : {}), ...choice };
  return { outputs: [model, table], errors };
}

/** The rows on shared memory, so that every candidate's session reads the one copy where it is. */
function onSharedMemory(X: DataMatrix): DataMatrix {
  const data = new Float64Array(new SharedArrayBuffer(X.data.byteLength));
  data.set(X.data);
  return { data, rows: X.rows, cols: X.cols };
}

/** The candidates as a table (NaN for the numbers of a failed fit). */
export function candidatesTable(candidates: readonly CandidateResult[], bestIndex: number): Table {
  const num = (pick: (c: CandidateResult) => number | null) => Float64Array.from(candidates, (c) => pick(c) ?? NaN);
  const str = (pick: (c: CandidateResult) => string) => candidates.map(pick);
  return tableFromColumns(CANDIDATES_SCHEMA, [
    num((c) => c.k),
    str((c) => c.covarianceType),
    num((c) => c.logLikelihood),
    num((c) => c.meanLogLikelihood),
    num((c) => c.bic),
    num((c) => c.aic),
    num((c) => c.parameters),
    num((c) => c.iterations),
    str((c) => (c.converged === null ? '' : String(c.converged))),
    num((c) => c.seconds),
    candidates.map((_, i) => (i === bestIndex ? 'best' : '')),
    str((c) => c.degenerate ?? ''),
    str((c) => c.error ?? ''),
  ]);
}

async function executeSelection(ctx: ExecutionContext): Promise<ExecuteResult> {
  const started = Date.now();
  const choice = featureChoice(ctx.params);
  const { data: input, imputeMeans } = trainingRows(ctx, featuresOf(ctx, tableOn(ctx, 0), choice, 0), choice);
  let o;
  try {
    o = resolveSelectionOptions(selectionOptionsFrom(ctx.params), input);
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, 0);
  }
  const X = onSharedMemory(input);
  const grid = selectionGrid(o);
  const lanes = Math.max(1, Math.min(ctx.params.numWorkers as number, grid.length));
  const estimate = selectionEstimate(ctx.params, { dims: X.cols, rows: X.rows }, ctx.engine.kind);
  for (const w of estimate.warnings) ctx.log('warn', w.message);
  ctx.log('info', `model selection: ${grid.length} candidates on ${X.rows} rows × ${X.cols} dimensions, ${lanes} at a time`);

  const candidates: CandidateResult[] = new Array(grid.length);
  // each candidate's model comes back finished and encoded by its driver thread: its head here, its JSON on shared memory
  const models: (EncodedModel | undefined)[] = new Array(grid.length);
  const heads: (GmmModelHead | undefined)[] = new Array(grid.length);
  const finish = { choice, ...(imputeMeans ? { imputeMeans } : {}) };
  let next = 0;
  let done = 0;
  let engine = ctx.engine.kind as string;
  const runCandidate = async (i: number): Promise<void> => {
    const spec = grid[i];
    const t0 = Date.now();
    try {
      const outcome = await fitEncodedOnEngine(ctx.engine, X, { ...o.fit, ...spec }, { ...engineRunOptions(ctx), numWorkers: 1, log: undefined }, finish);
      engine = outcome.run.engine;
      candidates[i] = candidateFromModel(spec, outcome.head, (Date.now() - t0) / 1000);
      models[i] = outcome.model;
      heads[i] = outcome.head;
    } catch (err) {
      if (ctx.signal.aborted || err instanceof RunCancelledError || !(err instanceof GmmInputError)) throw err;
      candidates[i] = failedCandidate(spec, X.cols, err, (Date.now() - t0) / 1000);
    }
    const c = candidates[i];
    done++;
    ctx.progress(Math.min(0.99, done / grid.length), `${c.covarianceType}, k = ${c.k}: ${c.error ? 'failed' : `${o.criterion} ${c[o.criterion]!.toFixed(3)}`}`);
    if (c.error) ctx.log('warn', `candidate ${c.covarianceType}, k = ${c.k} failed: ${c.error}`);
    if (c.degenerate) ctx.log('info', `candidate ${c.covarianceType}, k = ${c.k} is degenerate and cannot be chosen: ${c.degenerate}`);
  };
  const lane = async (): Promise<void> => {
    while (next < grid.length) await runCandidate(next++);
  };
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, 0);
  }

  let bestIndex: number;
  try {
    bestIndex = chooseBest(candidates, o.criterion);
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, 0);
  }
  const best = candidates[bestIndex];
  const summary = selectionSummary({ criterion: o.criterion, bestIndex, candidates });
  ctx.log('info', `best by ${o.criterion} (lower is better): ${best.covarianceType}, k = ${best.k}, ${o.criterion} ${best[o.criterion]!.toFixed(4)}`);
  ctx.metric('best', summary);
  ctx.metric('bestIndex', bestIndex);
  ctx.metric('criterion', o.criterion);
  ctx.metric('candidateCount', grid.length);
  ctx.metric('candidates', candidates);
  // every candidate's model, so that the console can show its scatter (the view's item); kept (and so parsed here)
  // only while they are small: a wide grid's models are never walked on this thread
  const numbers = heads.reduce((n, m) => n + (m ? m.k * (1 + m.dims + (m.covarianceType === 'full' ? m.dims * m.dims : m.dims)) : 0), 0);
  if (numbers <= MAX_KEPT_MODEL_NUMBERS) ctx.metric(CANDIDATE_MODELS, models.map((m) => (m ? keptCandidateModel(gmmModelJson(m)) : null)));
  else ctx.log('info', `the candidates' models hold ${numbers} numbers (more than ${MAX_KEPT_MODEL_NUMBERS}); only the best model is kept, so only its scatter can be shown`);
  ctx.metric('bic', best.bic);
  ctx.metric('aic', best.aic);
  ctx.metric('meanLogLikelihood', best.meanLogLikelihood);
  ctx.metric('seconds', (Date.now() - started) / 1000);
  ctx.metric('engine', engine);
  ctx.metric('workersUsed', lanes);
  ctx.metric('estimate', estimate);
  ctx.progress(1, 'selected');
  return {
    outputs: [
      { type: 'model', model: models[bestIndex]! },
      { type: 'table', table: candidatesTable(candidates, bestIndex) },
    ],
  };
}

/** The most numbers the candidates' models may hold for the run to keep them all (in its metrics). */
const MAX_KEPT_MODEL_NUMBERS = 500_000;

/** A candidate's model as the scatter view needs it: the parameters and provenance, not its training summary nor the imputation means. */
function keptCandidateModel(model: GmmModelJson): GmmModelJson {
  const { training: _training, imputeMeans: _means, ...rest } = model;
  return rest;
}

/** GMM Model Selection: a table in; the best Gaussian mixture (port 0) and the candidates table (port 1) out. */
export const gmmModelSelection: ComponentDefinition = {
  description: {
    id: 'gmm-model-selection',
    displayName: 'GMM Model Selection',
    category: 'Clustering',
    version: 1,
    description:
      'Fits a Gaussian mixture for every number of Gaussians from kMin to kMax and every chosen covariance type, and outputs the one with the lowest BIC (or AIC), as R mclust does; the second output lists every candidate.',
    icon: 'gmm-train',
    inputs: [{ name: 'data', label: 'Training data', type: 'table' }],
    outputs: [
      { name: 'model', label: 'Best GMM model', type: 'model' },
      { name: 'candidates', label: 'Candidates', type: 'table' },
    ],
    parameters: [...featureParams(0, 'train'), ...SELECTION_PARAMS, ...TRAINING_PARAMS.filter((p) => !CHOSEN_BY_THE_GRID.has(p.name)), missingValuesParam('train'), ...EXECUTION_PARAMS],
    views: SELECTION_VIEWS,
  },

  viewData: trainingViewData,

  configure: configureSelection,

  estimate(params, inputs) {
    return selectionEstimate(params, inputs[0]);
  },

  execute: executeSelection,
};
