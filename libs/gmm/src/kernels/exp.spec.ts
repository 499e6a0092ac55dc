import { EXP_UNDERFLOW, expNonPositive } from './exp';

/** |a − b| in units in the last place of b (subnormals: of the smallest normal's spacing). */
function ulps(a: number, b: number): number {
  return Math.abs(a - b) / (Number.EPSILON * Math.max(Math.abs(b), 2 ** -1022));
}

describe('expNonPositive (the responsibilities’ exp, shared with the WebAssembly kernel)', () => {
  it('is within 1 ulp of Math.exp from the underflow to 0, subnormal results included', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const t = (EXP_UNDERFLOW * i) / 200_000;
      worst = Math.max(worst, ulps(expNonPositive(t), Math.exp(t)));
    }
    for (const t of [-745.1, -745.13, -744.44, -708.4, -708.39, -1e-300, -Number.MIN_VALUE]) worst = Math.max(worst, ulps(expNonPositive(t), Math.exp(t)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('gives exactly 1 at 0, the smallest subnormal near the underflow, and NaN for NaN', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-745.1)).toBe(Number.MIN_VALUE);
    expect(expNonPositive(-745.2)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
  });
});
