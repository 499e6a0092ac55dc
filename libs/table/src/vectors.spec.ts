import { TableError } from './errors';
import { formatVector, parseVector, parseVectorInto, parseVectors, scanDenseBytes } from './vectors';

describe('parseVector (Alink formats)', () => {
  it('parses dense vectors separated by spaces or commas', () => {
    expect(Array.from(parseVector('1.0 2.5 -3e2'))).toEqual([1, 2.5, -300]);
    expect(Array.from(parseVector(' 1,2 , 3 '))).toEqual([1, 2, 3]);
  });
  it('parses sparse vectors with and without the $n$ size header (0-based indices)', () => {
    expect(Array.from(parseVector('$5$0:1.5 3:2'))).toEqual([1.5, 0, 0, 2, 0]);
    expect(Array.from(parseVector('1:4 2:5'))).toEqual([0, 4, 5]);
    expect(Array.from(parseVector('$3$'))).toEqual([0, 0, 0]);
  });
  it.each([
    ['1 abc 3', /"abc" at position 2 is not a number/],
    ['1 NaN', /NaN at position 2 is not a finite number/],
    ['1 Infinity', /not a finite number/],
    ['$3$0:1 3:2', /index 3 is out of range for size 3/],
    ['$x$0:1', /size "x"/],
    ['0:1 2', /"2" is not of the form index:value/],
    ['-1:2', /not a non-negative integer/],
    ['', /empty/],
  ])('rejects %p with a message that names the problem and the row/column', (text, message) => {
    try {
      parseVector(text, { row: 4, column: 'features' });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(TableError);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).toMatch(/^row 4, column features: /);
      expect((e as TableError).details).toEqual({ row: 4, column: 'features' });
    }
  });
});

describe('parseVectors', () => {
  it('builds a matrix from dense and sized sparse rows', () => {
    const m = parseVectors(['1 2 3', '$3$1:5', '0,0,7'], 'v');
    expect(m.rows).toBe(3);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 0, 5, 0, 0, 0, 7]);
  });
  it('pads unsized sparse rows to the dimension the column sets, or to the largest index + 1', () => {
    expect(parseVectors(['0:1', '4:2'], 'v').cols).toBe(5);
    const m = parseVectors(['1 2 3 4', '1:9'], 'v');
    expect(Array.from(m.data.subarray(4))).toEqual([0, 9, 0, 0]);
  });
  it('names the 1-based row and the column of a dimension mismatch', () => {
    expect(() => parseVectors(['1 2', '3 4', '5 6 7'], 'feat')).toThrow(/^row 3, column feat: vector has dimension 3 but row 1 has 2/);
    expect(() => parseVectors(['1 2', '5:1'], 'feat')).toThrow(/^row 2, column feat: sparse index 5 is out of range for dimension 2/);
  });
  it('names the row of a non-finite or malformed value', () => {
    try {
      parseVectors(['1 2', '3 4', '5 x'], 'feat');
    } catch (e) {
      expect((e as TableError).details).toEqual({ row: 3, column: 'feat' });
    }
    expect.assertions(1);
  });
});

describe('parseVectorInto (serving: straight into a Float64Array)', () => {
  /** parseVector's values or its error message */
  const reference = (text: string): number[] | string => {
    try {
      return Array.from(parseVector(text));
    } catch (err) {
      return (err as Error).message;
    }
  };
  const into = (text: string): number[] | string => {
    const out = new Float64Array(64);
    try {
      const n = parseVectorInto(text, out, 3, 60);
      return Array.from(out.subarray(3, 3 + n));
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('gives parseVector\'s doubles, bit for bit, for numbers written every way (fast path and long numbers)', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const texts: string[] = [];
    for (let t = 0; t < 2000; t++) {
      const v = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      const forms = [String(v), v.toFixed(Math.floor(rand() * 12)), v.toExponential(Math.floor(rand() * 16)), v.toPrecision(1 + Math.floor(rand() * 20))];
      texts.push(forms.join(t % 2 ? ' ' : ' , '));
    }
    texts.push('0 -0 +1 1. .5 -.5 007 0.000 1e22 1e-22 123456789012345 1234567890123456789 9007199254740993 1E+3 2e-0');
    for (const text of texts) {
      const expected = reference(text);
      const got = into(text);
      expect(Array.isArray(got) ? got.map((v) => (Object.is(v, -0) ? '-0' : v)) : got).toEqual(
        Array.isArray(expected) ? expected.map((v) => (Object.is(v, -0) ? '-0' : v)) : expected,
      );
    }
  });

  it.each(['1 abc 3', '1 NaN', '1 Infinity', '1e400 2', '1e 2', '- 1', '1.2.3', '', '  ', '$3$0:1 2:2', '1:4 2:5', '1\u00a02', '0x10 1'])(
    'reads %j as parseVector does (values or the same error)',
    (text) => {
      expect(into(text)).toEqual(reference(text));
    },
  );

  it('returns the length of a longer vector and writes only the room it has', () => {
    const out = new Float64Array(4).fill(9);
    expect(parseVectorInto('1 2 3 4 5', out, 1, 2, { column: 'v' })).toBe(5);
    expect(Array.from(out)).toEqual([9, 1, 2, 9]);
    expect(parseVectorInto('$6$5:1', out, 0, 4)).toBe(6);
    expect(() => parseVectorInto('1 x', out, 0, 4, { row: 3, column: 'v' })).toThrow('row 3, column v: "x" at position 2 is not a number');
  });
});

describe('scanDenseBytes (a vector string inside a request body)', () => {
  it("reads the numbers as Number does, bit for bit: String's texts of random doubles and 16 to 19 significant digits", () => {
    let seed = 5;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const out = new Float64Array(8);
    for (let t = 0; t < 20_000; t++) {
      const v = (rand() - 0.5 + rand() * 2 ** -30) * 10 ** Math.floor(rand() * 30 - 12);
      const texts = [String(v), v.toPrecision(16), v.toPrecision(17), v.toPrecision(18), v.toPrecision(19), v.toFixed(Math.min(20, 1 + Math.floor(rand() * 20)))];
      const bytes = Buffer.from(` ${texts.join(', ')} `);
      expect(scanDenseBytes(bytes, 0, bytes.length, out, 1, 6)).toBe(6);
      const read = Array.from(out.subarray(1, 7));
      if (!read.every((x, j) => Object.is(x, Number(texts[j])))) expect(read).toEqual(texts.map(Number));
    }
  });
});

describe('formatVector', () => {
  it('writes space-separated values that parse back to the same doubles', () => {
    const v = [1, 4.275273913994647e-92, -0.1, 1 / 3];
    const s = formatVector(v);
    expect(s).toBe('1 4.275273913994647e-92 -0.1 0.3333333333333333');
    expect(Array.from(parseVector(s))).toEqual(v);
  });
});
