import { fillMissingCells, presentColumnMeans } from './missing';

/** 4 rows × 2 columns, row-major, with two missing cells */
const withGaps = { data: Float64Array.from([1, 10, NaN, 20, 3, NaN, 5, 40]), rows: 4, cols: 2 };

describe('mean imputation', () => {
  it('presentColumnMeans: each column over its present cells', () => {
    expect(presentColumnMeans(withGaps)).toEqual([3, (10 + 20 + 40) / 3]);
  });

  it('presentColumnMeans sums in row order, then divides once (no compensated or running mean): the bits both imputations store', () => {
    // (0.1 + 0.2) + 0.3 is 0.6000000000000001; summed the other way round it is 0.6, and a running (Welford) mean
    // gives 0.2 exactly
    const column = { data: Float64Array.from([0.1, NaN, 0.2, 0.3]), rows: 4, cols: 1 };
    expect(presentColumnMeans(column)).toEqual([0.20000000000000004]);
  });

  it('a column with no value at all has NaN for its mean (the caller names its parameter)', () => {
    expect(presentColumnMeans({ data: Float64Array.from([1, NaN, 2, NaN]), rows: 2, cols: 2 }).map(Number.isNaN)).toEqual([false, true]);
  });

  it('fillMissingCells fills a copy and counts the rows that had a missing cell', () => {
    const means = presentColumnMeans(withGaps);
    const { filled, filledRows } = fillMissingCells(withGaps, means);
    expect(filledRows).toBe(2);
    expect(Array.from(filled.data)).toEqual([1, 10, 3, 20, 3, 70 / 3, 5, 40]);
    expect([filled.rows, filled.cols]).toEqual([4, 2]);
    // where the engine's threads read it, without another copy
    expect(filled.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    // the input is left as it was
    expect(Number.isNaN(withGaps.data[2])).toBe(true);
  });

  it('fillMissingCells refuses fill values of another length', () => {
    expect(() => fillMissingCells(withGaps, [1])).toThrow('1 fill values for 2 columns');
  });
});
