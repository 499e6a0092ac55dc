import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv, scanCsv, tableFromRows, vectorColumn, tableFromColumns, type Table } from '@mixflow/table';
import { DataEngine } from './engine';
import { SqlError } from './errors';
import { csvBatchesToParquet, csvToParquet, fileToParquet, parquetPage, parquetStats, parquetToCsv, readParquetRows, readParquetTable, writeParquet } from './parquet';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mixflow-parquet-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const table: Table = tableFromRows(
  [
    [1, 0.5, 'a', '1 2'],
    [2, NaN, 'b', '3 4'],
    [3, 2.5, '', '5 6'],
  ],
  {
    columns: [
      { name: 'id', type: 'long' },
      { name: 'x', type: 'double', missing: 1 },
      { name: 's', type: 'string' },
      { name: 'v', type: 'vector' },
    ],
  },
);

describe('Parquet store', () => {
  it('writes a table and reads it back with its schema', async () => {
    const p = join(dir, 'a.parquet');
    await writeParquet(table, p);
    const back = await readParquetTable(p, table.schema);
    expect(back.schema).toEqual(table.schema);
    expect(Array.from(back.columns[0] as Float64Array)).toEqual([1, 2, 3]);
    expect(Number.isNaN((back.columns[1] as Float64Array)[1])).toBe(true);
    expect(back.columns[2]).toEqual(['a', 'b', '']);
    expect(back.columns[3]).toMatchObject({ kind: 'vectors', dims: 2 });
    expect(Array.from((back.columns[3] as { values: Float64Array }).values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await parquetPage(p, table.schema, 1, 5)).toEqual([[2, NaN, 'b', '3 4'], [3, 2.5, '', '5 6']]);
  });

  it('tells the rows read so far as it reads, a data chunk at a time', async () => {
    const rows = 10_000;
    const p = join(dir, 'rows.parquet');
    await writeParquet(tableFromColumns({ columns: [{ name: 'x', type: 'double' }] }, [Float64Array.from({ length: rows }, (_, i) => i)]), p);
    const seen: number[] = [];
    const back = await readParquetTable(p, { columns: [{ name: 'x', type: 'double' }] }, { rowCount: rows, onRows: (n) => seen.push(n) });
    expect(back.rowCount).toBe(rows);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(rows);
    seen.slice(1).forEach((n, i) => expect(n).toBeGreaterThan(seen[i]));
  });

  it('keeps a sparse vector column as the text it was given', async () => {
    const sparse = tableFromColumns({ columns: [{ name: 'v', type: 'vector' }] }, [vectorColumn(new Float64Array([0, 1, 2, 0]), 2, 2, ['$2$1:1', '$2$0:2'])]);
    const p = join(dir, 'sparse.parquet');
    await writeParquet(sparse, p);
    const back = await readParquetTable(p, sparse.schema);
    expect(back.columns[0]).toMatchObject({ dims: 2, text: ['$2$1:1', '$2$0:2'] });
  });

  it('computes per-column statistics', async () => {
    const p = join(dir, 'stats.parquet');
    await writeParquet(table, p);
    const stats = await parquetStats(p, table.schema);
    expect(stats[0]).toEqual({ name: 'id', count: 3, missing: 0, min: 1, max: 3, mean: 2, std: 1, distinct: 3 });
    expect(stats[1]).toMatchObject({ name: 'x', count: 2, missing: 1, min: 0.5, max: 2.5, mean: 1.5 });
    expect(stats[1].std).toBeCloseTo(Math.SQRT2, 12);
    expect(stats[2]).toMatchObject({ name: 's', count: 2, missing: 1, min: 'a', max: 'b', distinct: 2 });
    expect(stats[3]).toMatchObject({ name: 'v', count: 3, missing: 0 });
  });

  it('converts a CSV with the types one streaming scan inferred, as readCsv infers them', async () => {
    const csv = join(dir, 'in.csv');
    writeFileSync(csv, 'id,x,name\n1,0.5,ann lee\n2,NA,bob\n3,?,"c, d"\n');
    const scan = await scanCsv(csv);
    expect(scan.mayHoldVectors).toBe(false);
    expect(scan.schema).toEqual((await readCsv(csv)).schema);
    const p = join(dir, 'in.parquet');
    expect(await csvToParquet(csv, scan, p)).toBe(3);
    const back = await readParquetTable(p, scan.schema!);
    expect(back.columns[2]).toEqual(['ann lee', 'bob', 'c, d']);
    expect(Array.from(back.columns[1] as Float64Array).map((v) => (Number.isNaN(v) ? null : v))).toEqual([0.5, null, null]);
  });

  it('reports a column that may hold vectors, infers it in a second pass, and leaves it to csvBatchesToParquet', async () => {
    const csv = join(dir, 'vec.csv');
    writeFileSync(csv, 'v,name\n1 2,ann lee\n3 4,bob\n');
    const scan = await scanCsv(csv);
    expect(scan.mayHoldVectors).toBe(true);
    expect(scan.schema.columns).toEqual([{ name: 'v', type: 'vector', vectorSize: 2 }, { name: 'name', type: 'string' }]);
    await expect(csvToParquet(csv, scan, join(dir, 'vec.parquet'))).rejects.toThrow(/use csvBatchesToParquet/);
  });

  it('converts CSVs with vector columns in batches to the very Parquet the whole read writes: dense, sparse, kept text, missing cells', async () => {
    const csvs = {
      dense: 'id,v,x\n1,"1 2 3",0.5\n2,"4 5 6",\n3,"-0 1e-310 7",NaN\n4,"0.1 0.2 0.3",2\n5,"1 1 1",3\n',
      sparse: 's,u\n$5$0:1 3:2,0:1\n$5$4:1,2:5 1:1\n$5$,0:2\n$5$1:-2.5,1:1\n',
      mixed: 'v,w,name\n"1,2",1 2,ann lee\n3 4,3 4,bob\n5 6,$2$1:1,c\n7 8,7 8,d\n',
      missing: 'v,w,n\n1 2,1 2,1\n,3 4,\n5 6,NaN,3\n7 8,7 8,?\n',
    };
    const engine = await DataEngine.open();
    try {
      for (const [name, text] of Object.entries(csvs)) {
        const csv = join(dir, `${name}-vec.csv`);
        writeFileSync(csv, text);
        const whole = await readCsv(csv);
        const expected = join(dir, `${name}-whole.parquet`);
        await writeParquet(whole, expected);
        const scan = await scanCsv(csv);
        expect(scan.schema).toEqual(whole.schema);
        const got = join(dir, `${name}-batches.parquet`);
        expect(await csvBatchesToParquet(csv, scan, got, { batchRows: 2 })).toBe(whole.rowCount);
        const described = async (p: string) => (await engine.rows(`DESCRIBE SELECT * FROM read_parquet('${p}')`)).map((r) => [r.column_name, r.column_type]);
        expect(await described(got)).toEqual(await described(expected));
        // every value, in row order, as text that shows every bit of a double (NULL apart from empty text and NaN)
        const cells = (p: string) =>
          engine.rows(`SELECT row_number() OVER () AS r, to_json(t) AS j FROM read_parquet('${p}') t`).then((rows) => rows.map((r) => String(r.j)));
        expect(await cells(got)).toEqual(await cells(expected));
        expect(await readParquetTable(got, scan.schema)).toEqual(await readParquetTable(expected, whole.schema));
        expect(await parquetStats(got, scan.schema)).toEqual(await parquetStats(expected, whole.schema));
      }
    } finally {
      engine.close();
    }
  });

  it('converts JSON lines with Alink types, lists of numbers as vectors', async () => {
    const src = join(dir, 'in.jsonl');
    writeFileSync(src, '{"a":1,"b":1.5,"c":"x","v":[1,2]}\n{"a":2,"b":null,"c":"y","v":[3,4]}\n');
    const p = join(dir, 'json.parquet');
    const { schema, rowCount } = await fileToParquet(src, 'jsonl', p);
    expect(rowCount).toBe(2);
    expect(schema.columns).toEqual([
      { name: 'a', type: 'long' },
      { name: 'b', type: 'double', missing: 1 },
      { name: 'c', type: 'string' },
      { name: 'v', type: 'vector', vectorSize: 2 },
    ]);
    const out = join(dir, 'json.csv');
    await parquetToCsv(p, schema, out);
    expect(readFileSync(out, 'utf8')).toBe('a,b,c,v\n1,1.5,x,1.0 2.0\n2,,y,3.0 4.0\n');
  });

  it('reads a .json file holding one JSON array of records (pretty-printed) as the same rows as JSON lines', async () => {
    const src = join(dir, 'array.json');
    writeFileSync(src, '[\n  {"a": 1, "b": 1.5, "c": "x", "v": [1, 2]},\n  {"a": 2, "b": null, "c": "y", "v": [3, 4]}\n]\n');
    const p = join(dir, 'array.parquet');
    const { schema, rowCount } = await fileToParquet(src, 'jsonl', p);
    expect(rowCount).toBe(2);
    expect(schema.columns.map((c) => c.type)).toEqual(['long', 'double', 'string', 'vector']);
    const out = join(dir, 'array.csv');
    await parquetToCsv(p, schema, out);
    expect(readFileSync(out, 'utf8')).toBe('a,b,c,v\n1,1.5,x,1.0 2.0\n2,,y,3.0 4.0\n');
  });

  it('refuses a file that is not Parquet with DuckDB naming the problem', async () => {
    const src = join(dir, 'bad.parquet');
    writeFileSync(src, 'this is not parquet');
    const err = await fileToParquet(src, 'parquet', join(dir, 'bad-out.parquet')).catch((e) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect(err.message).toMatch(/parquet/i);
  });
});

describe('readParquetRows', () => {
  it('reads numeric columns in file order a data chunk at a time, across row groups, a missing value as NaN', async () => {
    const rows = 140_000; // three row groups of 65,536 rows
    const x = Float64Array.from({ length: rows }, (_, i) => i + 0.25);
    const y = Float64Array.from({ length: rows }, (_, i) => (i === 70_000 ? NaN : -i));
    const big = tableFromColumns({ columns: [{ name: 'x', type: 'double' }, { name: 'y', type: 'double', missing: 1 }, { name: 'n', type: 'long' }] }, [x, y, Float64Array.from(x, Math.floor)]);
    const p = join(dir, 'rows.parquet');
    await writeParquet(big, p);
    const sizes: number[] = [];
    let next = 0;
    let ordered = true;
    let missingAt = -1;
    const read = await readParquetRows(p, { columns: ['y', 'x'] }, (values, n, firstRow) => {
      sizes.push(n);
      if (firstRow !== next) ordered = false;
      for (let i = 0; i < n; i++) {
        const r = firstRow + i;
        if (values[i * 2 + 1] !== r + 0.25) ordered = false;
        if (Number.isNaN(values[i * 2])) missingAt = r;
      }
      next += n;
    });
    expect(read).toBe(rows);
    expect(ordered).toBe(true);
    expect(missingAt).toBe(70_000);
    // memory-bounded: no batch holds more than one DuckDB data chunk
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2048);
    expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(rows / 2048));
  });

  it('reads a vector column stored as numbers, and answers undefined for one stored as its text', async () => {
    const p = join(dir, 'vectors.parquet');
    await writeParquet(table, p);
    const values: number[] = [];
    expect(await readParquetRows(p, { vectorCol: 'v', dims: 2 }, (batch, n) => void values.push(...batch.subarray(0, n * 2)))).toBe(3);
    expect(values).toEqual([1, 2, 3, 4, 5, 6]);
    const sparse = tableFromColumns({ columns: [{ name: 'v', type: 'vector' }] }, [vectorColumn(new Float64Array([0, 1, 2, 0]), 2, 2, ['$2$1:1', '$2$0:2'])]);
    const q = join(dir, 'text-vectors.parquet');
    await writeParquet(sparse, q);
    expect(await readParquetRows(q, { vectorCol: 'v', dims: 2 }, () => undefined)).toBeUndefined();
  });
});
