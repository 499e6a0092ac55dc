/**
 * E-step statistics of a chunk on the WebAssembly SIMD kernels, for full covariances from ROW_MAJOR_MIN_DIMS
 * dimensions on and for diagonal covariances: the same blocks, and the same operations in the same order, as
 * logProbFull's row-major kernel with accumulateFull, and logProbDiag with accumulateDiag, and normalizeLogProb's
 * log-sum-exp (exp.ts), so the same bits.
 */
import type { SufficientStats } from '../../types';
import { ROW_MAJOR_MIN_DIMS, blockRows } from '../block';
import { LOG_2PI } from '../log-prob';
import type { PreparedParams } from '../precision';
import { Workspace, type KernelExports } from './module';

/** Whether chunkStatsWasm covers parameters of this type and dimension. */
export function wasmCovers(p: Pick<PreparedParams, 'covarianceType' | 'dims'>): boolean {
  return (p.covarianceType === 'full' && p.dims >= ROW_MAJOR_MIN_DIMS) || p.covarianceType === 'diag';
}

/**
 * Adds the statistics of rows [start, end) of data (n × d) to stats (empty, from emptyStats) and returns
 * Σ log p(x_i), block by block in row order. Only for parameters wasmCovers.
 */
export function chunkStatsWasm(kernels: KernelExports, p: PreparedParams, data: Float64Array, start: number, end: number, stats: SufficientStats): number {
  const { k, dims: d } = p;
  const full = p.covarianceType === 'full';
  const B = blockRows(d);
  const dp = Math.ceil(d / 4) * 4;
  const w = new Workspace(kernels);
  const slots = {
    means: w.reserve(k * d),
    pc: w.reserve(p.precisionCholesky.length),
    logDet: w.reserve(k),
    logW: w.reserve(k),
    shift: w.reserve(k * d),
    sumResp: w.reserve(k),
    sumX: w.reserve(k * d),
    sumXX: w.reserve(stats.sumXX.length),
    xr: w.reserve(B * d),
    // component-major (k × B): a component's responsibilities of the block are contiguous, two rows per f64x2
    resp: w.reserve(k * B),
    idx: w.reserve(B / 2),
    rg: w.reserve(B),
    // full: row pairs interleaved (one spare pair), gathered rows and weighted rows; diag: transposed rows
    best: w.reserve(full ? B : 0),
    drp: w.reserve(full ? (B / 2 + 1) * d * 2 : 0),
    dtr: w.reserve(full ? B * dp : 0),
    // four doubles past the last row: the column sums read eight columns at a time
    wtr: w.reserve(full ? B * dp + 4 : 0),
    xt: w.reserve(full ? 0 : d * B),
    rowMax: w.reserve(B),
    rowSum: w.reserve(B),
    inv: w.reserve(B),
  };
  const views = w.commit();
  const view = (name: keyof typeof slots): Float64Array => views[slots[name]];
  const at = (name: keyof typeof slots): number => view(name).byteOffset;
  view('means').set(p.means);
  view('pc').set(p.precisionCholesky);
  view('logDet').set(p.logDetPrecisionCholesky);
  view('logW').set(p.logWeights);
  view('shift').set(p.shift);
  const xr = view('xr');
  const rowMax = view('rowMax');
  const rowSum = view('rowSum');
  const constant = d * LOG_2PI;
  let logLikelihood = 0;
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(end, b0 + B) - b0;
    xr.set(data.subarray(b0 * d, (b0 + m) * d));
    if (full) {
      kernels.fullLogProb(at('xr'), m, d, k, at('means'), at('pc'), at('logDet'), at('logW'), constant, at('resp'), B, at('best'), at('drp'), 1);
    } else {
      kernels.transpose(at('xr'), m, d, at('xt'), B);
      kernels.diagLogProb(at('xt'), m, d, k, at('means'), at('pc'), at('logDet'), at('logW'), constant, at('resp'), B);
    }
    // normalizeLogProb's log-sum-exp: the kernel leaves each row's max and Σ exp, the log is Math.log as there
    kernels.normalizeRows(at('resp'), m, k, B, at('rowMax'), at('rowSum'), at('inv'));
    let blockTotal = 0;
    for (let i = 0; i < m; i++) blockTotal += rowMax[i] + Math.log(rowSum[i]);
    logLikelihood += blockTotal;
    if (full) {
      kernels.fullAccumulate(at('xr'), m, d, k, at('resp'), B, at('shift'), at('sumResp'), at('sumX'), at('sumXX'), at('dtr'), at('wtr'), at('idx'), at('rg'), dp);
    } else {
      kernels.diagAccumulate(at('xr'), m, d, k, at('resp'), B, at('shift'), at('sumResp'), at('sumX'), at('sumXX'), at('idx'), at('rg'));
    }
  }
  stats.sumResp.set(view('sumResp'));
  stats.sumX.set(view('sumX'));
  stats.sumXX.set(view('sumXX'));
  return logLikelihood;
}
