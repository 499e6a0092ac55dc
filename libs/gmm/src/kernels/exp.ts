/**
 * exp(t) for t ≤ 0, the responsibilities' exponential: fdlibm's e_exp.c algorithm (argument reduction t = k·ln 2 + r
 * with ln 2 split in two, the rational approximation of exp(r), then the scaling by 2^k), written branch-free so the
 * WebAssembly kernel (assembly/kernels.ts, two rows per f64x2) performs the very same operations: both give the same
 * bits, within 1 ulp of the exact value. Math.exp is not used because its algorithm is the engine's own, not one the
 * WebAssembly kernel can repeat.
 *
 * The scaling is done as (y · 2^(k+1000)) · 2^−1000, exact for normal results and rounded once for subnormal ones.
 * The caller gives 0 for t < EXP_UNDERFLOW (exp underflows to 0 below about −745.13) and NaN stays NaN.
 */

/** Below this, exp(t) is exactly 0 in double precision (the smallest subnormal is exp(−744.44); exp(−745.14) rounds to 0). */
export const EXP_UNDERFLOW = -746;

export const INV_LN2 = 1.4426950408889634;
/** ln 2 = LN2_HI + LN2_LO; LN2_HI has 32 trailing zero bits, so k·LN2_HI is exact */
export const LN2_HI = 6.93147180369123816490e-1;
export const LN2_LO = 1.90821492927058770002e-10;
export const EXP_P1 = 1.66666666666666019037e-1;
export const EXP_P2 = -2.77777777770155933842e-3;
export const EXP_P3 = 6.61375632143793436117e-5;
export const EXP_P4 = -1.65339022054652515390e-6;
export const EXP_P5 = 4.13813679705723846039e-8;
export const TWO_M1000 = 2 ** -1000;

/** k = ⌊t/ln 2 + ½⌋ ranges over [K_MIN, 0] for EXP_UNDERFLOW ≤ t ≤ 0; SCALE[k − K_MIN] = 2^(k+1000), built from bits. */
const K_MIN = -1077;
const SCALE = (() => {
  const table = new Float64Array(1 - K_MIN);
  const words = new Uint32Array(table.buffer);
  // little-endian: the high word (sign, exponent, top of the mantissa) is the second of each pair
  for (let i = 0; i < table.length; i++) words[2 * i + 1] = (i + K_MIN + 1000 + 1023) << 20;
  return table;
})();

/** exp(t) for EXP_UNDERFLOW ≤ t ≤ 0 (NaN gives NaN). */
export function expNonPositive(t: number): number {
  if (t !== t) return t;
  const kf = Math.floor(t * INV_LN2 + 0.5);
  const hi = t - kf * LN2_HI;
  const lo = kf * LN2_LO;
  const r = hi - lo;
  const r2 = r * r;
  const c = r - r2 * (EXP_P1 + r2 * (EXP_P2 + r2 * (EXP_P3 + r2 * (EXP_P4 + r2 * EXP_P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return y * SCALE[kf - K_MIN] * TWO_M1000;
}
