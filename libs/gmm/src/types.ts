/**
 * Public types of the GMM engine. Shapes are written as (rows × cols); every matrix is a flat
 * row-major Float64Array.
 */

export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied';
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'diag', 'spherical', 'tied'];

/**
 * Starts, each as its source names it:
 * - scikit-learn's init_params: kmeans (k-means++ seeding then Lloyd; responsibilities one-hot by cluster),
 *   k-means++ (kmeans_plusplus's k rows, each the only row of its component), random (uniform random
 *   responsibilities, normalised per row), random_from_data (k random rows, each the only row of its component);
 *   weights, means and covariances then follow from the responsibilities as in _estimate_gaussian_parameters;
 * - alink: Alink's and Spark's grouping start (5·k sampled rows grouped by index mod k, their means and diagonal
 *   variances, weights 1/k);
 * - refined: mlpack's Bradley–Fayyad refined start.
 */
export type InitMethod = 'kmeans' | 'k-means++' | 'random' | 'random_from_data' | 'alink' | 'refined';
export const INIT_METHODS: readonly InitMethod[] = ['kmeans', 'k-means++', 'random', 'random_from_data', 'alink', 'refined'];

/** centers: largest distance any mean moved < epsilon (PAI wording, default);
 *  logLikelihood: change of the mean per-row log-likelihood < epsilon (scikit-learn's tol);
 *  totalLogLikelihood: change of the total log-likelihood < epsilon (mlpack's tolerance, Spark's tol). */
export type ConvergenceCriterion = 'centers' | 'logLikelihood' | 'totalLogLikelihood';
export const CONVERGENCE_CRITERIA: readonly ConvergenceCriterion[] = ['centers', 'logLikelihood', 'totalLogLikelihood'];

/** n rows × d columns, row-major; `weights` (n), when present, are the rows' sample weights (Spark's weightCol). */
export interface DataMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /**
   * Sample weights, one per row, finite and ≥ 0 with a positive sum (validateWeights): EM then maximizes
   * Σ_i w_i log p(x_i), so an integer weight counts a row as that many copies of it.
   */
  readonly weights?: Float64Array;
}

/**
 * The parameters of a mixture, in the engine's working layout.
 * weights (k); means (k × d); covariances by type:
 *   full (k × d × d), tied (d × d), diag (k × d), spherical (k).
 */
export interface GmmParams {
  readonly covarianceType: CovarianceType;
  readonly k: number;
  readonly dims: number;
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly covariances: Float64Array;
}

/**
 * Sufficient statistics of one chunk of rows under given parameters (the E-step's output).
 * sumResp (k): Σ_i r_ik; sumX (k × d): Σ_i r_ik x_i; sumXX: what the covariance type needs
 * (full: k × d × d, tied: d × d, diag: k × d, spherical: k); logLikelihood: Σ_i log p(x_i); rows: n.
 * Merging is plain addition, always done in chunk order so results do not depend on worker count.
 */
export interface SufficientStats {
  readonly covarianceType: CovarianceType;
  readonly k: number;
  readonly dims: number;
  rows: number;
  logLikelihood: number;
  readonly sumResp: Float64Array;
  readonly sumX: Float64Array;
  readonly sumXX: Float64Array;
  /**
   * (k × d) the point each component's sums are taken about: sumX = Σ r_ik (x_i − shift_k) and sumXX likewise
   * (keeps the M-step free of cancellation). Absent means zero, i.e. the raw sums described above.
   * chunkStats sets it to the E-step parameters' means (tied: their weighted average, the same for every component).
   */
  readonly shift?: Float64Array;
}

export interface IterationInfo {
  trial: number;
  iteration: number;
  /** mean per-row log-likelihood after this iteration's E-step (weighted: Σ w log p / Σ w) */
  meanLogLikelihood: number;
  /** largest distance any mean moved in this iteration */
  centerShift: number;
  seconds: number;
}

/** Which part of a start is running: k-means++ picking centers, Lloyd's k-means iterations, refined's samplings. */
export type StartPhase = 'seeding' | 'kmeans' | 'sampling';

/**
 * Progress of a trial's start, before its first EM iteration: step of steps in the phase (centers picked of k,
 * Lloyd iteration of kmeansMaxIter — Lloyd usually stops earlier, when no label changes — or sampling of samplings).
 */
export interface StartInfo {
  trial: number;
  phase: StartPhase;
  step: number;
  steps: number;
  seconds: number;
}

export interface GmmFitOptions {
  k: number;
  covarianceType?: CovarianceType; // 'full'
  init?: InitMethod; // 'kmeans'
  /** warm start (mlpack's input_model): overrides init; must match dims, k and covariance type */
  initialModel?: GmmModelJson;
  /** scikit-learn's weights_init, means_init and precisions_init: each replaces what the start (init) estimated,
   *  after it ran. weights (k, non-negative, summing to 1); means (k × d); precisions (inverse covariances) in the
   *  shape of the covariance type: full k × d × d, tied d × d, diag k × d, spherical k. With all three given the
   *  start is fixed (init does not run; one trial). */
  weightsInit?: number[];
  meansInit?: number[][];
  precisionsInit?: number[] | number[][] | number[][][];
  trials?: number; // 1
  maxIter?: number; // 100
  epsilon?: number; // 1e-4
  convergence?: ConvergenceCriterion; // 'centers'
  regCovar?: number; // 1e-6
  /** mlpack's floor on each covariance's condition number (λmax/1e5); off by default, as in PAI/Alink and
   *  scikit-learn, because on columns of different scales it inflates the small variances */
  forcePositive?: boolean; // false
  noise?: number; // 0
  randomSeed?: number; // 0
  samplings?: number; // 100 (refined)
  percentage?: number; // 0.02 (refined)
  kmeansMaxIter?: number; // 300
  /** rows per chunk of the E-step; fixed per fit so results never depend on the number of workers */
  chunkRows?: number;
  onIteration?: (info: IterationInfo) => void;
  /** called as the start of each trial moves (the k-means start of 1M rows takes seconds before iteration 1) */
  onStart?: (info: StartInfo) => void;
}

export interface TrainingSummary {
  rows: number;
  /**
   * Present when the fit was weighted: Σ of the rows' sample weights. meanLogLikelihood is then Σ w log p / Σ w,
   * and BIC and AIC take Σ w as the number of rows (so integer weights score as the repeated rows would).
   */
  totalWeight?: number;
  /** the table column the sample weights came from (set by the component that read it) */
  weightCol?: string;
  /**
   * How the rows were held (set by the component that read them): 'memory', or 'stream' when they did not fit the
   * run's memory budget and every E-step read them from disk
   */
  dataMode?: 'memory' | 'stream';
  /** present when the start (k-means and the others) ran on a seeded sample of the rows (SampledRows): its size */
  startSampleRows?: number;
  iterations: number;
  converged: boolean;
  convergence: ConvergenceCriterion;
  epsilon: number;
  /** the start; 'model' for a warm start, 'given' when weightsInit, meansInit and precisionsInit fixed it */
  init: InitMethod | 'model' | 'given';
  trials: number;
  bestTrial: number;
  randomSeed: number;
  regCovar: number;
  forcePositive?: boolean;
  /** present when forcePositive changed a covariance in the best trial (start and M-steps) */
  positiveConstraint?: PositiveConstraintReport;
  /** mean per-row log-likelihood of every iteration of the best trial */
  logLikelihoodHistory: number[];
  /**
   * Set when the fit is degenerate: a component covers fewer rows than its free covariance parameters, or its
   * covariance before regCovar is singular by mclust's rule; the likelihood is then spurious (diagnoseDegenerate).
   */
  degenerate?: string;
  meanLogLikelihood: number;
  bic: number;
  aic: number;
  seconds: number;
}

/** How often mlpack's positive-definite constraint changed a covariance: `steps` counts the start and M-steps
 *  where it changed any, `components` how many of those changed each component (tied: component 0, the shared one). */
export interface PositiveConstraintReport {
  steps: number;
  components: { component: number; steps: number }[];
}

/** The versioned model file (JSON). Covariances are nested arrays in the shape of the covariance type. */
export interface GmmModelJson {
  type: 'mixflow.gmm';
  version: 1;
  covarianceType: CovarianceType;
  dims: number;
  k: number;
  weights: number[];
  means: number[][];
  /** full: k×d×d; tied: d×d; diag: k×d; spherical: k */
  covariances: number[] | number[][] | number[][][];
  /** optional provenance: the vector column or feature columns the model was trained on */
  featureNames?: string[];
  vectorCol?: string;
  /** missingValues mean: the training mean of each dimension, which prediction fills missing cells with */
  imputeMeans?: number[];
  /** a warm-started model's parent: the model file it started from (its name, without folders, and its SHA-256) */
  parent?: ModelParent;
  training?: TrainingSummary;
}

/** The model a warm start began from, as a model file names it (the CLI's --input-model). */
export interface ModelParent {
  /** the parent file's name, without its folders */
  file: string;
  /** SHA-256 of the parent file's bytes, in hex */
  sha256: string;
}

/** Model selection's criteria, with scikit-learn's sign: lower is better (mclust's BIC is the negative). */
export type SelectionCriterion = 'bic' | 'aic';

/** One cell of a model-selection grid. */
export interface CandidateSpec {
  k: number;
  covarianceType: CovarianceType;
}

/** One row of the candidates table. Numbers are null when the fit failed (then `error` says why). */
export interface CandidateResult extends CandidateSpec {
  logLikelihood: number | null;
  meanLogLikelihood: number | null;
  bic: number | null;
  aic: number | null;
  /** free parameters, as scikit-learn's _n_parameters */
  parameters: number;
  iterations: number | null;
  converged: boolean | null;
  seconds: number;
  /** why the fit is degenerate (a collapsed component); such a candidate is never chosen */
  degenerate?: string;
  /** why the fit failed */
  error?: string;
}
