/**
 * Geometry for the GMM scatter plot: covariance ellipses of 2-D Gaussians and a 2-D PCA projection for data
 * with more than two dimensions. Matrices are plain nested arrays (d × d); d stays small (the estimator warns
 * above 200), so a cyclic Jacobi eigensolver is plenty.
 */
import type { GmmModelJson } from '../types';

export type Vec = number[];
export type Mat = number[][];

export interface Ellipse2D {
  cx: number;
  cy: number;
  /** semi-axes (already scaled by the number of standard deviations) */
  rx: number;
  ry: number;
  /** angle of the rx axis from the x axis, radians */
  angle: number;
}

/**
 * Eigen-decomposition of a symmetric 2 × 2 matrix [[a, b], [b, c]] in closed form.
 * Returns eigenvalues (largest first) and the angle of the first eigenvector.
 */
export function eigenSym2(a: number, b: number, c: number): { l1: number; l2: number; angle: number } {
  const mean = (a + c) / 2;
  const diff = (a - c) / 2;
  const r = Math.hypot(diff, b);
  const l1 = mean + r;
  const l2 = mean - r;
  const angle = b === 0 && a >= c ? 0 : b === 0 ? Math.PI / 2 : Math.atan2(l1 - a, b);
  return { l1, l2, angle };
}

/** The ellipse of a 2-D Gaussian at `nStd` standard deviations (2 → about 86 % of the mass). */
export function covarianceEllipse(mean: readonly number[], cov: readonly (readonly number[])[], nStd = 2): Ellipse2D {
  const { l1, l2, angle } = eigenSym2(cov[0][0], cov[0][1], cov[1][1]);
  return { cx: mean[0], cy: mean[1], rx: nStd * Math.sqrt(Math.max(l1, 0)), ry: nStd * Math.sqrt(Math.max(l2, 0)), angle };
}

/** `segments + 1` points around an ellipse (the last equals the first, so a polyline closes). */
export function ellipsePoints(e: Ellipse2D, segments = 72): { x: number; y: number }[] {
  const cos = Math.cos(e.angle);
  const sin = Math.sin(e.angle);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = (2 * Math.PI * (i % segments)) / segments;
    const u = e.rx * Math.cos(t);
    const v = e.ry * Math.sin(t);
    out.push({ x: e.cx + u * cos - v * sin, y: e.cy + u * sin + v * cos });
  }
  return out;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
 * Returns values sorted descending and `vectors[i]` the unit eigenvector of `values[i]`.
 */
export function eigenSymmetric(m: Mat, maxSweeps = 100): { values: Vec; vectors: Mat } {
  const n = m.length;
  const a = m.map((row) => row.slice());
  const v: Mat = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

export interface Projection2D {
  /** the mean subtracted before projecting (d) */
  center: Vec;
  /** two unit row vectors (2 × d) */
  axes: [Vec, Vec];
  /** share of the total variance each axis explains */
  explained: [number, number];
  /** axis titles */
  labels: [string, string];
}

/** PCA of the rows of `points` (n × d, d ≥ 2) onto its first two principal axes. */
export function pca2(points: readonly (readonly number[])[]): Projection2D {
  const n = points.length;
  const d = points[0]?.length ?? 0;
  if (n === 0 || d < 2) throw new Error(`PCA needs at least one row of two or more dimensions (got ${n} × ${d}).`);
  const center = new Array<number>(d).fill(0);
  for (const p of points) for (let j = 0; j < d; j++) center[j] += p[j] / n;
  const cov: Mat = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const p of points) {
    for (let i = 0; i < d; i++) {
      const di = p[i] - center[i];
      for (let j = i; j < d; j++) cov[i][j] += (di * (p[j] - center[j])) / Math.max(n - 1, 1);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i][j] = cov[j][i];
  const { values, vectors } = eigenSymmetric(cov);
  const total = values.reduce((s, x) => s + Math.max(x, 0), 0) || 1;
  // fix the sign so the largest-magnitude entry is positive: the picture does not flip between runs
  const axes = [vectors[0], vectors[1]].map((v) => {
    let k = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[k])) k = j;
    return v[k] < 0 ? v.map((x) => -x) : v;
  }) as [Vec, Vec];
  const explained: [number, number] = [Math.max(values[0], 0) / total, Math.max(values[1], 0) / total];
  return { center, axes, explained, labels: [`PC1 (${(explained[0] * 100).toFixed(1)} %)`, `PC2 (${(explained[1] * 100).toFixed(1)} %)`] };
}

/** The identity "projection" onto the first two dimensions. */
export function firstTwo(d: number, names?: readonly string[]): Projection2D {
  const e = (i: number) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0));
  return { center: new Array<number>(d).fill(0), axes: [e(0), e(1)], explained: [NaN, NaN], labels: [names?.[0] ?? 'x0', names?.[1] ?? 'x1'] };
}

export function projectPoint(p: Projection2D, x: readonly number[]): [number, number] {
  let u = 0;
  let v = 0;
  for (let j = 0; j < x.length; j++) {
    const c = x[j] - p.center[j];
    u += p.axes[0][j] * c;
    v += p.axes[1][j] * c;
  }
  return [u, v];
}

/** A Gaussian (mean, covariance) under the linear projection: mean' = W(μ − c), Σ' = W Σ Wᵀ. */
export function projectGaussian(p: Projection2D, mean: readonly number[], cov: Mat): { mean: [number, number]; cov: Mat } {
  const d = mean.length;
  const [w0, w1] = p.axes;
  const sw = (w: Vec) => Array.from({ length: d }, (_, i) => cov[i].reduce((s, x, j) => s + x * w[j], 0));
  const s0 = sw(w0);
  const s1 = sw(w1);
  const dot = (a: Vec, b: Vec) => a.reduce((s, x, i) => s + x * b[i], 0);
  const c01 = dot(w0, s1);
  return { mean: projectPoint(p, mean), cov: [[dot(w0, s0), c01], [c01, dot(w1, s1)]] };
}

/** Component `i`'s full d × d covariance, whatever the model's covariance type. */
export function componentCovariance(model: GmmModelJson, i: number): Mat {
  const d = model.dims;
  const eye = (s: (j: number) => number): Mat => Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => (r === c ? s(r) : 0)));
  switch (model.covarianceType) {
    case 'full':
      return (model.covariances as number[][][])[i].map((row) => row.slice());
    case 'tied':
      return (model.covariances as number[][]).map((row) => row.slice());
    case 'diag': {
      const diag = (model.covariances as number[][])[i];
      return eye((j) => diag[j]);
    }
    case 'spherical': {
      const s = (model.covariances as number[])[i];
      return eye(() => s);
    }
  }
}

/** Everything the scatter plot draws: projected points and one ellipse per component. */
export function scatterGeometry(
  model: GmmModelJson,
  points: readonly (readonly number[])[],
  featureNames?: readonly string[],
  nStd = 2,
): { projection: Projection2D; points: [number, number][]; ellipses: (Ellipse2D & { component: number })[] } {
  const projection = model.dims > 2 ? pca2(points.length >= 2 ? points : model.means) : firstTwo(model.dims, featureNames);
  return {
    projection,
    points: points.map((x) => projectPoint(projection, x)),
    ellipses: model.means.map((mu, i) => {
      const g = projectGaussian(projection, mu, componentCovariance(model, i));
      return { ...covarianceEllipse(g.mean, g.cov, nStd), component: i };
    }),
  };
}
