/**
 * EM kernels, after scikit-learn's _gaussian_mixture.py, one file per section and one function per covariance type:
 * precision.ts (precision Cholesky factors), log-prob.ts (weighted log-probabilities, log-sum-exp), e-step.ts
 * (sufficient statistics of a chunk, chunk-order merge), m-step.ts (weights, means, covariances). Hot loops run over
 * flat row-major Float64Arrays in blocks of rows (block.ts).
 */
export { covarianceSize, prepareParams } from './precision';
export type { PreparedParams } from './precision';
export { estimateWeightedLogProb, normalizeLogProb } from './log-prob';
export { chunkStats, emptyStats, mergeStats, statsKernels } from './e-step';
export { ROW_MAJOR_MIN_DIMS } from './block';
export { maximize } from './m-step';
export type { MaximizeOptions } from './m-step';
export { EXPECTED_KMEANS_ITERATIONS, emIterationFlops, precisionFlops, startFlops } from './flops';
export type { StartWork } from './flops';
