import { validateFinite } from './data';
import { GmmInputError } from './errors';
import { covarianceSize, estimateWeightedLogProb, normalizeLogProb, prepareParams } from './kernels';
import type { PreparedParams } from './kernels';
import { choleskyLower } from './linalg';
import { Rng } from './rng';
import {
  COVARIANCE_TYPES,
  CONVERGENCE_CRITERIA,
  INIT_METHODS,
  type CovarianceType,
  type DataMatrix,
  type GmmModelJson,
  type GmmParams,
  type ModelParent,
  type TrainingSummary,
} from './types';

export const MODEL_TYPE = 'mixflow.gmm';
export const MODEL_VERSION = 1;

/** Rows scored at a time by predict/score, so memory stays O(block × k) for large inputs. */
const SCORE_BLOCK_ROWS = 4096;

/** Provenance carried in the model file. */
export interface ModelProvenance {
  featureNames?: string[];
  vectorCol?: string;
  /** per-dimension training means that missing cells are imputed with (missingValues mean) */
  imputeMeans?: number[];
  /** the model file a warm start began from */
  parent?: ModelParent;
}

/** Number of free parameters, as scikit-learn's _n_parameters. */
export function countParameters(type: CovarianceType, k: number, d: number): number {
  const cov = type === 'full' ? (k * d * (d + 1)) / 2 : type === 'tied' ? (d * (d + 1)) / 2 : type === 'diag' ? k * d : k;
  return cov + k * d + k - 1;
}

/**
 * The fit of a model on n rows from their total log density: mean log-likelihood, BIC (−2·total + p·ln n) and AIC
 * (−2·total + 2p), with p the model's free parameters (scikit-learn's _n_parameters).
 */
export function fitCriteria(
  model: { covarianceType: CovarianceType; k: number; dims: number },
  totalLogDensity: number,
  n: number,
): { meanLogLikelihood: number; bic: number; aic: number } {
  const p = countParameters(model.covarianceType, model.k, model.dims);
  return { meanLogLikelihood: totalLogDensity / n, bic: -2 * totalLogDensity + p * Math.log(n), aic: -2 * totalLogDensity + 2 * p };
}

/** A fitted (or loaded) Gaussian mixture: scoring, prediction, sampling and the versioned JSON format. */
export class GaussianMixture {
  readonly params: GmmParams;
  readonly k: number;
  readonly dims: number;
  readonly covarianceType: CovarianceType;
  readonly training?: TrainingSummary;
  readonly featureNames?: string[];
  readonly vectorCol?: string;
  readonly imputeMeans?: number[];
  readonly parent?: ModelParent;
  private prepared: PreparedParams | undefined;

  private constructor(params: GmmParams, training?: TrainingSummary, provenance?: ModelProvenance) {
    this.params = params;
    this.k = params.k;
    this.dims = params.dims;
    this.covarianceType = params.covarianceType;
    this.training = training;
    this.featureNames = provenance?.featureNames;
    this.vectorCol = provenance?.vectorCol;
    this.imputeMeans = provenance?.imputeMeans;
    this.parent = provenance?.parent;
  }

  /** Wraps parameters (checked: shapes, finite values, weights, positive-definite covariances). */
  static fromParams(params: GmmParams, training?: TrainingSummary, provenance?: ModelProvenance): GaussianMixture {
    checkParams(params);
    const model = new GaussianMixture(params, training, provenance);
    model.prepared = prepareParams(params);
    return model;
  }

  /** Strict loader for the versioned JSON format; a GmmInputError names the first wrong field, e.g. "means[1][0]". */
  static fromJSON(json: unknown): GaussianMixture {
    // parseModelJson checks everything fromParams would, and prepares the parameters while checking them
    const { params, training, provenance, prepared } = parseModelJson(json);
    const model = new GaussianMixture(params, training, provenance);
    model.prepared = prepared;
    return model;
  }

  /** The same model with provenance (feature names or vector column) attached. */
  withProvenance(provenance: ModelProvenance): GaussianMixture {
    return GaussianMixture.fromParams(this.params, this.training, provenance);
  }

  toJSON(): GmmModelJson {
    const { k, dims: d, params } = this;
    const means: number[][] = [];
    for (let c = 0; c < k; c++) means.push(Array.from(params.means.subarray(c * d, (c + 1) * d)));
    const cov = params.covariances;
    let covariances: number[] | number[][] | number[][][];
    const matrix = (o: number): number[][] => {
      const m: number[][] = [];
      for (let a = 0; a < d; a++) m.push(Array.from(cov.subarray(o + a * d, o + (a + 1) * d)));
      return m;
    };
    switch (this.covarianceType) {
      case 'full':
        covariances = Array.from({ length: k }, (_, c) => matrix(c * d * d));
        break;
      case 'tied':
        covariances = matrix(0);
        break;
      case 'diag':
        covariances = Array.from({ length: k }, (_, c) => Array.from(cov.subarray(c * d, (c + 1) * d)));
        break;
      case 'spherical':
        covariances = Array.from(cov);
        break;
    }
    const json: GmmModelJson = {
      type: MODEL_TYPE,
      version: MODEL_VERSION,
      covarianceType: this.covarianceType,
      dims: d,
      k,
      weights: Array.from(params.weights),
      means,
      covariances,
    };
    if (this.featureNames) json.featureNames = [...this.featureNames];
    if (this.vectorCol !== undefined) json.vectorCol = this.vectorCol;
    if (this.imputeMeans) json.imputeMeans = [...this.imputeMeans];
    if (this.parent) json.parent = { ...this.parent };
    if (this.training) json.training = { ...this.training, logLikelihoodHistory: [...this.training.logLikelihoodHistory] };
    return json;
  }

  private preparedParams(): PreparedParams {
    if (!this.prepared) this.prepared = prepareParams(this.params);
    return this.prepared;
  }

  private checkInput(X: DataMatrix): void {
    if (X.cols !== this.dims) {
      throw new GmmInputError(`the data has ${X.cols} columns but the model was trained on ${this.dims} dimensions`, {
        parameter: 'dims',
      });
    }
    validateFinite(X);
  }

  /** Visits blocks of rows with their responsibilities (block × k) and log p(x) (block). */
  private forEachBlock(X: DataMatrix, visit: (start: number, end: number, resp: Float64Array, logNorm: Float64Array) => void): void {
    this.checkInput(X);
    const p = this.preparedParams();
    const resp = new Float64Array(Math.min(SCORE_BLOCK_ROWS, X.rows) * this.k);
    const logNorm = new Float64Array(Math.min(SCORE_BLOCK_ROWS, X.rows));
    for (let s = 0; s < X.rows; s += SCORE_BLOCK_ROWS) {
      const e = Math.min(X.rows, s + SCORE_BLOCK_ROWS);
      estimateWeightedLogProb(p, X.data, this.dims, s, e, resp);
      normalizeLogProb(resp, e - s, this.k, logNorm);
      visit(s, e, resp, logNorm);
    }
  }

  /** Most likely component of each row (0-based). */
  predict(X: DataMatrix): Int32Array {
    const out = new Int32Array(X.rows);
    this.forEachBlock(X, (s, e, resp) => mostLikely(resp, e - s, this.k, out, s));
    return out;
  }

  /**
   * predict, predictProba and scoreSamples together from one E-step over the rows (callers that need more than
   * one need not score twice): labels, probabilities (n × k, row-major) and logDensity (log p(x) of every row).
   */
  predictWithProba(X: DataMatrix): { labels: Int32Array; probabilities: Float64Array; logDensity: Float64Array } {
    const labels = new Int32Array(X.rows);
    const probabilities = new Float64Array(X.rows * this.k);
    const logDensity = new Float64Array(X.rows);
    this.forEachBlock(X, (s, e, resp, logNorm) => {
      mostLikely(resp, e - s, this.k, labels, s);
      probabilities.set(resp.subarray(0, (e - s) * this.k), s * this.k);
      logDensity.set(logNorm.subarray(0, e - s), s);
    });
    return { labels, probabilities, logDensity };
  }

  /** Posterior probability of every component (n × k, row-major). */
  predictProba(X: DataMatrix): Float64Array {
    const out = new Float64Array(X.rows * this.k);
    this.forEachBlock(X, (s, e, resp) => out.set(resp.subarray(0, (e - s) * this.k), s * this.k));
    return out;
  }

  /** log p(x) of every row (the log density of the mixture). */
  scoreSamples(X: DataMatrix): Float64Array {
    const out = new Float64Array(X.rows);
    this.forEachBlock(X, (s, e, _resp, logNorm) => out.set(logNorm.subarray(0, e - s), s));
    return out;
  }

  /** Mean per-row log-likelihood (scikit-learn's score). */
  score(X: DataMatrix): number {
    if (X.rows === 0) throw new GmmInputError('score needs at least one row', { parameter: 'rows' });
    let total = 0;
    this.forEachBlock(X, (s, e, _resp, logNorm) => {
      for (let i = 0; i < e - s; i++) total += logNorm[i];
    });
    return total / X.rows;
  }

  nParameters(): number {
    return countParameters(this.covarianceType, this.k, this.dims);
  }

  /** Bayesian information criterion: −2·n·score + p·ln n (lower is better). */
  bic(X: DataMatrix): number {
    return -2 * this.score(X) * X.rows + this.nParameters() * Math.log(X.rows);
  }

  /** Akaike information criterion: −2·n·score + 2p (lower is better). */
  aic(X: DataMatrix): number {
    return -2 * this.score(X) * X.rows + 2 * this.nParameters();
  }

  /** n draws from the mixture (component by weight, then μ + L·z); labels say which component drew each row. */
  sample(n: number, seed: number): { data: DataMatrix; labels: Int32Array } {
    if (!Number.isInteger(n) || n < 0) throw new GmmInputError(`n must be a non-negative integer, got ${n}`, { parameter: 'n' });
    if (!Number.isFinite(seed)) throw new GmmInputError(`seed must be a finite number, got ${seed}`, { parameter: 'seed' });
    const { k, dims: d, params, covarianceType: type } = this;
    const rng = new Rng(seed);
    // per-component square roots of the covariance
    const factors = new Float64Array(type === 'full' ? k * d * d : type === 'tied' ? d * d : type === 'diag' ? k * d : k);
    if (type === 'full' || type === 'tied') {
      for (let c = 0; c < (type === 'full' ? k : 1); c++) choleskyLower(params.covariances, c * d * d, d, factors, c * d * d);
    } else {
      for (let i = 0; i < factors.length; i++) factors[i] = Math.sqrt(params.covariances[i]);
    }
    const cumulative = new Float64Array(k);
    let acc = 0;
    for (let c = 0; c < k; c++) cumulative[c] = acc += params.weights[c];
    const data = new Float64Array(n * d);
    const labels = new Int32Array(n);
    const z = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const u = rng.next() * acc;
      let c = 0;
      while (c < k - 1 && u >= cumulative[c]) c++;
      labels[i] = c;
      for (let j = 0; j < d; j++) z[j] = rng.normal();
      for (let a = 0; a < d; a++) {
        let v = params.means[c * d + a];
        if (type === 'full' || type === 'tied') {
          const o = (type === 'full' ? c * d * d : 0) + a * d;
          for (let b = 0; b <= a; b++) v += factors[o + b] * z[b];
        } else {
          v += (type === 'diag' ? factors[c * d + a] : factors[c]) * z[a];
        }
        data[i * d + a] = v;
      }
    }
    return { data: { data, rows: n, cols: d }, labels };
  }
}

/** Index of the largest of each of the m rows of resp (m × k), the first on a tie, written to out[offset + i]. */
function mostLikely(resp: Float64Array, m: number, k: number, out: Int32Array, offset: number): void {
  for (let i = 0; i < m; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (resp[i * k + c] > resp[i * k + best]) best = c;
    out[offset + i] = best;
  }
}

function checkParams(params: GmmParams): void {
  const { covarianceType: type, k, dims: d } = params;
  if (!COVARIANCE_TYPES.includes(type)) throw new GmmInputError(`unknown covariance type "${type}"`, { field: 'covarianceType' });
  if (!Number.isInteger(k) || k < 1) throw new GmmInputError(`k must be a positive integer, got ${k}`, { field: 'k' });
  if (!Number.isInteger(d) || d < 1) throw new GmmInputError(`dims must be a positive integer, got ${d}`, { field: 'dims' });
  const sizes: [string, Float64Array, number][] = [
    ['weights', params.weights, k],
    ['means', params.means, k * d],
    ['covariances', params.covariances, covarianceSize(type, k, d)],
  ];
  for (const [field, arr, size] of sizes) {
    if (!(arr instanceof Float64Array) || arr.length !== size) {
      throw new GmmInputError(`${field} must be a Float64Array of length ${size}`, { field });
    }
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) throw new GmmInputError(`${field}[${i}] is not a finite number`, { field: `${field}[${i}]` });
    }
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    if (params.weights[c] < 0) throw new GmmInputError(`weights[${c}] is negative`, { field: `weights[${c}]` });
    sum += params.weights[c];
  }
  if (Math.abs(sum - 1) > 1e-6) throw new GmmInputError(`weights sum to ${sum}, not 1`, { field: 'weights' });
}

// ---------------------------------------------------------------------------------------------------------------
// strict JSON validation

function bad(field: string, message: string): never {
  throw new GmmInputError(`invalid model: ${field} ${message}`, { field });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteNumber(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(field, `must be a finite number, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

function positiveInt(v: unknown, field: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(field, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function numberArray(v: unknown, length: number, field: string): number[] {
  if (!Array.isArray(v)) bad(field, `must be an array of ${length} numbers`);
  if (v.length !== length) bad(field, `must have ${length} entries, got ${v.length}`);
  return v.map((x, i) => finiteNumber(x, `${field}[${i}]`));
}

function squareMatrix(v: unknown, d: number, field: string, into: Float64Array, offset: number): void {
  if (!Array.isArray(v)) bad(field, `must be a ${d} × ${d} array`);
  if (v.length !== d) bad(field, `must have ${d} rows, got ${v.length}`);
  for (let a = 0; a < d; a++) {
    const row = numberArray(v[a], d, `${field}[${a}]`);
    for (let b = 0; b < d; b++) into[offset + a * d + b] = row[b];
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      const x = into[offset + a * d + b];
      const y = into[offset + b * d + a];
      if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))) {
        bad(`${field}[${a}][${b}]`, `must equal ${field}[${b}][${a}] (covariance matrices are symmetric)`);
      }
    }
  }
}

const MODEL_KEYS = new Set(['type', 'version', 'covarianceType', 'dims', 'k', 'weights', 'means', 'covariances', 'featureNames', 'vectorCol', 'imputeMeans', 'parent', 'training']);

function parseModelJson(json: unknown): { params: GmmParams; training?: TrainingSummary; provenance: ModelProvenance; prepared: PreparedParams } {
  if (!isObject(json)) throw new GmmInputError('invalid model: expected a JSON object', { field: '' });
  for (const key of Object.keys(json)) if (!MODEL_KEYS.has(key)) bad(key, 'is not a field of a mixflow.gmm model');
  if (json.type !== MODEL_TYPE) bad('type', `must be "${MODEL_TYPE}", got ${JSON.stringify(json.type)}`);
  if (json.version !== MODEL_VERSION) bad('version', `must be ${MODEL_VERSION}, got ${JSON.stringify(json.version)} (a newer file needs a newer Mixflow)`);
  const type = json.covarianceType;
  if (typeof type !== 'string' || !COVARIANCE_TYPES.includes(type as CovarianceType)) {
    bad('covarianceType', `must be one of ${COVARIANCE_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const covarianceType = type as CovarianceType;
  const d = positiveInt(json.dims, 'dims');
  const k = positiveInt(json.k, 'k');
  const weights = Float64Array.from(numberArray(json.weights, k, 'weights'));
  let wsum = 0;
  for (let c = 0; c < k; c++) {
    if (weights[c] < 0) bad(`weights[${c}]`, 'must not be negative');
    wsum += weights[c];
  }
  if (Math.abs(wsum - 1) > 1e-6) bad('weights', `must sum to 1, got ${wsum}`);
  if (!Array.isArray(json.means)) bad('means', `must be a ${k} × ${d} array`);
  if (json.means.length !== k) bad('means', `must have ${k} rows, got ${json.means.length}`);
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; c++) means.set(numberArray(json.means[c], d, `means[${c}]`), c * d);
  const covariances = new Float64Array(covarianceSize(covarianceType, k, d));
  const cov = json.covariances;
  switch (covarianceType) {
    case 'full':
      if (!Array.isArray(cov) || cov.length !== k) bad('covariances', `must be ${k} matrices of ${d} × ${d} for covariance type full`);
      for (let c = 0; c < k; c++) squareMatrix(cov[c], d, `covariances[${c}]`, covariances, c * d * d);
      break;
    case 'tied':
      squareMatrix(cov, d, 'covariances', covariances, 0);
      break;
    case 'diag':
      if (!Array.isArray(cov) || cov.length !== k) bad('covariances', `must be ${k} rows of ${d} variances for covariance type diag`);
      for (let c = 0; c < k; c++) covariances.set(numberArray(cov[c], d, `covariances[${c}]`), c * d);
      break;
    case 'spherical':
      covariances.set(numberArray(cov, k, 'covariances'));
      break;
  }
  const params: GmmParams = { covarianceType, k, dims: d, weights, means, covariances };
  let prepared: PreparedParams;
  try {
    prepared = prepareParams(params);
  } catch (e) {
    if (!(e instanceof GmmInputError)) throw e;
    bad(covarianceType === 'tied' ? 'covariances' : `covariances[${e.details.component ?? 0}]`, 'is not positive definite');
  }
  const provenance: ModelProvenance = {};
  if (json.featureNames !== undefined) {
    const names = json.featureNames;
    if (!Array.isArray(names) || names.length !== d) bad('featureNames', `must be an array of ${d} strings`);
    names.forEach((n, i) => {
      if (typeof n !== 'string') bad(`featureNames[${i}]`, 'must be a string');
    });
    provenance.featureNames = [...(names as string[])];
  }
  if (json.vectorCol !== undefined) {
    if (typeof json.vectorCol !== 'string') bad('vectorCol', 'must be a string');
    provenance.vectorCol = json.vectorCol;
  }
  if (json.imputeMeans !== undefined) provenance.imputeMeans = numberArray(json.imputeMeans, d, 'imputeMeans');
  if (json.parent !== undefined) provenance.parent = parseParent(json.parent);
  const training = json.training === undefined ? undefined : parseTraining(json.training);
  return { params, training, provenance, prepared };
}

function parseParent(v: unknown): ModelParent {
  if (!isObject(v)) bad('parent', 'must be an object { file, sha256 }');
  for (const key of Object.keys(v)) if (key !== 'file' && key !== 'sha256') bad(`parent.${key}`, 'is not a field of a model parent');
  if (typeof v.file !== 'string' || v.file === '' || v.file.length > 255 || /[\\/\u0000]/.test(v.file)) bad('parent.file', 'must be a file name without folders');
  if (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256)) bad('parent.sha256', 'must be 64 lowercase hex digits');
  return { file: v.file, sha256: v.sha256 };
}

const TRAINING_NUMBERS = ['epsilon', 'randomSeed', 'regCovar', 'meanLogLikelihood', 'bic', 'aic', 'seconds'] as const;
const TRAINING_INTS = ['rows', 'iterations', 'trials', 'bestTrial'] as const;
const TRAINING_KEYS = new Set<string>([
  ...TRAINING_NUMBERS,
  ...TRAINING_INTS,
  'converged',
  'convergence',
  'init',
  'logLikelihoodHistory',
  'forcePositive',
  'positiveConstraint',
  'degenerate',
  'totalWeight',
  'weightCol',
  'dataMode',
  'startSampleRows',
]);

function parseTraining(v: unknown): TrainingSummary {
  if (!isObject(v)) bad('training', 'must be an object');
  for (const key of Object.keys(v)) if (!TRAINING_KEYS.has(key)) bad(`training.${key}`, 'is not a field of a training summary');
  for (const key of TRAINING_NUMBERS) finiteNumber(v[key], `training.${key}`);
  for (const key of TRAINING_INTS) positiveInt(v[key], `training.${key}`, 0);
  if (typeof v.converged !== 'boolean') bad('training.converged', 'must be true or false');
  if (!CONVERGENCE_CRITERIA.includes(v.convergence as never)) bad('training.convergence', `must be one of ${CONVERGENCE_CRITERIA.join(', ')}`);
  // 'means': files written before the start options followed scikit-learn's
  const inits: string[] = [...INIT_METHODS, 'model', 'given', 'means'];
  if (typeof v.init !== 'string' || !inits.includes(v.init)) bad('training.init', `must be one of ${inits.join(', ')}`);
  const history = v.logLikelihoodHistory;
  if (!Array.isArray(history)) bad('training.logLikelihoodHistory', 'must be an array of numbers');
  history.forEach((x, i) => finiteNumber(x, `training.logLikelihoodHistory[${i}]`));
  if (v.forcePositive !== undefined && typeof v.forcePositive !== 'boolean') bad('training.forcePositive', 'must be true or false');
  if (v.degenerate !== undefined && typeof v.degenerate !== 'string') bad('training.degenerate', 'must be a string (why the fit is degenerate)');
  if (v.totalWeight !== undefined && !(typeof v.totalWeight === 'number' && v.totalWeight > 0 && Number.isFinite(v.totalWeight))) {
    bad('training.totalWeight', 'must be a positive number (the sum of the sample weights)');
  }
  if (v.weightCol !== undefined && (typeof v.weightCol !== 'string' || v.weightCol === '')) bad('training.weightCol', 'must be a column name');
  if (v.dataMode !== undefined && v.dataMode !== 'memory' && v.dataMode !== 'stream') bad('training.dataMode', 'must be memory or stream');
  if (v.startSampleRows !== undefined) positiveInt(v.startSampleRows, 'training.startSampleRows', 1);
  if (v.positiveConstraint !== undefined) {
    const pc = v.positiveConstraint;
    if (!isObject(pc) || !Array.isArray(pc.components)) bad('training.positiveConstraint', 'must be { steps, components: [{ component, steps }] }');
    positiveInt(pc.steps, 'training.positiveConstraint.steps', 0);
    pc.components.forEach((c, i) => {
      if (!isObject(c)) bad(`training.positiveConstraint.components[${i}]`, 'must be { component, steps }');
      positiveInt(c.component, `training.positiveConstraint.components[${i}].component`, 0);
      positiveInt(c.steps, `training.positiveConstraint.components[${i}].steps`, 0);
    });
  }
  return { ...(v as unknown as TrainingSummary), logLikelihoodHistory: [...(history as number[])] };
}
