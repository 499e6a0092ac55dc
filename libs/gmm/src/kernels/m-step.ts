/**
 * The M-step, after scikit-learn's _estimate_gaussian_parameters and _estimate_gaussian_covariances_full / _tied /
 * _diag / _spherical: weights, means and one covariance function per type from merged statistics (nk + 10·eps;
 * regCovar added to the diagonal), then mlpack's positive-definite constraint when forcePositive.
 *
 * Shapes: nk k; delta k × d (new means relative to the shift); sumXX as in e-step.ts; covariances full k × d × d |
 * tied d × d | diag k × d | spherical k.
 */
import { forcePositiveDefinite, forcePositiveDiagonal } from '../linalg';
import type { CovarianceType, GmmParams, SufficientStats } from '../types';
import { computePrecisionCholesky } from './precision';

/** scikit-learn adds 10·eps to every nk so that empty components do not divide by zero. */
const NK_EPS = 10 * Number.EPSILON;

/** What every covariance estimate gets: the merged statistics, nk (k), their sum, δ (k × d) and regCovar. */
interface CovarianceInputs {
  stats: SufficientStats;
  nk: Float64Array;
  total: number;
  delta: Float64Array;
  reg: number;
}

/** Full: Σ_c = Σr(x−s)(x−s)ᵀ/nk − δδᵀ + reg·I per component, from the lower triangles. */
function estimateCovariancesFull({ stats, nk, delta, reg }: CovarianceInputs): Float64Array {
  const { k, dims: d, sumXX } = stats;
  const covariances = new Float64Array(k * d * d);
  for (let c = 0; c < k; c++) {
    const co = c * d * d;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        const v = sumXX[co + a * d + b] / nk[c] - delta[c * d + a] * delta[c * d + b];
        covariances[co + a * d + b] = v;
        covariances[co + b * d + a] = v;
      }
      covariances[co + a * d + a] += reg;
    }
  }
  return covariances;
}

/** Tied: (Σ(x−s)(x−s)ᵀ − Σ_c nk_c·δ_cδ_cᵀ) / Σnk + reg·I. */
function estimateCovariancesTied({ stats, nk, total, delta, reg }: CovarianceInputs): Float64Array {
  const { k, dims: d, sumXX } = stats;
  const covariances = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let means2 = 0;
      for (let c = 0; c < k; c++) means2 += nk[c] * delta[c * d + a] * delta[c * d + b];
      const v = (sumXX[a * d + b] - means2) / total;
      covariances[a * d + b] = v;
      covariances[b * d + a] = v;
    }
    covariances[a * d + a] += reg;
  }
  return covariances;
}

/** Diag: Σr(x−s)²/nk − δ² + reg per component and dimension. */
function estimateCovariancesDiag({ stats, nk, delta, reg }: CovarianceInputs): Float64Array {
  const { k, dims: d, sumXX } = stats;
  const covariances = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const dj = delta[c * d + j];
      covariances[c * d + j] = sumXX[c * d + j] / nk[c] - dj * dj + reg;
    }
  }
  return covariances;
}

/** Spherical: the mean of the diagonal variances, (Σr|x−s|²/nk − |δ|²)/d + reg per component. */
function estimateCovariancesSpherical({ stats, nk, delta, reg }: CovarianceInputs): Float64Array {
  const { k, dims: d, sumXX } = stats;
  const covariances = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let m2 = 0;
    for (let j = 0; j < d; j++) m2 += delta[c * d + j] * delta[c * d + j];
    covariances[c] = (sumXX[c] / nk[c] - m2) / d + reg;
  }
  return covariances;
}

const ESTIMATE_COVARIANCES: Record<CovarianceType, (inputs: CovarianceInputs) => Float64Array> = {
  full: estimateCovariancesFull,
  tied: estimateCovariancesTied,
  diag: estimateCovariancesDiag,
  spherical: estimateCovariancesSpherical,
};

export interface MaximizeOptions {
  regCovar: number;
  forcePositive: boolean;
  /** told which components' covariances (tied: [0]) the positive-definite constraint changed */
  onConstrained?: (components: number[]) => void;
}

/**
 * The M-step: weights, means and covariances from merged statistics, then mlpack's positive-definite constraint
 * when forcePositive. Throws GmmInputError naming a component that stays ill-defined.
 */
export function maximize(stats: SufficientStats, o: MaximizeOptions): GmmParams {
  const { covarianceType: type, k, dims: d, sumResp, sumX } = stats;
  const shift = stats.shift;
  const nk = new Float64Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) {
    nk[c] = sumResp[c] + NK_EPS;
    total += nk[c];
  }
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) weights[c] = nk[c] / total;
  // δ = Σr(x−s)/nk: the new mean relative to the shift
  const delta = new Float64Array(k * d);
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const dj = sumX[c * d + j] / nk[c];
      delta[c * d + j] = dj;
      means[c * d + j] = (shift ? shift[c * d + j] : 0) + dj;
    }
  }
  const covariances = ESTIMATE_COVARIANCES[type]({ stats, nk, total, delta, reg: o.regCovar });
  if (o.forcePositive) {
    const changed = applyPositiveConstraint(type, covariances, k, d);
    if (changed.length > 0) o.onConstrained?.(changed);
  }
  // fail here, naming the component, rather than at the next E-step
  computePrecisionCholesky(type, covariances, k, d);
  return { covarianceType: type, k, dims: d, weights, means, covariances };
}

/** mlpack's eigenvalue fix on every covariance of the type, in place; returns the components it changed (tied: [0]). */
export function applyPositiveConstraint(type: CovarianceType, covariances: Float64Array, k: number, d: number): number[] {
  const changed: number[] = [];
  switch (type) {
    case 'full':
      for (let c = 0; c < k; c++) if (forcePositiveDefinite(covariances, c * d * d, d)) changed.push(c);
      break;
    case 'tied':
      if (forcePositiveDefinite(covariances, 0, d)) changed.push(0);
      break;
    case 'diag':
      for (let c = 0; c < k; c++) if (forcePositiveDiagonal(covariances, c * d, d)) changed.push(c);
      break;
    case 'spherical':
      for (let c = 0; c < k; c++) {
        if (!(covariances[c] >= 1e-50)) {
          covariances[c] = 1e-50;
          changed.push(c);
        }
      }
      break;
  }
  return changed;
}
