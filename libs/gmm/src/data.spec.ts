import { GmmInputError } from './errors';
import { DEFAULT_CHUNK_ROWS, MIN_CHUNK_ROWS, chunkRanges, countDistinctRows, fitChunkRows, makeBlobs, makeDataMatrix, matrixFromRows, validateFinite } from './data';
import { Rng } from './rng';

describe('makeDataMatrix / matrixFromRows', () => {
  it('wraps a flat array and rejects a size mismatch naming the parameter', () => {
    const m = makeDataMatrix(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(() => makeDataMatrix(new Float64Array(5), 2, 3)).toThrow(/5 values but rows × cols = 2 × 3/);
    expect(() => makeDataMatrix(new Float64Array(0), -1, 0)).toThrow(GmmInputError);
  });

  it('copies nested rows row-major and names the first row of another dimension (1-based)', () => {
    expect(Array.from(matrixFromRows([[1, 2], [3, 4]]).data)).toEqual([1, 2, 3, 4]);
    try {
      matrixFromRows([[1, 2], [3, 4], [5]]);
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(GmmInputError);
      expect((e as GmmInputError).details.row).toBe(3);
      expect((e as GmmInputError).message).toMatch(/row 3 has 1 values but row 1 has 2/);
    }
  });
});

describe('validateFinite', () => {
  it('passes finite data', () => {
    expect(() => validateFinite(matrixFromRows([[1, 2], [3, 4]]))).not.toThrow();
  });
  it.each([NaN, Infinity, -Infinity])('names the row and column of %p', (bad) => {
    const m = matrixFromRows([[1, 2], [3, bad]]);
    expect(() => validateFinite(m, ['a', 'b'])).toThrow(/row 2, column b/);
    try {
      validateFinite(m);
    } catch (e) {
      expect((e as GmmInputError).details).toEqual({ row: 2, column: '2' });
    }
  });
  it('with one vector column name, names the column and the element', () => {
    expect(() => validateFinite(matrixFromRows([[1, NaN]]), ['features'])).toThrow(/row 1, column features, element 2/);
  });
});

describe('chunkRanges', () => {
  it('covers every row once, in order', () => {
    expect(chunkRanges(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(chunkRanges(0, 4)).toEqual([]);
    expect(() => chunkRanges(10, 0)).toThrow(/chunkRows/);
  });
});

describe('fitChunkRows: the default chunks, from the rows, k, d and the covariance type only', () => {
  it('large data keeps 8,192-row chunks', () => {
    expect(fitChunkRows(32_768, 'full', 8, 10)).toBe(DEFAULT_CHUNK_ROWS);
    expect(fitChunkRows(1_000_000, 'diag', 8, 10)).toBe(DEFAULT_CHUNK_ROWS);
  });

  it('small data is cut into 4 equal chunks, so the workers of a small fit share it', () => {
    expect(fitChunkRows(1797, 'full', 8, 10)).toBe(450);
    expect(chunkRanges(1797, fitChunkRows(1797, 'full', 8, 10))).toEqual([[0, 450], [450, 900], [900, 1350], [1350, 1797]]);
    // 10,000 rows were 8,192 + 1,808 (one worker did 82 % of the work)
    expect(fitChunkRows(10_000, 'full', 8, 10)).toBe(2500);
  });

  it('into 2 when a quarter would hold fewer values than its statistics (scikit-learn\'s digits, k = 10, full)', () => {
    // 450 rows × 64 < 10 × 64² statistics; 899 × 64 ≥ them
    expect(fitChunkRows(1797, 'full', 10, 64)).toBe(899);
    expect(fitChunkRows(1797, 'diag', 10, 64)).toBe(450);
  });

  it('one chunk when even halves would be too small, or too large for their statistics', () => {
    expect(fitChunkRows(2 * MIN_CHUNK_ROWS - 2, 'full', 2, 2)).toBe(DEFAULT_CHUNK_ROWS);
    expect(fitChunkRows(2 * MIN_CHUNK_ROWS, 'full', 2, 2)).toBe(MIN_CHUNK_ROWS);
    expect(fitChunkRows(5000, 'full', 32, 500)).toBe(DEFAULT_CHUNK_ROWS);
    // quarters of 20,000 rows hold fewer values than k = 100 covariances, halves would exceed 8,192 rows: as before
    expect(fitChunkRows(20_000, 'full', 100, 100)).toBe(DEFAULT_CHUNK_ROWS);
  });
});

describe('countDistinctRows', () => {
  it('counts distinct rows, -0 equal to 0, stopping at the limit', () => {
    const m = matrixFromRows([[0, 1], [-0, 1], [2, 2], [2, 2], [3, 3]]);
    expect(countDistinctRows(m)).toBe(3);
    expect(countDistinctRows(m, 2)).toBe(2);
  });
});

describe('makeBlobs', () => {
  it('is deterministic per seed, labels round-robin, centers at least `separation` apart', () => {
    const a = makeBlobs({ rows: 90, dims: 3, k: 3, seed: 5, separation: 8, spread: 0.5 });
    const b = makeBlobs({ rows: 90, dims: 3, k: 3, seed: 5, separation: 8, spread: 0.5 });
    const c = makeBlobs({ rows: 90, dims: 3, k: 3, seed: 6, separation: 8, spread: 0.5 });
    expect(Buffer.from(a.data.data.buffer).equals(Buffer.from(b.data.data.buffer))).toBe(true);
    expect(Array.from(a.data.data)).not.toEqual(Array.from(c.data.data));
    expect(Array.from(a.labels.slice(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    for (let p = 0; p < 3; p++) {
      for (let q = 0; q < p; q++) {
        let d2 = 0;
        for (let j = 0; j < 3; j++) d2 += (a.centers[p * 3 + j] - a.centers[q * 3 + j]) ** 2;
        expect(Math.sqrt(d2)).toBeGreaterThanOrEqual(8);
      }
    }
    // rows scatter around their own center with sd = spread
    let ss = 0;
    for (let i = 0; i < 90; i++) for (let j = 0; j < 3; j++) ss += (a.data.data[i * 3 + j] - a.centers[a.labels[i] * 3 + j]) ** 2;
    expect(Math.sqrt(ss / 270)).toBeGreaterThan(0.35);
    expect(Math.sqrt(ss / 270)).toBeLessThan(0.65);
  });
  it('rejects bad sizes naming the parameter', () => {
    expect(() => makeBlobs({ rows: 10, dims: 0, k: 2, seed: 1 })).toThrow(/dims/);
    expect(() => makeBlobs({ rows: 10, dims: 2, k: 0, seed: 1 })).toThrow(/k must/);
  });
});

describe('Rng', () => {
  it('repeats per seed, differs across seeds, stays in range', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.slice(0, 5)).not.toEqual(Array.from({ length: 5 }, () => c.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    const ints = Array.from({ length: 1000 }, () => a.nextInt(7));
    expect(new Set(ints).size).toBe(7);
    expect(Math.max(...ints)).toBe(6);
  });
  it('normal() has mean 0 and variance 1', () => {
    const r = new Rng(1);
    const zs = Array.from({ length: 20000 }, () => r.normal());
    const mean = zs.reduce((s, x) => s + x, 0) / zs.length;
    const variance = zs.reduce((s, x) => s + (x - mean) ** 2, 0) / zs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
