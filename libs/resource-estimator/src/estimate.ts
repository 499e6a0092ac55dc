import { DEFAULT_CHUNK_ROWS } from '@mixflow/gmm';
import type { ResourceEstimate, ResourceWarning } from './types';

const MB = 1024 * 1024;
const GB = 1024 * 1024 * 1024;

/** PAI's bounds for Execution Tuning. */
export const MEMORY_PER_WORKER_RANGE = { min: 1024, max: 65536 } as const;
export const WORKERS_RANGE = { min: 1, max: 9999 } as const;
/** PAI: "we recommend that you set the number of vector dimensions to less than 200". */
export const DIMS_LIMIT = 200;
/** A worker count more than this many times the recommendation is "far above" it. */
export const FAR_ABOVE_FACTOR = 2;

export interface TrainingEstimateInput {
  /** M: vector dimensions */
  dims: number;
  /** K: number of Gaussians */
  k: number;
  /** size of the input data in bytes (for the worker recommendation) */
  dataBytes?: number;
  rows?: number;
  /** what the user configured, to check against the recommendation */
  numWorkers?: number;
  memoryPerWorkerMb?: number;
}

export interface PredictionEstimateInput {
  /** size of the model (its JSON) in bytes; estimated from dims and k when absent */
  modelBytes?: number;
  dims: number;
  k: number;
  dataBytes?: number;
  rows?: number;
  numWorkers?: number;
  memoryPerWorkerMb?: number;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * A readable number for formulas and notes, the console's rule too (apps/web formatMb): whole numbers with
 * thousands separators from 100 up, two significant digits below ("0.013", "12", "1,536").
 */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(2)));
}

function checkInput(name: string, value: number | undefined, integer: boolean, min: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${value}`);
  }
}

/** PAI's training memory formula in MB, unrounded: M × M × K × 8 × 2 × 12 / 1024 / 1024. */
export function trainingFormulaMb(dims: number, k: number): number {
  return (dims * dims * k * 8 * 2 * 12) / 1024 / 1024;
}

/** Bytes of a full-covariance model's numbers: K × (1 + M + M²) doubles. */
export function modelNumbersBytes(dims: number, k: number): number {
  return k * (1 + dims + dims * dims) * 8;
}

/** Approximate size of the model JSON (about 20 characters per number plus field names). */
export function modelJsonBytes(dims: number, k: number): number {
  return k * (1 + dims + dims * dims) * 20 + 512;
}

/** Recommended workers: ⌈5 × input GB⌉ clamped to [1, 9999]; 1 when the input size is unknown. */
export function recommendWorkers(dataBytes: number | undefined): number {
  if (dataBytes === undefined || dataBytes <= 0) return WORKERS_RANGE.min;
  return clamp(Math.ceil((5 * dataBytes) / GB), WORKERS_RANGE.min, WORKERS_RANGE.max);
}

export function recommendMemoryMb(formulaMb: number): number {
  return clamp(Math.ceil(formulaMb), MEMORY_PER_WORKER_RANGE.min, MEMORY_PER_WORKER_RANGE.max);
}

interface DataAware {
  mb: number;
  detail: string;
}

/**
 * What one worker really holds: its share of the rows as doubles with room for responsibilities
 * (⌈rows / workers⌉ × (M + K) × 8), the model, and working buffers (the sufficient statistics, the
 * prepared precision factors and one chunk of log-probabilities).
 */
function dataAwareMemory(dims: number, k: number, rows: number, workers: number): DataAware {
  const shareRows = Math.ceil(rows / workers);
  const rowsBytes = shareRows * (dims + k) * 8;
  const model = modelNumbersBytes(dims, k);
  const buffers = model /* stats */ + k * dims * dims * 8 /* precision Cholesky */ + Math.min(shareRows, DEFAULT_CHUNK_ROWS) * k * 8;
  const total = rowsBytes + model + buffers;
  const mb = total / MB;
  const detail =
    `${shareRows.toLocaleString('en-US')} rows per worker × (${dims} + ${k}) × 8 B = ${formatNumber(rowsBytes / MB)} MB, ` +
    `+ model ${formatNumber(model / MB)} MB + buffers ${formatNumber(buffers / MB)} MB = ${formatNumber(mb)} MB per worker ` +
    `(${workers} worker${workers === 1 ? '' : 's'})`;
  return { mb, detail };
}

function warningsFor(o: {
  dims: number;
  rows?: number;
  numWorkers?: number;
  memoryPerWorkerMb?: number;
  formulaMemoryMb: number;
  dataAwareMemoryMb?: number;
  recommendedWorkers: number;
}): ResourceWarning[] {
  const warnings: ResourceWarning[] = [];
  if (o.dims >= DIMS_LIMIT) {
    warnings.push({
      code: 'dims-limit',
      message: `The vectors have ${o.dims} dimensions; PAI documents GMM for fewer than ${DIMS_LIMIT}, and memory grows with the square of the dimension. Reduce the dimension (for example with PCA) or expect long runs.`,
    });
  }
  if (o.memoryPerWorkerMb !== undefined) {
    const needed = Math.max(o.formulaMemoryMb, o.dataAwareMemoryMb ?? 0);
    if (o.memoryPerWorkerMb < needed) {
      const which = needed === o.formulaMemoryMb ? 'the PAI formula' : 'the data-aware estimate';
      warnings.push({
        code: 'memory-below-estimate',
        message: `Memory per worker is ${formatNumber(o.memoryPerWorkerMb)} MB, below the ${formatNumber(needed)} MB that ${which} needs; raise it to at least ${formatNumber(recommendMemoryMb(needed))} MB or the workers may run out of memory.`,
      });
    }
  }
  if (o.numWorkers !== undefined && o.numWorkers > FAR_ABOVE_FACTOR * o.recommendedWorkers) {
    warnings.push({
      code: 'workers-far-above',
      message: `${o.numWorkers} workers is far above the ${o.recommendedWorkers} recommended for this input; beyond a point more workers spend more time communicating than computing and the run gets slower.`,
    });
  }
  if (o.numWorkers !== undefined && o.rows !== undefined && o.numWorkers > o.rows) {
    warnings.push({
      code: 'workers-above-rows',
      message: `${o.numWorkers.toLocaleString('en-US')} workers for ${o.rows.toLocaleString('en-US')} rows leaves some workers without a single row; use at most ${Math.max(1, o.rows)} workers.`,
    });
  }
  return warnings;
}

function checkCommon(o: { dims: number; k: number; dataBytes?: number; rows?: number; numWorkers?: number; memoryPerWorkerMb?: number }): void {
  checkInput('dims', o.dims, true, 1);
  checkInput('k', o.k, true, 1);
  checkInput('dataBytes', o.dataBytes, false, 0);
  checkInput('rows', o.rows, true, 0);
  checkInput('numWorkers', o.numWorkers, true, 1);
  checkInput('memoryPerWorkerMb', o.memoryPerWorkerMb, false, 0);
}

/**
 * The training recommendation: PAI's formula (filled in), memory rounded up and clamped to [1024, 65536],
 * workers ⌈5 × input GB⌉ clamped to [1, 9999], the data-aware estimate when rows are known, and warnings.
 * Without dataBytes, the input size is taken as rows × M × 8 when rows are known.
 */
export function estimateTraining(input: TrainingEstimateInput): ResourceEstimate {
  checkCommon(input);
  const { dims, k } = input;
  const formulaMemoryMb = trainingFormulaMb(dims, k);
  const dataBytes = input.dataBytes ?? (input.rows !== undefined ? input.rows * dims * 8 : undefined);
  const recommendedWorkers = recommendWorkers(dataBytes);
  const aware = input.rows !== undefined ? dataAwareMemory(dims, k, input.rows, input.numWorkers ?? recommendedWorkers) : undefined;
  return {
    formulaMemoryMb,
    formula: `${dims} × ${dims} × ${k} × 8 × 2 × 12 / 1024 / 1024 = ${formatNumber(formulaMemoryMb)} MB`,
    recommendedMemoryMb: recommendMemoryMb(formulaMemoryMb),
    recommendedWorkers,
    ...(aware ? { dataAwareMemoryMb: aware.mb, dataAwareDetail: aware.detail } : {}),
    warnings: warningsFor({ ...input, formulaMemoryMb, dataAwareMemoryMb: aware?.mb, recommendedWorkers }),
  };
}

/** The prediction recommendation: memory ≈ 30 × the model size (PAI), same clamps, workers and warnings as training. */
export function estimatePrediction(input: PredictionEstimateInput): ResourceEstimate {
  checkCommon(input);
  checkInput('modelBytes', input.modelBytes, false, 0);
  const { dims, k } = input;
  const modelBytes = input.modelBytes ?? modelJsonBytes(dims, k);
  const modelMb = modelBytes / MB;
  const formulaMemoryMb = 30 * modelMb;
  const dataBytes = input.dataBytes ?? (input.rows !== undefined ? input.rows * dims * 8 : undefined);
  const recommendedWorkers = recommendWorkers(dataBytes);
  const aware = input.rows !== undefined ? dataAwareMemory(dims, k, input.rows, input.numWorkers ?? recommendedWorkers) : undefined;
  return {
    formulaMemoryMb,
    formula: `30 × ${formatNumber(modelMb)} MB (model) = ${formatNumber(formulaMemoryMb)} MB`,
    recommendedMemoryMb: recommendMemoryMb(formulaMemoryMb),
    recommendedWorkers,
    ...(aware ? { dataAwareMemoryMb: aware.mb, dataAwareDetail: aware.detail } : {}),
    warnings: warningsFor({ ...input, formulaMemoryMb, dataAwareMemoryMb: aware?.mb, recommendedWorkers }),
  };
}
