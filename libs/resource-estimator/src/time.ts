/**
 * Time in the estimate (issue 16, beyond PAI's memory formula): seconds per EM iteration and per run, from the
 * workload's useful flops (emIterationFlops: about 2·N·K·D² for full covariance) and what this machine measured once.
 *
 * Model: one worker spends n·k·(overhead + flopsPerRowAndComponent / rate) seconds per iteration on n rows, where
 * the overhead covers what does not grow with the dimension (the log-sum-exp, gathering responsibilities) and the
 * rate is the kernels' useful GFLOP/s; workers share the rows chunk by chunk. Both numbers come from a short
 * calibration (the real E-step kernels at two dimensions, fastest of six after five warm-ups), run once per process and kernel family
 * and cached: full covariance (tied uses its rate too) and diagonal (spherical uses its rate). Each iteration adds the
 * precision factors the driver computes (precisionFlops) at the rate below, whatever the workers. A trial's start (k-means
 * by default) runs on the driver thread before EM: its flops (startFlops, with k-means' expected Lloyd iterations) at
 * the rate of Lloyd's assignment, measured in the same calibration.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  assignNearest,
  chunkStats,
  emIterationFlops,
  fitChunkRows,
  makeBlobs,
  precisionFlops,
  prepareParams,
  startFlops,
  ROW_MAJOR_MIN_DIMS,
  statsKernels,
  type CovarianceType,
  type GmmParams,
  type StartWork,
} from '@mixflow/gmm';
import { formatNumber } from './estimate';
import type { KernelFamily, MachineRate, TimeEstimate } from './types';

export interface TimeEstimateInput {
  rows: number;
  dims: number;
  k: number;
  covarianceType: CovarianceType;
  /** workers that really run (the engine caps them; rows come in chunks of chunkRows, at most one worker each) */
  workers: number;
  maxIter: number;
  trials?: number;
  chunkRows?: number;
  /** the fit's start (default: init kmeans, the default start, with its expected Lloyd iterations) */
  start?: StartWork;
}

export function familyOf(type: CovarianceType): KernelFamily {
  return type === 'diag' || type === 'spherical' ? 'diag' : 'full';
}

/**
 * Calibration workload: rows per measurement and, per family, the two dimensions whose times separate the overhead
 * from the flops (full from 8 dimensions on, where the E-step runs its SIMD kernels whatever the dimension).
 */
const CALIBRATION = { rows: 1024, k: 8, dims: { full: [8, 40], diag: [4, 32] } as const, warmUps: 5, repeats: 6 };

/** Fastest of `repeats` E-steps over the rows, in seconds. */
function timeEStep(type: CovarianceType, dims: number): number {
  const { rows, k, repeats } = CALIBRATION;
  const { data, centers } = makeBlobs({ rows, dims, k, seed: 1, separation: 1 });
  const params: GmmParams = {
    covarianceType: type,
    k,
    dims,
    weights: new Float64Array(k).fill(1 / k),
    means: centers,
    covariances: type === 'full' ? identities(k, dims) : new Float64Array(k * dims).fill(1),
  };
  const prepared = prepareParams(params);
  // warm-up, untimed: compiles the kernels (the TypeScript ones reach their optimised tier after a few calls)
  for (let r = 0; r < CALIBRATION.warmUps; r++) chunkStats(prepared, data.data, dims, 0, rows);
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    chunkStats(prepared, data.data, dims, 0, rows);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

/** Useful GFLOP/s of Lloyd's assignment (3·n·k·d flops), the bulk of a k-means start: fastest of `repeats`. */
function startRate(dims: number): number {
  const { rows, k, repeats } = CALIBRATION;
  const { data, centers } = makeBlobs({ rows, dims, k, seed: 1, separation: 1 });
  const labels = new Int32Array(rows);
  assignNearest(data, centers, k, labels); // warm-up, untimed
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    assignNearest(data, centers, k, labels);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return (3 * rows * k * dims) / best / 1e9;
}

function identities(k: number, d: number): Float64Array {
  const out = new Float64Array(k * d * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[c * d * d + j * d + j] = 1;
  return out;
}

/**
 * Measures one kernel family on this thread (a few tens of milliseconds): the E-step at two dimensions, solved for
 * the overhead per row and component and the rate of the flops.
 */
let startGflops: number | undefined;

export function calibrate(family: KernelFamily): MachineRate {
  const started = performance.now();
  const dims = CALIBRATION.dims[family];
  const { gflops, overheadSeconds } = solveRate(family, dims);
  // the start's rate (Lloyd's assignment, the same code for every family) is measured once per process
  startGflops ??= startRate(dims[1]);
  // full covariance below the SIMD kernels' dimensions runs the TypeScript kernels: a rate of their own
  const typeScript =
    family === 'full' && statsKernels('full', dims[1]) !== 'TypeScript'
      ? solveRate('full', TYPESCRIPT_DIMS)
      : undefined;
  return {
    family,
    gflops,
    overheadSeconds,
    startGflops,
    ...(typeScript ? { typeScript } : {}),
    calibrationSeconds: (performance.now() - started) / 1000,
  };
}

/** Full covariance's TypeScript kernels (below ROW_MAJOR_MIN_DIMS, 8, where the SIMD ones start) are measured at these. */
const TYPESCRIPT_DIMS = [2, 6] as const;

/**
 * The E-step at two dimensions solved for the overhead per row and component and the rate of the flops:
 * t = n·k·(overhead + f / rate), two equations, two unknowns. A noisy machine can make the slope or the intercept come
 * out ≤ 0; then the larger point alone sets the rate.
 */
function solveRate(type: CovarianceType, dims: readonly [number, number]): { gflops: number; overheadSeconds: number } {
  const { rows, k } = CALIBRATION;
  const [t0, t1] = dims.map((d) => timeEStep(type, d));
  const [f0, f1] = dims.map((d) => emIterationFlops(type, rows, k, d) / (rows * k));
  const perUnit = (t1 - t0) / (rows * k * (f1 - f0));
  const overheadSeconds = t0 / (rows * k) - f0 * perUnit;
  if (!(perUnit > 0) || !(overheadSeconds >= 0)) return { gflops: emIterationFlops(type, rows, k, dims[1]) / t1 / 1e9, overheadSeconds: 0 };
  return { gflops: 1 / perUnit / 1e9, overheadSeconds };
}

const measured = new Map<KernelFamily, MachineRate>();

/** This machine's rate for a kernel family, calibrated on first use and cached for the life of the process. */
export function machineRate(family: KernelFamily): MachineRate {
  let rate = measured.get(family);
  if (!rate) {
    rate = calibrate(family);
    measured.set(family, rate);
  }
  return rate;
}

/** The calibration thread's compiled code (tests run the sources; the thread runs the build's JavaScript). */
function calibrationThreadPath(): string {
  const path = __filename.endsWith('.js') ? join(__dirname, 'calibration-thread.js') : join(__dirname, '..', 'dist', 'calibration-thread.js');
  if (!existsSync(path)) throw new Error(`the calibration thread's code ${path} is missing: run npm run build first`);
  return path;
}

let offThread: Promise<MachineRate[]> | undefined;

/**
 * Calibrates both kernel families on a thread of their own and caches the rates, so a server's first estimate does
 * not run the kernels on its request thread. Once per process; a family calibrated on first use meanwhile keeps its
 * rate (the cache is never overwritten). Rejects when the thread fails: machineRate then calibrates on first use.
 */
export function calibrateOffThread(): Promise<MachineRate[]> {
  offThread ??= new Promise<MachineRate[]>((resolve, reject) => {
    const worker = new Worker(calibrationThreadPath());
    worker.unref(); // never what keeps a process alive
    worker.once('message', (rates: MachineRate[]) => {
      for (const rate of rates) if (!measured.has(rate.family)) measured.set(rate.family, rate);
      resolve(rates.map((r) => measured.get(r.family)!));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the calibration thread exited with code ${code} before answering`)));
  });
  return offThread;
}

/** Seconds per iteration and per run of a training, from its flops and a measured rate (machineRate by default). */
export function estimateTrainingTime(input: TimeEstimateInput, rate: MachineRate = machineRate(familyOf(input.covarianceType))): TimeEstimate {
  const { rows, dims, k, covarianceType, maxIter } = input;
  for (const [name, v, min] of [['rows', rows, 1], ['dims', dims, 1], ['k', k, 1], ['workers', input.workers, 1], ['maxIter', maxIter, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  }
  const trials = input.trials ?? 1;
  const chunks = Math.ceil(rows / (input.chunkRows ?? fitChunkRows(rows, covarianceType, k, dims)));
  const workers = Math.min(input.workers, chunks);
  const flopsPerIteration = emIterationFlops(covarianceType, rows, k, dims);
  // full covariance of a dimension the SIMD kernels do not cover runs the TypeScript ones, at their own rate
  // (by the dimension alone: asking statsKernels would load the SIMD kernels on the caller's thread, the API's)
  const kernels = covarianceType === 'full' && rate.typeScript && dims < ROW_MAJOR_MIN_DIMS ? rate.typeScript : rate;
  const oneWorker = rows * k * kernels.overheadSeconds + flopsPerIteration / (kernels.gflops * 1e9);
  // the precision factors are computed once per iteration on the driver, in plain TypeScript as the start's k-means
  const driverSeconds = precisionFlops(covarianceType, k, dims) / (rate.startGflops * 1e9);
  const secondsPerIteration = oneWorker / workers + driverSeconds;
  // the start runs on the driver thread, whatever the number of workers
  const start = input.start ?? { init: 'kmeans' };
  const flopsOfStart = startFlops(covarianceType, rows, k, dims, start);
  const startSeconds = flopsOfStart / (rate.startGflops * 1e9);
  const maxSeconds = (startSeconds + secondsPerIteration * (maxIter + 1)) * trials;
  const detail =
    `${formatNumber(flopsPerIteration / 1e9)} GFLOP per iteration at ${formatNumber(kernels.gflops)} GFLOP/s ` +
    `+ ${formatNumber(kernels.overheadSeconds * 1e9)} ns per row and component${kernels === rate ? '' : ' (TypeScript kernels)'}, over ${workers} worker${workers === 1 ? '' : 's'}, ` +
    `+ ${formatNumber(driverSeconds)} s of precision factors on the driver = ${formatNumber(secondsPerIteration)} s per iteration; ` +
    (flopsOfStart > 0 ? `start (${start.init}) ${formatNumber(flopsOfStart / 1e9)} GFLOP at ${formatNumber(rate.startGflops)} GFLOP/s = ${formatNumber(startSeconds)} s; ` : '') +
    `at most ${maxIter} iterations` +
    (trials > 1 ? ` × ${trials} trials` : '') +
    ` ≈ ${formatNumber(maxSeconds)} s`;
  return { flopsPerIteration, secondsPerIteration, startSeconds, maxSeconds, workers, rate, detail };
}
