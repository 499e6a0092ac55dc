import { columnIndex, formatSchemaStr, parseSchemaStr } from './schema';

describe('parseSchemaStr (Alink schemaStr)', () => {
  it('maps Alink type names to column types', () => {
    expect(parseSchemaStr('features string, label int, id bigint, score double, w float, v vector, n long')).toEqual({
      columns: [
        { name: 'features', type: 'string' },
        { name: 'label', type: 'long' },
        { name: 'id', type: 'long' },
        { name: 'score', type: 'double' },
        { name: 'w', type: 'double' },
        { name: 'v', type: 'vector' },
        { name: 'n', type: 'long' },
      ],
    });
  });

  it('accepts upper case types, extra spaces and back-quoted names', () => {
    expect(parseSchemaStr('  `my col`  DOUBLE ,x  INT').columns).toEqual([
      { name: 'my col', type: 'double' },
      { name: 'x', type: 'long' },
    ]);
  });

  it('names the column with an unknown type', () => {
    expect(() => parseSchemaStr('a double, b timestamp')).toThrow('schemaStr column "b" has unknown type "timestamp"');
  });

  it('refuses entries without a type, duplicates and empty input', () => {
    expect(() => parseSchemaStr('a double, b')).toThrow(/entry 2 \("b"\) is not "name type"/);
    expect(() => parseSchemaStr('a double, a int')).toThrow(/"a" twice/);
    expect(() => parseSchemaStr(' ')).toThrow(/empty/);
  });

  it('round-trips through formatSchemaStr', () => {
    const schema = parseSchemaStr('features vector, label bigint, `a b` double');
    expect(parseSchemaStr(formatSchemaStr(schema))).toEqual(schema);
  });

  it('columnIndex finds a column or gives -1', () => {
    const schema = parseSchemaStr('a double, b string');
    expect(columnIndex(schema, 'b')).toBe(1);
    expect(columnIndex(schema, 'c')).toBe(-1);
  });
});
