import { invertLower } from '../linalg';
import { computePrecisionCholesky } from './precision';

describe('computePrecisionCholesky', () => {
  const d = 3;
  const covariances = Float64Array.from([4, 2, 0.6, 2, 2, 0.5, 0.6, 0.5, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1]);

  it('asked again for the same covariances (the M-step, then the next E-step) gives the same factors as fresh copies', () => {
    const first = computePrecisionCholesky('full', covariances, 2, d);
    first.precisionCholesky.fill(0);
    const again = computePrecisionCholesky('full', Float64Array.from(covariances), 2, d);
    expect(again.precisionCholesky[0]).toBeCloseTo(0.5, 15);
    expect(again.logDet[1]).toBe(0);
  });

  it('covariances changed in place since the last call get their own factors', () => {
    const changed = Float64Array.from(covariances);
    computePrecisionCholesky('full', changed, 2, d);
    changed[0] = 16;
    expect(computePrecisionCholesky('full', changed, 2, d).precisionCholesky[0]).toBeCloseTo(0.25, 15);
  });

  it('P·L = I: invertLower inverts a lower factor', () => {
    const l = Float64Array.from([2, 0, 0, 1, 1.5, 0, -0.5, 0.25, 3]);
    const p = new Float64Array(9);
    invertLower(l, 0, d, p, 0);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += p[i * d + q] * l[q * d + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
      }
    }
  });
});
