import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readCsv, tableToCsv, writeCsvAtomic } from './csv';
import { TableError } from './errors';
import { rowsOf, tableFromRows } from './table';
import { parseSchemaStr } from './schema';

describe('readCsv', () => {
  it('empty, NaN, null, NA and ? cells keep a numeric column numeric, hold NaN, and are counted in the schema', async () => {
    const t = await readCsv('eruptions,waiting,name\n3.6,79,a\n1.8,,b\nNaN,62,c\n2.2, null ,d\nna,?,e\n4.5,85,\n');
    expect(t.schema.columns).toEqual([
      { name: 'eruptions', type: 'double', missing: 2 },
      { name: 'waiting', type: 'long', missing: 3 },
      { name: 'name', type: 'string' },
    ]);
    expect(Array.from(t.columns[1] as Float64Array)).toEqual([79, NaN, 62, NaN, NaN, 85]);
    // a column of missing cells only has no numbers to be numeric
    expect((await readCsv('a,b\n,1\nNA,2\n')).schema.columns[0]).toEqual({ name: 'a', type: 'string' });
    // written back, a missing number is an empty cell, which reads as missing again
    expect(tableToCsv(t).split('\n')[2]).toBe('1.8,,b');
    expect((await readCsv(tableToCsv(t))).schema).toEqual(t.schema);
  });

  it('infers long, double, vector and string columns', async () => {
    const t = await readCsv('id,x,features,name,sparse\n1,0.5,"1 2 3",ann,$4$0:1 3:2\n2,-1e3,"4,5,6",bob smith,$4$1:1\n');
    expect(t.schema.columns).toEqual([
      { name: 'id', type: 'long' },
      { name: 'x', type: 'double' },
      { name: 'features', type: 'vector', vectorSize: 3 },
      { name: 'name', type: 'string' },
      { name: 'sparse', type: 'vector', vectorSize: 4 },
    ]);
    expect(t.columns[0]).toEqual(Float64Array.of(1, 2));
    expect(t.columns[1]).toEqual(Float64Array.of(0.5, -1000));
    expect(rowsOf(t, 1)).toEqual([[2, -1000, '4,5,6', 'bob smith', '$4$1:1']]);
  });

  it('makes a column with one non-number a string column', async () => {
    const t = await readCsv('a,b\n1,2\nx,3\n');
    expect(t.schema.columns.map((c) => c.type)).toEqual(['string', 'long']);
  });

  it('names the data row with the wrong number of fields', async () => {
    await expect(readCsv('a,b\n1,2\n3,4\n5\n')).rejects.toThrow('data row 3 has 1 fields but the header has 2');
    await expect(readCsv('a,b\n1,2\n3,4,5\n')).rejects.toMatchObject({ details: { row: 2 } });
  });

  it('names row and column of a vector whose dimension differs', async () => {
    const err = await readCsv('v\n"1 2"\n"1 2"\n"1 2 3"\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TableError);
    expect((err as TableError).message).toMatch(/row 3, column v: vector has dimension 3 but row 1 has 2/);
    expect((err as TableError).details).toEqual({ row: 3, column: 'v' });
  });

  it('requires a header and refuses empty or repeated names', async () => {
    await expect(readCsv(Readable.from(['']))).rejects.toThrow(/empty; the first line must be a header/);
    await expect(readCsv('a,a\n1,2\n')).rejects.toThrow(/"a" twice/);
    await expect(readCsv('a,\n1,2\n')).rejects.toThrow(/field 2 is empty/);
  });

  it('streams from a Readable in small chunks', async () => {
    const text = 'x,y\n' + Array.from({ length: 500 }, (_, i) => `${i},${i / 2}`).join('\n') + '\n';
    const chunks = text.match(/[\s\S]{1,7}/g) as string[];
    const t = await readCsv(Readable.from(chunks));
    expect(t.rowCount).toBe(500);
    expect((t.columns[1] as Float64Array)[499]).toBe(249.5);
  });

  it('refuses input above maxBytes', async () => {
    await expect(readCsv('a\n' + '1\n'.repeat(1000), { maxBytes: 100 })).rejects.toThrow(/larger than the limit of 100 bytes/);
  });

  it('uses a given schema and names the cell that does not fit it', async () => {
    const schema = parseSchemaStr('a double, b string');
    const t = await readCsv('a,b\n1,2\n', { schema });
    expect(t.schema.columns[1].type).toBe('string');
    await expect(readCsv('a,b\n1,2\nz,3\n', { schema })).rejects.toThrow('data row 2, column "a": "z" is not a number');
  });

  it('reads a file path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixflow-csv-'));
    try {
      const file = join(dir, 'in.csv');
      const t = tableFromRows([['1 2', 3]], parseSchemaStr('v vector, n long'));
      await writeCsvAtomic(t, file);
      const back = await readCsv(file);
      expect(rowsOf(back)).toEqual([['1 2', 3]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing file as a TableError', async () => {
    await expect(readCsv('/nonexistent/mixflow.csv')).rejects.toBeInstanceOf(TableError);
  });
});

describe('writing CSV', () => {
  const t = tableFromRows(
    [
      ['1 2', 0.1, 'plain'],
      ['3 4', -2, 'with, comma and "quote"'],
    ],
    parseSchemaStr('features vector, x double, note string'),
  );

  it('quotes fields that need it and round-trips', async () => {
    const text = tableToCsv(t);
    expect(text).toBe('features,x,note\n1 2,0.1,plain\n3 4,-2,"with, comma and ""quote"""\n');
    const back = await readCsv(text);
    expect(rowsOf(back)).toEqual(rowsOf(t));
  });

  it('writes atomically: the target appears whole and no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixflow-csv-'));
    try {
      const file = join(dir, 'out.csv');
      await writeCsvAtomic(t, file);
      expect(readFileSync(file, 'utf8')).toBe(tableToCsv(t));
      expect(readdirSync(dir)).toEqual(['out.csv']);
      await expect(writeCsvAtomic(t, join(dir, 'missing-dir', 'x.csv'))).rejects.toThrow();
      expect(readdirSync(dir)).toEqual(['out.csv']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
