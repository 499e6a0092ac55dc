// Generated from the component descriptions by libs/sdk/src/codegen.ts; do not edit.
// Regenerate: UPDATE_GENERATED=1 npx jest --selectProjects sdk -t "generated operators"
import type { Mixflow } from '../mixflow';
import { ComponentBatchOp, ComponentStreamOp, type BatchOperator, type Row } from '../operator';
import { ClusterMetrics } from '../metrics';

/** Read Dataset: Reads a stored dataset (an uploaded CSV) or a built-in sample dataset as a table. */
export class ReadDatasetBatchOp extends ComponentBatchOp {
  static readonly componentId = "read-dataset";
  constructor() {
    super("read-dataset");
  }

  /** Dataset (datasetId; string; required): The id of a stored dataset (upload a CSV to create one) or of a built-in sample: sample-three-blobs, sample-10d-8clusters, sample-wine, sample-breast-cancer, sample-old-faithful, sample-iris. */
  setDatasetId(value: string): this {
    return this.set("datasetId", value);
  }
}

/** Write Dataset: Saves its input table as a dataset (stored as Parquet, downloadable as CSV or Parquet), which appears in the datasets list and which Read Dataset can read. Each run saves a new dataset, or with Overwrite replaces the rows of the dataset of that name. */
export class WriteDatasetBatchOp extends ComponentBatchOp {
  static readonly componentId = "write-dataset";
  constructor() {
    super("write-dataset");
  }

  /** Dataset name (datasetName; string; required): The dataset's name in the datasets list: 1 to 200 characters, no control characters. Names need not be unique; without Overwrite each run saves a new dataset with its own id. */
  setDatasetName(value: string): this {
    return this.set("datasetName", value);
  }

  /** Overwrite (overwriteSink; boolean; default false): Replace the rows of the latest uploaded or saved dataset of this name instead of saving a new one (Alink’s overwriteSink). It keeps its id, so Read Dataset nodes that read it get the new rows. Built-in samples are never replaced; with no dataset of that name a new one is saved. Default false. */
  setOverwriteSink(value: boolean): this {
    return this.set("overwriteSink", value);
  }
}

/** Clustering Model Evaluation: Measures a clustering: cluster sizes from the prediction column; with the features SSB, SSW, VRC (Calinski–Harabasz), CP, SP, DB (Davies–Bouldin) and the silhouette coefficient; with a label column NMI, purity, RI, ARI and the confusion matrix. */
export class EvalClusterBatchOp extends ComponentBatchOp {
  static readonly componentId = "eval-cluster";
  constructor() {
    super("eval-cluster");
  }

  /** Prediction column (predictionCol; column; required): The column holding each row's cluster (GMM Prediction's prediction column, or any column of cluster ids). */
  setPredictionCol(value: string): this {
    return this.set("predictionCol", value);
  }

  /** Vector column (vectorCol; column): The features as an Alink vector column: with it (or Feature columns) the evaluation adds SSB, SSW, VRC, CP, SP, DB and the silhouette coefficient. */
  setVectorCol(value: string): this {
    return this.set("vectorCol", value);
  }

  /** Feature columns (featureCols; columns): Numeric columns to use as the features instead of a vector column. */
  setFeatureCols(value: readonly string[]): this {
    return this.set("featureCols", [...value]);
  }

  /** Label column (labelCol; column): The known class of each row: with it the evaluation adds NMI, purity, RI, ARI and the confusion matrix. */
  setLabelCol(value: string): this {
    return this.set("labelCol", value);
  }

  /** Distance type (distanceType; enum; default "EUCLIDEAN"): The distance of CP, SP, DB and the silhouette coefficient. SSB, SSW and VRC are sums of squared Euclidean distances whatever this is. */
  setDistanceType(value: "EUCLIDEAN" | "COSINE" | "CITYBLOCK"): this {
    return this.set("distanceType", value);
  }

  /** Silhouette rows (silhouetteSampleSize; int; default 10000; range [3, 1000000]): The silhouette coefficient compares every pair of rows: it is exact up to this many rows, and above it is computed on a random sample of this many rows (silhouetteExact says which). */
  setSilhouetteSampleSize(value: number): this {
    return this.set("silhouetteSampleSize", value);
  }

  /** Random seed (randomSeed; int; default 0): Seed of the silhouette sample when the table has more rows than Silhouette rows; the same seed gives the same sample. */
  setRandomSeed(value: number): this {
    return this.set("randomSeed", value);
  }

  /** Number of Workers (numWorkers; int; default 1; range [1, 9999]): How many workers share the silhouette coefficient (each scores its share of the rows against all of them). The local engine caps this at its thread count and logs that it did. */
  setNumWorkers(value: number): this {
    return this.set("numWorkers", value);
  }

  /** Memory per worker, MB (memoryPerWorkerMb; int; default 1024; range [1024, 65536]): Memory of each worker in MB (PAI range [1024, 65536]). A worker holds the silhouette sample: 10,000 rows of d numbers are 80·d KB. */
  setMemoryPerWorkerMb(value: number): this {
    return this.set("memoryPerWorkerMb", value);
  }

  /** The metrics, with Alink's getters. */
  async collectMetrics(mixflow?: Mixflow): Promise<ClusterMetrics> {
    return ClusterMetrics.fromTable(await this.collectTable(mixflow), this.operatorName);
  }
}

/** GMM Training: Fits a Gaussian mixture model of k Gaussians to the rows of a table with the EM algorithm. */
export class GmmTrainBatchOp extends ComponentBatchOp {
  static readonly componentId = "gmm-train";
  constructor() {
    super("gmm-train");
  }

  /** Vector column (vectorCol; column): The column holding each row's features as an Alink vector string: dense "1.0 2.0 3.0" or sparse "$3$0:1.0 2:3.0". Set this or Feature columns, not both. */
  setVectorCol(value: string): this {
    return this.set("vectorCol", value);
  }

  /** Feature columns (featureCols; columns): Numeric columns to use as the features, in this order, instead of a vector column. */
  setFeatureCols(value: readonly string[]): this {
    return this.set("featureCols", [...value]);
  }

  /** Weight column (weightCol; column): Optional numeric column of sample weights (Spark MLlib's weightCol): EM maximizes Σ w·log p(x), so a row of weight 3 counts as three copies of it and a row of weight 0 takes no part. Weights must be finite and ≥ 0, not all 0; a missing, negative or non-finite weight stops the run naming its row. Leave empty for unweighted EM. */
  setWeightCol(value: string): this {
    return this.set("weightCol", value);
  }

  /** Convergence threshold (epsilon; double; default 0.0001; range [0, ∞]): Convergence threshold: training stops when the cluster centers of two successive iterations move less than this (or, with the log-likelihood criterion, when the mean log-likelihood changes less). Default 1.0E-4. */
  setEpsilon(value: number): this {
    return this.set("epsilon", value);
  }

  /** Number of clusters (k; int; default 2; range [1, 1000]): The number of Gaussians (clusters), 1 to 1000. Default 2. */
  setK(value: number): this {
    return this.set("k", value);
  }

  /** Maximum iterations (maxIter; int; default 100; range [1, 1000000]): The maximum number of EM iterations per trial, 1 to 1,000,000. Default 100. */
  setMaxIter(value: number): this {
    return this.set("maxIter", value);
  }

  /** Random seed (randomSeed; int; default 0): Seed of the random start; the same seed and data give the same model. Default 0. */
  setRandomSeed(value: number): this {
    return this.set("randomSeed", value);
  }

  /** Covariance type (covarianceType; enum; default "full"): The shape of each cluster: full matrices (PAI/Alink), diagonal, one variance per cluster, or one matrix shared by all. */
  setCovarianceType(value: "full" | "diag" | "spherical" | "tied"): this {
    return this.set("covarianceType", value);
  }

  /** Start (init; enum; default "kmeans"): How the first weights, means and covariances are chosen, each as its source names it. scikit-learn's init_params: kmeans (k-means++ seeding then Lloyd; each cluster's rows give a component), k-means++ (the k rows k-means++ picks, each alone in its component, covariance regCovar·I), random (uniform random responsibilities for every row), random_from_data (k random rows, each alone in its component). alink: Alink's grouping (5·k sampled rows grouped by index mod k, their means and diagonal variances, weights 1/k). refined: mlpack's Bradley–Fayyad refined start. Not used when weightsInit, meansInit and precisionsInit are all given. */
  setInit(value: "kmeans" | "k-means++" | "random" | "random_from_data" | "alink" | "refined"): this {
    return this.set("init", value);
  }

  /** Trials (trials; int; default 1; range [1, 100]): Run EM this many times (1 to 100) from different starts and keep the model with the best log-likelihood (mlpack trials, scikit-learn n_init). */
  setTrials(value: number): this {
    return this.set("trials", value);
  }

  /** Convergence criterion (convergence; enum; default "centers"): What epsilon is compared with: the largest distance a center moved (as PAI documents), the change of the mean per-row log-likelihood (scikit-learn's tol), or the change of the total log-likelihood (mlpack's tolerance, Spark's tol). */
  setConvergence(value: "centers" | "logLikelihood" | "totalLogLikelihood"): this {
    return this.set("convergence", value);
  }

  /** Covariance regularisation (regCovar; double; default 0.000001; range [0, ∞]): Added to every covariance diagonal so no cluster collapses onto a point (scikit-learn reg_covar). Raise it if training reports an ill-defined covariance. 0 reproduces Alink. */
  setRegCovar(value: number): this {
    return this.set("regCovar", value);
  }

  /** Force positive definite (forcePositive; boolean; default false): mlpack's positive-definite constraint: after each M-step raise every covariance eigenvalue to at least λmax/1e5. Off by default, as in PAI/Alink and scikit-learn: on columns of different scales it inflates the small variances and gives a worse fit. When on and it changes a covariance, the run log and the model's training summary say how often and for which components. */
  setForcePositive(value: boolean): this {
    return this.set("forcePositive", value);
  }

  /** Noise variance (noise; double; default 0; range [0, ∞]): Variance of Gaussian noise added to the data before training (mlpack noise); 0 adds none. */
  setNoise(value: number): this {
    return this.set("noise", value);
  }

  /** Samplings (samplings; int; default 100; range [1, 10000]): Refined start: how many random subsets (1 to 10,000) k-means runs on before its centroids are pooled. */
  setSamplings(value: number): this {
    return this.set("samplings", value);
  }

  /** Sample fraction (percentage; double; default 0.02; range [0.0001, 1]): Refined start: the fraction of the rows in each subset (0.02 = 2%). */
  setPercentage(value: number): this {
    return this.set("percentage", value);
  }

  /** Initial weights (weightsInit; string; default ""): scikit-learn's weights_init, as JSON: k weights in [0, 1] summing to 1, e.g. [0.3, 0.7]. They replace the weights the start estimated. Empty: the start's. */
  setWeightsInit(value: string): this {
    return this.set("weightsInit", value);
  }

  /** Initial means (meansInit; string; default ""): scikit-learn's means_init, as JSON: k rows of d numbers, e.g. [[0, 0], [5, 5]]. They replace the means the start estimated. Empty: the start's. */
  setMeansInit(value: string): this {
    return this.set("meansInit", value);
  }

  /** Initial precisions (precisionsInit; string; default ""): scikit-learn's precisions_init (inverse covariances), as JSON in the covariance type's shape: full k matrices d × d, tied one d × d matrix, diag k rows of d, spherical k numbers; symmetric positive definite (positive). They replace the covariances the start estimated. With weightsInit, meansInit and precisionsInit all given the start is fixed: init does not apply and trials must be 1. Empty: the start's. */
  setPrecisionsInit(value: string): this {
    return this.set("precisionsInit", value);
  }

  /** Missing values (missingValues; enum; default "error"): What a missing feature cell (empty, NaN, null, NA or ?) does: error stops and names its row and column; drop trains without those rows; mean fills each with its column's mean over the training rows, and the model stores the means so GMM Prediction can fill in the same. The run log and the droppedRows / imputedRows metric count the rows. */
  setMissingValues(value: "error" | "drop" | "mean"): this {
    return this.set("missingValues", value);
  }

  /** Number of Workers (numWorkers; int; default 1; range [1, 9999]): How many workers share the rows (PAI range [1, 9999]); used together with Memory per worker. About 5 per GB of input is a good start: more workers first speed training up, then slow it down with communication. The local engine caps this at its thread count and logs that it did. */
  setNumWorkers(value: number): this {
    return this.set("numWorkers", value);
  }

  /** Memory per worker, MB (memoryPerWorkerMb; int; default 4096; range [1024, 65536]): Memory of each worker in MB (PAI range [1024, 65536]). PAI commonly sets 8192; the default here is 4096, so two workers take 8 GB and leave room for the API and a browser on a laptop. PAI's estimate is M × M × K × 8 × 2 × 12 / 1024 / 1024 MB, far less unless the vectors have hundreds of dimensions. */
  setMemoryPerWorkerMb(value: number): this {
    return this.set("memoryPerWorkerMb", value);
  }
}

/** GMM Model Selection: Fits a Gaussian mixture for every number of Gaussians from kMin to kMax and every chosen covariance type, and outputs the one with the lowest BIC (or AIC), as R mclust does; the second output lists every candidate. */
export class GmmModelSelectionBatchOp extends ComponentBatchOp {
  static readonly componentId = "gmm-model-selection";
  constructor() {
    super("gmm-model-selection");
  }

  /** Vector column (vectorCol; column): The column holding each row's features as an Alink vector string: dense "1.0 2.0 3.0" or sparse "$3$0:1.0 2:3.0". Set this or Feature columns, not both. */
  setVectorCol(value: string): this {
    return this.set("vectorCol", value);
  }

  /** Feature columns (featureCols; columns): Numeric columns to use as the features, in this order, instead of a vector column. */
  setFeatureCols(value: readonly string[]): this {
    return this.set("featureCols", [...value]);
  }

  /** Smallest number of clusters (kMin; int; default 1; range [1, ∞]): The smallest number of Gaussians tried. Default 1. */
  setKMin(value: number): this {
    return this.set("kMin", value);
  }

  /** Largest number of clusters (kMax; int; default 9; range [1, ∞]): The largest number of Gaussians tried (mclust's G = 1..9 by default); at most the number of distinct rows. Default 9. */
  setKMax(value: number): this {
    return this.set("kMax", value);
  }

  /** Covariance types (covarianceTypes; enums; default ["full","diag","spherical","tied"]): The covariance types tried, one or more of full, tied, diag, spherical (mclust's VVV, EEE, VVI, VII); in the CLI comma separated. Default all four. */
  setCovarianceTypes(value: readonly ("full" | "diag" | "spherical" | "tied")[]): this {
    return this.set("covarianceTypes", [...value]);
  }

  /** Criterion (criterion; enum; default "bic"): What chooses the model: BIC = −2·log-likelihood + p·ln n, or AIC = −2·log-likelihood + 2p, with scikit-learn's sign (lower is better; mclust's BIC is the negative). Degenerate candidates, whose likelihood comes from a collapsed component, are never chosen. */
  setCriterion(value: "bic" | "aic"): this {
    return this.set("criterion", value);
  }

  /** Convergence threshold (epsilon; double; default 0.0001; range [0, ∞]): Convergence threshold: training stops when the cluster centers of two successive iterations move less than this (or, with the log-likelihood criterion, when the mean log-likelihood changes less). Default 1.0E-4. */
  setEpsilon(value: number): this {
    return this.set("epsilon", value);
  }

  /** Maximum iterations (maxIter; int; default 100; range [1, 1000000]): The maximum number of EM iterations per trial, 1 to 1,000,000. Default 100. */
  setMaxIter(value: number): this {
    return this.set("maxIter", value);
  }

  /** Random seed (randomSeed; int; default 0): Seed of the random start; the same seed and data give the same model. Default 0. */
  setRandomSeed(value: number): this {
    return this.set("randomSeed", value);
  }

  /** Start (init; enum; default "kmeans"): How the first weights, means and covariances are chosen, each as its source names it. scikit-learn's init_params: kmeans (k-means++ seeding then Lloyd; each cluster's rows give a component), k-means++ (the k rows k-means++ picks, each alone in its component, covariance regCovar·I), random (uniform random responsibilities for every row), random_from_data (k random rows, each alone in its component). alink: Alink's grouping (5·k sampled rows grouped by index mod k, their means and diagonal variances, weights 1/k). refined: mlpack's Bradley–Fayyad refined start. Not used when weightsInit, meansInit and precisionsInit are all given. */
  setInit(value: "kmeans" | "k-means++" | "random" | "random_from_data" | "alink" | "refined"): this {
    return this.set("init", value);
  }

  /** Trials (trials; int; default 1; range [1, 100]): Run EM this many times (1 to 100) from different starts and keep the model with the best log-likelihood (mlpack trials, scikit-learn n_init). */
  setTrials(value: number): this {
    return this.set("trials", value);
  }

  /** Convergence criterion (convergence; enum; default "centers"): What epsilon is compared with: the largest distance a center moved (as PAI documents), the change of the mean per-row log-likelihood (scikit-learn's tol), or the change of the total log-likelihood (mlpack's tolerance, Spark's tol). */
  setConvergence(value: "centers" | "logLikelihood" | "totalLogLikelihood"): this {
    return this.set("convergence", value);
  }

  /** Covariance regularisation (regCovar; double; default 0.000001; range [0, ∞]): Added to every covariance diagonal so no cluster collapses onto a point (scikit-learn reg_covar). Raise it if training reports an ill-defined covariance. 0 reproduces Alink. */
  setRegCovar(value: number): this {
    return this.set("regCovar", value);
  }

  /** Force positive definite (forcePositive; boolean; default false): mlpack's positive-definite constraint: after each M-step raise every covariance eigenvalue to at least λmax/1e5. Off by default, as in PAI/Alink and scikit-learn: on columns of different scales it inflates the small variances and gives a worse fit. When on and it changes a covariance, the run log and the model's training summary say how often and for which components. */
  setForcePositive(value: boolean): this {
    return this.set("forcePositive", value);
  }

  /** Noise variance (noise; double; default 0; range [0, ∞]): Variance of Gaussian noise added to the data before training (mlpack noise); 0 adds none. */
  setNoise(value: number): this {
    return this.set("noise", value);
  }

  /** Samplings (samplings; int; default 100; range [1, 10000]): Refined start: how many random subsets (1 to 10,000) k-means runs on before its centroids are pooled. */
  setSamplings(value: number): this {
    return this.set("samplings", value);
  }

  /** Sample fraction (percentage; double; default 0.02; range [0.0001, 1]): Refined start: the fraction of the rows in each subset (0.02 = 2%). */
  setPercentage(value: number): this {
    return this.set("percentage", value);
  }

  /** Missing values (missingValues; enum; default "error"): What a missing feature cell (empty, NaN, null, NA or ?) does: error stops and names its row and column; drop trains without those rows; mean fills each with its column's mean over the training rows, and the model stores the means so GMM Prediction can fill in the same. The run log and the droppedRows / imputedRows metric count the rows. */
  setMissingValues(value: "error" | "drop" | "mean"): this {
    return this.set("missingValues", value);
  }

  /** Number of Workers (numWorkers; int; default 1; range [1, 9999]): How many workers share the rows (PAI range [1, 9999]); used together with Memory per worker. About 5 per GB of input is a good start: more workers first speed training up, then slow it down with communication. The local engine caps this at its thread count and logs that it did. */
  setNumWorkers(value: number): this {
    return this.set("numWorkers", value);
  }

  /** Memory per worker, MB (memoryPerWorkerMb; int; default 4096; range [1024, 65536]): Memory of each worker in MB (PAI range [1024, 65536]). PAI commonly sets 8192; the default here is 4096, so two workers take 8 GB and leave room for the API and a browser on a laptop. PAI's estimate is M × M × K × 8 × 2 × 12 / 1024 / 1024 MB, far less unless the vectors have hundreds of dimensions. */
  setMemoryPerWorkerMb(value: number): this {
    return this.set("memoryPerWorkerMb", value);
  }

  /** Candidates (output 1): its rows. */
  collectCandidates(mixflow?: Mixflow): Promise<Row[]> {
    return this.collectOutput(1, mixflow);
  }
}

/** GMM Prediction: Assigns every row to its most likely cluster of a trained GMM, optionally with every cluster’s probability. */
export class GmmPredictBatchOp extends ComponentBatchOp {
  static readonly componentId = "gmm-predict";
  constructor() {
    super("gmm-predict");
  }

  /** Vector column (vectorCol; column): The column holding each row's features as an Alink vector string: dense "1.0 2.0 3.0" or sparse "$3$0:1.0 2:3.0". Set this or Feature columns, not both. Leave empty to use the column the model was trained on. */
  setVectorCol(value: string): this {
    return this.set("vectorCol", value);
  }

  /** Feature columns (featureCols; columns): Numeric columns to use as the features, in this order, instead of a vector column. Leave empty to use the column the model was trained on. */
  setFeatureCols(value: readonly string[]): this {
    return this.set("featureCols", [...value]);
  }

  /** Reserved columns (reservedCols; columns): Input columns copied to the output, in this order. Leave empty to keep every input column. */
  setReservedCols(value: readonly string[]): this {
    return this.set("reservedCols", [...value]);
  }

  /** Prediction column (predictionCol; string; default "prediction_result"): Name of the output column that holds the index (0-based, an integer) of the most likely cluster of each row. Default prediction_result, as PAI's prediction components name it. */
  setPredictionCol(value: string): this {
    return this.set("predictionCol", value);
  }

  /** Prediction detail column (predictionDetailCol; string): Optional output column with the posterior probability of every cluster, in cluster order, space separated (e.g. "0.98 0.02"). Leave empty for none. */
  setPredictionDetailCol(value: string): this {
    return this.set("predictionDetailCol", value);
  }

  /** Score column (scoreCol; string; default ""): Optional output column (double) with each row's log density under the model, scikit-learn's score_samples. Leave empty for none. Either way the metrics give the mean log-likelihood, BIC and AIC of the rows predicted. */
  setScoreCol(value: string): this {
    return this.set("scoreCol", value);
  }

  /** Threads per worker (numThreads; int; default 1; range [1, 128]): Threads each worker predicts with. The engine runs one thread per worker, so it is given Number of Workers × this many workers (each with Memory per worker). */
  setNumThreads(value: number): this {
    return this.set("numThreads", value);
  }

  /** Missing values (missingValues; enum; default "error"): What a missing feature cell (empty, NaN, null, NA or ?) does: error stops and names its row and column; drop gives those rows an empty prediction (and detail); mean fills each with the training mean the model stores (a model trained with missingValues mean). The run log and the droppedRows / imputedRows metric count the rows. */
  setMissingValues(value: "error" | "drop" | "mean"): this {
    return this.set("missingValues", value);
  }

  /** Number of Workers (numWorkers; int; default 1; range [1, 9999]): How many workers share the rows (PAI range [1, 9999]); used together with Memory per worker. About 5 per GB of input is a good start: more workers first speed training up, then slow it down with communication. The local engine caps this at its thread count and logs that it did. */
  setNumWorkers(value: number): this {
    return this.set("numWorkers", value);
  }

  /** Memory per worker, MB (memoryPerWorkerMb; int; default 4096; range [1024, 65536]): Memory of each worker in MB (PAI range [1024, 65536]). PAI commonly sets 8192; the default here is 4096, so two workers take 8 GB and leave room for the API and a browser on a laptop. PAI's estimate is M × M × K × 8 × 2 × 12 / 1024 / 1024 MB, far less unless the vectors have hundreds of dimensions. */
  setMemoryPerWorkerMb(value: number): this {
    return this.set("memoryPerWorkerMb", value);
  }
}

/** GMM Prediction (stream): Predicts rows that arrive one by one (the API’s streaming endpoint); a newer model of the same dimension replaces the one in use without dropping rows. */
export class GmmPredictStreamOp extends ComponentStreamOp {
  static readonly componentId = "gmm-predict-stream";
  constructor(model?: BatchOperator) {
    super("gmm-predict-stream", [model].filter((m): m is BatchOperator => m !== undefined));
  }

  /** Vector column (vectorCol; column): The column holding each row's features as an Alink vector string: dense "1.0 2.0 3.0" or sparse "$3$0:1.0 2:3.0". Set this or Feature columns, not both. Leave empty to use the column the model was trained on. */
  setVectorCol(value: string): this {
    return this.set("vectorCol", value);
  }

  /** Feature columns (featureCols; columns): Numeric columns to use as the features, in this order, instead of a vector column. Leave empty to use the column the model was trained on. */
  setFeatureCols(value: readonly string[]): this {
    return this.set("featureCols", [...value]);
  }

  /** Reserved columns (reservedCols; columns): Input columns copied to the output, in this order. Leave empty to keep every input column. */
  setReservedCols(value: readonly string[]): this {
    return this.set("reservedCols", [...value]);
  }

  /** Prediction column (predictionCol; string; default "prediction_result"): Name of the output column that holds the index (0-based, an integer) of the most likely cluster of each row. Default prediction_result, as PAI's prediction components name it. */
  setPredictionCol(value: string): this {
    return this.set("predictionCol", value);
  }

  /** Prediction detail column (predictionDetailCol; string): Optional output column with the posterior probability of every cluster, in cluster order, space separated (e.g. "0.98 0.02"). Leave empty for none. */
  setPredictionDetailCol(value: string): this {
    return this.set("predictionDetailCol", value);
  }

  /** Score column (scoreCol; string; default ""): Optional output column (double) with each row's log density under the model, scikit-learn's score_samples. Leave empty for none. Either way the metrics give the mean log-likelihood, BIC and AIC of the rows predicted. */
  setScoreCol(value: string): this {
    return this.set("scoreCol", value);
  }

  /** Threads per worker (numThreads; int; default 1; range [1, 128]): Threads each worker predicts with. The engine runs one thread per worker, so it is given Number of Workers × this many workers (each with Memory per worker). */
  setNumThreads(value: number): this {
    return this.set("numThreads", value);
  }

  /** Missing values (missingValues; enum; default "error"): What a missing feature cell (empty, NaN, null, NA or ?) does: error stops and names its row and column; drop gives those rows an empty prediction (and detail); mean fills each with the training mean the model stores (a model trained with missingValues mean). The run log and the droppedRows / imputedRows metric count the rows. */
  setMissingValues(value: "error" | "drop" | "mean"): this {
    return this.set("missingValues", value);
  }

  /** Number of Workers (numWorkers; int; default 1; range [1, 9999]): How many workers share the rows (PAI range [1, 9999]); used together with Memory per worker. About 5 per GB of input is a good start: more workers first speed training up, then slow it down with communication. The local engine caps this at its thread count and logs that it did. */
  setNumWorkers(value: number): this {
    return this.set("numWorkers", value);
  }

  /** Memory per worker, MB (memoryPerWorkerMb; int; default 4096; range [1024, 65536]): Memory of each worker in MB (PAI range [1024, 65536]). PAI commonly sets 8192; the default here is 4096, so two workers take 8 GB and leave room for the API and a browser on a laptop. PAI's estimate is M × M × K × 8 × 2 × 12 / 1024 / 1024 MB, far less unless the vectors have hundreds of dimensions. */
  setMemoryPerWorkerMb(value: number): this {
    return this.set("memoryPerWorkerMb", value);
  }
}

/** Missing Data Imputation: Fills the missing cells of numeric columns with the column’s mean, min or max, or with a fixed value (Alink ImputerTrainBatchOp). Outputs the fill values as a model, for Imputer Predict on new data, and the filled table; the filled cells are counted per column in the log and the metrics. */
export class ImputerTrainBatchOp extends ComponentBatchOp {
  static readonly componentId = "imputer-train";
  constructor() {
    super("imputer-train");
  }

  /** Selected columns (selectedCols; columns; required): The numeric columns whose missing cells (empty, NaN, null, NA or ?) are filled. Other columns pass through unchanged. */
  setSelectedCols(value: readonly string[]): this {
    return this.set("selectedCols", [...value]);
  }

  /** Output columns (outputCols; string; default ""): Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended. */
  setOutputCols(value: string): this {
    return this.set("outputCols", value);
  }

  /** Strategy (strategy; enum; default "MEAN"): What a missing cell gets: the column’s mean, minimum or maximum over the training rows (a long column’s mean is truncated to a whole number, as Alink keeps the type), or fillValue. Default MEAN. */
  setStrategy(value: "MEAN" | "MIN" | "MAX" | "VALUE"): this {
    return this.set("strategy", value);
  }

  /** Fill value (fillValue; string; required): Strategy VALUE: the number every missing cell gets (a whole number when a selected column is long). */
  setFillValue(value: string): this {
    return this.set("fillValue", value);
  }

  /** Transformed table (output 1): its rows. */
  collectData(mixflow?: Mixflow): Promise<Row[]> {
    return this.collectOutput(1, mixflow);
  }
}

/** Imputer Predict: Fills the missing cells of a table with the fill values of a Missing Data Imputation model, so new data is treated as the training data was (Alink ImputerPredictBatchOp); the filled cells are counted per column in the log and the metrics. */
export class ImputerPredictBatchOp extends ComponentBatchOp {
  static readonly componentId = "imputer-predict";
  constructor() {
    super("imputer-predict");
  }

  /** Output columns (outputCols; string; default ""): Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended. */
  setOutputCols(value: string): this {
    return this.set("outputCols", value);
  }
}

/** Standardization: Standardizes numeric columns to (x − mean) / std, the sample standard deviation over the rows (Alink StandardScalerTrainBatchOp). Outputs the means and deviations as a model, for Standard Scaler Batch Predict on new data, and the standardized table. */
export class StandardScalerTrainBatchOp extends ComponentBatchOp {
  static readonly componentId = "standard-scaler-train";
  constructor() {
    super("standard-scaler-train");
  }

  /** Selected columns (selectedCols; columns; required): The numeric columns to standardize; the results are double columns. */
  setSelectedCols(value: readonly string[]): this {
    return this.set("selectedCols", [...value]);
  }

  /** Output columns (outputCols; string; default ""): Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended. */
  setOutputCols(value: string): this {
    return this.set("outputCols", value);
  }

  /** Center (subtract the mean) (withMean; boolean; default true): Subtract each column’s mean. Default true. */
  setWithMean(value: boolean): this {
    return this.set("withMean", value);
  }

  /** Scale (divide by the std) (withStd; boolean; default true): Divide by each column’s sample standard deviation (a constant column is divided by 1). Default true. */
  setWithStd(value: boolean): this {
    return this.set("withStd", value);
  }

  /** Transformed table (output 1): its rows. */
  collectData(mixflow?: Mixflow): Promise<Row[]> {
    return this.collectOutput(1, mixflow);
  }
}

/** Standard Scaler Batch Predict: Standardizes a table with the means and deviations of a Standardization model, so new data is scaled as the training data was (Alink StandardScalerPredictBatchOp). */
export class StandardScalerPredictBatchOp extends ComponentBatchOp {
  static readonly componentId = "standard-scaler-predict";
  constructor() {
    super("standard-scaler-predict");
  }

  /** Output columns (outputCols; string; default ""): Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended. */
  setOutputCols(value: string): this {
    return this.set("outputCols", value);
  }
}

/** Normalization: Rescales numeric columns from their own range to [min, max]: (v − colMin) / (colMax − colMin) · (max − min) + min (Alink MinMaxScalerTrainBatchOp). Outputs the column ranges as a model, for Min Max Scaler Batch Predict on new data, and the rescaled table. */
export class MinMaxScalerTrainBatchOp extends ComponentBatchOp {
  static readonly componentId = "min-max-scaler-train";
  constructor() {
    super("min-max-scaler-train");
  }

  /** Selected columns (selectedCols; columns; required): The numeric columns to rescale; the results are double columns. */
  setSelectedCols(value: readonly string[]): this {
    return this.set("selectedCols", [...value]);
  }

  /** Output columns (outputCols; string; default ""): Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended. */
  setOutputCols(value: string): this {
    return this.set("outputCols", value);
  }

  /** Lower bound (min; double; default 0): The value a column’s minimum maps to. Default 0. */
  setMin(value: number): this {
    return this.set("min", value);
  }

  /** Upper bound (max; double; default 1): The value a column’s maximum maps to; above min. Default 1. */
  setMax(value: number): this {
    return this.set("max", value);
  }

  /** Transformed table (output 1): its rows. */
  collectData(mixflow?: Mixflow): Promise<Row[]> {
    return this.collectOutput(1, mixflow);
  }
}

/** Min Max Scaler Batch Predict: Rescales a table with the column ranges of a Normalization model, so new data is rescaled as the training data was (Alink MinMaxScalerPredictBatchOp). */
export class MinMaxScalerPredictBatchOp extends ComponentBatchOp {
  static readonly componentId = "min-max-scaler-predict";
  constructor() {
    super("min-max-scaler-predict");
  }

  /** Output columns (outputCols; string; default ""): Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended. */
  setOutputCols(value: string): this {
    return this.set("outputCols", value);
  }
}

/** Split: Splits a table into two at random: the first output holds round(fraction × rows) rows, the second the rest (Alink SplitBatchOp; getSideOutput(0) in the SDK). Both keep the input’s columns and row order. */
export class SplitBatchOp extends ComponentBatchOp {
  static readonly componentId = "split";
  constructor() {
    super("split");
  }

  /** Fraction (fraction; double; range [0, 1]; required): The share of the rows in the first output, 0 to 1; the second output gets the others. */
  setFraction(value: number): this {
    return this.set("fraction", value);
  }

  /** Random seed (randomSeed; int; default 0; range [0, ∞]): Seed of the random draw: the same seed and table give the same rows on every run. Default 0. */
  setRandomSeed(value: number): this {
    return this.set("randomSeed", value);
  }

  /** Output table 2 (the other rows) (output 1): its rows. */
  collectRest(mixflow?: Mixflow): Promise<Row[]> {
    return this.collectOutput(1, mixflow);
  }
}

/** Random Sampling: Draws round(ratio × rows) rows of a table at random, with or without replacement (Alink SampleBatchOp); seeded, so a run is reproducible. */
export class SampleBatchOp extends ComponentBatchOp {
  static readonly componentId = "sample";
  constructor() {
    super("sample");
  }

  /** Sampling ratio (ratio; double; range [0, 1]; required): The share of the rows to draw, 0 to 1. */
  setRatio(value: number): this {
    return this.set("ratio", value);
  }

  /** With replacement (withReplacement; boolean; default false): Draw rows with replacement: a row may be drawn more than once. Default false. */
  setWithReplacement(value: boolean): this {
    return this.set("withReplacement", value);
  }

  /** Random seed (randomSeed; int; default 0; range [0, ∞]): Seed of the random draw: the same seed and table give the same rows on every run. Default 0. */
  setRandomSeed(value: number): this {
    return this.set("randomSeed", value);
  }
}

/** Random Sampling (fixed size): Draws a fixed number of rows of a table at random, with or without replacement (Alink SampleWithSizeBatchOp); seeded, so a run is reproducible. Without replacement a table with fewer rows is returned whole, and the log says so. */
export class SampleWithSizeBatchOp extends ComponentBatchOp {
  static readonly componentId = "sample-with-size";
  constructor() {
    super("sample-with-size");
  }

  /** Sample size (size; int; range [0, ∞]; required): How many rows to draw. */
  setSize(value: number): this {
    return this.set("size", value);
  }

  /** With replacement (withReplacement; boolean; default false): Draw rows with replacement: a row may be drawn more than once. Default false. */
  setWithReplacement(value: boolean): this {
    return this.set("withReplacement", value);
  }

  /** Random seed (randomSeed; int; default 0; range [0, ∞]): Seed of the random draw: the same seed and table give the same rows on every run. Default 0. */
  setRandomSeed(value: number): this {
    return this.set("randomSeed", value);
  }
}

/** SQL Script: Runs one SQL SELECT (DuckDB’s dialect) over up to four input tables, named t1…t4 (or ${t1}…${t4}, as PAI writes them), and outputs its result. The SQL sees only its inputs: it cannot read files or reach the network. */
export class SqlScriptBatchOp extends ComponentBatchOp {
  static readonly componentId = "sql-script";
  constructor() {
    super("sql-script");
  }

  /** SQL (command; string; required): One SELECT statement, e.g. select x, y * 2 as y2 from t1 where x > 0. The inputs are t1…t4 in port order (connect them in order); a SQL error stops the run before it starts and says where. */
  setCommand(value: string): this {
    return this.set("command", value);
  }

  /** Input table names (tableNames; string; default ""): Other names for the inputs, separated by commas, in port order (Alink’s registerTableName, e.g. A,B). Empty: t1…t4. */
  setTableNames(value: string): this {
    return this.set("tableNames", value);
  }
}

/** Filtering and Mapping: Keeps the rows that meet a condition and computes the output columns from SQL expressions (DuckDB’s dialect): Alink’s FilterBatchOp / WhereBatchOp (clause) and SelectBatchOp (clause). The expressions see only the input table. */
export class FilterMappingBatchOp extends ComponentBatchOp {
  static readonly componentId = "filter-mapping";
  constructor() {
    super("filter-mapping");
  }

  /** Filter condition (clause; string; default ""): A SQL condition on the input’s columns, e.g. age >= 40 and city = 'Ohio'. Empty keeps every row. */
  setClause(value: string): this {
    return this.set("clause", value);
  }

  /** Output columns (selectClause; string; default "*"): SQL expressions for the output columns, e.g. f1 as name, f2 * 2 as f2x2, or * for every column. Default *. */
  setSelectClause(value: string): this {
    return this.set("selectClause", value);
  }
}
