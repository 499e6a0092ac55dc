/**
 * E-step statistics of a chunk on the native AVX2 kernels, for full covariances from ROW_MAJOR_MIN_DIMS dimensions on
 * and for diagonal covariances: the WebAssembly path's blocks and operations (wasm/stats.ts), so the same bits; the
 * log-likelihood is summed here, block by block with Math.log, as there.
 */
import type { SufficientStats } from '../../types';
import { ROW_MAJOR_MIN_DIMS, blockRows } from '../block';
import { LOG_2PI } from '../log-prob';
import type { PreparedParams } from '../precision';
import type { NativeKernels } from './module';

/** Whether chunkStatsNative covers parameters of this type and dimension. */
export function nativeCovers(p: Pick<PreparedParams, 'covarianceType' | 'dims'>): boolean {
  return (p.covarianceType === 'full' && p.dims >= ROW_MAJOR_MIN_DIMS) || p.covarianceType === 'diag';
}

/**
 * Adds the statistics of rows [start, end) of data (n × d) to stats (empty, from emptyStats) and returns
 * Σ log p(x_i), block by block in row order. Only for parameters nativeCovers.
 */
export function chunkStatsNative(native: NativeKernels, p: PreparedParams, data: Float64Array, start: number, end: number, stats: SufficientStats): number {
  const { k, dims: d } = p;
  const B = blockRows(d);
  const rows = end - start;
  const rowMax = new Float64Array(rows);
  const rowSum = new Float64Array(rows);
  const kernel = p.covarianceType === 'diag' ? native.diagChunkStats : native.fullChunkStats;
  kernel(
    data, d, start, end, k, B, p.means, p.precisionCholesky, p.logDetPrecisionCholesky, p.logWeights, p.shift, d * LOG_2PI,
    stats.sumResp, stats.sumX, stats.sumXX, rowMax, rowSum,
  );
  let logLikelihood = 0;
  for (let b0 = 0; b0 < rows; b0 += B) {
    const m = Math.min(rows, b0 + B) - b0;
    let blockTotal = 0;
    for (let i = b0; i < b0 + m; i++) blockTotal += rowMax[i] + Math.log(rowSum[i]);
    logLikelihood += blockTotal;
  }
  return logLikelihood;
}
