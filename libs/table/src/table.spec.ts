import { parseSchemaStr } from './schema';
import { getColumn, rowsOf, tableFromColumns, tableFromRows, takeRows, withColumns } from './table';

const schema = parseSchemaStr('features vector, label long, name string');

describe('tableFromRows', () => {
  it('stores numeric columns as Float64Array and strings as arrays, and sizes vector columns', () => {
    const t = tableFromRows(
      [
        ['1 2', 0, 'a'],
        ['$2$1:5', '1', 'b'],
        [[3, 4], 2, 'c'],
      ],
      schema,
    );
    expect(t.rowCount).toBe(3);
    expect(t.columns[1]).toEqual(Float64Array.from([0, 1, 2]));
    expect(t.columns[0]).toEqual(['1 2', '$2$1:5', '3 4']);
    expect(t.schema.columns[0]).toEqual({ name: 'features', type: 'vector', vectorSize: 2 });
  });

  it('names row and column of a bad number', () => {
    expect(() => tableFromRows([['1 2', 0, 'a'], ['1 2', 'x', 'b']], schema)).toThrow('row 2, column "label": "x" is not a finite number');
    expect(() => tableFromRows([['1 2', 1.5, 'a']], schema)).toThrow('row 1, column "label": 1.5 is not an integer');
  });

  it('a missing number (null, NaN, or a missing-value string) is NaN, as in a CSV', () => {
    const t = tableFromRows([['1 2', null, 'a'], ['1 2', 'NA', 'b'], ['1 2', NaN, 'c'], ['1 2', '?', 'd'], ['1 2', 3, 'e']], schema);
    expect(Array.from(t.columns[1] as Float64Array)).toEqual([NaN, NaN, NaN, NaN, 3]);
  });

  it('names the row of a vector with another dimension', () => {
    expect(() => tableFromRows([['1 2', 0, 'a'], ['1 2 3', 0, 'b']], schema)).toThrow(/row 2.*features/);
  });

  it('names a row with the wrong number of values', () => {
    expect(() => tableFromRows([['1 2', 0]], schema)).toThrow('row 1 has 2 values but the schema has 3 columns');
  });
});

describe('tableFromColumns', () => {
  it('refuses columns of different lengths or the wrong kind', () => {
    const s = parseSchemaStr('a double, b string');
    expect(() => tableFromColumns(s, [Float64Array.of(1, 2), ['x']])).toThrow('column "b" has 1 rows but column "a" has 2');
    expect(() => tableFromColumns(s, [['1'], ['x']])).toThrow(/column "a" is double but its data is not a Float64Array/);
  });
});

describe('rowsOf', () => {
  const t = tableFromRows(
    [
      ['1 2', 0, 'a'],
      ['3 4', 1, 'b'],
      ['5 6', 2, 'c'],
    ],
    schema,
  );
  it('returns all rows by default and a window with offset/limit', () => {
    expect(rowsOf(t)).toEqual([
      ['1 2', 0, 'a'],
      ['3 4', 1, 'b'],
      ['5 6', 2, 'c'],
    ]);
    expect(rowsOf(t, 1, 1)).toEqual([['3 4', 1, 'b']]);
    expect(rowsOf(t, 2, 10)).toEqual([['5 6', 2, 'c']]);
    expect(rowsOf(t, 5)).toEqual([]);
  });
});

describe('withColumns', () => {
  const t = tableFromRows(
    [
      ['1 2', 0, 'a'],
      ['3 4', 1, 'b'],
    ],
    schema,
  );
  it('keeps the named columns in order and appends new ones', () => {
    const out = withColumns(t, ['name', 'features'], [{ schema: { name: 'cluster', type: 'long' }, data: Float64Array.of(7, 8) }]);
    expect(out.schema.columns.map((c) => c.name)).toEqual(['name', 'features', 'cluster']);
    expect(rowsOf(out)).toEqual([
      ['a', '1 2', 7],
      ['b', '3 4', 8],
    ]);
    expect(getColumn(out, 'features')).toBe(getColumn(t, 'features')); // shared, not copied
  });

  it('refuses an absent column, a clash and a wrong length', () => {
    expect(() => withColumns(t, ['nope'], [])).toThrow('column "nope" does not exist');
    expect(() => withColumns(t, ['name'], [{ schema: { name: 'name', type: 'string' }, data: ['x', 'y'] }])).toThrow(/already exists/);
    expect(() => withColumns(t, [], [{ schema: { name: 'c', type: 'long' }, data: Float64Array.of(1) }])).toThrow(/has 1 rows but the table has 2/);
  });
});

describe('takeRows', () => {
  it('picks rows in the given order, repeats included, keeping types, vectors and missing counts', () => {
    const t = tableFromRows(
      [
        [1, 'a', '1 2'],
        [null, 'b', '3 4'],
        [3, 'c', '5 6'],
      ],
      parseSchemaStr('n double, s string, v vector'),
    );
    const picked = takeRows(t, [2, 1, 1]);
    expect(rowsOf(picked)).toEqual([
      [3, 'c', '5 6'],
      [NaN, 'b', '3 4'],
      [NaN, 'b', '3 4'],
    ]);
    expect(picked.schema.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['n', 'double', 2],
      ['s', 'string', undefined],
      ['v', 'vector', undefined],
    ]);
    expect(takeRows(t, []).rowCount).toBe(0);
  });
});
