import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Small dense helpers on flat row-major d × d matrices stored at `offset` in a Float64Array.
 */

/**
 * Lower Cholesky factor L (A = L·Lᵀ) written into `out` (d × d, upper part zeroed).
 * Returns false when A is not numerically positive definite (a pivot ≤ 0 or not finite).
 * L[i][j] = (A[i][j] − Σ_{m<j} L[i][m]·L[j][m]) / L[j][j], each sum taken over m in ascending order. Two entries of
 * row i are summed side by side (two independent chains over the same loads of row i); the second one's last term,
 * m = j, waits for the first entry, so every sum is still the one-entry-at-a-time sum, bit for bit.
 */
export function choleskyLower(a: Float64Array, aOffset: number, d: number, out: Float64Array, outOffset: number): boolean {
  for (let i = 0; i < d; i++) {
    const ri = outOffset + i * d;
    const ai = aOffset + i * d;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const rj0 = outOffset + j * d;
      const rj1 = rj0 + d;
      let s0 = a[ai + j];
      let s1 = a[ai + j + 1];
      for (let m = 0; m < j; m++) {
        const lim = out[ri + m];
        s0 -= lim * out[rj0 + m];
        s1 -= lim * out[rj1 + m];
      }
      const lij = s0 / out[rj0 + j];
      out[ri + j] = lij;
      s1 -= lij * out[rj1 + j];
      out[ri + j + 1] = s1 / out[rj1 + j + 1];
    }
    for (; j < i; j++) {
      const rj = outOffset + j * d;
      let s = a[ai + j];
      for (let m = 0; m < j; m++) s -= out[ri + m] * out[rj + m];
      out[ri + j] = s / out[rj + j];
    }
    let s = a[ai + i];
    for (let m = 0; m < i; m++) s -= out[ri + m] * out[ri + m];
    if (!(s > 0) || !Number.isFinite(s)) return false;
    out[ri + i] = Math.sqrt(s);
    for (let c = i + 1; c < d; c++) out[ri + c] = 0;
  }
  return true;
}

/**
 * Inverse X of a lower-triangular L (d × d) by forward substitution, written (lower) into `out`:
 * X[j][c] = −(Σ_{i=c}^{j−1} L[j][i]·X[i][c]) / L[j][j], X[j][j] = 1 / L[j][j]. Row j is built from rows i < j of X
 * (each sum still taken over i in ascending order, left to right), so the inner loops run along rows, not down columns.
 */
export function invertLower(l: Float64Array, lOffset: number, d: number, out: Float64Array, outOffset: number): void {
  for (let i = 0; i < d * d; i++) out[outOffset + i] = 0;
  for (let j = 0; j < d; j++) {
    const rj = outOffset + j * d;
    // out's row j (zero so far) holds the sums Σ L[j][i]·X[i][c] while they build up; rows i and i + 1 are added
    // in one pass (i's term, then i + 1's, as two passes would), so row j is loaded and stored half as often
    let i = 0;
    for (; i + 1 < j; i += 2) {
      const lji0 = l[lOffset + j * d + i];
      const lji1 = l[lOffset + j * d + i + 1];
      const ri0 = outOffset + i * d;
      const ri1 = ri0 + d;
      for (let c = 0; c <= i; c++) out[rj + c] = out[rj + c] + lji0 * out[ri0 + c] + lji1 * out[ri1 + c];
      out[rj + i + 1] += lji1 * out[ri1 + i + 1];
    }
    for (; i < j; i++) {
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
