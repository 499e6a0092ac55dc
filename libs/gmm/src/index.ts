export * from './types';
export { GmmInputError } from './errors';
export type { GmmInputErrorDetails } from './errors';
export { Rng, chooseRows, drawDistinctRows } from './rng';
export { DEFAULT_CHUNK_ROWS, MIN_CHUNK_ROWS, SMALL_DATA_CHUNKS, chunkRanges, countDistinctRows, fitChunkRows, makeBlobs, makeDataMatrix, matrixFromRows, totalWeight, validateFinite, validateWeights } from './data';
export {
  chunkStats,
  covarianceSize,
  EXPECTED_KMEANS_ITERATIONS,
  emIterationFlops,
  estimateWeightedLogProb,
  maximize,
  mergeStats,
  prepareParams,
  precisionFlops,
  ROW_MAJOR_MIN_DIMS,
  startFlops,
  statsKernels,
} from './kernels';
export type { MaximizeOptions, PreparedParams, StartWork } from './kernels';
export { GaussianMixture, MODEL_TYPE, MODEL_VERSION, countParameters, fitCriteria } from './model';
export type { ModelProvenance } from './model';
export { chunkRowsFor, computeStats, describePositiveConstraint, fitGmm, fitGmmWith, resolveFitOptions, startWorkOf, trialCount } from './fit';
export type { GivenParams, ResolvedFitOptions, StatsRunner } from './fit';
export { assignNearest, kmeans, kmeansPlusPlus, lloyd, nearestMeansStart, paramsFromMeans, responsibilityStats } from './starts';
export type { KMeansResult, Responsibilities } from './starts';
export {
  SELECTION_CRITERIA,
  candidateFromModel,
  chooseBest,
  diagnoseDegenerateIn,
  failedCandidate,
  resolveSelectionOptions,
  selectGmm,
  selectionGrid,
  selectionSummary,
} from './select';
export type { CandidateFitOptions, ResolvedSelectionOptions, SelectionOptions, SelectionResult } from './select';
export { MISSING_VALUES, dropMissingRows, rowsWithMissing } from './missing';
export type { MissingValues } from './missing';
export { diagnoseDegenerate } from './degenerate';
export { RowReservoir, isSampledRows, startSampleCapacity, startSampleSeed, type SampledRows } from './sample';
