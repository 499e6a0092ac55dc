/**
 * log(w_c) + log N(x_i | μ_c, Σ_c), after scikit-learn's _estimate_log_gaussian_prob: one function per covariance
 * type, each on one block of m rows (given transposed in scratch.xt, d × m), writing row-major m × k at
 * out[outOffset]. Then normalizeLogProb: log-sum-exp per row into responsibilities.
 *
 * Shapes: x n × d; means k × d; P as in precision.ts; out (end − start) × k.
 */
import { type BlockScratch, ROW_MAJOR_MIN_DIMS, blockRows, blockScratch, centerBlock, lowerRowTimesBlock, transposeBlock } from './block';
import type { PreparedParams } from './precision';
import type { CovarianceType } from '../types';
import { EXP_UNDERFLOW, expNonPositive } from './exp';

export const LOG_2PI = Math.log(2 * Math.PI);

/** One block's weighted log-probabilities; `prune` lets the kernel put −∞ where exp(·) underflows to 0 anyway. */
export type BlockLogProb = (
  p: PreparedParams,
  x: Float64Array,
  b0: number,
  m: number,
  out: Float64Array,
  outOffset: number,
  scratch: BlockScratch,
  prune: boolean,
) => void;

/**
 * Pruning margin: a component whose weighted log-probability is below a row's best by more than this has
 * exp(logProb − max) = 0 exactly in double precision (exp underflows to 0 below about −745.2), so it contributes
 * nothing to the log-sum-exp or the responsibilities and its exact value is not needed.
 */
const PRUNE_MARGIN = 800;

/** out[outOffset + i·k + c] = −½(d·log 2π + acc[i]) + log det P_c + log w_c for the block's m rows. */
function writeWeightedLogProb(p: PreparedParams, c: number, m: number, acc: Float64Array, out: Float64Array, outOffset: number): void {
  const { k } = p;
  const constant = p.dims * LOG_2PI;
  const add = p.logDetPrecisionCholesky[c];
  const lw = p.logWeights[c];
  for (let i = 0; i < m; i++) out[outOffset + i * k + c] = -0.5 * (constant + acc[i]) + add + lw;
}

/**
 * Full covariance: row-major differences with register blocking from ROW_MAJOR_MIN_DIMS dimensions on (with
 * pruning when asked), the transposed triangular product below.
 */
export const logProbFull: BlockLogProb = (p, x, b0, m, out, outOffset, scratch, prune) => {
  if (p.dims >= ROW_MAJOR_MIN_DIMS) {
    if (prune) scratch.best.fill(-Infinity, 0, m);
    for (let c = 0; c < p.k; c++) fullWeightedLogProbRowMajor(p, c, x, b0, m, out, outOffset, scratch, prune);
    return;
  }
  const { acc } = scratch;
  for (let c = 0; c < p.k; c++) {
    acc.fill(0, 0, m);
    mahalanobisTriangular(p, c, m, scratch);
    writeWeightedLogProb(p, c, m, acc, out, outOffset);
  }
};

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
function fullWeightedLogProbRowMajor(
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

/**
 * acc[i] += |P_c·(x_i − μ_c)|² for the block's m rows (full, transposed layout), P lower-triangular. The differences
 * are laid out d × m so every pass runs over contiguous memory; four columns of P are applied per pass.
 */
function mahalanobisTriangular(p: PreparedParams, c: number, m: number, scratch: BlockScratch): void {
  const d = p.dims;
  const { xt, dt, acc, y } = scratch;
  centerBlock(xt, d, m, p.means, c * d, dt);
  const po = c * d * d;
  for (let j = 0; j < d; j++) {
    lowerRowTimesBlock(p.precisionCholesky, po + j * d, j, dt, m, y, 0);
    for (let i = 0; i < m; i++) acc[i] += y[i] * y[i];
  }
}

/** Tied: one shared factor, so the block is projected once, P·(x − s) into wt; each component then subtracts P·(μ_c − s). */
export const logProbTied: BlockLogProb = (p, _x, _b0, m, out, outOffset, scratch) => {
  const { k, dims: d, precisionCholesky: pc } = p;
  const { xt, dt, wt, acc, projectedMeans } = scratch;
  centerBlock(xt, d, m, p.shift, 0, dt);
  for (let j = 0; j < d; j++) lowerRowTimesBlock(pc, j * d, j, dt, m, wt, j * m);
  for (let c = 0; c < k; c++) {
    const mu = c * d;
    acc.fill(0, 0, m);
    for (let j = 0; j < d; j++) {
      const b = projectedMeans[mu + j];
      const row = j * m;
      for (let i = 0; i < m; i++) {
        const v = wt[row + i] - b;
        acc[i] += v * v;
      }
    }
    writeWeightedLogProb(p, c, m, acc, out, outOffset);
  }
};

/**
 * acc[i] += Σ_j ((x_ij − μ_j)·s[so + j])² for the block's m rows (μ at means[mu]), two dimensions per pass over
 * the block's rows.
 */
function scaledSquares(xt: Float64Array, d: number, m: number, means: Float64Array, mu: number, s: Float64Array, so: number, acc: Float64Array): void {
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const mu0 = means[mu + j];
    const mu1 = means[mu + j + 1];
    const s0 = s[so + j];
    const s1 = s[so + j + 1];
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
    const sj = s[so + j];
    const row = j * m;
    for (let i = 0; i < m; i++) {
      const v = (xt[row + i] - muj) * sj;
      acc[i] += v * v;
    }
  }
}

/** Diag: Σ_j ((x_j − μ_j)/σ_j)² with P holding 1/σ (k × d). */
export const logProbDiag: BlockLogProb = (p, _x, _b0, m, out, outOffset, scratch) => {
  const { k, dims: d } = p;
  const { xt, acc } = scratch;
  for (let c = 0; c < k; c++) {
    acc.fill(0, 0, m);
    scaledSquares(xt, d, m, p.means, c * d, p.precisionCholesky, c * d, acc);
    writeWeightedLogProb(p, c, m, acc, out, outOffset);
  }
};

/** Spherical: Σ_j ((x_j − μ_j)/σ)² with P holding one 1/σ per component (k). */
export const logProbSpherical: BlockLogProb = (p, _x, _b0, m, out, outOffset, scratch) => {
  const { k, dims: d } = p;
  const { xt, acc, perDim } = scratch;
  for (let c = 0; c < k; c++) {
    acc.fill(0, 0, m);
    perDim.fill(p.precisionCholesky[c]);
    scaledSquares(xt, d, m, p.means, c * d, perDim, 0, acc);
    writeWeightedLogProb(p, c, m, acc, out, outOffset);
  }
};

export const BLOCK_LOG_PROB: Record<CovarianceType, BlockLogProb> = {
  full: logProbFull,
  tied: logProbTied,
  diag: logProbDiag,
  spherical: logProbSpherical,
};

/**
 * log(w_c) + log N(x_i | μ_c, Σ_c) for rows [start, end) into out ((end−start) × k), exactly (no pruning),
 * processed in blocks of rows so each component's factor is reused from cache.
 */
export function estimateWeightedLogProb(p: PreparedParams, x: Float64Array, d: number, start: number, end: number, out: Float64Array): void {
  const B = blockRows(d);
  const scratch = blockScratch(p);
  const blockLogProb = BLOCK_LOG_PROB[p.covarianceType];
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(end, b0 + B) - b0;
    transposeBlock(x, d, b0, m, scratch.xt);
    blockLogProb(p, x, b0, m, out, (b0 - start) * p.k, scratch, false);
  }
}

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
      // t < −745.14, so components far below the row's best need no exp call (exp.ts: the WebAssembly kernel's exp)
      const t = logProb[o + c] - max;
      const e = c === top && Number.isFinite(max) ? 1 : t < EXP_UNDERFLOW ? 0 : expNonPositive(t);
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
