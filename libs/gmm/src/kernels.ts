/**
 * EM kernels, after scikit-learn's _gaussian_mixture.py: one small pure function per step and per covariance type.
 *
 * Shapes (all flat row-major Float64Arrays): n rows, d dims, k components.
 *   x            n × d          data
 *   means        k × d
 *   covariances  full k × d × d | tied d × d | diag k × d | spherical k
 *   precision Cholesky factors, stored as the LOWER factor P with P·Pᵀ = Σ⁻¹... precisely P = L⁻¹ where Σ = L·Lᵀ,
 *   so the Mahalanobis term is |P·(x − μ)|². (scikit-learn's precisions_cholesky_ is Pᵀ.)
 *                full k × d × d | tied d × d | diag k × d (1/σ) | spherical k (1/σ)
 *
 * Sufficient statistics are accumulated about a fixed shift per component (the means of the parameters the E-step
 * ran with; for tied, their weighted average), which keeps Σ r·(x−s)(x−s)ᵀ − n·δδᵀ free of catastrophic
 * cancellation without a second pass over the data.
 */
import { GmmInputError } from './errors';
import { choleskyLower, forcePositiveDefinite, forcePositiveDiagonal, invertLower } from './linalg';
import type { CovarianceType, GmmParams, SufficientStats } from './types';

const LOG_2PI = Math.log(2 * Math.PI);
/** scikit-learn adds 10·eps to every nk so that empty components do not divide by zero. */
const NK_EPS = 10 * Number.EPSILON;

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

/** Precision Cholesky factors and their log-determinants for every component (throws naming the component). */
export function computePrecisionCholesky(
  type: CovarianceType,
  covariances: Float64Array,
  k: number,
  d: number,
): { precisionCholesky: Float64Array; logDet: Float64Array } {
  const logDet = new Float64Array(k);
  if (type === 'full' || type === 'tied') {
    const blocks = type === 'full' ? k : 1;
    const precisionCholesky = new Float64Array(blocks * d * d);
    const l = new Float64Array(d * d);
    for (let c = 0; c < blocks; c++) {
      if (!choleskyLower(covariances, c * d * d, d, l, 0)) throw illDefinedError(c);
      invertLower(l, 0, d, precisionCholesky, c * d * d);
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precisionCholesky[c * d * d + j * d + j]);
      if (!Number.isFinite(s)) throw illDefinedError(c);
      if (type === 'full') logDet[c] = s;
      else logDet.fill(s);
    }
    return { precisionCholesky, logDet };
  }
  const precisionCholesky = new Float64Array(covariances.length);
  for (let i = 0; i < covariances.length; i++) {
    const v = covariances[i];
    if (!(v > 0) || !Number.isFinite(v)) throw illDefinedError(type === 'diag' ? Math.floor(i / d) : i);
    precisionCholesky[i] = 1 / Math.sqrt(v);
  }
  for (let c = 0; c < k; c++) {
    if (type === 'diag') {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precisionCholesky[c * d + j]);
      logDet[c] = s;
    } else {
      logDet[c] = d * Math.log(precisionCholesky[c]);
    }
  }
  return { precisionCholesky, logDet };
}

/** Precomputes the E-step's inputs from parameters (one Cholesky per component). */
export function prepareParams(params: GmmParams): PreparedParams {
  const { covarianceType, k, dims } = params;
  const { precisionCholesky, logDet } = computePrecisionCholesky(covarianceType, params.covariances, k, dims);
  const logWeights = new Float64Array(k);
  for (let c = 0; c < k; c++) logWeights[c] = Math.log(params.weights[c]);
  const means = Float64Array.from(params.means);
  let shift: Float64Array;
  if (covarianceType === 'tied') {
    // one shift for all components, so the tied scatter Σ(x−s)(x−s)ᵀ needs no responsibilities
    const g = new Float64Array(dims);
    let wsum = 0;
    for (let c = 0; c < k; c++) wsum += params.weights[c];
    for (let c = 0; c < k; c++) for (let j = 0; j < dims; j++) g[j] += (params.weights[c] / wsum) * means[c * dims + j];
    shift = new Float64Array(k * dims);
    for (let c = 0; c < k; c++) shift.set(g, c * dims);
  } else {
    shift = Float64Array.from(means);
  }
  return { covarianceType, k, dims, logWeights, means, precisionCholesky, logDetPrecisionCholesky: logDet, shift };
}

/** Rows per block: a block's transposed rows (d × B) stay in cache next to one Cholesky factor. */
function blockRows(d: number): number {
  return d <= 16 ? 256 : d <= 64 ? 128 : 64;
}

/** Scratch buffers of one block, allocated once per call, never inside the loops. */
interface BlockScratch {
  /** d × B: the block's rows transposed (xt[j][i] = x_i[j]) */
  xt: Float64Array;
  /** d × B: differences to a mean (then gathered differences in the M-step) */
  dt: Float64Array;
  /** d × B: responsibility-weighted differences */
  wt: Float64Array;
  /** B: Mahalanobis accumulators */
  acc: Float64Array;
  /** B: one row of P·(x − μ) */
  y: Float64Array;
  /** B: one component's responsibilities */
  rc: Float64Array;
  /** B: indices of rows with non-zero responsibility */
  idx: Int32Array;
  /** B: those rows' responsibilities, gathered (diag, spherical, tied) */
  rg: Float64Array;
  /** tied only (k × d): P·(μ_c − s), the projected means relative to the common shift */
  projectedMeans: Float64Array;
  /** full only, B × d: the block's rows minus one mean, row-major */
  dr: Float64Array;
  /** full only, B: each row's largest weighted log-probability so far (for pruning) */
  best: Float64Array;
}

function blockScratch(p: PreparedParams): BlockScratch {
  const d = p.dims;
  const B = blockRows(d);
  return {
    projectedMeans: p.covarianceType === 'tied' ? projectMeans(p) : new Float64Array(0),
    xt: new Float64Array(d * B),
    dt: new Float64Array(d * B),
    wt: new Float64Array(d * B),
    acc: new Float64Array(B),
    y: new Float64Array(B),
    rc: new Float64Array(B),
    idx: new Int32Array(B),
    rg: new Float64Array(B),
    dr: new Float64Array(p.covarianceType === 'full' && d >= ROW_MAJOR_MIN_DIMS ? B * d : 0),
    best: new Float64Array(B),
  };
}

/** xt (d × m) = rows [b0, b0 + m) of x transposed. */
function transposeBlock(x: Float64Array, d: number, b0: number, m: number, xt: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const xi = (b0 + i) * d;
    for (let j = 0; j < d; j++) xt[j * m + i] = x[xi + j];
  }
}

/**
 * log(w_c) + log N(x_i | μ_c, Σ_c) for rows [start, end) into out ((end−start) × k), processed in blocks of rows so
 * each component's factor is reused from cache.
 */
export function estimateWeightedLogProb(
  p: PreparedParams,
  x: Float64Array,
  d: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const B = blockRows(d);
  const scratch = blockScratch(p);
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(end, b0 + B) - b0;
    if (p.covarianceType === 'full' && d >= ROW_MAJOR_MIN_DIMS) {
      for (let c = 0; c < p.k; c++) fullWeightedLogProb(p, c, x, b0, m, out, (b0 - start) * p.k, scratch, false);
      continue;
    }
    transposeBlock(x, d, b0, m, scratch.xt);
    logProbBlock(p, d, m, out, (b0 - start) * p.k, scratch);
  }
}

/**
 * Pruning margin: a component whose weighted log-probability is below a row's best by more than this has
 * exp(logProb − max) = 0 exactly in double precision (exp underflows to 0 below about −745.2), so it contributes
 * nothing to the log-sum-exp or the responsibilities and its exact value is not needed.
 */
const PRUNE_MARGIN = 800;

/**
 * Full covariance from this many dimensions on: the row-major kernel (fullWeightedLogProb), whose register blocking
 * pays once rows of P are long; below, the transposed kernel (logProbBlock), whose loops run over the block's rows.
 */
const ROW_MAJOR_MIN_DIMS = 8;

/**
 * Full covariance: out[outOffset + i·k + c] = log w_c + log N(x_i | μ_c, Σ_c) for the m rows starting at row b0,
 * with the Mahalanobis term |P·(x_i − μ_c)|² computed from row-major differences (B × d), two rows and four rows
 * of P at a time, so every loaded value feeds several products.
 *
 * With `prune`, the row's best log-probability over the components before c (scratch.best, −∞ before the first)
 * bounds the work: the partial sum of squares only grows, so once it shows that the component's log-probability is
 * more than PRUNE_MARGIN below the best for both rows of a pair, the component gets −∞ for them, which yields the
 * same responsibilities (0) and log-sum-exp, bit for bit, as the exact value would.
 */
function fullWeightedLogProb(
  p: PreparedParams,
  c: number,
  x: Float64Array,
  b0: number,
  m: number,
  out: Float64Array,
  outOffset: number,
  scratch: BlockScratch,
  prune: boolean,
): void {
  const { k, dims: d, means, precisionCholesky: pc } = p;
  const { dr, best } = scratch;
  const mu = c * d;
  const po = c * d * d;
  for (let i = 0; i < m; i++) {
    const xi = (b0 + i) * d;
    const ri = i * d;
    for (let j = 0; j < d; j++) dr[ri + j] = x[xi + j] - means[mu + j];
  }
  const constant = d * LOG_2PI;
  const add = p.logDetPrecisionCholesky[c] + p.logWeights[c];
  // lp = −½(constant + acc) + add < best − margin  ⇔  acc > 2(add − best + margin) − constant
  const limitOf = (i: number): number => (prune ? 2 * (add - best[i] + PRUNE_MARGIN) - constant : Infinity);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * d;
    const a1 = a0 + d;
    const lim0 = limitOf(i);
    const lim1 = limitOf(i + 1);
    let s0 = 0;
    let s1 = 0;
    let pruned = false;
    let j = 0;
    // P is lower-triangular with zeros above the diagonal, so rows j..j+3 all run to q = j+3
    for (; j + 3 < d; j += 4) {
      const r0 = po + j * d;
      const r1 = r0 + d;
      const r2 = r1 + d;
      const r3 = r2 + d;
      let y00 = 0;
      let y01 = 0;
      let y10 = 0;
      let y11 = 0;
      let y20 = 0;
      let y21 = 0;
      let y30 = 0;
      let y31 = 0;
      for (let q = 0; q < j + 4; q++) {
        const u = dr[a0 + q];
        const v = dr[a1 + q];
        const p0 = pc[r0 + q];
        const p1 = pc[r1 + q];
        const p2 = pc[r2 + q];
        const p3 = pc[r3 + q];
        y00 += p0 * u;
        y01 += p0 * v;
        y10 += p1 * u;
        y11 += p1 * v;
        y20 += p2 * u;
        y21 += p2 * v;
        y30 += p3 * u;
        y31 += p3 * v;
      }
      s0 += y00 * y00 + y10 * y10 + y20 * y20 + y30 * y30;
      s1 += y01 * y01 + y11 * y11 + y21 * y21 + y31 * y31;
      if (s0 > lim0 && s1 > lim1) {
        pruned = true;
        break;
      }
    }
    if (pruned) {
      out[outOffset + i * k + c] = -Infinity;
      out[outOffset + (i + 1) * k + c] = -Infinity;
      continue;
    }
    for (; j < d; j++) {
      const r = po + j * d;
      let y0 = 0;
      let y1 = 0;
      for (let q = 0; q <= j; q++) {
        const pq = pc[r + q];
        y0 += pq * dr[a0 + q];
        y1 += pq * dr[a1 + q];
      }
      s0 += y0 * y0;
      s1 += y1 * y1;
    }
    const lp0 = -0.5 * (constant + s0) + add;
    const lp1 = -0.5 * (constant + s1) + add;
    out[outOffset + i * k + c] = lp0;
    out[outOffset + (i + 1) * k + c] = lp1;
    if (lp0 > best[i]) best[i] = lp0;
    if (lp1 > best[i + 1]) best[i + 1] = lp1;
  }
  if (i < m) {
    const a0 = i * d;
    const lim0 = limitOf(i);
    let s0 = 0;
    for (let j = 0; j < d; j++) {
      const r = po + j * d;
      let y0 = 0;
      for (let q = 0; q <= j; q++) y0 += pc[r + q] * dr[a0 + q];
      s0 += y0 * y0;
      if (s0 > lim0) break;
    }
    if (s0 > lim0) {
      out[outOffset + i * k + c] = -Infinity;
    } else {
      const lp0 = -0.5 * (constant + s0) + add;
      out[outOffset + i * k + c] = lp0;
      if (lp0 > best[i]) best[i] = lp0;
    }
  }
}

/** One block of m rows, given transposed in scratch.xt: writes row-major m × k at out[outOffset]. */
function logProbBlock(p: PreparedParams, d: number, m: number, out: Float64Array, outOffset: number, scratch: BlockScratch): void {
  const { k, means, precisionCholesky: pc, logDetPrecisionCholesky: logDet, logWeights } = p;
  const { xt, acc } = scratch;
  const constant = d * LOG_2PI;
  const type = p.covarianceType;
  if (type === 'tied') {
    // one shared factor: project the block once, P·(x − s) into wt, then each component only subtracts P·(μ_c − s)
    const { dt, wt } = scratch;
    for (let j = 0; j < d; j++) {
      const sj = p.shift[j];
      const row = j * m;
      for (let i = 0; i < m; i++) dt[row + i] = xt[row + i] - sj;
    }
    for (let j = 0; j < d; j++) lowerRowTimesBlock(pc, j * d, j, dt, m, wt, j * m);
  }
  for (let c = 0; c < k; c++) {
    const mu = c * d;
    acc.fill(0, 0, m);
    if (type === 'tied') {
      const { wt, projectedMeans } = scratch;
      for (let j = 0; j < d; j++) {
        const b = projectedMeans[mu + j];
        const row = j * m;
        for (let i = 0; i < m; i++) {
          const v = wt[row + i] - b;
          acc[i] += v * v;
        }
      }
    } else if (type === 'full') {
      mahalanobisTriangular(d, m, means, mu, pc, c * d * d, scratch);
    } else {
      // Σ_j ((x_j − μ_j)/σ_j)², two dimensions per pass over the block's rows
      const diag = type === 'diag';
      let j = 0;
      for (; j + 1 < d; j += 2) {
        const mu0 = means[mu + j];
        const mu1 = means[mu + j + 1];
        const s0 = diag ? pc[c * d + j] : pc[c];
        const s1 = diag ? pc[c * d + j + 1] : pc[c];
        const r0 = j * m;
        const r1 = r0 + m;
        for (let i = 0; i < m; i++) {
          const v0 = (xt[r0 + i] - mu0) * s0;
          const v1 = (xt[r1 + i] - mu1) * s1;
          acc[i] += v0 * v0 + v1 * v1;
        }
      }
      if (j < d) {
        const muj = means[mu + j];
        const s = diag ? pc[c * d + j] : pc[c];
        const row = j * m;
        for (let i = 0; i < m; i++) {
          const v = (xt[row + i] - muj) * s;
          acc[i] += v * v;
        }
      }
    }
    const add = logDet[c];
    const lw = logWeights[c];
    for (let i = 0; i < m; i++) out[outOffset + i * k + c] = -0.5 * (constant + acc[i]) + add + lw;
  }
}

/**
 * acc[i] += |P·(x_i − μ)|² for the block's m rows, P lower-triangular (d × d at po). The differences are laid out
 * d × m so every pass runs over contiguous memory; four columns of P are applied per pass.
 */
function mahalanobisTriangular(d: number, m: number, means: Float64Array, mu: number, pc: Float64Array, po: number, scratch: BlockScratch): void {
  const { xt, dt, acc, y } = scratch;
  for (let j = 0; j < d; j++) {
    const muj = means[mu + j];
    const row = j * m;
    for (let i = 0; i < m; i++) dt[row + i] = xt[row + i] - muj;
  }
  for (let j = 0; j < d; j++) {
    lowerRowTimesBlock(pc, po + j * d, j, dt, m, y, 0);
    for (let i = 0; i < m; i++) acc[i] += y[i] * y[i];
  }
}

/**
 * out[outOffset + i] = Σ_{q ≤ j} P[j][q]·src[q][i] for i < m: row j of a lower-triangular P (starting at pc[pj])
 * times the d × m block src, four columns of P per pass over contiguous memory.
 */
function lowerRowTimesBlock(pc: Float64Array, pj: number, j: number, src: Float64Array, m: number, out: Float64Array, outOffset: number): void {
  const o = outOffset;
  let q = 0;
  for (; q + 3 <= j; q += 4) {
    const p0 = pc[pj + q];
    const p1 = pc[pj + q + 1];
    const p2 = pc[pj + q + 2];
    const p3 = pc[pj + q + 3];
    const r0 = q * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    if (q === 0) {
      for (let i = 0; i < m; i++) out[o + i] = p0 * src[r0 + i] + p1 * src[r1 + i] + p2 * src[r2 + i] + p3 * src[r3 + i];
    } else {
      for (let i = 0; i < m; i++) out[o + i] += p0 * src[r0 + i] + p1 * src[r1 + i] + p2 * src[r2 + i] + p3 * src[r3 + i];
    }
  }
  if (q === 0) {
    const p0 = pc[pj];
    for (let i = 0; i < m; i++) out[o + i] = p0 * src[i];
    q = 1;
  }
  for (; q <= j; q++) {
    const pq = pc[pj + q];
    const row = q * m;
    for (let i = 0; i < m; i++) out[o + i] += pq * src[row + i];
  }
}

/** Tied: P·(μ_c − s) for every component (k × d), s the common shift. */
function projectMeans(p: PreparedParams): Float64Array {
  const { k, dims: d, means, shift, precisionCholesky: pc } = p;
  const out = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let q = 0; q <= j; q++) t += pc[j * d + q] * (means[c * d + q] - shift[c * d + q]);
      out[c * d + j] = t;
    }
  }
  return out;
}

/** Below this, Math.exp returns exactly 0 (the smallest subnormal is exp(−744.44); exp(−745.14) rounds to 0). */
const EXP_UNDERFLOW = -746;

/**
 * Turns each row of weighted log-probabilities (n × k, in place) into responsibilities by log-sum-exp and
 * returns Σ_i log p(x_i) over the rows. logNorm (n), when given, receives each row's log p(x_i).
 */
export function normalizeLogProb(logProb: Float64Array, n: number, k: number, logNorm?: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = -Infinity;
    let top = 0;
    for (let c = 0; c < k; c++) {
      if (logProb[o + c] > max) {
        max = logProb[o + c];
        top = c;
      }
    }
    let s = 0;
    for (let c = 0; c < k; c++) {
      // exact shortcuts: exp(max − max) = 1 (NaN kept when max is not finite), and exp(t) underflows to 0 for
      // t < −745.14, so components far below the row's best need no exp call
      const t = logProb[o + c] - max;
      const e = c === top && Number.isFinite(max) ? 1 : t < EXP_UNDERFLOW ? 0 : Math.exp(t);
      logProb[o + c] = e;
      s += e;
    }
    const lse = max + Math.log(s);
    const inv = 1 / s;
    for (let c = 0; c < k; c++) logProb[o + c] *= inv;
    if (logNorm) logNorm[i] = lse;
    total += lse;
  }
  return total;
}

/** Empty statistics for parameters prepared as `p` (the shift is copied from p). */
export function emptyStats(type: CovarianceType, k: number, d: number, shift: Float64Array): SufficientStats {
  const xxSize = type === 'full' ? k * d * d : type === 'tied' ? d * d : type === 'diag' ? k * d : k;
  return {
    covarianceType: type,
    k,
    dims: d,
    rows: 0,
    logLikelihood: 0,
    sumResp: new Float64Array(k),
    sumX: new Float64Array(k * d),
    sumXX: new Float64Array(xxSize),
    shift: Float64Array.from(shift),
  };
}

/**
 * The E-step on rows [start, end): responsibilities r_ic by log-sum-exp, then Σr, Σr·(x−s), the scatter the
 * covariance type needs about the shift s (full and tied: lower triangles only), and Σ log p(x_i).
 * Rows are processed in blocks (transposed once per block); per-block sums are added to the totals in block order.
 */
export function chunkStats(prepared: PreparedParams, data: Float64Array, dims: number, start: number, end: number): SufficientStats {
  const { k, covarianceType: type, shift } = prepared;
  const d = dims;
  if (d !== prepared.dims) {
    throw new GmmInputError(`data has ${d} columns but the model has ${prepared.dims} dimensions`, { parameter: 'dims' });
  }
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end * d <= data.length)) {
    throw new GmmInputError(`rows [${start}, ${end}) are outside the data`, { parameter: 'start' });
  }
  const stats = emptyStats(type, k, d, shift);
  const { sumResp, sumX, sumXX } = stats;
  const B = blockRows(d);
  const scratch = blockScratch(prepared);
  const { xt, dt, wt, rc, idx, rg } = scratch;
  const resp = new Float64Array(B * k);
  let logLikelihood = 0;
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(end, b0 + B) - b0;
    transposeBlock(data, d, b0, m, xt);
    if (type === 'full' && d >= ROW_MAJOR_MIN_DIMS) {
      scratch.best.fill(-Infinity, 0, m);
      for (let c = 0; c < k; c++) fullWeightedLogProb(prepared, c, data, b0, m, resp, 0, scratch, true);
    } else {
      logProbBlock(prepared, d, m, resp, 0, scratch);
    }
    logLikelihood += normalizeLogProb(resp, m, k);
    if (type === 'tied') {
      // Σ_c r_ic = 1, so the tied scatter about the common shift needs no responsibilities (dt = x − s, from above)
      accumulateLowerScatter(sumXX, 0, d, dt, dt, m, m);
    }
    for (let c = 0; c < k; c++) {
      const so = c * d;
      let nk = 0;
      let count = 0;
      for (let i = 0; i < m; i++) {
        const r = resp[i * k + c];
        rc[i] = r;
        nk += r;
        if (r !== 0) idx[count++] = i;
      }
      sumResp[c] += nk;
      if (count === 0) continue;
      if (type === 'full') {
        // gather the rows this component has any responsibility for, as d × count columns
        for (let j = 0; j < d; j++) {
          const sj = shift[so + j];
          const row = j * m;
          let sx = 0;
          for (let t = 0; t < count; t++) {
            const i = idx[t];
            const v = xt[row + i] - sj;
            const rv = rc[i] * v;
            dt[row + t] = v;
            wt[row + t] = rv;
            sx += rv;
          }
          sumX[so + j] += sx;
        }
        accumulateLowerScatter(sumXX, c * d * d, d, wt, dt, m, count);
      } else {
        // only the rows with non-zero responsibility (rc gathered to rg), two dimensions per pass
        for (let t = 0; t < count; t++) rg[t] = rc[idx[t]];
        let s2 = 0;
        let j = 0;
        for (; j + 1 < d; j += 2) {
          const s0 = shift[so + j];
          const s1 = shift[so + j + 1];
          const r0 = j * m;
          const r1 = r0 + m;
          let sx0 = 0;
          let sxx0 = 0;
          let sx1 = 0;
          let sxx1 = 0;
          for (let t = 0; t < count; t++) {
            const i = idx[t];
            const r = rg[t];
            const v0 = xt[r0 + i] - s0;
            const v1 = xt[r1 + i] - s1;
            const rv0 = r * v0;
            const rv1 = r * v1;
            sx0 += rv0;
            sxx0 += rv0 * v0;
            sx1 += rv1;
            sxx1 += rv1 * v1;
          }
          sumX[so + j] += sx0;
          sumX[so + j + 1] += sx1;
          if (type === 'diag') {
            sumXX[so + j] += sxx0;
            sumXX[so + j + 1] += sxx1;
          } else {
            s2 += sxx0 + sxx1;
          }
        }
        if (j < d) {
          const sj = shift[so + j];
          const row = j * m;
          let sx = 0;
          let sxx = 0;
          for (let t = 0; t < count; t++) {
            const v = xt[row + idx[t]] - sj;
            const rv = rg[t] * v;
            sx += rv;
            sxx += rv * v;
          }
          sumX[so + j] += sx;
          if (type === 'diag') sumXX[so + j] += sxx;
          else s2 += sxx;
        }
        if (type === 'spherical') sumXX[c] += s2;
      }
    }
  }
  stats.rows = end - start;
  stats.logLikelihood = logLikelihood;
  return stats;
}

/**
 * S[a][b] += Σ_{i < count} w[a][i]·v[b][i] for b ≤ a; w and v are d × stride. Rows a and a+1 of S are computed
 * together, four entries each per pass, so every loaded w and v value feeds two or four products; each entry is
 * still one sum over i in row order.
 */
function accumulateLowerScatter(
  s: Float64Array,
  so: number,
  d: number,
  w: Float64Array,
  v: Float64Array,
  stride: number,
  count: number,
): void {
  let a = 0;
  for (; a + 1 < d; a += 2) {
    const w0 = a * stride;
    const w1 = w0 + stride;
    const s0 = so + a * d;
    const s1 = s0 + d;
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const v0 = b * stride;
      const v1 = v0 + stride;
      const v2 = v1 + stride;
      const v3 = v2 + stride;
      let t00 = 0;
      let t01 = 0;
      let t02 = 0;
      let t03 = 0;
      let t10 = 0;
      let t11 = 0;
      let t12 = 0;
      let t13 = 0;
      for (let i = 0; i < count; i++) {
        const x0 = w[w0 + i];
        const x1 = w[w1 + i];
        const y0 = v[v0 + i];
        const y1 = v[v1 + i];
        const y2 = v[v2 + i];
        const y3 = v[v3 + i];
        t00 += x0 * y0;
        t01 += x0 * y1;
        t02 += x0 * y2;
        t03 += x0 * y3;
        t10 += x1 * y0;
        t11 += x1 * y1;
        t12 += x1 * y2;
        t13 += x1 * y3;
      }
      s[s0 + b] += t00;
      s[s0 + b + 1] += t01;
      s[s0 + b + 2] += t02;
      s[s0 + b + 3] += t03;
      s[s1 + b] += t10;
      s[s1 + b + 1] += t11;
      s[s1 + b + 2] += t12;
      s[s1 + b + 3] += t13;
    }
    // the rest of both rows up to column a, then S[a+1][a+1]
    for (; b <= a; b++) {
      const vb = b * stride;
      let t0 = 0;
      let t1 = 0;
      for (let i = 0; i < count; i++) {
        const y = v[vb + i];
        t0 += w[w0 + i] * y;
        t1 += w[w1 + i] * y;
      }
      s[s0 + b] += t0;
      s[s1 + b] += t1;
    }
    const vb = (a + 1) * stride;
    let t = 0;
    for (let i = 0; i < count; i++) t += w[w1 + i] * v[vb + i];
    s[s1 + a + 1] += t;
  }
  if (a < d) {
    // the last row when d is odd
    const wa = a * stride;
    const sa = so + a * d;
    for (let b = 0; b <= a; b++) {
      const vb = b * stride;
      let t = 0;
      for (let i = 0; i < count; i++) t += w[wa + i] * v[vb + i];
      s[sa + b] += t;
    }
  }
}

/** Plain sums of chunk statistics in the given order (chunk order, so the result never depends on worker count). */
export function mergeStats(chunks: readonly SufficientStats[]): SufficientStats {
  if (chunks.length === 0) throw new GmmInputError('mergeStats needs at least one chunk', { parameter: 'chunks' });
  const first = chunks[0];
  const out: SufficientStats = {
    covarianceType: first.covarianceType,
    k: first.k,
    dims: first.dims,
    rows: first.rows,
    logLikelihood: first.logLikelihood,
    sumResp: Float64Array.from(first.sumResp),
    sumX: Float64Array.from(first.sumX),
    sumXX: Float64Array.from(first.sumXX),
    shift: first.shift ? Float64Array.from(first.shift) : undefined,
  };
  for (let t = 1; t < chunks.length; t++) {
    const c = chunks[t];
    if (c.covarianceType !== out.covarianceType || c.k !== out.k || c.dims !== out.dims || c.sumXX.length !== out.sumXX.length) {
      throw new GmmInputError(`chunk ${t} has statistics of a different shape than chunk 0`, { parameter: 'chunks' });
    }
    if (!sameShift(out.shift, c.shift, out.k * out.dims)) {
      throw new GmmInputError(`chunk ${t} was computed with different parameters than chunk 0`, { parameter: 'chunks' });
    }
    out.rows += c.rows;
    out.logLikelihood += c.logLikelihood;
    addInto(out.sumResp, c.sumResp);
    addInto(out.sumX, c.sumX);
    addInto(out.sumXX, c.sumXX);
  }
  return out;
}

function sameShift(a: Float64Array | undefined, b: Float64Array | undefined, n: number): boolean {
  for (let i = 0; i < n; i++) if ((a ? a[i] : 0) !== (b ? b[i] : 0)) return false;
  return true;
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

/**
 * The M-step: weights, means and covariances from merged statistics, as scikit-learn's
 * _estimate_gaussian_parameters (nk + 10·eps; regCovar added to the diagonal), then mlpack's positive-definite
 * constraint when forcePositive. Throws GmmInputError naming a component that stays ill-defined.
 */
export function maximize(stats: SufficientStats, o: { regCovar: number; forcePositive: boolean }): GmmParams {
  const { covarianceType: type, k, dims: d, sumResp, sumX, sumXX } = stats;
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
  const covariances = new Float64Array(covarianceSize(type, k, d));
  const reg = o.regCovar;
  switch (type) {
    case 'full':
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
      break;
    case 'tied':
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
      break;
    case 'diag':
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) {
          const dj = delta[c * d + j];
          covariances[c * d + j] = sumXX[c * d + j] / nk[c] - dj * dj + reg;
        }
      }
      break;
    case 'spherical':
      for (let c = 0; c < k; c++) {
        let m2 = 0;
        for (let j = 0; j < d; j++) m2 += delta[c * d + j] * delta[c * d + j];
        covariances[c] = (sumXX[c] / nk[c] - m2) / d + reg;
      }
      break;
  }
  if (o.forcePositive) applyPositiveConstraint(type, covariances, k, d);
  // fail here, naming the component, rather than at the next E-step
  computePrecisionCholesky(type, covariances, k, d);
  return { covarianceType: type, k, dims: d, weights, means, covariances };
}

/** mlpack's eigenvalue fix on every covariance of the type, in place. */
export function applyPositiveConstraint(type: CovarianceType, covariances: Float64Array, k: number, d: number): void {
  switch (type) {
    case 'full':
      for (let c = 0; c < k; c++) forcePositiveDefinite(covariances, c * d * d, d);
      break;
    case 'tied':
      forcePositiveDefinite(covariances, 0, d);
      break;
    case 'diag':
      for (let c = 0; c < k; c++) forcePositiveDiagonal(covariances, c * d, d);
      break;
    case 'spherical':
      for (let c = 0; c < k; c++) if (!(covariances[c] >= 1e-50)) covariances[c] = 1e-50;
      break;
  }
}

/** Statistics as a plain object of number arrays (JSON-safe), and back; the round trip is exact. */
export interface StatsTransfer {
  covarianceType: CovarianceType;
  k: number;
  dims: number;
  rows: number;
  logLikelihood: number;
  sumResp: number[];
  sumX: number[];
  sumXX: number[];
  shift?: number[];
}

export function statsToTransfer(stats: SufficientStats): StatsTransfer {
  return {
    covarianceType: stats.covarianceType,
    k: stats.k,
    dims: stats.dims,
    rows: stats.rows,
    logLikelihood: stats.logLikelihood,
    sumResp: Array.from(stats.sumResp),
    sumX: Array.from(stats.sumX),
    sumXX: Array.from(stats.sumXX),
    shift: stats.shift ? Array.from(stats.shift) : undefined,
  };
}

export function statsFromTransfer(t: StatsTransfer): SufficientStats {
  return {
    covarianceType: t.covarianceType,
    k: t.k,
    dims: t.dims,
    rows: t.rows,
    logLikelihood: t.logLikelihood,
    sumResp: Float64Array.from(t.sumResp),
    sumX: Float64Array.from(t.sumX),
    sumXX: Float64Array.from(t.sumXX),
    shift: t.shift ? Float64Array.from(t.shift) : undefined,
  };
}
