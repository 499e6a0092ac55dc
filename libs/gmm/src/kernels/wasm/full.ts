/**
 * Full covariance E-step statistics of a chunk on the WebAssembly SIMD kernels: the same blocks, the same operations
 * in the same order as logProbFull's row-major kernel (d ≥ ROW_MAJOR_MIN_DIMS) and accumulateFull, so the same bits.
 */
import type { SufficientStats } from '../../types';
import { blockRows } from '../block';
import { LOG_2PI, normalizeLogProb } from '../log-prob';
import type { PreparedParams } from '../precision';
import { Workspace, type KernelExports } from './module';

/**
 * Adds the statistics of rows [start, end) of data (n × d) to stats (empty, from emptyStats) and returns
 * Σ log p(x_i), block by block in row order.
 */
export function fullChunkStatsWasm(
  kernels: KernelExports,
  p: PreparedParams,
  data: Float64Array,
  start: number,
  end: number,
  stats: SufficientStats,
): number {
  const { k, dims: d } = p;
  const B = blockRows(d);
  const dp = Math.ceil(d / 4) * 4;
  const w = new Workspace(kernels);
  const slots = {
    means: w.reserve(k * d),
    pc: w.reserve(k * d * d),
    logDet: w.reserve(k),
    logW: w.reserve(k),
    shift: w.reserve(k * d),
    sumResp: w.reserve(k),
    sumX: w.reserve(k * d),
    sumXX: w.reserve(k * d * d),
    xr: w.reserve(B * d),
    resp: w.reserve(B * k),
    best: w.reserve(B),
    drp: w.reserve((B / 2 + 1) * d * 2),
    dtr: w.reserve(B * dp),
    wtr: w.reserve(B * dp),
    idx: w.reserve(B / 2),
  };
  const views = w.commit();
  const v = (name: keyof typeof slots): Float64Array => views[slots[name]];
  const at = (name: keyof typeof slots): number => v(name).byteOffset;
  v('means').set(p.means);
  v('pc').set(p.precisionCholesky);
  v('logDet').set(p.logDetPrecisionCholesky);
  v('logW').set(p.logWeights);
  v('shift').set(p.shift);
  const xr = v('xr');
  const resp = v('resp');
  const constant = d * LOG_2PI;
  let logLikelihood = 0;
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(end, b0 + B) - b0;
    xr.set(data.subarray(b0 * d, (b0 + m) * d));
    kernels.fullLogProb(at('xr'), m, d, k, at('means'), at('pc'), at('logDet'), at('logW'), constant, at('resp'), at('best'), at('drp'), 1);
    logLikelihood += normalizeLogProb(resp, m, k);
    kernels.fullAccumulate(at('xr'), m, d, k, at('resp'), at('shift'), at('sumResp'), at('sumX'), at('sumXX'), at('dtr'), at('wtr'), at('idx'), dp);
  }
  stats.sumResp.set(v('sumResp'));
  stats.sumX.set(v('sumX'));
  stats.sumXX.set(v('sumXX'));
  return logLikelihood;
}
