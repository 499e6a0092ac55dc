import { COVARIANCE_TYPES, CONVERGENCE_CRITERIA, INIT_METHODS, MISSING_VALUES, type GmmFitOptions } from '@mixflow/gmm';
import { ComponentError, executionParams, type ParameterDescription, type Params } from '@mixflow/component-sdk';

/**
 * Parameter descriptions shared by the GMM components. Names, defaults and ranges follow PAI / Alink
 * (FACTS.md); the advanced group exposes the rest of the engine's options.
 */

export function featureParams(port: number, role: 'train' | 'predict'): ParameterDescription[] {
  const fallback = role === 'predict' ? ' Leave empty to use the column the model was trained on.' : '';
  return [
    {
      name: 'vectorCol',
      label: 'Vector column',
      tab: 'field',
      type: 'column',
      port,
      columnTypes: ['vector', 'string'],
      help: `The column holding each row's features as an Alink vector string: dense "1.0 2.0 3.0" or sparse "$3$0:1.0 2:3.0". Set this or Feature columns, not both.${fallback}`,
    },
    {
      name: 'featureCols',
      label: 'Feature columns',
      tab: 'field',
      type: 'columns',
      port,
      columnTypes: ['double', 'long'],
      help: `Numeric columns to use as the features, in this order, instead of a vector column.${fallback}`,
    },
  ];
}

/** weightCol (Spark MLlib's and Alink's name): the training rows' sample weights. */
export const WEIGHT_COL_PARAM: ParameterDescription = {
  name: 'weightCol',
  label: 'Weight column',
  tab: 'field',
  type: 'column',
  port: 0,
  columnTypes: ['double', 'long'],
  help:
    'Optional numeric column of sample weights (Spark MLlib\'s weightCol): EM maximizes Σ w·log p(x), so a row of weight 3 counts as three copies of it and a row of weight 0 takes no part. Weights must be finite and ≥ 0, not all 0; a missing, negative or non-finite weight stops the run naming its row. Leave empty for unweighted EM.',
};

const MISSING_VALUE_LABELS: Record<'train' | 'predict', Record<string, string>> = {
  train: {
    error: 'Stop with an error naming the first such row',
    drop: 'Leave those rows out of training',
    mean: 'Fill in the training means (stored in the model)',
  },
  predict: {
    error: 'Stop with an error naming the first such row',
    drop: 'Give those rows an empty prediction',
    mean: "Fill in the model's training means",
  },
};

/** missingValues: what a missing feature cell (empty, NaN, null, NA or ?) does. */
export function missingValuesParam(role: 'train' | 'predict'): ParameterDescription {
  const help =
    role === 'train'
      ? 'What a missing feature cell (empty, NaN, null, NA or ?) does: error stops and names its row and column; drop trains without those rows; mean fills each with its column\'s mean over the training rows, and the model stores the means so GMM Prediction can fill in the same. The run log and the droppedRows / imputedRows metric count the rows.'
      : "What a missing feature cell (empty, NaN, null, NA or ?) does: error stops and names its row and column; drop gives those rows an empty prediction (and detail); mean fills each with the training mean the model stores (a model trained with missingValues mean). The run log and the droppedRows / imputedRows metric count the rows.";
  return {
    name: 'missingValues',
    label: 'Missing values',
    tab: 'parameter',
    type: 'enum',
    default: 'error',
    options: MISSING_VALUES.map((v) => ({ value: v, label: MISSING_VALUE_LABELS[role][v] })),
    help,
  };
}

export const EXECUTION_PARAMS: ParameterDescription[] = executionParams({
  workersHelp:
    'How many workers share the rows (PAI range [1, 9999]); used together with Memory per worker. About 5 per GB of input is a good start: more workers first speed training up, then slow it down with communication. The local engine caps this at its thread count and logs that it did.',
  memoryDefault: 4096,
  memoryHelp:
    "Memory of each worker in MB (PAI range [1024, 65536]). PAI commonly sets 8192; the default here is 4096, so two workers take 8 GB and leave room for the API and a browser on a laptop. PAI's estimate is M × M × K × 8 × 2 × 12 / 1024 / 1024 MB, far less unless the vectors have hundreds of dimensions.",
});

export const COVARIANCE_LABELS: Record<string, string> = {
  full: 'Full (each cluster its own matrix)',
  diag: 'Diagonal',
  spherical: 'Spherical (one variance per cluster)',
  tied: 'Tied (one matrix shared by all clusters)',
};
const INIT_LABELS: Record<string, string> = {
  kmeans: 'k-means (scikit-learn and mlpack default)',
  'k-means++': 'k-means++ rows (scikit-learn)',
  random: 'Random responsibilities (scikit-learn)',
  random_from_data: 'Random rows (scikit-learn)',
  alink: 'Alink grouping (5·k rows grouped into k)',
  refined: 'Refined start (Bradley–Fayyad, mlpack)',
};
const CONVERGENCE_LABELS: Record<string, string> = {
  centers: 'Centers moved less than epsilon (PAI)',
  logLikelihood: 'Mean log-likelihood changed less than epsilon (scikit-learn tol)',
  totalLogLikelihood: 'Total log-likelihood changed less than epsilon (mlpack tolerance, Spark tol)',
};

export const TRAINING_PARAMS: ParameterDescription[] = [
  {
    name: 'epsilon',
    label: 'Convergence threshold',
    tab: 'parameter',
    type: 'double',
    default: 1e-4,
    min: 0,
    help: 'Convergence threshold: training stops when the cluster centers of two successive iterations move less than this (or, with the log-likelihood criterion, when the mean log-likelihood changes less). Default 1.0E-4.',
  },
  { name: 'k', label: 'Number of clusters', tab: 'parameter', type: 'int', default: 2, min: 1, max: 1000, help: 'The number of Gaussians (clusters), 1 to 1000. Default 2.' },
  { name: 'maxIter', label: 'Maximum iterations', tab: 'parameter', type: 'int', default: 100, min: 1, max: 1_000_000, help: 'The maximum number of EM iterations per trial, 1 to 1,000,000. Default 100.' },
  { name: 'randomSeed', label: 'Random seed', tab: 'parameter', type: 'int', default: 0, help: 'Seed of the random start; the same seed and data give the same model. Default 0.' },
  {
    name: 'covarianceType',
    label: 'Covariance type',
    tab: 'parameter',
    group: 'advanced',
    type: 'enum',
    default: 'full',
    options: COVARIANCE_TYPES.map((v) => ({ value: v, label: COVARIANCE_LABELS[v] ?? v })),
    help: 'The shape of each cluster: full matrices (PAI/Alink), diagonal, one variance per cluster, or one matrix shared by all.',
  },
  {
    name: 'init',
    label: 'Start',
    tab: 'parameter',
    group: 'advanced',
    type: 'enum',
    default: 'kmeans',
    options: INIT_METHODS.map((v) => ({ value: v, label: INIT_LABELS[v] ?? v })),
    help: "How the first weights, means and covariances are chosen, each as its source names it. scikit-learn's init_params: kmeans (k-means++ seeding then Lloyd; each cluster's rows give a component), k-means++ (the k rows k-means++ picks, each alone in its component, covariance regCovar·I), random (uniform random responsibilities for every row), random_from_data (k random rows, each alone in its component). alink: Alink's grouping (5·k sampled rows grouped by index mod k, their means and diagonal variances, weights 1/k). refined: mlpack's Bradley–Fayyad refined start. Not used when weightsInit, meansInit and precisionsInit are all given.",
  },
  {
    name: 'trials',
    label: 'Trials',
    tab: 'parameter',
    group: 'advanced',
    type: 'int',
    default: 1,
    min: 1,
    max: 100,
    help: 'Run EM this many times (1 to 100) from different starts and keep the model with the best log-likelihood (mlpack trials, scikit-learn n_init).',
  },
  {
    name: 'convergence',
    label: 'Convergence criterion',
    tab: 'parameter',
    group: 'advanced',
    type: 'enum',
    default: 'centers',
    options: CONVERGENCE_CRITERIA.map((v) => ({ value: v, label: CONVERGENCE_LABELS[v] ?? v })),
    help: "What epsilon is compared with: the largest distance a center moved (as PAI documents), the change of the mean per-row log-likelihood (scikit-learn's tol), or the change of the total log-likelihood (mlpack's tolerance, Spark's tol).",
  },
  {
    name: 'regCovar',
    label: 'Covariance regularisation',
    tab: 'parameter',
    group: 'advanced',
    type: 'double',
    default: 1e-6,
    min: 0,
    help: 'Added to every covariance diagonal so no cluster collapses onto a point (scikit-learn reg_covar). Raise it if training reports an ill-defined covariance. 0 reproduces Alink.',
  },
  {
    name: 'forcePositive',
    label: 'Force positive definite',
    tab: 'parameter',
    group: 'advanced',
    type: 'boolean',
    default: false,
    help: "mlpack's positive-definite constraint: after each M-step raise every covariance eigenvalue to at least λmax/1e5. Off by default, as in PAI/Alink and scikit-learn: on columns of different scales it inflates the small variances and gives a worse fit. When on and it changes a covariance, the run log and the model's training summary say how often and for which components.",
  },
  {
    name: 'noise',
    label: 'Noise variance',
    tab: 'parameter',
    group: 'advanced',
    type: 'double',
    default: 0,
    min: 0,
    help: 'Variance of Gaussian noise added to the data before training (mlpack noise); 0 adds none.',
  },
  {
    name: 'samplings',
    label: 'Samplings',
    tab: 'parameter',
    group: 'advanced',
    type: 'int',
    default: 100,
    min: 1,
    max: 10_000,
    showIf: { init: ['refined'] },
    help: 'Refined start: how many random subsets (1 to 10,000) k-means runs on before its centroids are pooled.',
  },
  {
    name: 'percentage',
    label: 'Sample fraction',
    tab: 'parameter',
    group: 'advanced',
    type: 'double',
    default: 0.02,
    min: 0.0001,
    max: 1,
    showIf: { init: ['refined'] },
    help: 'Refined start: the fraction of the rows in each subset (0.02 = 2%).',
  },
  {
    name: 'weightsInit',
    label: 'Initial weights',
    tab: 'parameter',
    group: 'advanced',
    type: 'string',
    default: '',
    help: "scikit-learn's weights_init, as JSON: k weights in [0, 1] summing to 1, e.g. [0.3, 0.7]. They replace the weights the start estimated. Empty: the start's.",
  },
  {
    name: 'meansInit',
    label: 'Initial means',
    tab: 'parameter',
    group: 'advanced',
    type: 'string',
    default: '',
    help: "scikit-learn's means_init, as JSON: k rows of d numbers, e.g. [[0, 0], [5, 5]]. They replace the means the start estimated. Empty: the start's.",
  },
  {
    name: 'precisionsInit',
    label: 'Initial precisions',
    tab: 'parameter',
    group: 'advanced',
    type: 'string',
    default: '',
    help: "scikit-learn's precisions_init (inverse covariances), as JSON in the covariance type's shape: full k matrices d × d, tied one d × d matrix, diag k rows of d, spherical k numbers; symmetric positive definite (positive). They replace the covariances the start estimated. With weightsInit, meansInit and precisionsInit all given the start is fixed: init does not apply and trials must be 1. Empty: the start's.",
  },
];

/** weightsInit / meansInit / precisionsInit from their JSON text ('' = not given); a ComponentError names the parameter. */
export function givenStart(params: Params): Pick<GmmFitOptions, 'weightsInit' | 'meansInit' | 'precisionsInit'> {
  const out: Pick<GmmFitOptions, 'weightsInit' | 'meansInit' | 'precisionsInit'> = {};
  for (const name of ['weightsInit', 'meansInit', 'precisionsInit'] as const) {
    const text = params[name];
    if (typeof text !== 'string' || text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ComponentError(`${name} must be JSON, e.g. ${name === 'weightsInit' ? '[0.3, 0.7]' : name === 'meansInit' ? '[[0, 0], [5, 5]]' : '[[[1, 0], [0, 1]], [[1, 0], [0, 1]]]'}; got ${JSON.stringify(text.slice(0, 40))}`, {
        parameter: name,
      });
    }
    if (!Array.isArray(value)) throw new ComponentError(`${name} must be a JSON array`, { parameter: name });
    (out as Record<string, unknown>)[name] = value;
  }
  return out;
}

/** The engine's fit options from resolved parameters (parameters hidden by showIf are absent and keep the engine's defaults). */
export function fitOptionsFrom(params: Params): GmmFitOptions {
  const given = givenStart(params);
  const o: GmmFitOptions = {
    ...given,
    k: params.k as number,
    epsilon: params.epsilon as number,
    maxIter: params.maxIter as number,
    randomSeed: params.randomSeed as number,
    covarianceType: params.covarianceType as GmmFitOptions['covarianceType'],
    init: params.init as GmmFitOptions['init'],
    trials: params.trials as number,
    convergence: params.convergence as GmmFitOptions['convergence'],
    regCovar: params.regCovar as number,
    forcePositive: params.forcePositive as boolean,
    noise: params.noise as number,
  };
  if (params.samplings !== undefined) o.samplings = params.samplings as number;
  if (params.percentage !== undefined) o.percentage = params.percentage as number;
  // a fixed start (all three given) runs no init: pass init only when the user changed it, so the engine names it
  if (given.weightsInit && given.meansInit && given.precisionsInit && params.init === 'kmeans') delete o.init;
  return o;
}

/** The features a component reads: a vector column, numeric columns, or (prediction) what the model names. */
export interface FeatureChoice {
  vectorCol?: string;
  featureCols?: string[];
}

export function featureChoice(params: Params): FeatureChoice {
  const vectorCol = typeof params.vectorCol === 'string' && params.vectorCol !== '' ? params.vectorCol : undefined;
  const featureCols = Array.isArray(params.featureCols) && params.featureCols.length > 0 ? params.featureCols : undefined;
  return { ...(vectorCol ? { vectorCol } : {}), ...(featureCols ? { featureCols } : {}) };
}
