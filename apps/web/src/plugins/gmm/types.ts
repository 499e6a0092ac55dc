/**
 * The GMM plugin's web part is the one place of the console that knows GMM's shapes: the model format (libs/gmm's,
 * imported type-only) and the scatter view's data (plugins/gmm's TrainingSample, as GET .../views/scatter returns it).
 */
export type { CovarianceType, GmmModelJson } from '@mixflow/gmm';
import type { GmmModelJson } from '@mixflow/gmm';

/** The scatter view's data: sampled training rows with their predicted cluster. */
export interface TrainingSample {
  dims: number;
  featureNames: string[];
  points: number[][];
  /** the predicted cluster of each point */
  labels: number[];
  /** the model the points are labelled by, when the view was asked for an item (a GMM Model Selection candidate) */
  model?: GmmModelJson;
}


/** A row of GMM Model Selection's candidates (its `candidates` metric; libs/gmm's CandidateResult). */
export type { CandidateResult } from '@mixflow/gmm';
