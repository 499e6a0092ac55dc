/**
 * Useful floating-point operations of one EM iteration on n rows (E-step log-densities and statistics; the M-step's
 * O(k·d³) is left out, it does not grow with n). A multiply and an add count as two. What a perfect kernel cannot
 * avoid, so achieved GFLOP/s = flops / seconds compares kernels and machines:
 *   full       2·n·k·d²: the triangular product P·(x − μ) (d² per row and component) and the lower scatter (d²)
 *   tied       2·n·d² + 8·n·k·d: one shared projection and one scatter per row, then per component as diag
 *   diag, spherical  8·n·k·d: (x − μ)·s squared and summed (4), then Σr·v and Σr·v² (4) per row, component, dimension
 */
import type { CovarianceType, InitMethod } from '../types';

export function emIterationFlops(type: CovarianceType, rows: number, k: number, dims: number): number {
  switch (type) {
    case 'full':
      return 2 * rows * k * dims * dims;
    case 'tied':
      return 2 * rows * dims * dims + 8 * rows * k * dims;
    case 'diag':
    case 'spherical':
      return 8 * rows * k * dims;
  }
}

/**
 * Floating-point operations of an iteration's precision factors on the driver (precision.ts: a Cholesky factor and
 * its triangular inverse per covariance, d³/3 multiply-adds each, for full k of them, for tied one); diag and
 * spherical take a square root per variance. They do not grow with n nor shrink with the workers: on small data
 * (the digits, k = 10, d = 64) they are a quarter of an iteration.
 */
export function precisionFlops(type: CovarianceType, k: number, dims: number): number {
  const factor = (4 / 3) * dims * dims * dims;
  switch (type) {
    case 'full':
      return k * factor;
    case 'tied':
      return factor;
    case 'diag':
      return k * dims;
    case 'spherical':
      return k;
  }
}

/** Lloyd iterations a start is expected to take when the estimate cannot know (digits, 10 seeds: 8 to 29, mean 17.6). */
export const EXPECTED_KMEANS_ITERATIONS = 20;

/** What startFlops needs of a fit's start; kmeansIterations defaults to EXPECTED_KMEANS_ITERATIONS (at most kmeansMaxIter). */
export interface StartWork {
  init: InitMethod;
  /** initialModel or weightsInit + meansInit + precisionsInit: no start to run */
  fixed?: boolean;
  kmeansIterations?: number;
  kmeansMaxIter?: number;
  samplings?: number;
  percentage?: number;
}

/**
 * Floating-point operations of one trial's start on the driver (starts.ts), counted as emIterationFlops counts EM's,
 * a multiply and an add as two:
 *   k-means++ seeding   3·n·d per pass (difference, square, sum), 1 + (k − 1)·(2 + ⌊ln k⌋) passes
 *   a Lloyd iteration   3·n·k·d (every row against every centre) + n·d (the new centres)
 *   the partition's statistics (labelStats)  full, tied 2·n·d²/2 + 2·n·d; diag, spherical 4·n·d
 *   random's dense responsibilities (responsibilityStats)  k times the partition's
 * refined runs k-means on `samplings` samples of percentage·n rows, Lloyd on the pool from each sampling, then Lloyd
 * on all rows. Alink's grouping, random_from_data and a fixed start cost next to nothing.
 */
export function startFlops(type: CovarianceType, rows: number, k: number, dims: number, start: StartWork): number {
  if (start.fixed) return 0;
  const iterations = Math.min(start.kmeansIterations ?? EXPECTED_KMEANS_ITERATIONS, start.kmeansMaxIter ?? Infinity);
  const seeding = (n: number) => 3 * n * dims * (1 + (k - 1) * (2 + Math.floor(Math.log(k))));
  const lloyd = (n: number) => iterations * (3 * n * k * dims + n * dims);
  const partition = type === 'full' || type === 'tied' ? rows * dims * dims + 2 * rows * dims : 4 * rows * dims;
  switch (start.init) {
    case 'kmeans':
      return seeding(rows) + lloyd(rows) + partition;
    case 'k-means++':
      return seeding(rows);
    case 'random':
      return k * partition;
    case 'refined': {
      const samplings = start.samplings ?? 100;
      const sample = Math.min(rows, Math.max(k, Math.ceil((start.percentage ?? 0.02) * rows)));
      return samplings * (seeding(sample) + lloyd(sample)) + samplings * lloyd(samplings * k) + lloyd(rows) + partition;
    }
    case 'random_from_data':
    case 'alink':
      return 0;
  }
}
