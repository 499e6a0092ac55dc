/**
 * Clustering evaluation metrics (Alink's ClusterMetrics; formulas as its EvalClusterBatchOp documentation gives them,
 * edge cases as scikit-learn's sklearn/metrics/cluster). Pure functions over flat arrays:
 *
 *   X        n × d features, row-major
 *   cluster  n cluster indices in [0, k) (the prediction column, categorised)
 *   label    n label indices in [0, l) (the label column, categorised)
 *
 * The silhouette coefficient needs every pair of rows, so it is a chunk kernel (silhouette-kernel.ts).
 */
import type { Distance } from './distance';

/** A column's values as category indices, and the categories' names in order (numbers numerically, text by code point). */
export interface Categories {
  index: Int32Array;
  names: string[];
  sizes: number[];
}

/** Categorises numbers (a long or double column); the caller has checked none is missing. */
export function categoriseNumbers(values: Float64Array): Categories {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const at = new Map(distinct.map((v, i) => [v, i]));
  return fill(values.length, (r) => at.get(values[r]) as number, distinct.map(String));
}

/** Categorises text (a string column); the caller has checked none is missing. */
export function categoriseStrings(values: readonly string[]): Categories {
  const distinct = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = new Map(distinct.map((v, i) => [v, i]));
  return fill(values.length, (r) => at.get(values[r]) as number, distinct);
}

function fill(n: number, indexOf: (r: number) => number, names: string[]): Categories {
  const index = new Int32Array(n);
  const sizes = new Array<number>(names.length).fill(0);
  for (let r = 0; r < n; r++) {
    index[r] = indexOf(r);
    sizes[index[r]]++;
  }
  return { index, names, sizes };
}

/** k × d: the mean of each cluster's rows. */
export function centroids(X: Float64Array, d: number, cluster: Int32Array, sizes: readonly number[]): Float64Array {
  const k = sizes.length;
  const c = new Float64Array(k * d);
  for (let r = 0; r < cluster.length; r++) {
    const o = cluster[r] * d;
    for (let j = 0; j < d; j++) c[o + j] += X[r * d + j];
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) c[i * d + j] /= sizes[i];
  return c;
}

export interface GeometryMetrics {
  /** between-cluster sum of squares Σ nᵢ‖cᵢ − c‖² (Euclidean whatever the distance type) */
  ssb: number;
  /** within-cluster sum of squares Σ ‖x − c₍ₓ₎‖² (Euclidean) */
  ssw: number;
  /** Calinski–Harabasz: SSB / SSW · (n − k) / (k − 1); 1 when SSW is 0 (scikit-learn); undefined when k < 2 */
  vrc?: number;
  /** compactness: the mean over clusters of CPᵢ, the mean distance of a cluster's rows to its centroid */
  cp: number;
  /** separation: the mean distance between two centroids; undefined when k < 2 */
  sp?: number;
  /** Davies–Bouldin: the mean over clusters of maxⱼ (CPᵢ + CPⱼ) / dist(cᵢ, cⱼ); undefined when k < 2 */
  db?: number;
}

/** The metrics that need the features, besides the silhouette coefficient. */
export function geometryMetrics(X: Float64Array, d: number, cluster: Int32Array, sizes: readonly number[], distance: Distance): GeometryMetrics {
  const n = cluster.length;
  const k = sizes.length;
  const c = centroids(X, d, cluster, sizes);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += X[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;

  let ssb = 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = c[i * d + j] - mean[j];
      s += t * t;
    }
    ssb += sizes[i] * s;
  }
  let ssw = 0;
  const cpSum = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const o = cluster[r] * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = X[r * d + j] - c[o + j];
      s += t * t;
    }
    ssw += s;
    cpSum[cluster[r]] += distance(X, r * d, c, o, d);
  }
  const cpOf = Array.from(cpSum, (s, i) => s / sizes[i]);
  const cp = cpOf.reduce((a, b) => a + b, 0) / k;
  if (k < 2) return { ssb, ssw, cp };

  const vrc = ssw === 0 ? 1 : ((ssb / ssw) * (n - k)) / (k - 1);
  let spSum = 0;
  let dbSum = 0;
  const between = (i: number, j: number) => distance(c, i * d, c, j * d, d);
  for (let i = 0; i < k; i++) {
    let worst = 0;
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      const dij = between(i, j);
      if (j > i) spSum += dij;
      // two clusters on one centroid add nothing (scikit-learn sets their ratio to 0 rather than infinity)
      if (dij > 0) worst = Math.max(worst, (cpOf[i] + cpOf[j]) / dij);
    }
    dbSum += worst;
  }
  return { ssb, ssw, vrc, cp, sp: (2 * spSum) / (k * (k - 1)), db: dbSum / k };
}

export interface LabelMetrics {
  /** normalised mutual information, arithmetic mean of the entropies (scikit-learn's default) */
  nmi: number;
  /** Σ over clusters of their largest label count, over n */
  purity: number;
  /** Rand index: the fraction of row pairs on which clustering and labels agree */
  ri: number;
  /** adjusted Rand index */
  ari: number;
  /** k × l: rows are clusters, columns labels */
  confusionMatrix: number[][];
}

const pairs = (m: number) => (m * (m - 1)) / 2;

function entropy(sizes: readonly number[], n: number): number {
  let h = 0;
  for (const s of sizes) if (s > 0) h -= (s / n) * Math.log(s / n);
  return h;
}

/** The metrics that compare clusters with known labels. */
export function labelMetrics(cluster: Categories, label: Categories): LabelMetrics {
  const n = cluster.index.length;
  const k = cluster.names.length;
  const l = label.names.length;
  const confusionMatrix = Array.from({ length: k }, () => new Array<number>(l).fill(0));
  for (let r = 0; r < n; r++) confusionMatrix[cluster.index[r]][label.index[r]]++;

  let purest = 0;
  let samePairs = 0;
  let mi = 0;
  for (let i = 0; i < k; i++) {
    purest += Math.max(...confusionMatrix[i]);
    for (let j = 0; j < l; j++) {
      const nij = confusionMatrix[i][j];
      if (nij === 0) continue;
      samePairs += pairs(nij);
      mi += (nij / n) * Math.log((n * nij) / (cluster.sizes[i] * label.sizes[j]));
    }
  }

  const all = pairs(n);
  const clusterPairs = cluster.sizes.reduce((s, m) => s + pairs(m), 0);
  const labelPairs = label.sizes.reduce((s, m) => s + pairs(m), 0);
  // pairs together in both + pairs apart in both
  const ri = all === 0 ? 1 : (all + 2 * samePairs - clusterPairs - labelPairs) / all;
  const expected = all === 0 ? 0 : (clusterPairs * labelPairs) / all;
  const top = (clusterPairs + labelPairs) / 2 - expected;
  // identical partitions (top 0: every row alone in both, or all in one in both) agree perfectly
  const ari = top === 0 ? 1 : (samePairs - expected) / top;

  const hc = entropy(cluster.sizes, n);
  const hl = entropy(label.sizes, n);
  // one cluster and one label: the same partition (scikit-learn returns 1)
  const nmi = hc + hl === 0 ? 1 : Math.max(0, mi) / ((hc + hl) / 2);
  return { nmi, purity: purest / n, ri, ari, confusionMatrix };
}
