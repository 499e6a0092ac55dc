import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCsv } from './csv';
import { readCsvPage } from './csv-page';
import { rowsOf } from './table';

describe('readCsvPage', () => {
  let dir: string;
  let file: string;
  const rowCount = 20_000;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-csv-page-'));
    file = path.join(dir, 'data.csv');
    const lines = ['features,x,n,name'];
    for (let i = 0; i < rowCount; i++) lines.push(`"${i / 7} ${-i}",${i / 3},${i},"name, ${i}"`);
    fs.writeFileSync(file, lines.join('\n') + '\n\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the rows readCsv + rowsOf give, for pages at the start, the middle and past the end', async () => {
    const table = await readCsv(file);
    for (const [offset, limit] of [
      [0, 50],
      [2, 3],
      [rowCount - 10, 1000],
      [rowCount + 5, 10],
    ]) {
      const page = await readCsvPage(file, table.schema, offset, limit);
      expect(page.rows).toEqual(rowsOf(table, offset, limit));
    }
  });

  it('stops reading once the page is complete', async () => {
    const table = await readCsv(file);
    const size = fs.statSync(file).size;
    const first = await readCsvPage(file, table.schema, 0, 10);
    expect(first.rows).toHaveLength(10);
    // one stream chunk (64 KiB) is enough for ten rows; the file is several times larger
    expect(size).toBeGreaterThan(4 * 65536);
    expect(first.bytesRead).toBeLessThanOrEqual(65536);
    const last = await readCsvPage(file, table.schema, rowCount - 1, 10);
    expect(last.bytesRead).toBe(size);
  });

  it('names the row and column of a value that does not fit the schema', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'a,b\n1,2\n3,x\n');
    const schema = { columns: [{ name: 'a', type: 'long' as const }, { name: 'b', type: 'double' as const }] };
    expect((await readCsvPage(bad, schema, 0, 1)).rows).toEqual([[1, 2]]);
    await expect(readCsvPage(bad, schema, 0, 2)).rejects.toThrow('data row 2, column "b": "x" is not a number');
  });

  it('reads missing numeric cells as readCsv does (NaN), instead of refusing the page', async () => {
    const gaps = path.join(dir, 'gaps.csv');
    fs.writeFileSync(gaps, 'a,b\n1,\nNA,2.5\n?,null\n');
    const table = await readCsv(gaps);
    const page = await readCsvPage(gaps, table.schema, 0, 10);
    expect(page.rows).toEqual(rowsOf(table, 0, 10));
    expect(page.rows).toEqual([[1, NaN], [NaN, 2.5], [NaN, NaN]]);
  });
});
