/**
 * EM drivers. One generator (emTrial) holds the whole iteration logic and asks for the statistics of each set of
 * parameters; fitGmm answers synchronously in-process, fitGmmWith through a StatsRunner. Both answer with
 * mergeStats over chunkRanges in chunk order, so both give the same model, bit for bit.
 */
import { chunkRanges, fitChunkRows, countDistinctRows, positiveWeightRows, totalWeight, validateFinite, validateWeights } from './data';
import { diagnoseDegenerate } from './degenerate';
import { GmmInputError } from './errors';
import { chunkStats, mergeStats, maximize, prepareParams, type MaximizeOptions, type StartWork } from './kernels';
import { GaussianMixture, countParameters } from './model';
import { Rng } from './rng';
import { isSampledRows, type SampledRows } from './sample';
import {
  alinkStart,
  invertCovariances,
  kmeansPlusPlusStart,
  kmeansStart,
  randomFromDataStart,
  randomResponsibilitiesStart,
  refinedStart,
  withGivenParams,
} from './starts';
import type { StartOptions } from './starts';
import {
  CONVERGENCE_CRITERIA,
  COVARIANCE_TYPES,
  INIT_METHODS,
  type ConvergenceCriterion,
  type CovarianceType,
  type DataMatrix,
  type GmmFitOptions,
  type GmmModelJson,
  type GmmParams,
  type InitMethod,
  type IterationInfo,
  type StartInfo,
  type PositiveConstraintReport,
  type SufficientStats,
  type TrainingSummary,
} from './types';

/** Computes the merged statistics of the training data under given parameters (one EM E-step). */
export interface StatsRunner {
  compute(params: GmmParams): Promise<SufficientStats>;
  close?(): Promise<void>;
}

/** Options with every default filled in and every range checked. */
export interface ResolvedFitOptions {
  k: number;
  covarianceType: CovarianceType;
  init: InitMethod;
  initialModel?: GmmModelJson;
  /** weightsInit, meansInit and precisionsInit, checked, in the engine's layout (precisions inverted) */
  given?: GivenParams;
  trials: number;
  maxIter: number;
  epsilon: number;
  convergence: ConvergenceCriterion;
  regCovar: number;
  forcePositive: boolean;
  noise: number;
  randomSeed: number;
  samplings: number;
  percentage: number;
  kmeansMaxIter: number;
  /** as given; undefined: fitChunkRows of the training rows (chunkRowsFor) */
  chunkRows?: number;
  onIteration?: (info: IterationInfo) => void;
  onStart?: (info: StartInfo) => void;
}

/** What weightsInit / meansInit / precisionsInit give, ready to replace a start's estimates. */
export interface GivenParams {
  weights?: Float64Array;
  means?: Float64Array;
  covariances?: Float64Array;
  /** the dimension meansInit or precisionsInit imply */
  dims?: number;
}

function optionError(parameter: string, message: string): never {
  throw new GmmInputError(`${parameter} ${message}`, { parameter });
}

function intOption(o: GmmFitOptions, name: keyof GmmFitOptions, fallback: number, min: number): number {
  const v = o[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) optionError(name, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function numberOption(o: GmmFitOptions, name: keyof GmmFitOptions, fallback: number, min: number, max = Infinity, minExclusive = false): number {
  const v = o[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (minExclusive && v === min) || v > max) {
    const range = max === Infinity ? `${minExclusive ? '>' : '≥'} ${min}` : `in ${minExclusive ? '(' : '['}${min}, ${max}]`;
    optionError(name, `must be a number ${range}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function choiceOption<T extends string>(o: GmmFitOptions, name: keyof GmmFitOptions, fallback: T, choices: readonly T[]): T {
  const v = o[name] ?? fallback;
  if (typeof v !== 'string' || !choices.includes(v as T)) optionError(name, `must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Fills in defaults (FACTS.md: epsilon 1e-4, maxIter 100, regCovar 1e-6, ...) and checks ranges; errors name the parameter. */
export function resolveFitOptions(options: GmmFitOptions): ResolvedFitOptions {
  if (typeof options !== 'object' || options === null) throw new GmmInputError('options must be an object', { parameter: 'options' });
  if (options.k === undefined) optionError('k', 'is required: the number of Gaussians (an integer ≥ 1)');
  const k = intOption(options, 'k', NaN, 1);
  const resolved: ResolvedFitOptions = {
    k,
    covarianceType: choiceOption(options, 'covarianceType', 'full', COVARIANCE_TYPES),
    init: choiceOption(options, 'init', 'kmeans', INIT_METHODS),
    trials: intOption(options, 'trials', 1, 1),
    maxIter: intOption(options, 'maxIter', 100, 1),
    epsilon: numberOption(options, 'epsilon', 1e-4, 0),
    convergence: choiceOption(options, 'convergence', 'centers', CONVERGENCE_CRITERIA),
    regCovar: numberOption(options, 'regCovar', 1e-6, 0),
    forcePositive: options.forcePositive ?? false,
    noise: numberOption(options, 'noise', 0, 0),
    randomSeed: options.randomSeed ?? 0,
    samplings: intOption(options, 'samplings', 100, 1),
    percentage: numberOption(options, 'percentage', 0.02, 0, 1, true),
    kmeansMaxIter: intOption(options, 'kmeansMaxIter', 300, 1),
  };
  if (options.chunkRows !== undefined) resolved.chunkRows = intOption(options, 'chunkRows', NaN, 1);
  if (typeof resolved.forcePositive !== 'boolean') optionError('forcePositive', 'must be true or false');
  if (typeof resolved.randomSeed !== 'number' || !Number.isSafeInteger(resolved.randomSeed)) {
    optionError('randomSeed', `must be an integer, got ${JSON.stringify(resolved.randomSeed)}`);
  }
  if (options.onIteration !== undefined) {
    if (typeof options.onIteration !== 'function') optionError('onIteration', 'must be a function');
    resolved.onIteration = options.onIteration;
  }
  if (options.onStart !== undefined) {
    if (typeof options.onStart !== 'function') optionError('onStart', 'must be a function');
    resolved.onStart = options.onStart;
  }
  const given = resolveGiven(options, k, resolved.covarianceType);
  if (given) resolved.given = given;
  const fixedStart = given?.weights && given.means && given.covariances;
  if (options.initialModel !== undefined) {
    const named = (['weightsInit', 'meansInit', 'precisionsInit'] as const).find((n) => options[n] !== undefined);
    if (named) optionError(named, 'cannot be combined with initialModel; give one starting point');
    let model: GaussianMixture;
    try {
      model = GaussianMixture.fromJSON(options.initialModel);
    } catch (e) {
      if (e instanceof GmmInputError) throw new GmmInputError(`initialModel: ${e.message}`, { ...e.details, parameter: 'initialModel' });
      throw e;
    }
    if (model.k !== k) optionError('initialModel', `has k = ${model.k} but k = ${k} was asked for`);
    if (model.covarianceType !== resolved.covarianceType) {
      optionError('initialModel', `has covariance type ${model.covarianceType} but ${resolved.covarianceType} was asked for`);
    }
    resolved.initialModel = options.initialModel;
  }
  // nothing accepted is ignored: an option the chosen start does not use is an error naming it
  const fixedBy = options.initialModel !== undefined ? 'initialModel (training starts from that model)' : fixedStart ? 'weightsInit, meansInit and precisionsInit (they fix the whole start)' : undefined;
  if (fixedBy) {
    if (options.init !== undefined) optionError('init', `does not apply with ${fixedBy}; leave it out`);
    if (resolved.trials > 1) optionError('trials', `does not apply with ${fixedBy}: every trial would start from the same point; leave it at 1`);
  }
  const init = fixedBy ? undefined : resolved.init;
  if (options.samplings !== undefined && init !== 'refined') optionError('samplings', 'applies only with init refined');
  if (options.percentage !== undefined && init !== 'refined') optionError('percentage', 'applies only with init refined');
  if (options.kmeansMaxIter !== undefined && init !== 'kmeans' && init !== 'refined') optionError('kmeansMaxIter', 'applies only with init kmeans or refined');
  return resolved;
}

/** `path` locates the array inside the parameter, e.g. `[1]` of meansInit; errors name the parameter. */
function finiteArray(v: unknown, length: number, parameter: string, path: string, what: string): number[] {
  if (!Array.isArray(v) || v.length !== length) optionError(parameter, `${path ? `${path} ` : ''}must be ${what}`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) optionError(parameter, `${path}[${i}] must be a finite number, got ${JSON.stringify(x)}`);
  });
  return v as number[];
}

function matrixRows(v: unknown, rows: number, cols: number | undefined, parameter: string, path = ''): { values: number[]; cols: number } {
  if (!Array.isArray(v) || v.length !== rows) optionError(parameter, `${path ? `${path} ` : ''}must be ${rows} rows`);
  const d = cols ?? (Array.isArray(v[0]) ? v[0].length : 0);
  if (d < 1) optionError(parameter, `${path ? `${path} ` : ''}rows must be arrays of numbers`);
  const values: number[] = [];
  v.forEach((row, i) => values.push(...finiteArray(row, d, parameter, `${path}[${i}]`, `${d} numbers (as the other rows)`)));
  return { values, cols: d };
}

/** scikit-learn's weights_init, means_init and precisions_init, checked (as its _check_* functions) and laid out. */
function resolveGiven(o: GmmFitOptions, k: number, type: CovarianceType): GivenParams | undefined {
  if (o.weightsInit === undefined && o.meansInit === undefined && o.precisionsInit === undefined) return undefined;
  const given: GivenParams = {};
  if (o.weightsInit !== undefined) {
    const w = finiteArray(o.weightsInit, k, 'weightsInit', '', `${k} weights (one per component)`);
    w.forEach((x, c) => {
      if (x < 0 || x > 1) optionError('weightsInit', `[${c}] must be in [0, 1], got ${x}`);
    });
    const sum = w.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) optionError('weightsInit', `must sum to 1, got ${sum}`);
    given.weights = Float64Array.from(w);
  }
  if (o.meansInit !== undefined) {
    const { values, cols } = matrixRows(o.meansInit, k, undefined, 'meansInit');
    given.means = Float64Array.from(values);
    given.dims = cols;
  }
  if (o.precisionsInit !== undefined) {
    const p = o.precisionsInit as unknown;
    const shape = { full: `${k} matrices of d × d`, tied: 'one d × d matrix', diag: `${k} rows of d precisions`, spherical: `${k} precisions` }[type];
    let values: number[];
    let d: number;
    if (type === 'spherical') {
      values = finiteArray(p, k, 'precisionsInit', '', `${shape} for covariance type spherical`);
      d = given.dims ?? 0;
    } else if (type === 'diag') {
      ({ values, cols: d } = matrixRows(p, k, given.dims, 'precisionsInit'));
    } else if (type === 'tied') {
      const first = Array.isArray(p) ? p.length : 0;
      ({ values, cols: d } = matrixRows(p, given.dims ?? first, given.dims ?? first, 'precisionsInit'));
    } else {
      if (!Array.isArray(p) || p.length !== k) optionError('precisionsInit', `must be ${shape} for covariance type full`);
      d = given.dims ?? (Array.isArray(p[0]) ? p[0].length : 0);
      values = [];
      p.forEach((m, c) => values.push(...matrixRows(m, d, d, 'precisionsInit', `[${c}]`).values));
    }
    if (given.dims !== undefined && d !== 0 && d !== given.dims) optionError('precisionsInit', `has dimension ${d} but meansInit has ${given.dims}`);
    const pm = Float64Array.from(values);
    if (type === 'diag' || type === 'spherical') {
      pm.forEach((x, i) => {
        if (!(x > 0)) optionError('precisionsInit', `${type === 'diag' ? `[${Math.floor(i / d)}][${i % d}]` : `[${i}]`} must be positive, got ${x}`);
      });
    } else {
      for (let c = 0; c < (type === 'full' ? k : 1); c++) {
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < a; b++) {
            const x = pm[c * d * d + a * d + b];
            const y = pm[c * d * d + b * d + a];
            if (Math.abs(x - y) > 1e-10 * Math.max(1, Math.abs(x), Math.abs(y))) optionError('precisionsInit', `${type === 'full' ? `[${c}] ` : ''}must be symmetric`);
          }
        }
      }
    }
    try {
      given.covariances = invertCovariances(type, pm, k, d);
    } catch (e) {
      const c = e instanceof GmmInputError ? e.details.component : undefined;
      optionError('precisionsInit', `${type === 'full' ? `[${c ?? 0}] ` : ''}must be positive definite`);
    }
    if (d > 0) given.dims = d;
  }
  return given;
}

/** The fit's rows per E-step chunk: chunkRows when given, else fitChunkRows of its rows, k, d and covariance type. */
export function chunkRowsFor(o: ResolvedFitOptions, rows: number, dims: number): number {
  return o.chunkRows ?? fitChunkRows(rows, o.covarianceType, o.k, dims);
}

/** A fixed, documented derivation of each random stream from the seed: 0 = noise, 1 + t = trial t's start. */
function streamRng(seed: number, stream: number): Rng {
  return new Rng(seed + stream * 1000003);
}

/** Checks the data against the options and returns the training data (a noisy copy when noise > 0). */
function prepareTrainingData(data: DataMatrix, o: ResolvedFitOptions): DataMatrix {
  if (!data || !(data.data instanceof Float64Array) || data.data.length !== data.rows * data.cols) {
    throw new GmmInputError('data must be a DataMatrix (a Float64Array of rows × cols values)', { parameter: 'data' });
  }
  if (data.rows < 1) throw new GmmInputError('the data has no rows; a mixture needs at least one', { parameter: 'data' });
  if (data.cols < 1) throw new GmmInputError('the data has no columns', { parameter: 'data' });
  validateFinite(data);
  if (data.weights !== undefined) validateWeights(data.weights, data.rows);
  const d = data.cols;
  if (o.initialModel && o.initialModel.dims !== d) {
    optionError('initialModel', `has ${o.initialModel.dims} dimensions but the data has ${d} columns`);
  }
  if (o.given?.dims !== undefined && o.given.dims !== d) {
    optionError(o.given.means ? 'meansInit' : 'precisionsInit', `has dimension ${o.given.dims} but the data has ${d} columns`);
  }
  // rows of weight 0 take no part in the fit
  const distinct = countDistinctRows(positiveWeightRows(data), o.k);
  if (distinct < o.k) {
    const which = data.weights ? 'distinct rows of positive weight' : 'distinct rows';
    throw new GmmInputError(`k = ${o.k} is larger than the number of ${which} (${distinct}); lower k or add data`, { parameter: 'k' });
  }
  if (o.noise === 0) return data;
  const rng = streamRng(o.randomSeed, 0);
  const sd = Math.sqrt(o.noise);
  const noisy = new Float64Array(data.data.length);
  for (let i = 0; i < noisy.length; i++) noisy[i] = data.data[i] + sd * rng.normal();
  return { data: noisy, rows: data.rows, cols: d, ...(data.weights ? { weights: data.weights } : {}) };
}

/**
 * Checks sampled rows against the options and returns the sample the start runs on. Noise needs a copy of every
 * row in memory, so it is refused; the rows themselves were checked as they were read.
 */
function prepareSampledRows(data: SampledRows, o: ResolvedFitOptions): DataMatrix {
  if (o.noise > 0) optionError('noise', 'cannot be used when the rows stream from disk (it would need a noisy copy of every row in memory); set noise to 0');
  if (data.sample.weights !== undefined) throw new GmmInputError('sample weights cannot be used when the rows stream from disk', { parameter: 'data' });
  if (data.sample.cols !== data.cols) throw new GmmInputError(`the sample has ${data.sample.cols} columns but the rows have ${data.cols}`, { parameter: 'data' });
  return prepareTrainingData(data.sample, o);
}

/** Counts, for one trial, the steps where mlpack's positive-definite constraint changed a covariance. */
class ConstraintCounter {
  private steps = 0;
  private readonly perComponent = new Map<number, number>();
  readonly record = (components: number[]): void => {
    this.steps++;
    for (const c of components) this.perComponent.set(c, (this.perComponent.get(c) ?? 0) + 1);
  };

  report(): PositiveConstraintReport | undefined {
    if (this.steps === 0) return undefined;
    const components = [...this.perComponent.entries()].sort((a, b) => a[0] - b[0]).map(([component, steps]) => ({ component, steps }));
    return { steps: this.steps, components };
  }
}

/** One line for the run log: how often forcePositive changed which covariances. */
export function describePositiveConstraint(report: PositiveConstraintReport, covarianceType: CovarianceType, iterations: number): string {
  const which =
    covarianceType === 'tied'
      ? 'the shared covariance'
      : report.components.map((c) => `component ${c.component} (${c.steps}×)`).join(', ');
  return (
    `forcePositive raised covariance eigenvalues to λmax/1e5 in ${report.steps} of ${iterations + 1} steps (start and M-steps) ` +
    `for ${which}; this changes the model (turn forcePositive off for scikit-learn's and PAI's behaviour)`
  );
}

/** Each init method's start (starts.ts). */
const STARTS: Record<InitMethod, (data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions) => GmmParams> = {
  kmeans: kmeansStart,
  'k-means++': kmeansPlusPlusStart,
  random: randomResponsibilitiesStart,
  random_from_data: randomFromDataStart,
  alink: alinkStart,
  refined: refinedStart,
};

/** Starting parameters of trial t: the model (warm start), else the init method's, with any given parameters swapped in. */
function startParams(train: DataMatrix, o: ResolvedFitOptions & MaximizeOptions, trial: number, started: number): GmmParams {
  const { k, covarianceType: type, given } = o;
  if (o.initialModel) return GaussianMixture.fromJSON(o.initialModel).params;
  if (given?.weights && given.means && given.covariances) {
    return { covarianceType: type, k, dims: train.cols, weights: given.weights, means: given.means, covariances: given.covariances };
  }
  const { onStart } = o;
  const so: StartOptions = onStart
    ? { ...o, onStep: (phase, step, steps) => onStart({ trial, phase, step, steps, seconds: (Date.now() - started) / 1000 }) }
    : o;
  const rng = streamRng(o.randomSeed, 1 + trial);
  // a start sees the rows of positive weight only (weights: see starts.ts)
  const start = STARTS[o.init](positiveWeightRows(train), k, type, rng, so);
  return given ? withGivenParams(start, given) : start;
}

interface TrialResult {
  params: GmmParams;
  positiveConstraint?: PositiveConstraintReport;
  iterations: number;
  converged: boolean;
  history: number[];
  /** mean log-likelihood of the final parameters */
  meanLogLikelihood: number;
  /** why the final parameters are degenerate (diagnoseDegenerate on the last E-step), when they are */
  degenerate?: string;
}

/** Largest Euclidean distance between corresponding means. */
function centerShift(a: GmmParams, b: GmmParams): number {
  const { k, dims: d } = a;
  let max = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (a.means[c * d + j] - b.means[c * d + j]) ** 2;
    if (Math.sqrt(s) > max) max = Math.sqrt(s);
  }
  return max;
}

/**
 * One EM run from `start`. Yields parameters, receives their statistics: E-step (log-likelihood of the current
 * parameters), M-step, convergence test — scikit-learn's loop — then one last E-step scores the final parameters.
 */
function* emTrial(
  train: DataMatrix,
  options: ResolvedFitOptions,
  trial: number,
  started: number,
  allRows?: number,
): Generator<GmmParams, TrialResult, SufficientStats> {
  const constraint = new ConstraintCounter();
  const o: ResolvedFitOptions & MaximizeOptions = { ...options, onConstrained: constraint.record };
  // with sample weights the log-likelihood is Σ w log p, and Σ w stands for the number of rows throughout; `train`
  // is the start's sample when the rows stream (allRows of them)
  const rows = allRows ?? totalWeight(train);
  let params = startParams(train, o, trial, started);
  const history: number[] = [];
  let previous = -Infinity;
  let converged = false;
  let iterations = 0;
  for (let it = 1; it <= o.maxIter; it++) {
    const stats = yield params;
    const ll = stats.logLikelihood / rows;
    const next = maximize(stats, o);
    const shift = centerShift(params, next);
    history.push(ll);
    iterations = it;
    params = next;
    o.onIteration?.({ trial, iteration: it, meanLogLikelihood: ll, centerShift: shift, seconds: (Date.now() - started) / 1000 });
    const change = o.convergence === 'centers' ? shift : Math.abs(ll - previous) * (o.convergence === 'totalLogLikelihood' ? rows : 1);
    if (change < o.epsilon) {
      converged = true;
      break;
    }
    previous = ll;
  }
  const final = yield params;
  const positiveConstraint = constraint.report();
  const degenerate = diagnoseDegenerate(params, train.weights ? { ...final, rows } : final);
  return {
    params,
    iterations,
    converged,
    history,
    meanLogLikelihood: final.logLikelihood / rows,
    ...(positiveConstraint ? { positiveConstraint } : {}),
    ...(degenerate !== undefined ? { degenerate } : {}),
  };
}

/** What a trial's start computes (startFlops): its init method, or nothing for a fixed start. */
export function startWorkOf(o: ResolvedFitOptions): StartWork {
  const fixed = Boolean(o.initialModel || (o.given?.weights && o.given.means && o.given.covariances));
  return { init: o.init, fixed, kmeansMaxIter: o.kmeansMaxIter, samplings: o.samplings, percentage: o.percentage };
}

/** Trials run; a fixed start (initialModel, or all of weightsInit, meansInit and precisionsInit) runs once. */
export function trialCount(o: ResolvedFitOptions): number {
  return o.initialModel || (o.given?.weights && o.given.means && o.given.covariances) ? 1 : o.trials;
}

function summarize(o: ResolvedFitOptions, train: DataMatrix, best: TrialResult, bestTrial: number, started: number, sampled?: SampledRows): TrainingSummary {
  const p = countParameters(o.covarianceType, o.k, best.params.dims);
  const ll = best.meanLogLikelihood;
  const rows = sampled ? sampled.rows : totalWeight(train);
  return {
    rows: sampled ? sampled.rows : train.rows,
    ...(sampled ? { startSampleRows: train.rows } : {}),
    ...(train.weights ? { totalWeight: rows } : {}),
    iterations: best.iterations,
    converged: best.converged,
    convergence: o.convergence,
    epsilon: o.epsilon,
    init: o.initialModel ? 'model' : trialCount(o) === 1 && o.given?.weights && o.given.means && o.given.covariances ? 'given' : o.init,
    trials: trialCount(o),
    bestTrial,
    randomSeed: o.randomSeed,
    regCovar: o.regCovar,
    forcePositive: o.forcePositive,
    ...(best.positiveConstraint ? { positiveConstraint: best.positiveConstraint } : {}),
    ...(best.degenerate !== undefined ? { degenerate: best.degenerate } : {}),
    logLikelihoodHistory: best.history,
    meanLogLikelihood: ll,
    bic: -2 * ll * rows + p * Math.log(rows),
    aic: -2 * ll * rows + 2 * p,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The in-process statistics: chunkStats over chunkRanges (weighted when the data has weights), merged in chunk order. */
export function computeStats(params: GmmParams, data: DataMatrix, chunkRows: number): SufficientStats {
  const prepared = prepareParams(params);
  return mergeStats(chunkRanges(data.rows, chunkRows).map(([s, e]) => chunkStats(prepared, data.data, data.cols, s, e, data.weights)));
}

/** Fits a Gaussian mixture synchronously in-process. Same data and options give the same model, bit for bit. */
export function fitGmm(data: DataMatrix, options: GmmFitOptions): GaussianMixture {
  const started = Date.now();
  const o = resolveFitOptions(options);
  const train = prepareTrainingData(data, o);
  const chunkRows = chunkRowsFor(o, train.rows, train.cols);
  let best: TrialResult | undefined;
  let bestTrial = 0;
  for (let t = 0; t < trialCount(o); t++) {
    const run = emTrial(train, o, t, started);
    let step = run.next();
    while (!step.done) step = run.next(computeStats(step.value, train, chunkRows));
    if (!best || step.value.meanLogLikelihood > best.meanLogLikelihood) {
      best = step.value;
      bestTrial = t;
    }
  }
  return GaussianMixture.fromParams(best!.params, summarize(o, train, best!, bestTrial, started));
}

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const e = new Error('the fit was aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * Fits with the E-step delegated to a StatsRunner (e.g. worker threads). Starts run on the caller's thread; the
 * runner gets the (noisy, if asked) training data and the chunk size once per fit, and must return
 * mergeStats(chunkRanges(rows, chunkRows).map(chunkStats ...)) exactly, so the model equals fitGmm's; with
 * sample weights (trainData.weights) each chunk's statistics are weighted by its rows' weights.
 * With SampledRows the rows stay where the runner reads them (it gets the SampledRows) and the start runs on their
 * sample; from the same start the model is the one the rows in memory give, bit for bit.
 */
export async function fitGmmWith(
  data: DataMatrix,
  options: GmmFitOptions,
  createRunner: (trainData: DataMatrix, chunkRows: number) => Promise<StatsRunner>,
  signal?: AbortSignal,
): Promise<GaussianMixture>;
export async function fitGmmWith(
  data: DataMatrix | SampledRows,
  options: GmmFitOptions,
  createRunner: (trainData: DataMatrix | SampledRows, chunkRows: number) => Promise<StatsRunner>,
  signal?: AbortSignal,
): Promise<GaussianMixture>;
export async function fitGmmWith(
  data: DataMatrix | SampledRows,
  options: GmmFitOptions,
  createRunner: (trainData: never, chunkRows: number) => Promise<StatsRunner>,
  signal?: AbortSignal,
): Promise<GaussianMixture> {
  const started = Date.now();
  const o = resolveFitOptions(options);
  const sampled = isSampledRows(data) ? data : undefined;
  const train = sampled ? prepareSampledRows(sampled, o) : prepareTrainingData(data as DataMatrix, o);
  if (signal?.aborted) throw abortError(signal);
  const runner = await (createRunner as (trainData: DataMatrix | SampledRows, chunkRows: number) => Promise<StatsRunner>)(
    sampled ?? train,
    chunkRowsFor(o, sampled?.rows ?? train.rows, train.cols),
  );
  try {
    let best: TrialResult | undefined;
    let bestTrial = 0;
    for (let t = 0; t < trialCount(o); t++) {
      const run = emTrial(train, o, t, started, sampled?.rows);
      let step = run.next();
      while (!step.done) {
        if (signal?.aborted) throw abortError(signal);
        const stats = await runner.compute(step.value);
        step = run.next(stats);
      }
      if (!best || step.value.meanLogLikelihood > best.meanLogLikelihood) {
        best = step.value;
        bestTrial = t;
      }
    }
    return GaussianMixture.fromParams(best!.params, summarize(o, train, best!, bestTrial, started, sampled));
  } finally {
    await runner.close?.();
  }
}
