import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Small dense helpers on flat row-major d × d matrices stored at `offset` in a Float64Array.
 */

/**
 * Lower Cholesky factor L (A = L·Lᵀ) written into `out` (d × d, upper part zeroed).
 * Returns false when A is not numerically positive definite (a pivot ≤ 0 or not finite).
 */
export function choleskyLower(a: Float64Array, aOffset: number, d: number, out: Float64Array, outOffset: number): boolean {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[aOffset + i * d + j];
      const ri = outOffset + i * d;
      const rj = outOffset + j * d;
      for (let m = 0; m < j; m++) s -= out[ri + m] * out[rj + m];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        out[ri + i] = Math.sqrt(s);
      } else {
        out[ri + j] = s / out[rj + j];
      }
    }
    for (let j = i + 1; j < d; j++) out[outOffset + i * d + j] = 0;
  }
  return true;
}

/**
 * Inverse X of a lower-triangular L (d × d) by forward substitution, written (lower) into `out`:
 * X[j][c] = −(Σ_{i=c}^{j−1} L[j][i]·X[i][c]) / L[j][j], X[j][j] = 1 / L[j][j]. Row j is built from rows i < j of X
 * (each sum still taken over i in ascending order), so the inner loops run along rows, not down columns.
 */
export function invertLower(l: Float64Array, lOffset: number, d: number, out: Float64Array, outOffset: number): void {
  for (let i = 0; i < d * d; i++) out[outOffset + i] = 0;
  for (let j = 0; j < d; j++) {
    const rj = outOffset + j * d;
    // out's row j (zero so far) holds the sums Σ L[j][i]·X[i][c] while they build up
    for (let i = 0; i < j; i++) {
      const lji = l[lOffset + j * d + i];
      const ri = outOffset + i * d;
      for (let c = 0; c <= i; c++) out[rj + c] += lji * out[ri + c];
    }
    const ljj = l[lOffset + j * d + j];
    for (let c = 0; c < j; c++) out[rj + c] = -out[rj + c] / ljj;
    out[rj + j] = 1 / ljj;
  }
}

/** mlpack's positive-definite constraint thresholds. */
const MAX_CONDITION = 1e5;
const MIN_EIGENVALUE = 1e-50;

/**
 * mlpack's PositiveDefiniteConstraint on a symmetric d × d matrix in place: when the smallest eigenvalue is
 * negative, the condition number exceeds 1e5, or the largest eigenvalue is below 1e-50, every eigenvalue is raised
 * to at least max(λmax / 1e5, 1e-50) and the matrix rebuilt as V·Λ·Vᵀ. Returns whether it changed the matrix.
 */
export function forcePositiveDefinite(a: Float64Array, offset: number, d: number): boolean {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from(a.subarray(offset + i * d, offset + (i + 1) * d)));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min < 0 || max / min > MAX_CONDITION || max < MIN_EIGENVALUE) && Number.isFinite(max)) return false;
  const floor = Math.max(max / MAX_CONDITION, MIN_EIGENVALUE);
  const v = eig.eigenvectorMatrix;
  const lambda = values.map((x) => (x < floor ? floor : x));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = 0; m < d; m++) s += v.get(i, m) * lambda[m] * v.get(j, m);
      a[offset + i * d + j] = s;
      a[offset + j * d + i] = s;
    }
  }
  return true;
}

/** The same constraint for a diagonal covariance (its eigenvalues are its entries), in place. */
export function forcePositiveDiagonal(a: Float64Array, offset: number, d: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < d; j++) {
    const v = a[offset + j];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min < 0 || max / min > MAX_CONDITION || max < MIN_EIGENVALUE)) return false;
  const floor = Math.max(max / MAX_CONDITION, MIN_EIGENVALUE);
  for (let j = 0; j < d; j++) if (!(a[offset + j] >= floor)) a[offset + j] = floor;
  return true;
}
