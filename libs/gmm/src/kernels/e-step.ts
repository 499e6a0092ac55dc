/**
 * E-step statistics of a chunk of rows: responsibilities by log-sum-exp (log-prob.ts), then Σr, Σr·(x−s) and the
 * scatter the covariance type needs about the shift s, one accumulation function per covariance type; and
 * mergeStats, the chunk-order sum that keeps results independent of the worker count.
 *
 * Sufficient statistics are accumulated about a fixed shift per component (the means of the parameters the E-step
 * ran with; for tied, their weighted average), which keeps Σ r·(x−s)(x−s)ᵀ − n·δδᵀ free of catastrophic
 * cancellation without a second pass over the data.
 *
 * Shapes: x n × d; resp m × k (one block); sumResp k; sumX k × d; sumXX full k × d × d (lower triangles) |
 * tied d × d (lower triangle) | diag k × d | spherical k.
 */
import { GmmInputError } from '../errors';
import type { CovarianceType, SufficientStats } from '../types';
import { type BlockScratch, blockRows, blockScratch, centerBlock, transposeBlock } from './block';
import { BLOCK_LOG_PROB, normalizeLogProb } from './log-prob';
import { type PreparedParams, covarianceSize } from './precision';
import { nativeKernels } from './native/module';
import { chunkStatsNative, nativeCovers } from './native/stats';
import { chunkStatsWasm, wasmCovers } from './wasm/stats';
import { wasmKernels } from './wasm/module';

/**
 * Adds one block's statistics (responsibilities resp, m × k; rows transposed in scratch.xt) to `stats`. With
 * sample weights the responsibilities come already multiplied by them and `w` (m) holds the block's weights.
 */
type BlockAccumulate = (p: PreparedParams, stats: SufficientStats, resp: Float64Array, m: number, scratch: BlockScratch, w?: Float64Array) => void;

/** Empty statistics for parameters prepared as `p` (the shift is copied from p). */
export function emptyStats(type: CovarianceType, k: number, d: number, shift: Float64Array): SufficientStats {
  return {
    covarianceType: type,
    k,
    dims: d,
    rows: 0,
    logLikelihood: 0,
    sumResp: new Float64Array(k),
    sumX: new Float64Array(k * d),
    sumXX: new Float64Array(covarianceSize(type, k, d)),
    shift: Float64Array.from(shift),
  };
}

/**
 * Component c's responsibilities of the block: rc[i] = resp[i][c], the indices of the non-zero ones into idx,
 * their count returned; Σ_i r_ic is added to sumResp[c].
 */
function gatherComponent(resp: Float64Array, k: number, c: number, m: number, sumResp: Float64Array, scratch: BlockScratch): number {
  const { rc, idx } = scratch;
  let nk = 0;
  let count = 0;
  for (let i = 0; i < m; i++) {
    const r = resp[i * k + c];
    rc[i] = r;
    nk += r;
    if (r !== 0) idx[count++] = i;
  }
  sumResp[c] += nk;
  return count;
}

/** Full: Σr·(x−s) and the lower triangle of Σr·(x−s)(x−s)ᵀ per component, over the rows it has any responsibility for. */
const accumulateFull: BlockAccumulate = (p, stats, resp, m, scratch) => {
  const { k, dims: d, shift } = p;
  const { sumResp, sumX, sumXX } = stats;
  const { xt, dt, wt, rc, idx } = scratch;
  for (let c = 0; c < k; c++) {
    const count = gatherComponent(resp, k, c, m, sumResp, scratch);
    if (count === 0) continue;
    const so = c * d;
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
  }
};

/**
 * Σ_t r_t·(x_tj − s_j) into sumX[so + j] and Σ_t r_t·(x_tj − s_j)² into scratch.perDim[j] over the `count` gathered
 * rows (responsibilities in scratch.rg), two dimensions per pass.
 */
function gatheredMoments(p: PreparedParams, so: number, m: number, count: number, sumX: Float64Array, scratch: BlockScratch): void {
  const { dims: d, shift } = p;
  const { xt, idx, rg, perDim } = scratch;
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
    perDim[j] = sxx0;
    perDim[j + 1] = sxx1;
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
    perDim[j] = sxx;
  }
}

/**
 * Component c's share of the block for diag, spherical and tied: Σr into sumResp, Σr·(x−s) into sumX and the
 * per-dimension Σr·(x−s)² into scratch.perDim, over the rows with non-zero responsibility. Returns false (and
 * leaves perDim alone) when the component has none in this block.
 */
function componentMoments(p: PreparedParams, stats: SufficientStats, resp: Float64Array, m: number, c: number, scratch: BlockScratch): boolean {
  const count = gatherComponent(resp, p.k, c, m, stats.sumResp, scratch);
  if (count === 0) return false;
  const { rc, idx, rg } = scratch;
  for (let t = 0; t < count; t++) rg[t] = rc[idx[t]];
  gatheredMoments(p, c * p.dims, m, count, stats.sumX, scratch);
  return true;
}

/** Diag: Σr·(x−s) and Σr·(x−s)² per component and dimension. */
const accumulateDiag: BlockAccumulate = (p, stats, resp, m, scratch) => {
  const { k, dims: d } = p;
  const { sumXX } = stats;
  const { perDim } = scratch;
  for (let c = 0; c < k; c++) {
    if (!componentMoments(p, stats, resp, m, c, scratch)) continue;
    for (let j = 0; j < d; j++) sumXX[c * d + j] += perDim[j];
  }
};

/** Spherical: Σr·(x−s) per component and dimension, Σr·|x−s|² per component (dimensions summed in pairs). */
const accumulateSpherical: BlockAccumulate = (p, stats, resp, m, scratch) => {
  const { k, dims: d } = p;
  const { sumXX } = stats;
  const { perDim } = scratch;
  for (let c = 0; c < k; c++) {
    if (!componentMoments(p, stats, resp, m, c, scratch)) continue;
    let s2 = 0;
    let j = 0;
    for (; j + 1 < d; j += 2) s2 += perDim[j] + perDim[j + 1];
    if (j < d) s2 += perDim[j];
    sumXX[c] += s2;
  }
};

/**
 * Tied: Σ_c r_ic = 1 (weighted: w_i), so the scatter about the common shift needs no responsibilities, only the
 * weights (one lower triangle for the block); Σr·(x−s) per component.
 */
const accumulateTied: BlockAccumulate = (p, stats, resp, m, scratch, w) => {
  const { k, dims: d, shift } = p;
  const { xt, dt, wt } = scratch;
  centerBlock(xt, d, m, shift, 0, dt);
  if (w) {
    for (let j = 0; j < d; j++) for (let i = 0; i < m; i++) wt[j * m + i] = w[i] * dt[j * m + i];
    accumulateLowerScatter(stats.sumXX, 0, d, wt, dt, m, m);
  } else {
    accumulateLowerScatter(stats.sumXX, 0, d, dt, dt, m, m);
  }
  for (let c = 0; c < k; c++) componentMoments(p, stats, resp, m, c, scratch);
};

const BLOCK_ACCUMULATE: Record<CovarianceType, BlockAccumulate> = {
  full: accumulateFull,
  tied: accumulateTied,
  diag: accumulateDiag,
  spherical: accumulateSpherical,
};

/**
 * The E-step on rows [start, end): responsibilities r_ic by log-sum-exp, then Σr, Σr·(x−s), the scatter the
 * covariance type needs about the shift s (full and tied: lower triangles only), and Σ log p(x_i).
 * Rows are processed in blocks (transposed once per block); per-block sums are added to the totals in block order.
 * Full covariance from ROW_MAJOR_MIN_DIMS dimensions on, and diagonal covariance, run on the native AVX2 kernels
 * where they were built (native/stats.ts), else on the WebAssembly SIMD kernels where they load (wasm/stats.ts); all
 * give the same bits as the TypeScript kernels below.
 *
 * `weights` (indexed like the rows of `data`), when given, are sample weights: each row's responsibilities and
 * log p(x_i) are multiplied by its weight, so every sum is Σ_i w_i·(…) and an integer weight acts as that many
 * copies of the row. Weighted chunks run on the TypeScript kernels.
 */
export function chunkStats(
  prepared: PreparedParams,
  data: Float64Array,
  dims: number,
  start: number,
  end: number,
  weights?: Float64Array,
): SufficientStats {
  const { k, covarianceType: type, shift } = prepared;
  const d = dims;
  if (d !== prepared.dims) {
    throw new GmmInputError(`data has ${d} columns but the model has ${prepared.dims} dimensions`, { parameter: 'dims' });
  }
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end * d <= data.length)) {
    throw new GmmInputError(`rows [${start}, ${end}) are outside the data`, { parameter: 'start' });
  }
  const stats = emptyStats(type, k, d, shift);
  stats.rows = end - start;
  if (weights && weights.length < end) throw new GmmInputError(`weights has ${weights.length} values but rows reach ${end}`, { parameter: 'weights' });
  const native = !weights && nativeCovers(prepared) ? nativeKernels() : null;
  if (native) {
    stats.logLikelihood = chunkStatsNative(native, prepared, data, start, end, stats);
    return stats;
  }
  const kernels = !weights && wasmCovers(prepared) ? wasmKernels() : null;
  if (kernels) {
    stats.logLikelihood = chunkStatsWasm(kernels, prepared, data, start, end, stats);
    return stats;
  }
  const B = blockRows(d);
  const scratch = blockScratch(prepared);
  const blockLogProb = BLOCK_LOG_PROB[type];
  const accumulate = BLOCK_ACCUMULATE[type];
  const resp = new Float64Array(B * k);
  const logNorm = weights ? new Float64Array(B) : undefined;
  let logLikelihood = 0;
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(end, b0 + B) - b0;
    transposeBlock(data, d, b0, m, scratch.xt);
    blockLogProb(prepared, data, b0, m, resp, 0, scratch, true);
    if (weights && logNorm) {
      normalizeLogProb(resp, m, k, logNorm);
      const w = weights.subarray(b0, b0 + m);
      logLikelihood += weighResponsibilities(resp, m, k, w, logNorm);
      accumulate(prepared, stats, resp, m, scratch, w);
    } else {
      logLikelihood += normalizeLogProb(resp, m, k);
      accumulate(prepared, stats, resp, m, scratch);
    }
  }
  stats.logLikelihood = logLikelihood;
  return stats;
}

/** The kernels chunkStats runs here for unweighted chunks of this covariance type and dimension (weighted ones run on TypeScript). */
export function statsKernels(covarianceType: CovarianceType, dims: number): 'native AVX2' | 'WebAssembly SIMD' | 'TypeScript' {
  const shape = { covarianceType, dims };
  if (nativeCovers(shape) && nativeKernels()) return 'native AVX2';
  if (wasmCovers(shape) && wasmKernels()) return 'WebAssembly SIMD';
  return 'TypeScript';
}

/**
 * Multiplies each row's responsibilities (m × k, in place) by its weight and returns Σ_i w_i log p(x_i); a row of
 * weight 0 adds nothing (not even a −∞ log-density).
 */
function weighResponsibilities(resp: Float64Array, m: number, k: number, w: Float64Array, logNorm: Float64Array): number {
  let total = 0;
  for (let i = 0; i < m; i++) {
    const wi = w[i];
    if (wi === 1) {
      total += logNorm[i];
      continue;
    }
    for (let c = 0; c < k; c++) resp[i * k + c] *= wi;
    if (wi !== 0) total += wi * logNorm[i];
  }
  return total;
}

/**
 * S[a][b] += Σ_{i < count} w[a][i]·v[b][i] for b ≤ a; w and v are d × stride. Rows a and a+1 of S are computed
 * together, four entries each per pass, so every loaded w and v value feeds two or four products; each entry is
 * still one sum over i in row order. By default each entry's sum starts at 0 and is then added to S (the E-step's
 * per-block sums); with `continueSums` it starts from S's entry itself, so the result is S[a][b] + w[a][0]·v[b][0] +
 * w[a][1]·v[b][1] + … added one at a time, and any cutting of the rows into calls gives the same bits.
 */
export function accumulateLowerScatter(
  s: Float64Array,
  so: number,
  d: number,
  w: Float64Array,
  v: Float64Array,
  stride: number,
  count: number,
  continueSums = false,
): void {
  // with continueSums a sum starts from S's entry and replaces it; otherwise it starts from 0 and is added to it
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
      let t00 = (continueSums ? s[s0 + b] : 0);
      let t01 = (continueSums ? s[s0 + b + 1] : 0);
      let t02 = (continueSums ? s[s0 + b + 2] : 0);
      let t03 = (continueSums ? s[s0 + b + 3] : 0);
      let t10 = (continueSums ? s[s1 + b] : 0);
      let t11 = (continueSums ? s[s1 + b + 1] : 0);
      let t12 = (continueSums ? s[s1 + b + 2] : 0);
      let t13 = (continueSums ? s[s1 + b + 3] : 0);
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
      s[s0 + b] = continueSums ? t00 : s[s0 + b] + t00;
      s[s0 + b + 1] = continueSums ? t01 : s[s0 + b + 1] + t01;
      s[s0 + b + 2] = continueSums ? t02 : s[s0 + b + 2] + t02;
      s[s0 + b + 3] = continueSums ? t03 : s[s0 + b + 3] + t03;
      s[s1 + b] = continueSums ? t10 : s[s1 + b] + t10;
      s[s1 + b + 1] = continueSums ? t11 : s[s1 + b + 1] + t11;
      s[s1 + b + 2] = continueSums ? t12 : s[s1 + b + 2] + t12;
      s[s1 + b + 3] = continueSums ? t13 : s[s1 + b + 3] + t13;
    }
    // the rest of both rows up to column a, then S[a+1][a+1]
    for (; b <= a; b++) {
      const vb = b * stride;
      let t0 = (continueSums ? s[s0 + b] : 0);
      let t1 = (continueSums ? s[s1 + b] : 0);
      for (let i = 0; i < count; i++) {
        const y = v[vb + i];
        t0 += w[w0 + i] * y;
        t1 += w[w1 + i] * y;
      }
      s[s0 + b] = continueSums ? t0 : s[s0 + b] + t0;
      s[s1 + b] = continueSums ? t1 : s[s1 + b] + t1;
    }
    const vb = (a + 1) * stride;
    let t = (continueSums ? s[s1 + a + 1] : 0);
    for (let i = 0; i < count; i++) t += w[w1 + i] * v[vb + i];
    s[s1 + a + 1] = continueSums ? t : s[s1 + a + 1] + t;
  }
  if (a < d) {
    // the last row when d is odd
    const wa = a * stride;
    const sa = so + a * d;
    for (let b = 0; b <= a; b++) {
      const vb = b * stride;
      let t = (continueSums ? s[sa + b] : 0);
      for (let i = 0; i < count; i++) t += w[wa + i] * v[vb + i];
      s[sa + b] = continueSums ? t : s[sa + b] + t;
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
