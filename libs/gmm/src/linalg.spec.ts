import { choleskyLower, invertLower } from './linalg';
import { Rng } from './rng';

/** A random symmetric positive definite d × d matrix B·Bᵀ + εI. */
function spd(d: number, rng: Rng): Float64Array {
  const b = Float64Array.from({ length: d * d }, () => rng.normal());
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let m = 0; m < d; m++) s += b[i * d + m] * b[j * d + m];
      a[i * d + j] = s + (i === j ? 1e-3 : 0);
    }
  }
  return a;
}

describe('choleskyLower and invertLower: the textbook sums, bit for bit, whatever the loops pair up', () => {
  const rng = new Rng(21);

  it.each([1, 2, 3, 4, 7, 8, 17, 64])('d = %i', (d) => {
    const a = spd(d, rng);
    const l = new Float64Array(d * d).fill(9);
    expect(choleskyLower(a, 0, d, l, 0)).toBe(true);
    // L[i][j] = (A[i][j] − Σ_{m<j} L[i][m]·L[j][m]) / L[j][j], one entry at a time
    const expected = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i * d + j];
        for (let m = 0; m < j; m++) s -= expected[i * d + m] * expected[j * d + m];
        expected[i * d + j] = i === j ? Math.sqrt(s) : s / expected[j * d + j];
      }
    }
    expect(Array.from(l)).toEqual(Array.from(expected));
    // X = L⁻¹: X[j][c] = −(Σ_{i=c}^{j−1} L[j][i]·X[i][c]) / L[j][j], X[j][j] = 1 / L[j][j]
    const x = new Float64Array(d * d).fill(9);
    invertLower(l, 0, d, x, 0);
    const inverse = new Float64Array(d * d);
    for (let j = 0; j < d; j++) {
      for (let c = 0; c < j; c++) {
        let s = 0;
        for (let i = c; i < j; i++) s += l[j * d + i] * inverse[i * d + c];
        inverse[j * d + c] = -s / l[j * d + j];
      }
      inverse[j * d + j] = 1 / l[j * d + j];
    }
    expect(Array.from(x)).toEqual(Array.from(inverse));
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(choleskyLower(Float64Array.from([1, 2, 2, 1]), 0, 2, new Float64Array(4), 0)).toBe(false);
  });
});
