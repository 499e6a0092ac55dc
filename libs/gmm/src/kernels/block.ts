/**
 * Blocks of rows, shared by the log-probability and the E-step statistics: rows are processed B at a time,
 * transposed once per block (d × m) so the inner loops run over contiguous memory next to one component's factor.
 */
import type { PreparedParams } from './precision';

/** Rows per block: a block's transposed rows (d × B) stay in cache next to one Cholesky factor. */
export function blockRows(d: number): number {
  return d <= 16 ? 256 : d <= 64 ? 128 : 64;
}

/**
 * Full covariance from this many dimensions on: the row-major kernel, whose register blocking pays once rows of P
 * are long; below, the transposed kernel, whose loops run over the block's rows.
 */
export const ROW_MAJOR_MIN_DIMS = 8;

/** Scratch buffers of one block, allocated once per call, never inside the loops. */
export interface BlockScratch {
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
  /** d: per-dimension sums of one component (Σ r·v², or a spherical component's 1/σ repeated) */
  perDim: Float64Array;
  /** tied only (k × d): P·(μ_c − s), the projected means relative to the common shift */
  projectedMeans: Float64Array;
  /** full only, B × d: the block's rows minus one mean, row-major */
  dr: Float64Array;
  /** full only, B: each row's largest weighted log-probability so far (for pruning) */
  best: Float64Array;
}

export function blockScratch(p: PreparedParams): BlockScratch {
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
    perDim: new Float64Array(d),
    dr: new Float64Array(p.covarianceType === 'full' && d >= ROW_MAJOR_MIN_DIMS ? B * d : 0),
    best: new Float64Array(B),
  };
}

/** xt (d × m) = rows [b0, b0 + m) of x transposed. */
export function transposeBlock(x: Float64Array, d: number, b0: number, m: number, xt: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const xi = (b0 + i) * d;
    for (let j = 0; j < d; j++) xt[j * m + i] = x[xi + j];
  }
}

/** dt[j][i] = xt[j][i] − s[so + j] for the block's m rows (both d × m). */
export function centerBlock(xt: Float64Array, d: number, m: number, s: Float64Array, so: number, dt: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const sj = s[so + j];
    const row = j * m;
    for (let i = 0; i < m; i++) dt[row + i] = xt[row + i] - sj;
  }
}

/**
 * out[outOffset + i] = Σ_{q ≤ j} P[j][q]·src[q][i] for i < m: row j of a lower-triangular P (starting at pc[pj])
 * times the d × m block src, four columns of P per pass over contiguous memory.
 */
export function lowerRowTimesBlock(pc: Float64Array, pj: number, j: number, src: Float64Array, m: number, out: Float64Array, outOffset: number): void {
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
