import type { RowPredictor } from '@mixflow/component-sdk';
import { csvField, csvHeader, formatOf, predictBatch, predictJsonRows, splitCsvLine } from './formats';

/** predicts the sum of a row's x and y; rows without a number x cannot be predicted */
const summing: RowPredictor = {
  predict(row) {
    const x = Number(row.x);
    if (!Number.isFinite(x)) throw new Error('x must be a number');
    return { ...row, sum: x + Number(row.y) };
  },
  outputColumns: (input) => [...input, 'sum'],
};

describe('serving formats', () => {
  it('splits CSV records on one line, with quoted fields', () => {
    expect(splitCsvLine('a,b,,c')).toEqual(['a', 'b', '', 'c']);
    expect(splitCsvLine('"1 2",x,"say ""hi"", ok"')).toEqual(['1 2', 'x', 'say "hi", ok']);
    expect(() => splitCsvLine('"open,1')).toThrow(/not closed/);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(null)).toBe('');
    expect(() => csvHeader('a,,b')).toThrow(/column 2 has no name/);
    expect(() => csvHeader('a,__proto__')).toThrow(/reserved/);
    expect(formatOf('application/x-ndjson; charset=utf-8')).toBe('ndjson');
    expect(formatOf('text/csv')).toBe('csv');
    expect(formatOf('text/plain')).toBeUndefined();
  });

  it('answers NDJSON line for line: a bad line gets an error naming its line, empty lines are skipped', () => {
    const out = predictBatch(summing, { format: 'ndjson', text: '{"x":1,"y":2}\n\n{"x":\n{"x":"a","y":1}\n{"x":3,"y":4}', firstLine: 10, tag: { modelId: 'm1' } });
    const lines = out.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { x: 1, y: 2, sum: 3, modelId: 'm1' },
      { error: expect.stringMatching(/^line 12: /), line: 12, modelId: 'm1' },
      { error: 'line 13: x must be a number', line: 13, modelId: 'm1' },
      { x: 3, y: 4, sum: 7, modelId: 'm1' },
    ]);
    expect(out).toMatchObject({ rows: 2, errors: 2 });
  });

  it('answers CSV with the output columns, the tag and an error column', () => {
    const out = predictBatch(summing, { format: 'csv', text: '1,2\r\na,1\n1,2,3\n', firstLine: 2, header: ['x', 'y'], tag: { modelId: 'm' } });
    expect(out.text.split('\n')).toEqual(['1,2,3,m,', ',,,m,line 3: x must be a number', ',,,m,line 4: the record has 3 fields but the header has 2 columns', '']);
  });

  it('answers a JSON batch whole, or names the first row that cannot be predicted', () => {
    expect(JSON.parse((predictJsonRows(summing, [{ x: 1, y: 1 }], undefined) as { text: string }).text)).toEqual({ rows: [{ x: 1, y: 1, sum: 2 }] });
    expect(predictJsonRows(summing, [{ x: 1, y: 1 }, { x: 'no' }], undefined)).toMatchObject({ row: 2 });
  });
});
