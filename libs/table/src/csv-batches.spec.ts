import { readCsv, readCsvBatches, scanCsv } from './csv';
import { isVectorColumn } from './table';
import type { ColumnData, Table } from './types';

/** The table readCsv reads, as it is stored: a vector column whose text is kept becomes that text (writeParquet's rule). */
function stored(t: Table): { columns: ColumnData[]; keptText: string[] } {
  const keptText: string[] = [];
  const columns = t.columns.map((data, j) => {
    if (isVectorColumn(data) && data.text) {
      keptText.push(t.schema.columns[j].name);
      return [...data.text];
    }
    return isVectorColumn(data) ? data.values : data;
  });
  return { columns, keptText };
}

/** The batches readCsvBatches reads, concatenated column by column. */
async function batched(csv: string, batchRows: number): Promise<{ columns: ColumnData[]; rows: number; firsts: number[] }> {
  const scan = await scanCsv(csv);
  const parts: ColumnData[][] = [];
  const firsts: number[] = [];
  const rows = await readCsvBatches(csv, scan, batchRows, (batch, firstRow) => {
    firsts.push(firstRow);
    parts.push(batch.columns.map((data) => (isVectorColumn(data) ? data.values : data)));
  });
  const columns = scan.names.map((_, j) => {
    const pieces = parts.map((p) => p[j]);
    if (pieces[0] instanceof Float64Array) {
      const out = new Float64Array(pieces.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of pieces as Float64Array[]) out.set(p, (at += p.length) - p.length);
      return out;
    }
    return (pieces as string[][]).flat();
  });
  return { columns, rows, firsts };
}

/** scanCsv's schema and kept text, and readCsvBatches' rows, are readCsv's (values compared bit for bit: NaN, -0). */
async function expectSameAsWholeRead(csv: string, batchRows = 2): Promise<Table> {
  const whole = await readCsv(csv);
  const scan = await scanCsv(csv);
  expect(scan.schema).toEqual(whole.schema);
  expect(scan.rowCount).toBe(whole.rowCount);
  const expected = stored(whole);
  expect(scan.keptText).toEqual(expected.keptText);
  const got = await batched(csv, batchRows);
  expect(got.rows).toBe(whole.rowCount);
  got.columns.forEach((col, j) => {
    const want = expected.columns[j];
    if (want instanceof Float64Array) {
      expect(col).toBeInstanceOf(Float64Array);
      expect(Buffer.from((col as Float64Array).buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
    } else expect(col).toEqual(want);
  });
  return whole;
}

describe('scanCsv and readCsvBatches (a CSV read in batches, as readCsv reads it whole)', () => {
  it('dense vectors in canonical form: a vector column of numbers, with numbers and text beside it', async () => {
    const t = await expectSameAsWholeRead('id,v,x,name\n1,"1 2 3",0.5,ann\n2,"4 5 6",,bob lee\n3,"-0 1e-310 7",2,"c,d"\n4,"0.1 0.2 0.3",NaN,\n5,"1 1 1",3,e\n');
    expect(t.schema.columns[1]).toEqual({ name: 'v', type: 'vector', vectorSize: 3 });
    expect(t.schema.columns[2]).toEqual({ name: 'x', type: 'double', missing: 2 });
  });

  it('dense vectors with commas or extra spaces: the text is kept, the column still a vector column', async () => {
    const t = await expectSameAsWholeRead('v,w\n"1,2",1 2\n"3,4",3  4\n5 6,5 6\n');
    expect(t.schema.columns.map((c) => c.type)).toEqual(['vector', 'vector']);
  });

  it('kept text decided by the whole column: canonical batches after a non-canonical row still keep their text', async () => {
    await expectSameAsWholeRead('v\n"1,2"\n1 2\n3 4\n5 6\n7 8\n', 1);
  });

  it('sparse vectors: with sizes, without (padded to the largest index), mixed with dense rows', async () => {
    await expectSameAsWholeRead('s,u,m\n$5$0:1 3:2,0:1,1 2 3\n$5$4:1,2:5 1:1,$3$2:1\n$5$,0:2,0:1\n');
    const t = await readCsv('u\n0:1\n2:5 1:1\n');
    expect(t.schema.columns[0]).toEqual({ name: 'u', type: 'vector', vectorSize: 3 });
  });

  it('columns that stay text: a missing cell, a word, an empty vector, bare numbers only', async () => {
    const t = await expectSameAsWholeRead('a,b,c,d\n1 2,1 2,1 2,1\n,x y,$0$,2\n3 4,3 4,3 4,3\n');
    expect(t.schema.columns.map((c) => c.type)).toEqual(['string', 'string', 'string', 'long']);
  });

  it('a column of numbers with one vector row is a vector column (the numbers are vectors of one)', async () => {
    const whole = await readCsv('v\n1\n2\n1 2\n').then(() => undefined, (e: Error) => e.message);
    expect(whole).toBe('row 3, column v: vector has dimension 2 but row 1 has 1; every row needs the same dimension');
    await expect(scanCsv('v\n1\n2\n1 2\n')).rejects.toThrow(whole);
  });

  it('dimension errors name the same row and column as readCsv', async () => {
    for (const csv of ['v\n"1 2"\n"1 2"\n"1 2 3"\n"1"\n', 'v\n0:1\n$3$0:1\n5:1\n', 'v\n7:1\n1 2\n', 'v,w\n1 2,a\n1 2 3,b\n']) {
      const whole = await readCsv(csv).catch((e: unknown) => e);
      const scanned = await scanCsv(csv).catch((e: unknown) => e);
      expect(whole).toBeInstanceOf(Error);
      expect((scanned as Error).message).toBe((whole as Error).message);
      expect((scanned as { details?: unknown }).details).toEqual((whole as { details?: unknown }).details);
    }
    await expect(scanCsv('v\n1 2\n1 2 3\n')).rejects.toMatchObject({ details: { row: 2, column: 'v' } });
  });

  it('random columns of vector text read in batches of 1, 3 and 7 rows equal the whole read', async () => {
    let seed = 12;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cells = ['1 2', '3 4', '$2$0:1', '1:1', '0:2', '1,2', '-1.5 2e3', '0.1 0.2', ' 5 6', ''];
    for (let trial = 0; trial < 30; trial++) {
      const pick = cells.slice(0, 2 + Math.floor(rand() * (cells.length - 2)));
      const rows = Array.from({ length: 1 + Math.floor(rand() * 12) }, (_, r) => `${r},"${pick[Math.floor(rand() * pick.length)]}"`);
      const csv = `id,v\n${rows.join('\n')}\n`;
      const whole = await readCsv(csv).catch((e: Error) => e);
      if (whole instanceof Error) {
        await expect(scanCsv(csv)).rejects.toThrow(whole.message);
        continue;
      }
      for (const batch of [1, 3, 7]) await expectSameAsWholeRead(csv, batch);
    }
  });

  it('hands batches of at most batchRows rows with their first data row, and names file rows in cell errors', async () => {
    const csv = 'v,x\n1 2,1\n3 4,2\n5 6,3\n7 8,4\n9 9,5\n';
    expect((await batched(csv, 2)).firsts).toEqual([1, 3, 5]);
    const scan = await scanCsv(csv);
    const changed = 'v,x\n1 2,1\n3 4,2\n5 6,3\n7 8,z\n9 9,5\n';
    await expect(readCsvBatches(changed, scan, 2, () => undefined)).rejects.toThrow('data row 4, column "x": "z" is not an integer');
  });
});
