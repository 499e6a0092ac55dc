/**
 * The GMM's chunk kernels, registered with the executor by name: any engine (inline, worker threads, Redis
 * workers) finds them there. 'gmm.em-stats' is the E-step (one chunk's sufficient statistics under prepared
 * parameters), 'gmm.em-stats-weighted' the same over rows whose last value is the row's sample weight (so the
 * weights travel with the rows to every engine), 'gmm.predict' the labels and posterior probabilities of a
 * chunk's rows.
 *
 * Stats result layout (one run of statsLength numbers per chunk):
 *   [rows, logLikelihood, sumResp (k), sumX (k × d), sumXX (k × d × d | d × d | k × d | k)]
 * Predict result layout (rows × (2 + k) numbers per chunk):
 *   [labels (rows), log densities (rows), probabilities (rows × k, row-major)]
 */
import { isEncodedModel, type EncodedModel, type ModelPayload } from '@mixflow/component-sdk';
import { registerKernels, type ChunkKernel } from '@mixflow/executor';
import {
  chunkStats,
  covarianceSize,
  GaussianMixture,
  makeDataMatrix,
  type CovarianceType,
  type GmmModelJson,
  type PreparedParams,
  type SufficientStats,
} from '@mixflow/gmm';
import { gmmModelJson } from './payload';

export const EM_STATS_KERNEL = 'gmm.em-stats';
export const EM_STATS_WEIGHTED_KERNEL = 'gmm.em-stats-weighted';
export const PREDICT_KERNEL = 'gmm.predict';

/** sumXX has the covariances' layout, so its length is theirs. */
export function statsLength(type: CovarianceType, k: number, dims: number): number {
  return 2 + k + k * dims + covarianceSize(type, k, dims);
}

/** Writes `stats` into `out` at `offset` (a slot of statsLength numbers). */
export function writeStats(stats: SufficientStats, out: Float64Array, offset: number): void {
  const { k, dims, covarianceType } = stats;
  const xxLength = covarianceSize(covarianceType, k, dims);
  if (stats.sumResp.length !== k || stats.sumX.length !== k * dims || stats.sumXX.length !== xxLength) {
    throw new Error(
      `chunk statistics have unexpected sizes (sumResp ${stats.sumResp.length}, sumX ${stats.sumX.length}, ` +
        `sumXX ${stats.sumXX.length}) for k=${k}, dims=${dims}, ${covarianceType} covariance`,
    );
  }
  out[offset] = stats.rows;
  out[offset + 1] = stats.logLikelihood;
  let at = offset + 2;
  out.set(stats.sumResp, at);
  at += k;
  out.set(stats.sumX, at);
  at += k * dims;
  out.set(stats.sumXX, at);
}

/**
 * Reads one slot back into a SufficientStats that owns fresh arrays. `shift` is the prepared parameters'
 * shift, the same for every chunk, so it is not shipped with each slot.
 */
export function readStats(type: CovarianceType, k: number, dims: number, src: Float64Array, offset: number, shift?: Float64Array): SufficientStats {
  let at = offset + 2;
  const sumResp = src.slice(at, at + k);
  at += k;
  const sumX = src.slice(at, at + k * dims);
  at += k * dims;
  const sumXX = src.slice(at, at + covarianceSize(type, k, dims));
  const stats: SufficientStats = { covarianceType: type, k, dims, rows: src[offset], logLikelihood: src[offset + 1], sumResp, sumX, sumXX };
  return shift ? { ...stats, shift: Float64Array.from(shift) } : stats;
}

const emStats: ChunkKernel<PreparedParams> = {
  name: EM_STATS_KERNEL,
  resultLength: (p) => statsLength(p.covarianceType, p.k, p.dims),
  compute: (p, data, cols, start, end, out, offset) => writeStats(chunkStats(p, data, cols, start, end), out, offset),
};

/** Rows of d features then their weight (cols = d + 1): the chunk's features and weights apart, then weighted chunkStats. */
const emStatsWeighted: ChunkKernel<PreparedParams> = {
  name: EM_STATS_WEIGHTED_KERNEL,
  resultLength: (p) => statsLength(p.covarianceType, p.k, p.dims),
  compute: (p, data, cols, start, end, out, offset) => {
    const d = cols - 1;
    const m = end - start;
    const x = new Float64Array(m * d);
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const at = (start + i) * cols;
      x.set(data.subarray(at, at + d), i * d);
      w[i] = data[at + d];
    }
    writeStats(chunkStats(p, x, d, 0, m, w), out, offset);
  },
};

/**
 * The model file, or the model encoded on shared memory (the local engine), which each worker parses itself: a
 * wide model's nested arrays would otherwise be copied through the thread that serves the driver's sessions (the
 * API's).
 */
type PredictParams = GmmModelJson | EncodedModel;

const predict: ChunkKernel<PredictParams, GaussianMixture> = {
  name: PREDICT_KERNEL,
  resultLength: (model, rows) => rows * (2 + (isEncodedModel(model as ModelPayload) ? ((model as EncodedModel).encoded.portSchema.k ?? 0) : (model as GmmModelJson).k)),
  prepare: (model) => GaussianMixture.fromJSON(gmmModelJson(model)),
  compute: (model, data, cols, start, end, out, offset) => {
    const rows = end - start;
    const { labels, probabilities, logDensity } = model.predictWithProba(makeDataMatrix(data.subarray(start * cols, end * cols), rows, cols));
    for (let i = 0; i < rows; i++) out[offset + i] = labels[i];
    out.set(logDensity, offset + rows);
    out.set(probabilities, offset + 2 * rows);
  },
};

/** What a worker loading this module registers (see the executor's loadKernelModules). */
export const kernels = [emStats, emStatsWeighted, predict] as const;

registerKernels(__filename, kernels);
