import { TableError } from './errors';
import { extractFeatures } from './features';
import { parseSchemaStr } from './schema';
import { tableFromColumns, tableFromRows } from './table';

const t = tableFromRows(
  [
    ['1 2', 1, 10, 'a'],
    ['$2$1:5', 2, 20, 'b'],
    ['3,4', 3, 30, 'c'],
  ],
  parseSchemaStr('features vector, x double, y long, name string'),
);

describe('extractFeatures', () => {
  it('parses a vector column (dense and sparse) into a row-major matrix', () => {
    const m = extractFeatures(t, { vectorCol: 'features' });
    expect([m.rows, m.cols]).toEqual([3, 2]);
    expect(Array.from(m.data)).toEqual([1, 2, 0, 5, 3, 4]);
  });

  it('reads numeric feature columns in the given order', () => {
    const m = extractFeatures(t, { featureCols: ['y', 'x'] });
    expect([m.rows, m.cols]).toEqual([3, 2]);
    expect(Array.from(m.data)).toEqual([10, 1, 20, 2, 30, 3]);
  });

  it('names a missing column', () => {
    expect(() => extractFeatures(t, { vectorCol: 'nope' })).toThrow(/vector column "nope" does not exist/);
    expect(() => extractFeatures(t, { featureCols: ['x', 'z'] })).toThrow(/feature column "z" does not exist/);
  });

  it('refuses a numeric column as vector column and a string column as feature column', () => {
    expect(() => extractFeatures(t, { vectorCol: 'x' })).toThrow(/column "x" is double, not a vector column/);
    expect(() => extractFeatures(t, { featureCols: ['name'] })).toThrow(/feature column "name" is string, not numeric/);
  });

  it('names the row and column of an unparseable vector in a string column', () => {
    const s = tableFromRows([['1 2'], ['1 x']], parseSchemaStr('features string'));
    let caught: unknown;
    try {
      extractFeatures(s, { vectorCol: 'features' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TableError);
    expect((caught as TableError).message).toMatch(/row 2/);
    expect((caught as TableError).details).toEqual({ row: 2, column: 'features' });
  });

  it('names the row of a non-finite value; a missing one (NaN) is named as missing', () => {
    const inf = tableFromColumns(parseSchemaStr('x double'), [Float64Array.of(1, Infinity)]);
    expect(() => extractFeatures(inf, { featureCols: ['x'] })).toThrow('row 2, column "x": Infinity is not a finite number');
    const s = tableFromColumns(parseSchemaStr('eruptions double, waiting double'), [Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(1, 2, 3, 4, 5, NaN)]);
    expect(() => extractFeatures(s, { featureCols: ['eruptions', 'waiting'] })).toThrow(/^row 6, column "waiting" is empty: a missing value; set missingValues to drop or mean/);
    expect(() => extractFeatures(s, { featureCols: ['eruptions', 'waiting'] })).toThrow(expect.objectContaining({ details: { row: 6, column: 'waiting' } }));
    // allowed, the cell stays NaN for the caller's policy
    expect(Array.from(extractFeatures(s, { featureCols: ['eruptions', 'waiting'] }, 'allow').data.subarray(10))).toEqual([6, NaN]);
  });

  it('a missing vector cell is an error naming its row, or (allowed) a row of NaN; parse errors keep the table row', () => {
    const s = tableFromRows([['1 2'], ['?'], [''], ['3 4']], parseSchemaStr('v string'));
    expect(() => extractFeatures(s, { vectorCol: 'v' })).toThrow(/^row 2, column "v" is missing \("\?"\): a missing value/);
    expect(Array.from(extractFeatures(s, { vectorCol: 'v' }, 'allow').data)).toEqual([1, 2, NaN, NaN, NaN, NaN, 3, 4]);
    const bad = tableFromRows([['1 2'], ['NA'], ['3 4 5']], parseSchemaStr('v string'));
    expect(() => extractFeatures(bad, { vectorCol: 'v' }, 'allow')).toThrow(expect.objectContaining({ details: { row: 3, column: 'v' } }));
  });

  it('requires exactly one of vectorCol and featureCols', () => {
    expect(() => extractFeatures(t, {})).toThrow('set Vector column or Feature columns (numeric), one of them and not both');
    expect(() => extractFeatures(t, { vectorCol: 'features', featureCols: ['x'] })).toThrow(/not both/);
  });
});
