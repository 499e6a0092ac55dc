/**
 * Decimal digits to a double, correctly rounded, without making a string: what Number gives for the same text.
 *
 * Numbers written by JavaScript, Python or Java are their shortest round-trip form: 16 or 17 significant digits for
 * most values, past Clinger's fast path (at most 15 digits). Those with at most 22 digits after the point (the
 * common ones) are divided in double-double arithmetic (quotientToDouble), about three times faster than what
 * follows, which decides the rest and the near-ties it leaves. For up to 19 digits this is Eisel and Lemire's
 * algorithm (D. Lemire, "Number parsing at a gigabyte per second", 2021; as Go's strconv.eiselLemire64): the
 * mantissa times a 128-bit approximation of the power of ten, which decides the rounding except in rare cases near
 * a halfway point, where it answers NaN and the caller asks Number. JavaScript has no 64-bit integer multiply, so
 * the 64 × 64 → 128-bit products run on 16-bit limbs held in doubles (every partial sum stays below 2^53).
 */

const MIN_EXP10 = -348;
const MAX_EXP10 = 347;

/**
 * The 128-bit mantissa of 10^q rounded down, normalized (top bit set), for q in [MIN_EXP10, MAX_EXP10]: 8 16-bit
 * limbs per power, least significant first. Its binary exponent is floor(q·log2 10) − 127 (see eiselLemire).
 */
const POWERS = (() => {
  const limbs = new Uint16Array((MAX_EXP10 - MIN_EXP10 + 1) * 8);
  for (let q = MIN_EXP10; q <= MAX_EXP10; q++) {
    let m: bigint;
    if (q >= 0) {
      const p = 10n ** BigInt(q);
      const bits = p.toString(2).length;
      m = bits >= 128 ? p >> BigInt(bits - 128) : p << BigInt(128 - bits);
    } else {
      const p = 10n ** BigInt(-q);
      m = (1n << BigInt(127 + p.toString(2).length)) / p;
    }
    for (let j = 0; j < 8; j++) limbs[(q - MIN_EXP10) * 8 + j] = Number((m >> BigInt(16 * j)) & 0xffffn);
  }
  return limbs;
})();

/** 2^e for e in [-1074, 971] (a mantissa times one of these is exact while the result is a normal double) */
const POW2 = (() => {
  const out = new Float64Array(1074 + 971 + 1);
  let v = 1;
  for (let e = 0; e <= 971; e++, v *= 2) out[1074 + e] = v;
  v = 1;
  for (let e = 0; e >= -1074; e--, v /= 2) out[1074 + e] = v;
  return out;
})();

const TWO16 = 65536;
const TWO32 = 4294967296;
/** the 8 limbs of the last product */
const product = new Float64Array(8);

/** (a3 a2 a1 a0) × (b3 b2 b1 b0), 16-bit limbs, into product[0..8): each column's sum is below 2^35. */
function multiply(a0: number, a1: number, a2: number, a3: number, table: number): void {
  const b0 = POWERS[table];
  const b1 = POWERS[table + 1];
  const b2 = POWERS[table + 2];
  const b3 = POWERS[table + 3];
  let c = a0 * b0;
  let carry = (c / TWO16) | 0;
  product[0] = c - carry * TWO16;
  c = carry + a0 * b1 + a1 * b0;
  carry = (c / TWO16) | 0;
  product[1] = c - carry * TWO16;
  c = carry + a0 * b2 + a1 * b1 + a2 * b0;
  carry = (c / TWO16) | 0;
  product[2] = c - carry * TWO16;
  c = carry + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  carry = (c / TWO16) | 0;
  product[3] = c - carry * TWO16;
  c = carry + a1 * b3 + a2 * b2 + a3 * b1;
  carry = (c / TWO16) | 0;
  product[4] = c - carry * TWO16;
  c = carry + a2 * b3 + a3 * b2;
  carry = (c / TWO16) | 0;
  product[5] = c - carry * TWO16;
  c = carry + a3 * b3;
  carry = (c / TWO16) | 0;
  product[6] = c - carry * TWO16;
  product[7] = carry;
}

/** (highHalf·2^32 + lowHalf) + (hi·2^32 + lo) ≥ 2^64, every part an unsigned 32-bit integer */
function overflows(lowHalf: number, highHalf: number, lo: number, hi: number): boolean {
  return highHalf + hi + (lowHalf + lo >= TWO32 ? 1 : 0) >= TWO32;
}

/**
 * hi·2^32 + lo (a 64-bit mantissa w, hi and lo unsigned 32-bit integers, w > 0) times 10^q, correctly rounded to a
 * positive double; NaN when the algorithm cannot decide (near a halfway point) or the result is not a normal double
 * (zero, subnormal, infinite): the caller then uses Number on the text.
 */
export function eiselLemire(hi: number, lo: number, q: number): number {
  if (q < MIN_EXP10 || q > MAX_EXP10) return NaN;
  // normalize: the mantissa's top bit at bit 63
  const clz = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
  if (clz >= 32) {
    hi = (lo << (clz - 32)) >>> 0;
    lo = 0;
  } else if (clz > 0) {
    hi = ((hi << clz) | (lo >>> (32 - clz))) >>> 0;
    lo = (lo << clz) >>> 0;
  }
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const a2 = hi & 0xffff;
  const a3 = hi >>> 16;
  let exp2 = ((217706 * q) >> 16) + 64 + 1023 - clz;
  const entry = (q - MIN_EXP10) * 8;
  multiply(a0, a1, a2, a3, entry + 4); // w × the power's high 64 bits
  let x0 = product[0];
  let x1 = product[1];
  let x2 = product[2];
  let x3 = product[3];
  let x4 = product[4];
  let x5 = product[5];
  let x6 = product[6];
  let x7 = product[7];
  // the low 64 bits (x3..x0) plus w overflow 2^64: the truncated product may be one short in its 9 low bits
  const xLoHigh = x3 * TWO16 + x2;
  const xLoLow = x1 * TWO16 + x0;
  if ((x4 & 0x1ff) === 0x1ff && overflows(xLoLow, xLoHigh, lo, hi)) {
    multiply(a0, a1, a2, a3, entry); // w × the power's low 64 bits: add its high half
    const y0 = product[4];
    const y1 = product[5];
    const y2 = product[6];
    const y3 = product[7];
    const yLoHigh = product[3] * TWO16 + product[2];
    const yLoLow = product[1] * TWO16 + product[0];
    let s = x0 + y0;
    x0 = s % TWO16;
    s = x1 + y1 + (s >= TWO16 ? 1 : 0);
    x1 = s % TWO16;
    s = x2 + y2 + (s >= TWO16 ? 1 : 0);
    x2 = s % TWO16;
    s = x3 + y3 + (s >= TWO16 ? 1 : 0);
    x3 = s % TWO16;
    let carry = s >= TWO16 ? 1 : 0;
    s = x4 + carry;
    x4 = s % TWO16;
    carry = s >= TWO16 ? 1 : 0;
    s = x5 + carry;
    x5 = s % TWO16;
    carry = s >= TWO16 ? 1 : 0;
    s = x6 + carry;
    x6 = s % TWO16;
    x7 += s >= TWO16 ? 1 : 0;
    const mergedLoAllOnes = x0 === 0xffff && x1 === 0xffff && x2 === 0xffff && x3 === 0xffff;
    if ((x4 & 0x1ff) === 0x1ff && mergedLoAllOnes && overflows(yLoLow, yLoHigh, lo, hi)) return NaN;
  }
  // the top 54 bits: shift right by 9 or 10 (whether bit 127 is set); h is those bits without the last one
  const msb = x7 >>> 15;
  const shift = msb + 9;
  exp2 -= 1 ^ msb;
  const h = msb ? x7 * 2 ** 37 + x6 * 2 ** 21 + x5 * 32 + (x4 >>> 11) : x7 * 2 ** 38 + x6 * 2 ** 22 + x5 * 64 + (x4 >>> 10);
  const last = (x4 >>> shift) & 1;
  // exactly halfway between two doubles as far as the product tells: undecided
  if (last === 1 && h % 2 === 0 && (x4 & 0x1ff) === 0 && x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) return NaN;
  let mantissa = h + last; // rounded half up from 54 bits to 53
  if (mantissa >= 2 ** 53) {
    mantissa /= 2;
    exp2 += 1;
  }
  if (exp2 < 1 || exp2 > 0x7fe) return NaN;
  return mantissa * POW2[1074 + exp2 - 1075];
}

/**
 * The value of at most 19 significant digits: `high` (the first ones, at most 15 digits) followed by `lowDigits`
 * more digits of value `low`, times 10^q; NaN when undecided (see eiselLemire).
 */
export function digitsToDouble(high: number, low: number, lowDigits: number, q: number): number {
  const scale = POW10_SMALL[lowDigits];
  const hh = Math.floor(high / TWO32);
  const lowSum = (high - hh * TWO32) * scale + low;
  const carry = Math.floor(lowSum / TWO32);
  const hi = hh * scale + carry;
  const lo = lowSum - carry * TWO32;
  if (hi === 0 && lo === 0) return 0;
  return eiselLemire(hi, lo, q);
}

const POW10_SMALL = [1, 10, 100, 1000, 10000];
/** 10^0 … 10^22: every one is exact in a double (5^22 < 2^53) */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * A decimal's value from its significant digits as a digit scanner collects them: the first 15 in `high`, the next
 * (up to 4) in `low`, `significant` digits in all, the last one kept worth 10^scale. Clinger's fast path (at most 15
 * digits and a power of ten up to 22: one exact operation), else Eisel-Lemire; NaN when neither decides (more than
 * 19 digits, a halfway case, not a normal double): the caller then uses Number on the text.
 */
export function decimalToDouble(high: number, low: number, significant: number, scale: number): number {
  if (significant <= 15 && scale >= -22 && scale <= 22) return scale < 0 ? high / POW10[-scale] : high * POW10[scale];
  if (significant > 19) return NaN;
  if (scale <= 0 && scale >= -22) {
    const v = quotientToDouble(high, low, significant - 15, scale);
    if (!Number.isNaN(v)) return v;
  }
  return digitsToDouble(high, low, Math.max(0, significant - 15), scale);
}

/** Dekker's split constant 2^27 + 1 */
const SPLIT = 134217729;
/** how close to a halfway point (in half ulps) quotientToDouble leaves a value to Eisel-Lemire */
const TIE_MARGIN = 2 ** -20;

/**
 * 16 to 19 significant digits, `high` (15 digits) followed by `lowDigits` (1 to 4) more of value `low`, times
 * 10^q for q in [−22, 0]; NaN near a halfway point between two doubles. W = high·10^lowDigits + low is held exactly
 * as hi + lo (Dekker's two-product and a two-sum), divided by P = 10^−q (exact) as a double-double q1 + r/P (the
 * remainder W − q1·P exact but for a few rounding errors near 2^−104 of the value), and rounded by one addition.
 * That sum is the correctly rounded value unless it lies within TIE_MARGIN half-ulps of a halfway point, which is
 * far wider than its error: there the caller decides by Eisel-Lemire.
 */
function quotientToDouble(high: number, low: number, lowDigits: number, q: number): number {
  const unit = POW10_SMALL[lowDigits];
  const a = high * unit;
  const rest = twoProductError(high, unit, a) + low; // small integers: exact
  const hi = a + rest;
  const lo = rest - (hi - a);
  const power = POW10[-q];
  const q1 = hi / power;
  const p = q1 * power;
  const remainder = hi - p - twoProductError(q1, power, p) + lo;
  const tail = remainder / power;
  const v = q1 + tail;
  const missed = q1 - v + tail; // what v leaves out of q1 + tail
  const half = halfUlp(v);
  return Math.abs(Math.abs(missed) - half) > half * TIE_MARGIN ? v : NaN;
}

/**
 * Whether digits of 16 or 17 significant digits (as decimalToDouble takes them, the last one worth 10^scale), whose
 * value is v, are the digits String(v) writes: no decimal one digit shorter rounds to v, and no other of the same
 * length is closer to v (JavaScript's Number::toString picks the shortest, then the closest). False also when it
 * cannot tell cheaply (a power of ten past 10^22, a tie or near one): the caller then writes String(v) itself.
 */
export function isShortestDigits(high: number, low: number, significant: number, scale: number, v: number): boolean {
  if ((significant !== 16 && significant !== 17) || scale > 0 || scale < -22 || !(v > 0) || !Number.isFinite(v)) return false;
  // one digit shorter: the two decimals around digits / 10
  if (significant === 16) {
    if (scale + 1 <= 0 && (high / POW10[-(scale + 1)] === v || (high + 1) / POW10[-(scale + 1)] === v)) return false;
    if (scale + 1 > 0) return false;
  } else {
    // the 16-digit decimal nearest v is more than half an ulp from it (then none is nearer): v·10^−(scale+1) exactly
    // as p1 + e1, its distance to the nearest integer against half of v's ulp in the same units
    if (scale + 1 > 0) return false;
    const half = halfUlp(v);
    if (Number.isNaN(half)) return false;
    const shorter = POW10[-(scale + 1)];
    const p1 = v * shorter;
    const e1 = twoProductError(v, shorter, p1);
    const t = p1 - Math.floor(p1) + e1;
    if (Math.abs(t - Math.round(t)) <= half * shorter * (1 + 1e-9)) return false;
  }
  // the digits' integer W against v·10^−scale, exactly: both as sums of doubles (Dekker's two-product)
  const power = POW10[-scale];
  const p = v * power;
  const e = twoProductError(v, power, p);
  const unit = POW10_SMALL[significant - 15];
  const a = high * unit;
  const b = twoProductError(high, unit, a);
  const diff = p - a + (e - b) - low;
  return Math.abs(diff) < 0.5 - 1e-9;
}

const bits = new Float64Array(1);
const bitWords = new Uint32Array(bits.buffer);

/** Half the gap between v and its neighbours (a normal double, not a power of two); NaN otherwise */
function halfUlp(v: number): number {
  bits[0] = v;
  const exponent = (bitWords[1] >>> 20) & 0x7ff;
  if (exponent < 3 || ((bitWords[1] & 0xfffff) === 0 && bitWords[0] === 0)) return NaN;
  return POW2[exponent - 1076 + 1074];
}

/** The exact error of the product x·y = p (Dekker: x·y − p, computed without loss) */
function twoProductError(x: number, y: number, p: number): number {
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}
