/**
 * Starting parameters for EM. Every start that ends in a hard partition (kmeans, refined, random_from_data,
 * meansInit) turns it into parameters the way scikit-learn's _initialize does: one-hot responsibilities, then
 * _estimate_gaussian_parameters (our maximize on label statistics).
 *
 * Sample weights (data.weights; fit.ts hands a start only the rows of positive weight): every estimate from
 * responsibilities or a partition is weighted (r_ic·w_i, as in EM's M-step), and so are k-means (Lloyd's means),
 * k-means++ seeding (rows drawn with probability ∝ w·D², the first ∝ w, as scikit-learn's kmeans_plusplus with
 * sample_weight) and Alink's grouping (each group's weighted mean and variance). The uniform draws (random
 * responsibilities, random_from_data's rows, Alink's 5·k rows, refined's samples) ignore the weights.
 */
import { GmmInputError } from './errors';
import { emptyStats, maximize, type MaximizeOptions } from './kernels';
import { accumulateLowerScatter } from './kernels/e-step';
import { choleskyLower, invertLower } from './linalg';
import { drawDistinctRows, Rng } from './rng';
import type { CovarianceType, DataMatrix, GmmParams, StartPhase, SufficientStats } from './types';

/** Told after each step of a start's phase: a center picked, a Lloyd iteration, a sampling done. */
export type StartSteps = (phase: StartPhase, step: number, steps: number) => void;

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

/**
 * Index of the nearest center to each row, and the total squared distance. Four rows at a time, so each center value
 * loaded serves four independent sums; every distance is still sqDist's sum over j in order, and ties go to the
 * lower center, so the labels are those of one row at a time.
 */
export function assignNearest(data: DataMatrix, centers: Float64Array, k: number, labels: Int32Array): number {
  const { rows: n, cols: d, data: x } = data;
  let inertia = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const x0 = i * d;
    const x1 = x0 + d;
    const x2 = x1 + d;
    const x3 = x2 + d;
    let best0 = 0;
    let best1 = 0;
    let best2 = 0;
    let best3 = 0;
    let bestD0 = Infinity;
    let bestD1 = Infinity;
    let bestD2 = Infinity;
    let bestD3 = Infinity;
    for (let c = 0; c < k; c++) {
      const cc = c * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const m = centers[cc + j];
        const v0 = x[x0 + j] - m;
        const v1 = x[x1 + j] - m;
        const v2 = x[x2 + j] - m;
        const v3 = x[x3 + j] - m;
        s0 += v0 * v0;
        s1 += v1 * v1;
        s2 += v2 * v2;
        s3 += v3 * v3;
      }
      if (s0 < bestD0) {
        bestD0 = s0;
        best0 = c;
      }
      if (s1 < bestD1) {
        bestD1 = s1;
        best1 = c;
      }
      if (s2 < bestD2) {
        bestD2 = s2;
        best2 = c;
      }
      if (s3 < bestD3) {
        bestD3 = s3;
        best3 = c;
      }
    }
    labels[i] = best0;
    labels[i + 1] = best1;
    labels[i + 2] = best2;
    labels[i + 3] = best3;
    inertia += bestD0;
    inertia += bestD1;
    inertia += bestD2;
    inertia += bestD3;
  }
  for (; i < n; i++) {
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
export function kmeansPlusPlus(data: DataMatrix, k: number, rng: Rng, onStep?: StartSteps): Float64Array {
  const { cols: d, data: x } = data;
  const picks = kmeansPlusPlusRows(data, k, rng, onStep);
  const centers = new Float64Array(k * d);
  picks.forEach((row, c) => centers.set(x.subarray(row * d, (row + 1) * d), c * d));
  return centers;
}

/** The rows k-means++ seeding picks, in order (scikit-learn's kmeans_plusplus indices). */
export function kmeansPlusPlusRows(data: DataMatrix, k: number, rng: Rng, onStep?: StartSteps): Int32Array {
  const { rows: n, cols: d, data: x, weights: w } = data;
  const picks = new Int32Array(k);
  const centers = new Float64Array(k * d);
  const first = w ? weightedDraw(w, rng) : rng.nextInt(n);
  picks[0] = first;
  centers.set(x.subarray(first * d, (first + 1) * d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i, centers, 0, d);
    potential += w ? w[i] * closest[i] : closest[i];
  }
  onStep?.('seeding', 1, k);
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
          u -= w ? w[i] * closest[i] : closest[i];
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
        p += w ? w[i] * candidateDist[i] : candidateDist[i];
      }
      if (p < bestPotential) {
        bestPotential = p;
        bestCandidate = candidate;
        bestDist.set(candidateDist);
      }
    }
    picks[c] = bestCandidate;
    centers.set(x.subarray(bestCandidate * d, (bestCandidate + 1) * d), c * d);
    closest.set(bestDist);
    potential = bestPotential;
    onStep?.('seeding', c + 1, k);
  }
  return picks;
}

/** A row drawn with probability proportional to its weight. */
function weightedDraw(w: Float64Array, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i];
  let u = rng.next() * total;
  for (let i = 0; i < w.length; i++) {
    u -= w[i];
    if (u < 0) return i;
  }
  return w.length - 1;
}

/**
 * Lloyd iterations from `initial` centers until no label changes (or maxIter). An emptied cluster takes the row
 * farthest from its center, so every cluster keeps at least one row.
 */
export function lloyd(data: DataMatrix, initial: Float64Array, k: number, maxIter: number, onStep?: StartSteps): KMeansResult {
  const { rows: n, cols: d, data: x, weights: w } = data;
  const centers = Float64Array.from(initial);
  const labels = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const counts = new Float64Array(k);
  // Σ of the weights of each cluster's rows (its row count when unweighted)
  const mass = new Float64Array(k);
  let inertia = 0;
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    inertia = assignNearest(data, centers, k, next);
    let changed = 0;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) changed++;
    labels.set(next);
    onStep?.('kmeans', iterations, maxIter);
    if (changed === 0) break;
    centers.fill(0);
    counts.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      const wi = w ? w[i] : 1;
      counts[c]++;
      mass[c] += wi;
      for (let j = 0; j < d; j++) centers[c * d + j] += wi * x[i * d + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        for (let j = 0; j < d; j++) centers[c * d + j] /= mass[c];
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
export function kmeans(data: DataMatrix, k: number, rng: Rng, maxIter: number, onStep?: StartSteps): KMeansResult {
  return lloyd(data, kmeansPlusPlus(data, k, rng, onStep), k, maxIter, onStep);
}

/**
 * Statistics of a hard partition (r = 1 for the row's label), accumulated about each cluster's plain mean
 * (tied: the data mean) so maximize gives scikit-learn's _estimate_gaussian_parameters of one-hot responsibilities.
 */
export function labelStats(data: DataMatrix, labels: Int32Array, k: number, type: CovarianceType) {
  const { rows: n, cols: d, data: x, weights: w } = data;
  const shift = new Float64Array(k * d);
  const counts = new Float64Array(k);
  if (type === 'tied') {
    const g = new Float64Array(d);
    let mass = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      mass += wi;
      for (let j = 0; j < d; j++) g[j] += wi * x[i * d + j];
    }
    for (let j = 0; j < d; j++) g[j] /= mass;
    for (let c = 0; c < k; c++) shift.set(g, c * d);
  } else {
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      const wi = w ? w[i] : 1;
      counts[c] += wi;
      for (let j = 0; j < d; j++) shift[c * d + j] += wi * x[i * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) shift[c * d + j] /= counts[c];
  }
  const stats = emptyStats(type, k, d, shift);
  const { sumResp, sumX, sumXX } = stats;
  // row i about its cluster's shift, computed once per row (the same values the sums used to recompute per entry)
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    const wi = w ? w[i] : 1;
    sumResp[c] += wi;
    const xo = i * d;
    const so = c * d;
    for (let a = 0; a < d; a++) v[a] = x[xo + a] - shift[so + a];
    if (type === 'full' || type === 'tied') {
      // the scatter: below, a block of rows at a time
      for (let a = 0; a < d; a++) sumX[so + a] += wi * v[a];
    } else if (type === 'diag') {
      for (let a = 0; a < d; a++) {
        const wva = wi * v[a];
        sumX[so + a] += wva;
        sumXX[so + a] += wva * v[a];
      }
    } else {
      let s2 = 0;
      for (let a = 0; a < d; a++) {
        sumX[so + a] += wi * v[a];
        s2 += v[a] * v[a];
      }
      sumXX[c] += wi * s2;
    }
  }
  if (type === 'full' || type === 'tied') labelScatter(data, labels, k, type, shift, sumXX);
  stats.rows = n;
  return stats;
}

/** Values (rows × d) per block of labelScatter: 2 MB per buffer, so a cluster's share of a block is long enough to pay its tiles. */
const SCATTER_BLOCK_VALUES = 1 << 18;

/**
 * The lower triangles of Σ w·(x − s)(x − s)ᵀ per cluster (full; tied: one over all rows) into sumXX: the rows of each
 * cluster within a block of rows (SCATTER_BLOCK_VALUES / d, at least 64) are gathered, transposed, and added by the E-step's register-blocked
 * accumulateLowerScatter, each entry continuing its own sum, so every entry is the row-by-row sum in row order
 * (w·v_a, then times v_b, added one row at a time from 0), whatever the blocks.
 */
function labelScatter(data: DataMatrix, labels: Int32Array, k: number, type: 'full' | 'tied', shift: Float64Array, sumXX: Float64Array): void {
  const { rows: n, cols: d, data: x, weights: w } = data;
  const B = Math.max(64, Math.floor(SCATTER_BLOCK_VALUES / d));
  const vt = new Float64Array(d * B);
  const wvt = new Float64Array(d * B);
  for (let b0 = 0; b0 < n; b0 += B) {
    const end = Math.min(n, b0 + B);
    for (let c = 0; c < (type === 'full' ? k : 1); c++) {
      let count = 0;
      for (let i = b0; i < end; i++) {
        const label = labels[i];
        if (type === 'full' && label !== c) continue;
        const wi = w ? w[i] : 1;
        const xo = i * d;
        const so = label * d;
        for (let a = 0; a < d; a++) {
          const va = x[xo + a] - shift[so + a];
          vt[a * B + count] = va;
          wvt[a * B + count] = wi * va;
        }
        count++;
      }
      if (count > 0) accumulateLowerScatter(sumXX, type === 'full' ? c * d * d : 0, d, wvt, vt, B, count, true);
    }
  }
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
  const result = kmeans(data, k, rng, o.kmeansMaxIter, o.onStep);
  return paramsFromLabels(data, result.labels, k, type, o);
}

export interface StartOptions extends MaximizeOptions {
  kmeansMaxIter: number;
  samplings: number;
  percentage: number;
  /** the start's progress (k-means++ centers, Lloyd iterations, refined's samplings) */
  onStep?: StartSteps;
}

/** Indices of m rows drawn without replacement (with replacement when m > n), partial Fisher–Yates. */
function sampleRows(n: number, m: number, rng: Rng): Int32Array {
  if (m <= n) return drawDistinctRows(n, m, rng);
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = rng.nextInt(n);
  return out;
}

/**
 * Start 'alink' (Alink's and Spark's grouping): 5·k sampled rows, sample i going to group i mod k; each group's mean
 * and diagonal variance (+ regCovar) start a component with weight 1/k. A zero variance falls back to the data's
 * variance.
 */
export function alinkStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  const { rows: n, cols: d, data: x, weights: w } = data;
  const picks = sampleRows(n, 5 * k, rng);
  const means = new Float64Array(k * d);
  const vars = new Float64Array(k * d);
  const counts = new Float64Array(k);
  picks.forEach((row, i) => {
    const c = i % k;
    const wr = w ? w[row] : 1;
    counts[c] += wr;
    for (let j = 0; j < d; j++) means[c * d + j] += wr * x[row * d + j];
  });
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
  picks.forEach((row, i) => {
    const c = i % k;
    const wr = w ? w[row] : 1;
    for (let j = 0; j < d; j++) vars[c * d + j] += wr * (x[row * d + j] - means[c * d + j]) ** 2;
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

/** Each column's (weighted) variance. */
function dataVariance(data: DataMatrix): Float64Array {
  const { rows: n, cols: d, data: x, weights: w } = data;
  const mean = new Float64Array(d);
  const v = new Float64Array(d);
  let mass = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    mass += wi;
    for (let j = 0; j < d; j++) mean[j] += wi * x[i * d + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= mass;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) v[j] += (w ? w[i] : 1) * (x[i * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) v[j] /= mass;
  return v;
}

/**
 * scikit-learn's k-means++ and random_from_data: each picked row is the only row of its component (one-hot
 * responsibilities on those k rows, none elsewhere), so each mean is its row and each covariance regCovar·I.
 */
function pickedRowsStart(data: DataMatrix, picks: Int32Array, type: CovarianceType, o: StartOptions): GmmParams {
  const owners = new Map<number, number[]>();
  picks.forEach((row, c) => owners.set(row, [...(owners.get(row) ?? []), c]));
  return maximize(
    responsibilityStats(data, picks.length, type, (i, add) => owners.get(i)?.forEach((c) => add(c, 1))),
    o,
  );
}

/** Start 'k-means++' (scikit-learn): the rows k-means++ seeding picks, each alone in its component. */
export function kmeansPlusPlusStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  return pickedRowsStart(data, kmeansPlusPlusRows(data, k, rng, o.onStep), type, o);
}

/** Start 'random_from_data' (scikit-learn): k rows drawn without replacement, each alone in its component. */
export function randomFromDataStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  return pickedRowsStart(data, sampleRows(data.rows, k, rng), type, o);
}

/** Start 'random' (scikit-learn): uniform random responsibilities, normalised per row. */
export function randomResponsibilitiesStart(data: DataMatrix, k: number, type: CovarianceType, rng: Rng, o: StartOptions): GmmParams {
  const resp = new Float64Array(data.rows * k);
  for (let i = 0; i < data.rows; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += resp[i * k + c] = rng.next();
    for (let c = 0; c < k; c++) resp[i * k + c] /= sum;
  }
  return maximize(
    responsibilityStats(data, k, type, (i, add) => {
      for (let c = 0; c < k; c++) add(c, resp[i * k + c]);
    }),
    o,
  );
}

/** Calls add(c, r) for each component c with a non-zero responsibility r for row i. */
export type Responsibilities = (i: number, add: (c: number, r: number) => void) => void;

/**
 * Statistics of given responsibilities, such that maximize gives scikit-learn's _estimate_gaussian_parameters(X,
 * resp): full, diag and spherical sums are taken about each component's weighted mean; tied, as scikit-learn's
 * X.T @ X, sums every row's outer product whatever its responsibilities (about zero, so rows whose
 * responsibilities do not sum to 1 give what scikit-learn gives).
 */
export function responsibilityStats(data: DataMatrix, k: number, type: CovarianceType, given: Responsibilities): SufficientStats {
  const { rows: n, cols: d, data: x, weights: w } = data;
  // with sample weights, each row's responsibilities count w_i times
  const resp: Responsibilities = w ? (i, add) => given(i, (c, r) => add(c, r * w[i])) : given;
  const shift = new Float64Array(k * d);
  if (type !== 'tied') {
    const weight = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      resp(i, (c, r) => {
        weight[c] += r;
        for (let j = 0; j < d; j++) shift[c * d + j] += r * x[i * d + j];
      });
    }
    for (let c = 0; c < k; c++) if (weight[c] > 0) for (let j = 0; j < d; j++) shift[c * d + j] /= weight[c];
  }
  const stats = emptyStats(type, k, d, shift);
  const { sumResp, sumX, sumXX } = stats;
  for (let i = 0; i < n; i++) {
    resp(i, (c, r) => {
      sumResp[c] += r;
      let s2 = 0;
      for (let a = 0; a < d; a++) {
        const va = x[i * d + a] - shift[c * d + a];
        sumX[c * d + a] += r * va;
        if (type === 'full') {
          for (let b = 0; b <= a; b++) sumXX[c * d * d + a * d + b] += r * va * (x[i * d + b] - shift[c * d + b]);
        } else if (type === 'diag') {
          sumXX[c * d + a] += r * va * va;
        } else if (type === 'spherical') {
          s2 += va * va;
        }
      }
      if (type === 'spherical') sumXX[c] += r * s2;
    });
    const wi = w ? w[i] : 1;
    if (type === 'tied') for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) sumXX[a * d + b] += wi * x[i * d + a] * x[i * d + b];
  }
  stats.rows = n;
  return stats;
}

/**
 * scikit-learn's means_init / weights_init / precisions_init: each given one replaces what the start estimated
 * (precisions become covariances by inversion). Shapes and values are checked by resolveFitOptions.
 */
export function withGivenParams(start: GmmParams, given: { weights?: Float64Array; means?: Float64Array; covariances?: Float64Array }): GmmParams {
  return {
    ...start,
    ...(given.weights ? { weights: Float64Array.from(given.weights) } : {}),
    ...(given.means ? { means: Float64Array.from(given.means) } : {}),
    ...(given.covariances ? { covariances: Float64Array.from(given.covariances) } : {}),
  };
}

/**
 * The start the accuracy references and the benchmark hand both engines: responsibilities from the partition by
 * nearest given mean, weights and precisions estimated from it, the given means kept — as weightsInit, meansInit
 * and precisionsInit, the fixed start scikit-learn takes too.
 */
export function nearestMeansStart(
  data: DataMatrix,
  meansInit: number[][],
  type: CovarianceType,
  o: MaximizeOptions,
): { weightsInit: number[]; meansInit: number[][]; precisionsInit: number[] | number[][] | number[][][] } {
  const k = meansInit.length;
  const d = data.cols;
  const p = paramsFromMeans(data, Float64Array.from(meansInit.flat()), k, type, o);
  const precision = invertCovariances(type, p.covariances, k, d);
  const matrix = (off: number): number[][] => Array.from({ length: d }, (_, a) => Array.from(precision.subarray(off + a * d, off + (a + 1) * d)));
  const precisionsInit =
    type === 'full'
      ? Array.from({ length: k }, (_, c) => matrix(c * d * d))
      : type === 'tied'
        ? matrix(0)
        : type === 'diag'
          ? Array.from({ length: k }, (_, c) => Array.from(precision.subarray(c * d, (c + 1) * d)))
          : Array.from(precision);
  return { weightsInit: Array.from(p.weights), meansInit: meansInit.map((r) => [...r]), precisionsInit };
}

/**
 * Inverts covariances (or precisions: the map is its own inverse) in the layout of the type; null names the first
 * component that is not positive definite.
 */
export function invertCovariances(type: CovarianceType, m: Float64Array, k: number, d: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return m.map((v) => 1 / v);
  const out = new Float64Array(m.length);
  const l = new Float64Array(d * d);
  const li = new Float64Array(d * d);
  for (let c = 0; c < (type === 'full' ? k : 1); c++) {
    const off = c * d * d;
    if (!choleskyLower(m, off, d, l, 0)) throw new GmmInputError(`matrix ${c} is not positive definite`, { component: c });
    invertLower(l, 0, d, li, 0);
    // (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let r = a; r < d; r++) s += li[r * d + a] * li[r * d + b];
        out[off + a * d + b] = s;
        out[off + b * d + a] = s;
      }
    }
  }
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
    o.onStep?.('sampling', s + 1, o.samplings);
  }
  const poolMatrix = { data: pool, rows: o.samplings * k, cols: d };
  let best: KMeansResult | undefined;
  for (let s = 0; s < o.samplings; s++) {
    const result = lloyd(poolMatrix, pool.subarray(s * k * d, (s + 1) * k * d), k, o.kmeansMaxIter);
    if (!best || result.inertia < best.inertia) best = result;
  }
  const final = lloyd(data, best!.centers, k, o.kmeansMaxIter, o.onStep);
  return paramsFromLabels(data, final.labels, k, type, o);
}
