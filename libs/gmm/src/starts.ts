/**
 * Starting parameters for EM. Every start that ends in a hard partition (kmeans, refined, random_from_data,
 * meansInit) turns it into parameters the way scikit-learn's _initialize does: one-hot responsibilities, then
 * _estimate_gaussian_parameters (our maximize on label statistics).
 */
import { GmmInputError } from './errors';
import { emptyStats, maximize, type MaximizeOptions } from './kernels';
import { Rng } from './rng';
import type { CovarianceType, DataMatrix, GmmParams } from './types';

export interface KMeansResult {
  /** k × d */
  centers: Float64Array;
  labels: Int32Array;
  /** Σ squared distance to the assigned center */
  inertia: number;
  iterations: number;
}

/** Squared Euclidean distance between row i of x and row c of centers. */
function sqDist(x: Float64Array, i: number, centers: Float64Array, c: number, d: number): number {
  let s = 0;
  const xi = i * d;
  const cc = c * d;
  for (let j = 0; j < d; j++) {
    const v = x[xi + j] - centers[cc + j];
    s += v * v;
  }
  return s;
}

/** Index of the nearest center to each row, and the total squared distance. */
export function assignNearest(data: DataMatrix, centers: Float64Array, k: number, labels: Int32Array): number {
  const { rows: n, cols: d, data: x } = data;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const s = sqDist(x, i, centers, c, d);
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestD;
  }
  return inertia;
}

/** Greedy k-means++ seeding (as scikit-learn: 2 + ⌊ln k⌋ candidates per step, the one lowering the potential most). */
export function kmeansPlusPlus(data: DataMatrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data: x } = data;
  const centers = new Float64Array(k * d);
  const first = rng.nextInt(n);
  centers.set(x.subarray(first * d, (first + 1) * d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i, centers, 0, d);
    potential += closest[i];
  }
  const trials = 2 + Math.floor(Math.log(k));
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestCandidate = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let candidate: number;
      if (potential > 0) {
        let u = rng.next() * potential;
        candidate = n - 1;
        for (let i = 0; i < n; i++) {
          u -= closest[i];
          if (u < 0) {
            candidate = i;
            break;
          }
        }
      } else {
        candidate = rng.nextInt(n);
      }
      let p = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = x[i * d + j] - x[candidate * d + j];
          s += v * v;
        }
        candidateDist[i] = s < closest[i] ? s : closest[i];
        p += candidateDist[i];
      }
      if (p < bestPotential) {
        bestPotential = p;
        bestCandidate = candidate;
        bestDist.set(candidateDist);
      }
    }
    centers.set(x.subarray(bestCandidate * d, (bestCandidate + 1) * d), c * d);
    closest.set(bestDist);
    potential = bestPotential;
  }
  return centers;
}

/**
 * Lloyd iterations from `initial` centers until no label changes (or maxIter). An emptied cluster takes the row
 * farthest from its center, so every cluster keeps at least one row.
 */
export function lloyd(data: DataMatrix, initial: Float64Array, k: number, maxIter: number): KMeansResult {
  const { rows: n, cols: d, data: x } = data;
  const centers = Float64Array.from(initial);
  const labels = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const counts = new Float64Array(k);
  let inertia = 0;
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    inertia = assignNearest(data, centers, k, next);
    let changed = 0;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) changed++;
    labels.set(next);
    if (changed === 0) break;
    centers.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) centers[c * d + j] += x[i * d + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        for (let j = 0; j < d; j++) centers[c * d + j] /= counts[c];
        continue;
      }
      // empty cluster: move it to the row farthest from its current center
      let far = 0;
      let farD = -1;
      for (let i = 0; i < n; i++) {
        const s = sqDist(x, i, centers, labels[i], d);
        if (s > farD && counts[labels[i]] > 1) {
          farD = s;
          far = i;
        }
      }
      counts[labels[far]]--;
      labels[far] = c;
      counts[c] = 1;
      centers.set(x.subarray(far * d, (far + 1) * d), c * d);
    }
  }
  return { centers, labels, inertia, iterations };
}

/** k-means++ seeding then Lloyd. */
export function kmeans(data: DataMatrix, k: number, rng: Rng, maxIter: number): KMeansResult {
  return lloyd(data, kmeansPlusPlus(data, k, rng), k, maxIter);
}

/**
 * Statistics of a hard partition (r = 1 for the row's label), accumulated about each cluster's plain mean
 * (tied: the data mean) so maximize gives scikit-learn's _estimate_gaussian_parameters of one-hot responsibilities.
 */
export function labelStats(data: DataMatrix, labels: Int32Array, k: number, type: CovarianceType) {
  const { rows: n, cols: d, data: x } = data;
  const shift = new Float64Array(k * d);
  const counts = new Float64Array(k);
  if (type === 'tied') {
    const g = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) g[j] += x[i * d + j];
    for (let j = 0; j < d; j++) g[j] /= n;
    for (let c = 0; c < k; c++) shift.set(g, c * d);
  } else {
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) shift[c * d + j] += x[i * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) shift[c * d + j] /= counts[c];
  }
  const stats = emptyStats(type, k, d, shift);
  const { sumResp, sumX, sumXX } = stats;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    sumResp[c] += 1;
    let s2 = 0;
    for (let a = 0; a < d; a++) {
      const va = x[i * d + a] - shift[c * d + a];
      sumX[c * d + a] += va;
      if (type === 'full' || type === 'tied') {
        const o = (type === 'full' ? c * d * d : 0) + a * d;
        for (let b = 0; b <= a; b++) sumXX[o + b] += va * (x[i * d + b] - shift[c * d + b]);
      } else if (type === 'diag') {
        sumXX[c * d + a] += va * va;
      } else {
        s2 += va * va;
      }
    }
    if (type === 'spherical') sumXX[c] += s2;
  }
  stats.rows = n;
  return stats;
}

/** Parameters from a hard partition (weights, means, covariances of each cluster, plus regCovar). */
export function paramsFromLabels(
  data: DataMatrix,
  labels: Int32Array,
  k: number,
  type: CovarianceType,
  o: MaximizeOptions,
): GmmParams {
  return maximize(labelStats(data, labels, k, type), o);
}

/**
 * scikit-learn's means_init: responsibilities from the partition by nearest given mean, weights and covariances
 * estimated from it (about the partition's own means), then the given means replace the estimated ones.
 */
export function paramsFromMeans(
  data: DataMatrix,
  means: Float64Array,
  k: number,
  type: CovarianceType,
  o: MaximizeOptions,
): GmmParams {
  const labels = new Int32Array(data.rows);
  assignNearest(data, means, k, labels);
  const estimated = paramsFromLabels(data, labels, k, type, o);
  return { ...estimated, means: Float64Array.from(means) };
}

/** Start 'kmeans': k-means++ then Lloyd, parameters from its partition. */
export function kmeansStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  const result = kmeans(data, k, rng, o.kmeansMaxIter);
  return paramsFromLabels(data, result.labels, k, type, o);
}

export interface StartOptions extends MaximizeOptions {
  kmeansMaxIter: number;
  samplings: number;
  percentage: number;
}

/** Indices of m rows drawn without replacement (with replacement when m > n), partial Fisher–Yates. */
function sampleRows(n: number, m: number, rng: Rng): Int32Array {
  const out = new Int32Array(m);
  if (m > n) {
    for (let i = 0; i < m; i++) out[i] = rng.nextInt(n);
    return out;
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(n - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
    out[i] = perm[i];
  }
  return out;
}

/**
 * Start 'random' (Alink / Spark): 5·k sampled rows, sample i going to group i mod k; each group's mean and diagonal
 * variance (+ regCovar) start a component with weight 1/k. A zero variance falls back to the data's variance.
 */
export function randomStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  const { rows: n, cols: d, data: x } = data;
  const picks = sampleRows(n, 5 * k, rng);
  const means = new Float64Array(k * d);
  const vars = new Float64Array(k * d);
  const counts = new Float64Array(k);
  picks.forEach((row, i) => {
    const c = i % k;
    counts[c]++;
    for (let j = 0; j < d; j++) means[c * d + j] += x[row * d + j];
  });
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
  picks.forEach((row, i) => {
    const c = i % k;
    for (let j = 0; j < d; j++) vars[c * d + j] += (x[row * d + j] - means[c * d + j]) ** 2;
  });
  const global = dataVariance(data);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      let v = vars[c * d + j] / counts[c] + o.regCovar;
      if (!(v > 0)) v = global[j] + o.regCovar;
      if (!(v > 0)) v = 1;
      vars[c * d + j] = v;
    }
  }
  const weights = new Float64Array(k).fill(1 / k);
  let covariances: Float64Array;
  switch (type) {
    case 'full':
      covariances = new Float64Array(k * d * d);
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) covariances[c * d * d + j * d + j] = vars[c * d + j];
      break;
    case 'tied':
      covariances = new Float64Array(d * d);
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += vars[c * d + j];
        covariances[j * d + j] = s / k;
      }
      break;
    case 'diag':
      covariances = vars;
      break;
    case 'spherical':
      covariances = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += vars[c * d + j];
        covariances[c] = s / d;
      }
      break;
  }
  return { covarianceType: type, k, dims: d, weights, means, covariances };
}

function dataVariance(data: DataMatrix): Float64Array {
  const { rows: n, cols: d, data: x } = data;
  const mean = new Float64Array(d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) v[j] += (x[i * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) v[j] /= n;
  return v;
}

/** Start 'random_from_data': k distinct random rows as the means (then as meansInit). */
export function randomFromDataStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  const means = distinctRows(data, k, rng);
  return paramsFromMeans(data, means, k, type, o);
}

/** k distinct rows in random order (the caller has checked that k distinct rows exist). */
function distinctRows(data: DataMatrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data: x } = data;
  const out = new Float64Array(k * d);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let found = 0;
  const seen = new Set<string>();
  for (let i = 0; i < n && found < k; i++) {
    const j = i + rng.nextInt(n - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
    const row = x.subarray(perm[i] * d, (perm[i] + 1) * d);
    const key = Array.from(row, (v) => (v === 0 ? 0 : v)).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.set(row, found * d);
    found++;
  }
  if (found < k) throw new GmmInputError(`k = ${k} is larger than the ${found} distinct rows of the data; lower k`, { parameter: 'k' });
  return out;
}

/**
 * Start 'refined' (Bradley–Fayyad, as mlpack's refined_start): `samplings` times run k-means on a random
 * `percentage` of the rows; pool all the centroids; cluster the pool by k-means from each sampling's centroids and
 * keep the solution with the lowest distortion on the pool; Lloyd on all rows from there gives the partition.
 */
export function refinedStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  const { rows: n, cols: d, data: x } = data;
  const m = Math.min(n, Math.max(k, Math.ceil(o.percentage * n)));
  const pool = new Float64Array(o.samplings * k * d);
  for (let s = 0; s < o.samplings; s++) {
    const picks = sampleRows(n, m, rng);
    const sample = new Float64Array(m * d);
    picks.forEach((row, i) => sample.set(x.subarray(row * d, (row + 1) * d), i * d));
    const sampleMatrix = { data: sample, rows: m, cols: d };
    // a sample can hold fewer distinct rows than k; k-means still returns k centers (some may coincide)
    const result = kmeans(sampleMatrix, k, rng, o.kmeansMaxIter);
    pool.set(result.centers, s * k * d);
  }
  const poolMatrix = { data: pool, rows: o.samplings * k, cols: d };
  let best: KMeansResult | undefined;
  for (let s = 0; s < o.samplings; s++) {
    const result = lloyd(poolMatrix, pool.subarray(s * k * d, (s + 1) * k * d), k, o.kmeansMaxIter);
    if (!best || result.inertia < best.inertia) best = result;
  }
  const final = lloyd(data, best!.centers, k, o.kmeansMaxIter);
  return paramsFromLabels(data, final.labels, k, type, o);
}
