/**
 * Degenerate fits: a component collapsed onto rows that share a value, so that its likelihood is spurious (see
 * diagnoseDegenerate). Model selection never chooses such a fit; training reports it.
 */
import { GmmInputError } from './errors';
import { maximize } from './kernels';
import { choleskyLower } from './linalg';
import type { CovarianceType, GmmParams, SufficientStats } from './types';

/** mclust's singularity tolerance: a Cholesky factor with min|Lⱼⱼ| / (1 + max|Lⱼⱼ|) ≤ √eps stops its EM (emControl eps). */
export const SINGULAR_TOLERANCE = Math.sqrt(Number.EPSILON);

/** Free covariance parameters estimated from one component's rows (tied: the shared matrix, from all rows). */
function covarianceParametersPerComponent(type: CovarianceType, d: number): number {
  switch (type) {
    case 'full':
    case 'tied':
      return (d * (d + 1)) / 2;
    case 'diag':
      return d;
    case 'spherical':
      return 1;
  }
}

/** mclust's reciprocal-condition test on a lower Cholesky factor: min|Lⱼⱼ| / (1 + max|Lⱼⱼ|). */
function reciprocalCondition(l: Float64Array, d: number): number {
  let min = Infinity;
  let max = 0;
  for (let j = 0; j < d; j++) {
    const v = Math.abs(l[j * d + j]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min / (1 + max);
}

/** The covariance of component c as a dense d × d matrix (tied: the shared one). */
function denseCovariance(type: CovarianceType, covariances: Float64Array, c: number, d: number): Float64Array {
  if (type === 'full') return covariances.slice(c * d * d, (c + 1) * d * d);
  if (type === 'tied') return covariances.slice(0, d * d);
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) out[j * d + j] = type === 'diag' ? covariances[c * d + j] : covariances[c];
  return out;
}

/**
 * Why a fitted mixture is degenerate, or undefined when it is not. `stats` are the E-step statistics of the fitted
 * parameters over the training rows: the fit's own last E-step (so every fit reports it in training.degenerate at
 * no extra pass), or computeStats for a model loaded from elsewhere.
 * Two tests, on those responsibilities:
 *  - a component's weight covers fewer rows (n·wₖ) than it has free covariance parameters; or
 *  - the covariance the M-step estimates from those responsibilities BEFORE regCovar is added (and before any
 *    positive-definite fix) is singular by mclust's rule: its Cholesky factor L fails, or
 *    min|Lⱼⱼ| / (1 + max|Lⱼⱼ|) ≤ √eps (mclust's emControl eps = machine epsilon; its EM stops with "singular
 *    covariance" there). For diag and spherical, L's diagonal is the standard deviations.
 * Both catch a component sitting on rows that share one value of a discrete column, whose variance in that
 * direction is only the regCovar floor and whose likelihood is therefore spurious.
 */
export function diagnoseDegenerate(params: GmmParams, stats: SufficientStats): string | undefined {
  const { k, dims: d, covarianceType: type } = params;
  const rows = stats.rows;
  const perComponent = covarianceParametersPerComponent(type, d);
  if (type === 'tied') {
    if (rows < perComponent) return `the shared covariance has ${perComponent} free parameters but there are only ${rows} rows`;
  } else {
    for (let c = 0; c < k; c++) {
      const covered = params.weights[c] * rows;
      if (covered < perComponent) {
        return `component ${c} covers ${covered.toPrecision(3)} rows, fewer than its ${perComponent} free covariance parameters`;
      }
    }
  }
  let raw: Float64Array;
  try {
    raw = maximize(stats, { regCovar: 0, forcePositive: false }).covariances;
  } catch (e) {
    if (e instanceof GmmInputError && e.details.component !== undefined) {
      return `component ${e.details.component}: the covariance before regCovar is singular (not positive definite)`;
    }
    throw e;
  }
  const l = new Float64Array(d * d);
  for (let c = 0; c < (type === 'tied' ? 1 : k); c++) {
    const name = type === 'tied' ? 'the shared covariance' : `component ${c}: the covariance`;
    if (!choleskyLower(denseCovariance(type, raw, c, d), 0, d, l, 0)) return `${name} before regCovar is singular (not positive definite)`;
    const rc = reciprocalCondition(l, d);
    if (rc <= SINGULAR_TOLERANCE) {
      return `${name} before regCovar is singular: min/(1+max) of its Cholesky diagonal is ${rc.toExponential(2)} ≤ √eps (mclust's rule)`;
    }
  }
  return undefined;
}
