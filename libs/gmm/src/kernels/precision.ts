/**
 * Precision Cholesky factors, after scikit-learn's _compute_precision_cholesky: one function per covariance type.
 *
 * Shapes (flat row-major Float64Arrays): k components, d dims.
 *   covariances  full k × d × d | tied d × d | diag k × d | spherical k
 *   precision Cholesky factors, stored as the LOWER factor P = L⁻¹ where Σ = L·Lᵀ, so the Mahalanobis term is
 *   |P·(x − μ)|². (scikit-learn's precisions_cholesky_ is Pᵀ.)
 *                full k × d × d | tied d × d | diag k × d (1/σ) | spherical k (1/σ)
 *   logDet       (k) log det P = −½ log det Σ
 */
import { GmmInputError } from '../errors';
import { choleskyLower, invertLower } from '../linalg';
import type { CovarianceType, GmmParams } from '../types';

/** Everything the E-step needs, precomputed once per iteration; plain numbers and Float64Arrays (structured-clone friendly). */
export interface PreparedParams {
  covarianceType: CovarianceType;
  k: number;
  dims: number;
  /** (k) log mixture weights */
  logWeights: Float64Array;
  /** (k × d) */
  means: Float64Array;
  /** lower P = L⁻¹: full k × d × d, tied d × d; diag k × d and spherical k hold 1/σ */
  precisionCholesky: Float64Array;
  /** (k) log det P = −½ log det Σ */
  logDetPrecisionCholesky: Float64Array;
  /** (k × d) the point each component's statistics are accumulated about */
  shift: Float64Array;
}

export interface PrecisionCholesky {
  precisionCholesky: Float64Array;
  logDet: Float64Array;
}

/** Size of the covariance array for a type. */
export function covarianceSize(type: CovarianceType, k: number, d: number): number {
  switch (type) {
    case 'full':
      return k * d * d;
    case 'tied':
      return d * d;
    case 'diag':
      return k * d;
    case 'spherical':
      return k;
  }
}

export function illDefinedError(component: number): GmmInputError {
  return new GmmInputError(
    `Fitting the mixture model failed because component ${component} has an ill-defined empirical covariance ` +
      '(for instance caused by singleton or collapsed samples). Try to decrease the number of components (k), ' +
      'increase regCovar, or scale the input data.',
    { component, parameter: 'regCovar' },
  );
}

/**
 * P = L⁻¹ of the d × d covariance block `block` (at block·d·d) into `out` at the same offset; returns log det P.
 * `l` (d × d) is scratch. Throws naming the block when it is not positive definite.
 */
function precisionCholeskyBlock(covariances: Float64Array, block: number, d: number, l: Float64Array, out: Float64Array): number {
  const offset = block * d * d;
  if (!choleskyLower(covariances, offset, d, l, 0)) throw illDefinedError(block);
  invertLower(l, 0, d, out, offset);
  let s = 0;
  for (let j = 0; j < d; j++) s += Math.log(out[offset + j * d + j]);
  if (!Number.isFinite(s)) throw illDefinedError(block);
  return s;
}

/** Full: covariances (k × d × d) → P (k × d × d), one Cholesky per component. */
export function precisionCholeskyFull(covariances: Float64Array, k: number, d: number): PrecisionCholesky {
  const precisionCholesky = new Float64Array(k * d * d);
  const logDet = new Float64Array(k);
  const l = new Float64Array(d * d);
  for (let c = 0; c < k; c++) logDet[c] = precisionCholeskyBlock(covariances, c, d, l, precisionCholesky);
  return { precisionCholesky, logDet };
}

/** Tied: the shared covariance (d × d) → P (d × d); every component has the same log det P. */
export function precisionCholeskyTied(covariances: Float64Array, k: number, d: number): PrecisionCholesky {
  const precisionCholesky = new Float64Array(d * d);
  const logDet = new Float64Array(k);
  logDet.fill(precisionCholeskyBlock(covariances, 0, d, new Float64Array(d * d), precisionCholesky));
  return { precisionCholesky, logDet };
}

/** 1/√v of every variance; throws naming the component (`componentOf(i)`) of the first that is not positive. */
function inverseStandardDeviations(variances: Float64Array, componentOf: (i: number) => number): Float64Array {
  const out = new Float64Array(variances.length);
  for (let i = 0; i < variances.length; i++) {
    const v = variances[i];
    if (!(v > 0) || !Number.isFinite(v)) throw illDefinedError(componentOf(i));
    out[i] = 1 / Math.sqrt(v);
  }
  return out;
}

/** Diag: variances (k × d) → 1/σ (k × d). */
export function precisionCholeskyDiag(covariances: Float64Array, k: number, d: number): PrecisionCholesky {
  const precisionCholesky = inverseStandardDeviations(covariances, (i) => Math.floor(i / d));
  const logDet = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.log(precisionCholesky[c * d + j]);
    logDet[c] = s;
  }
  return { precisionCholesky, logDet };
}

/** Spherical: one variance per component (k) → 1/σ (k). */
export function precisionCholeskySpherical(covariances: Float64Array, k: number, d: number): PrecisionCholesky {
  const precisionCholesky = inverseStandardDeviations(covariances, (i) => i);
  const logDet = new Float64Array(k);
  for (let c = 0; c < k; c++) logDet[c] = d * Math.log(precisionCholesky[c]);
  return { precisionCholesky, logDet };
}

const PRECISION_CHOLESKY: Record<CovarianceType, (covariances: Float64Array, k: number, d: number) => PrecisionCholesky> = {
  full: precisionCholeskyFull,
  tied: precisionCholeskyTied,
  diag: precisionCholeskyDiag,
  spherical: precisionCholeskySpherical,
};

/**
 * The last factors computed on this thread and the covariances they came from: the M-step computes them to check
 * its covariances, and the next E-step's prepareParams asks for the same ones again (one Cholesky and inverse per
 * component, a tenth of an EM iteration on 1,797 × 64 digits with k = 10).
 */
let lastFactors: { type: CovarianceType; k: number; d: number; covariances: Float64Array; factors: PrecisionCholesky } | undefined;

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Precision Cholesky factors and their log-determinants for every component (throws naming the component). */
export function computePrecisionCholesky(type: CovarianceType, covariances: Float64Array, k: number, d: number): PrecisionCholesky {
  const last = lastFactors;
  if (!last || last.type !== type || last.k !== k || last.d !== d || !sameValues(last.covariances, covariances)) {
    lastFactors = { type, k, d, covariances: Float64Array.from(covariances), factors: PRECISION_CHOLESKY[type](covariances, k, d) };
  }
  // copies: the caller owns what it gets
  const { precisionCholesky, logDet } = lastFactors!.factors;
  return { precisionCholesky: Float64Array.from(precisionCholesky), logDet: Float64Array.from(logDet) };
}

/**
 * The point each component's statistics are accumulated about (k × d): its mean; for tied, one common point (the
 * weighted average of the means), so the tied scatter Σ(x−s)(x−s)ᵀ needs no responsibilities.
 */
function statisticsShift(params: GmmParams): Float64Array {
  const { covarianceType, k, dims, means } = params;
  if (covarianceType !== 'tied') return Float64Array.from(means);
  const g = new Float64Array(dims);
  let wsum = 0;
  for (let c = 0; c < k; c++) wsum += params.weights[c];
  for (let c = 0; c < k; c++) for (let j = 0; j < dims; j++) g[j] += (params.weights[c] / wsum) * means[c * dims + j];
  const shift = new Float64Array(k * dims);
  for (let c = 0; c < k; c++) shift.set(g, c * dims);
  return shift;
}

/** Precomputes the E-step's inputs from parameters (one Cholesky per component). */
export function prepareParams(params: GmmParams): PreparedParams {
  const { covarianceType, k, dims } = params;
  const { precisionCholesky, logDet } = computePrecisionCholesky(covarianceType, params.covariances, k, dims);
  const logWeights = new Float64Array(k);
  for (let c = 0; c < k; c++) logWeights[c] = Math.log(params.weights[c]);
  const means = Float64Array.from(params.means);
  const shift = statisticsShift(params);
  return { covarianceType, k, dims, logWeights, means, precisionCholesky, logDetPrecisionCholesky: logDet, shift };
}
