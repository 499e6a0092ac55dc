import { decimalToDouble, digitsToDouble, isShortestDigits } from './decimal';

/** digitsToDouble on a digit string (at most 19 digits, no leading zero) times 10^q; NaN when it leaves it to Number */
function fromDigits(digits: string, q: number): number {
  const lowDigits = Math.max(0, digits.length - 15);
  return digitsToDouble(Number(digits.slice(0, 15)), lowDigits ? Number(digits.slice(15)) : 0, lowDigits, q);
}

/** a seeded generator of integers in [0, n) */
function randomInts(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
}

/** every value `convert` decides (digits × 10^q; NaN: it leaves it to Number) is Number's, bit for bit; returns how many it decided */
function agreeWithNumber(convert: (digits: string, q: number) => number, cases: [string, number][]): number {
  let decided = 0;
  for (const [digits, q] of cases) {
    const got = convert(digits, q);
    if (Number.isNaN(got)) continue;
    decided++;
    if (!Object.is(got, Number(`${digits}e${q}`))) expect({ digits, q, got }).toEqual({ digits, q, got: Number(`${digits}e${q}`) });
  }
  return decided;
}

describe('digitsToDouble (Eisel-Lemire on 16-bit limbs)', () => {
  const rand = randomInts(7);

  it('gives Number\'s double for random mantissas of 1 to 19 digits and powers of ten from 1e-350 to 1e350', () => {
    const cases: [string, number][] = [];
    for (let t = 0; t < 100_000; t++) {
      let digits = String(1 + rand(9));
      for (let j = 1 + rand(19); j > 1; j--) digits += rand(10);
      cases.push([digits, rand(700) - 350]);
    }
    expect(agreeWithNumber(fromDigits, cases)).toBeGreaterThan(80_000); // the rest overflow, underflow or are subnormal: Number decides those
  });

  it('decides the shortest forms of doubles (what JSON.stringify writes) and agrees with Number on all of them', () => {
    const bits = new Uint32Array(2);
    const value = new Float64Array(bits.buffer);
    const cases: [string, number][] = [];
    while (cases.length < 50_000) {
      bits[0] = rand(2 ** 31) * 2 + rand(2);
      bits[1] = rand(2 ** 31) * 2 + rand(2);
      const v = Math.abs(value[0]);
      if (!Number.isFinite(v) || v < 2.2250738585072014e-308) continue;
      const [mantissa, exponent] = v.toExponential().split('e');
      const digits = mantissa.replace('.', '');
      cases.push([digits, Number(exponent) - (digits.length - 1)]);
    }
    expect(agreeWithNumber(fromDigits, cases)).toBeGreaterThan(49_900);
  });

  it('rounds 19-digit decimals next to the halfway point between two doubles as Number does, or leaves them to it', () => {
    const bits = new Uint32Array(2);
    const value = new Float64Array(bits.buffer);
    const cases: [string, number][] = [];
    for (let t = 0; t < 20_000; t++) {
      value[0] = (1 + rand(1e9) / 1e9) * 10 ** (rand(40) - 20);
      // the exact midpoint between value and the next double: (2m + 1) × 2^(e − 1076) = (2m + 1) × 5^(1076 − e) / 10^(1076 − e)
      const e = (bits[1] >>> 20) & 0x7ff;
      const m = (BigInt(bits[1] & 0xfffff) << 32n) | BigInt(bits[0]) | (1n << 52n);
      if (e >= 1076) continue;
      let text = ((2n * m + 1n) * 5n ** BigInt(1076 - e)).toString();
      let q = e - 1076;
      if (text.length > 19) {
        q += text.length - 19;
        text = text.slice(0, 19);
      }
      for (const delta of [-1n, 0n, 1n]) cases.push([(BigInt(text) + delta).toString(), q]);
    }
    agreeWithNumber(fromDigits, cases.filter(([digits]) => digits.length <= 19));
    expect(fromDigits('9007199254740993', 0)).toBeNaN(); // 2^53 + 1: a tie, Number rounds it to even
    expect(fromDigits('17976931348623157', 292)).toBe(1.7976931348623157e308);
    expect(fromDigits('17976931348623159', 292)).toBeNaN(); // past the largest double: Number says Infinity
    expect(fromDigits('0', 5)).toBe(0);
  });
});

describe('decimalToDouble on 16 to 19 digits with at most 22 after the point (the double-double quotient)', () => {
  const rand = randomInts(11);
  /** digits (16 to 19, no leading zero) × 10^q as the scanners hand them over: Number's double, or NaN (then Number decides) */
  const convert = (digits: string, q: number) => decimalToDouble(Number(digits.slice(0, 15)), Number(digits.slice(15)), digits.length, q);

  it("gives Number's double for random digits, and for String's own 16- and 17-digit texts", () => {
    const cases: [string, number][] = [];
    for (let t = 0; t < 100_000; t++) {
      let digits = String(1 + rand(9));
      for (let j = 15 + rand(4); j > 0; j--) digits += rand(10);
      cases.push([digits, -rand(23)]);
    }
    for (let t = 0; t < 100_000; t++) {
      const text = String((rand(2 ** 30) / 2 ** 30 + rand(2 ** 30) / 2 ** 60) * 10 ** (rand(16) - 6));
      const digits = text.replace('.', '').replace(/^0+/, '');
      const q = text.includes('.') ? -(text.length - text.indexOf('.') - 1) : 0;
      if (digits.length >= 16 && !text.includes('e')) cases.push([digits, q]);
    }
    expect(agreeWithNumber(convert, cases)).toBeGreaterThan(0.99 * cases.length); // exact ties (x.5 past 2^52) are left to Number
  });

  it('rounds decimals next to the halfway point between two doubles as Number does, or leaves them to Number', () => {
    const bits = new Uint32Array(2);
    const value = new Float64Array(bits.buffer);
    const cases: [string, number][] = [];
    for (let t = 0; t < 20_000; t++) {
      value[0] = (1 + rand(1e9) / 1e9) * 10 ** (rand(14) - 6);
      // the exact midpoint between value and the next double, as in the test above, cut to 16 to 19 digits
      const e = (bits[1] >>> 20) & 0x7ff;
      const m = (BigInt(bits[1] & 0xfffff) << 32n) | BigInt(bits[0]) | (1n << 52n);
      const full = ((2n * m + 1n) * 5n ** BigInt(1076 - e)).toString();
      for (const length of [16, 17, 18, 19]) {
        const q = e - 1076 + full.length - length;
        if (q > 0 || q < -22) continue;
        for (const delta of [-1n, 0n, 1n]) cases.push([(BigInt(full.slice(0, length)) + delta).toString(), q]);
      }
    }
    expect(cases.length).toBeGreaterThan(50_000);
    agreeWithNumber(convert, cases.filter(([digits]) => digits.length >= 16 && digits.length <= 19));
    expect(convert('9007199254740993', 0)).toBeNaN(); // 2^53 + 1: a tie, Number rounds it to even
    expect(convert('9007199254740995', 0)).toBe(9007199254740996); // a tie Eisel-Lemire decides: to even
    expect(convert('9007199254740994', 0)).toBe(9007199254740994);
    expect(convert('30000000000000004', -17)).toBe(0.30000000000000004);
    expect(convert('1000000000000000000', -22)).toBe(0.0001);
  });
});

describe('isShortestDigits (16 and 17 digits: is this what String writes?)', () => {
  /** the digits of a plain positive decimal as decimalToDouble takes them */
  const digitsOf = (text: string): [number, number, number, number] => {
    let [high, low, significant, scale, fraction] = [0, 0, 0, 0, false];
    for (const ch of text) {
      if (ch === '.') {
        fraction = true;
        continue;
      }
      const d = ch.charCodeAt(0) - 48;
      if (significant > 0 || d !== 0) {
        if (significant < 15) high = high * 10 + d;
        else low = low * 10 + d;
        if (fraction) scale--;
        significant++;
      } else if (fraction) scale--;
    }
    return [high, low, significant, scale];
  };

  it("never says yes when String writes other digits, and says yes for most of String's own 16- and 17-digit texts", () => {
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let own = 0;
    let recognised = 0;
    for (let t = 0; t < 40_000; t++) {
      const text = String(rand() * 10 ** Math.floor(rand() * 24 - 6));
      if (text.includes('e')) continue;
      const last = text.charCodeAt(text.length - 1) - 48;
      const variants = [text, `${text}1`, text.slice(0, -1) + ((last + 1) % 10), text.slice(0, -1) + ((last + 9) % 10), `${text.slice(0, -1)}`];
      for (const variant of variants) {
        const [high, low, significant, scale] = digitsOf(variant);
        if (significant !== 16 && significant !== 17) continue;
        const v = decimalToDouble(high, low, significant, scale);
        if (Number.isNaN(v)) continue;
        const says = isShortestDigits(high, low, significant, scale, v);
        if (says && String(v) !== variant) expect({ variant, says }).toEqual({ variant, says: false });
        if (variant === text) {
          own++;
          if (says) recognised++;
        }
      }
    }
    expect(recognised / own).toBeGreaterThan(0.85); // the rest (ties, powers of two, near misses) are written by String: slower, same text
    expect(isShortestDigits(...digitsOf('0.30000000000000004'), 0.30000000000000004)).toBe(true);
    expect(isShortestDigits(...digitsOf('0.30000000000000001'), 0.3)).toBe(false); // String writes 0.3
  });
});

