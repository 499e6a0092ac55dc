/**
 * Stored datasets as Parquet files. Every path here is one the server made (never a string of a request); these
 * functions open an unsandboxed engine because they read and write the data folder. Numbers are DOUBLE or BIGINT
 * (a missing number is NULL), text VARCHAR, a vector column DOUBLE[] — or its Alink text (VARCHAR) when the text
 * is kept (VectorColumn.text: sparse or non-canonical cells), which the dataset's schema says is a vector column.
 */

import {
  cellOf,
  csvStoredSchema,
  isNumericType,
  isVectorColumn,
  parseVectors,
  readCsvBatches,
  tableFromColumns,
  TableError,
  vectorColumn,
  type ColumnData,
  type ColumnSchema,
  type CsvScan,
  type Table,
  type TableSchema,
} from '@mixflow/table';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataEngine, type DataEngineOptions } from './engine';
import { DuckDBTypeId } from '@duckdb/node-api';
import { columnTypeOf, quoteIdent, quoteLiteral, resultToTable } from './tables';

/** Engine settings for the data folder's work: a memory ceiling and a spill folder, so big files stream. */
export type StoreEngineOptions = Pick<DataEngineOptions, 'memoryLimit' | 'threads' | 'tempDirectory'>;

/** A stored file that is gone is the file system's ENOENT error (DuckDB would say only that no file matches). */
async function stored(path: string): Promise<string> {
  await access(path);
  return path;
}

async function withEngine<T>(options: StoreEngineOptions, work: (engine: DataEngine) => Promise<T>): Promise<T> {
  const engine = await DataEngine.open({ memoryLimit: options.memoryLimit ?? '256MB', threads: options.threads, tempDirectory: options.tempDirectory });
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

/** Parquet written with row groups of this many rows: the unit a chunked reader fetches. */
export const PARQUET_ROW_GROUP_ROWS = 65_536;

function copyTo(select: string, path: string): string {
  return `COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet, ROW_GROUP_SIZE ${PARQUET_ROW_GROUP_ROWS})`;
}

/** Writes a table as Parquet at `path` (a vector column whose text is kept is stored as that text). */
export async function writeParquet(table: Table, path: string, options: StoreEngineOptions = {}): Promise<void> {
  const columns: ColumnData[] = table.columns.map((data) => (isVectorColumn(data) && data.text ? [...data.text] : data));
  const schema: TableSchema = {
    columns: table.schema.columns.map((c, j) => (isVectorColumn(table.columns[j]) && (table.columns[j] as { text?: unknown }).text ? { name: c.name, type: 'string' } : c)),
  };
  const plain = { schema, rowCount: table.rowCount, columns };
  await withEngine(options, async (engine) => {
    await engine.load('t', plain);
    await engine.run(copyTo('SELECT * FROM t', path));
  });
}

/** SQL for "this text is a missing cell" (libs/table's isMissingCell: empty, NaN, null, NA, ? in any case). */
function missingSql(col: string): string {
  return `(${col} IS NULL OR lower(trim(${col})) IN ('', 'nan', 'null', 'na', '?'))`;
}

/**
 * Converts a CSV to Parquet with the types one streaming pass (libs/table's scanCsv) inferred; DuckDB reads the
 * CSV as text and casts each column, so the rows are never all in memory. Returns the rows written, which the
 * caller compares with the scan's count.
 */
export async function csvToParquet(csvPath: string, scan: CsvScan, path: string, options: StoreEngineOptions = {}): Promise<number> {
  if (scan.schema.columns.some((c) => c.type === 'vector')) throw new TableError('csvToParquet converts CSVs without vector columns; use csvBatchesToParquet');
  const schema = scan.schema;
  const columnsArg = `{${scan.names.map((n) => `${quoteLiteral(n)}: 'VARCHAR'`).join(', ')}}`;
  const source =
    `read_csv(${quoteLiteral(csvPath)}, header = true, auto_detect = false, columns = ${columnsArg}, delim = ',', quote = '"', ` +
    `escape = '"', all_varchar = true, null_padding = false, strict_mode = true)`;
  const select = schema.columns
    .map((c) => {
      const col = quoteIdent(c.name);
      if (c.type === 'long') return `CASE WHEN ${missingSql(col)} THEN NULL ELSE CAST(trim(${col}) AS BIGINT) END AS ${col}`;
      if (c.type === 'double') return `CASE WHEN ${missingSql(col)} THEN NULL ELSE CAST(trim(${col}) AS DOUBLE) END AS ${col}`;
      return `coalesce(${col}, '') AS ${col}`;
    })
    .join(', ');
  return withEngine(options, async (engine) => {
    await engine.run(copyTo(`SELECT ${select} FROM ${source}`, path));
    const [{ n }] = await engine.rows(`SELECT count(*) AS n FROM read_parquet(${quoteLiteral(path)})`);
    return Number(n);
  });
}

/** Rows csvBatchesToParquet parses and appends at a time: the most of a CSV's rows held in memory. */
export const CSV_BATCH_ROWS = 16_384;

/**
 * Converts a scanned CSV to Parquet through libs/table's own reading (readCsvBatches: readCsv's cells, vector
 * columns parsed as readCsv parses them, a kept-text vector column as its text), a batch of rows at a time appended
 * to a table of a temporary DuckDB database on disk beside `path`, which DuckDB then copies to Parquet in row order.
 * Memory is independent of the file's size: a batch in JavaScript, DuckDB's memory_limit, the rest on disk.
 * Returns the rows written. For CSVs with vector columns (whose parsing DuckDB cannot do), and any CSV DuckDB counts
 * differently.
 */
export async function csvBatchesToParquet(
  csvPath: string,
  scan: CsvScan,
  path: string,
  options: StoreEngineOptions & { batchRows?: number } = {},
): Promise<number> {
  const folder = await mkdtemp(join(dirname(path), '.csv-rows-'));
  try {
    const engine = await DataEngine.open({
      path: join(folder, 'rows.duckdb'),
      memoryLimit: options.memoryLimit ?? '256MB',
      threads: options.threads,
      tempDirectory: options.tempDirectory,
    });
    try {
      const appender = await engine.appender('t', csvStoredSchema(scan));
      let rows: number;
      try {
        rows = await readCsvBatches(csvPath, scan, options.batchRows ?? CSV_BATCH_ROWS, (batch) => appender.append(batch));
      } finally {
        appender.close();
      }
      await engine.run(copyTo('SELECT * FROM t', path));
      return rows;
    } finally {
      engine.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The formats DuckDB reads besides CSV: Parquet, and JSON (JSON lines, or one array of records). */
export type ColumnarFormat = 'parquet' | 'jsonl';

function reader(format: ColumnarFormat, path: string): string {
  return format === 'parquet' ? `read_parquet(${quoteLiteral(path)})` : `read_json(${quoteLiteral(path)}, format = 'auto')`;
}

/**
 * Converts a Parquet or JSON-lines file to our Parquet with Alink types (integers → BIGINT, floating → DOUBLE, a
 * list of numbers of one length → a vector, anything else → text). Returns the schema (vector sizes, missing
 * counts) and row count. A file DuckDB cannot read is its SqlError.
 */
export async function fileToParquet(
  source: string,
  format: ColumnarFormat,
  path: string,
  options: StoreEngineOptions = {},
): Promise<{ schema: TableSchema; rowCount: number }> {
  return withEngine(options, async (engine) => {
    const from = reader(format, source);
    const described = await engine.stream(`SELECT * FROM ${from} LIMIT 0`);
    const names = described.columnNames();
    const seen = new Set<string>();
    for (const n of names) {
      if (n.trim() === '') throw new TableError('a column has an empty name; every column needs one');
      if (seen.has(n)) throw new TableError(`the file names column "${n}" twice; column names must be unique`, { column: n });
      seen.add(n);
    }
    const types = names.map((_, j) => columnTypeOf(described.columnType(j)));
    // a list column is a vector only when every row has one, of one length
    for (let j = 0; j < names.length; j++) {
      if (types[j] !== 'vector') continue;
      const col = quoteIdent(names[j]);
      const [r] = await engine.rows(`SELECT count(*) FILTER (WHERE ${col} IS NULL) AS nulls, min(len(${col})) AS lo, max(len(${col})) AS hi FROM ${from}`);
      if (Number(r.nulls) > 0 || r.lo !== r.hi || Number(r.lo) === 0) types[j] = 'string';
    }
    const select = names
      .map((n, j) => {
        const col = quoteIdent(n);
        const t = types[j];
        if (t === 'long') return `CAST(${col} AS BIGINT) AS ${col}`;
        if (t === 'double') return `CAST(${col} AS DOUBLE) AS ${col}`;
        if (t === 'vector') return `CAST(${col} AS DOUBLE[]) AS ${col}`;
        return `coalesce(CAST(${col} AS VARCHAR), '') AS ${col}`;
      })
      .join(', ');
    await engine.run(copyTo(`SELECT ${select} FROM ${from}`, path));
    const stored = quoteLiteral(path);
    const counts = names.map((n, j) => {
      const col = quoteIdent(n);
      if (types[j] === 'vector') return `max(len(${col})) AS ${quoteIdent(`d${j}`)}`;
      return isNumericType(types[j]) ? `count(*) - count(${col}) AS ${quoteIdent(`m${j}`)}` : `0 AS ${quoteIdent(`m${j}`)}`;
    });
    const [r] = await engine.rows(`SELECT count(*) AS n${counts.length ? ', ' + counts.join(', ') : ''} FROM read_parquet(${stored})`);
    const columns: ColumnSchema[] = names.map((name, j) => {
      const c: ColumnSchema = { name, type: types[j] };
      if (types[j] === 'vector') c.vectorSize = Number(r[`d${j}`]);
      else if (Number(r[`m${j}`]) > 0) c.missing = Number(r[`m${j}`]);
      return c;
    });
    return { schema: { columns }, rowCount: Number(r.n) };
  });
}

/** The stored columns as the dataset's schema says: a vector column stored as its text is parsed (the text kept). */
function asSchema(read: Table, schema: TableSchema): Table {
  const columns = schema.columns.map((c, j): ColumnData => {
    const data = read.columns[j];
    if (c.type === 'vector' && Array.isArray(data)) {
      const dense = parseVectors(data, c.name);
      return vectorColumn(dense.data, dense.rows, dense.cols, data);
    }
    return data;
  });
  return tableFromColumns(schema, columns);
}

function checkStoredColumns(names: readonly string[], schema: TableSchema, path: string): void {
  const expected = schema.columns.map((c) => c.name);
  if (names.join('\u0000') !== expected.join('\u0000')) {
    throw new TableError(`the stored file ${path.split(/[\\/]/).pop()} has columns (${names.join(', ')}), not the dataset's (${expected.join(', ')})`);
  }
}

/** The whole stored table, read a data chunk at a time, with the dataset's schema (missing counts, vector sizes). */
export async function readParquetTable(
  path: string,
  schema: TableSchema,
  options: StoreEngineOptions & { rowCount?: number; onRows?: (rows: number) => void } = {},
): Promise<Table> {
  await stored(path);
  return withEngine(options, async (engine) => {
    const result = await engine.stream(`SELECT * FROM read_parquet(${quoteLiteral(path)})`);
    checkStoredColumns(result.columnNames(), schema, path);
    return asSchema(await resultToTable(result, options.rowCount, options.onRows), schema);
  });
}

/** The columns readParquetRows reads: numeric columns (one value each), or one vector column of `dims` values. */
export type RowColumns = { columns: readonly string[] } | { vectorCol: string; dims: number };

/** A batch of rows: `rows` × cols values, row-major (a missing value is NaN); `firstRow` is its 0-based position in the file. */
export type RowBatch = (values: Float64Array, rows: number, firstRow: number) => void | Promise<void>;

/**
 * Reads the stored rows of `columns` in file order, one DuckDB data chunk (at most 2,048 rows) at a time, as
 * row-major batches of numbers handed to `onBatch` (a view valid until it returns): the rows are never all in
 * memory, which is what training on a table bigger than memory needs. Returns the rows read, or undefined when the
 * columns cannot be read as numbers this way (a vector column stored as its text: sparse or non-canonical cells).
 */
export async function readParquetRows(
  path: string,
  columns: RowColumns,
  onBatch: RowBatch,
  options: StoreEngineOptions & { signal?: AbortSignal } = {},
): Promise<number | undefined> {
  await stored(path);
  return withEngine(options, async (engine) => {
    const from = `read_parquet(${quoteLiteral(path)})`;
    let select: string[];
    if ('vectorCol' in columns) {
      const col = quoteIdent(columns.vectorCol);
      const described = await engine.stream(`SELECT ${col} FROM ${from} LIMIT 0`);
      const type = described.columnType(0).typeId;
      if (type !== DuckDBTypeId.LIST && type !== DuckDBTypeId.ARRAY) return undefined;
      // DuckDB lists are 1-based
      select = Array.from({ length: columns.dims }, (_, j) => `CAST(${col}[${j + 1}] AS DOUBLE)`);
    } else {
      select = columns.columns.map((c) => `CAST(${quoteIdent(c)} AS DOUBLE)`);
    }
    const d = select.length;
    const onAbort = () => engine.interrupt();
    options.signal?.addEventListener('abort', onAbort);
    try {
      const result = await engine.stream(`SELECT ${select.join(', ')} FROM ${from}`);
      let buffer = new Float64Array(0);
      let read = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const n = chunk.rowCount;
        if (buffer.length < n * d) buffer = new Float64Array(n * d);
        for (let j = 0; j < d; j++) {
          const vector = chunk.getColumnVector(j) as unknown as { getItem(i: number): number | null };
          for (let i = 0; i < n; i++) buffer[i * d + j] = vector.getItem(i) ?? NaN;
        }
        await onBatch(buffer.subarray(0, n * d), n, read);
        read += n;
      }
      return read;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  });
}

/** Rows [offset, offset + limit) as cells (numbers, strings, a vector's Alink text; a missing number is NaN). */
export async function parquetPage(path: string, schema: TableSchema, offset: number, limit: number, options: StoreEngineOptions = {}): Promise<(string | number)[][]> {
  await stored(path);
  return withEngine(options, async (engine) => {
    const result = await engine.stream(`SELECT * FROM read_parquet(${quoteLiteral(path)}) LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`);
    checkStoredColumns(result.columnNames(), schema, path);
    const page = asSchema(await resultToTable(result), schema);
    const rows: (string | number)[][] = [];
    for (let r = 0; r < page.rowCount; r++) rows.push(page.columns.map((col) => cellOf(col, r)));
    return rows;
  });
}

/** Statistics of one column, computed by DuckDB over the stored file at upload. */
export interface ColumnStats {
  name: string;
  /** present values */
  count: number;
  /** missing values (NULL numbers, empty text) */
  missing: number;
  /** numbers: the least and greatest; text: the first and last in byte order */
  min?: number | string;
  max?: number | string;
  /** numbers only */
  mean?: number;
  /** numbers only: the sample standard deviation (n − 1) */
  std?: number;
  /** an estimate of the number of distinct values (HyperLogLog) */
  distinct?: number;
}

/** Per-column statistics of a stored file: one scan. */
export async function parquetStats(path: string, schema: TableSchema, options: StoreEngineOptions = {}): Promise<ColumnStats[]> {
  if (schema.columns.length === 0) return [];
  const parts: string[] = [];
  schema.columns.forEach((c, j) => {
    const col = quoteIdent(c.name);
    const a = (k: string) => quoteIdent(`${k}${j}`);
    if (isNumericType(c.type)) {
      parts.push(
        `count(${col}) AS ${a('c')}`, `count(*) - count(${col}) AS ${a('m')}`, `min(${col}) AS ${a('lo')}`, `max(${col}) AS ${a('hi')}`,
        `avg(${col}) AS ${a('mean')}`, `stddev_samp(${col}) AS ${a('std')}`, `approx_count_distinct(${col}) AS ${a('d')}`,
      );
    } else if (c.type === 'vector') {
      parts.push(`count(${col}) FILTER (WHERE ${col} IS NOT NULL AND CAST(${col} AS VARCHAR) <> '') AS ${a('c')}`, `count(*) FILTER (WHERE ${col} IS NULL OR CAST(${col} AS VARCHAR) = '') AS ${a('m')}`, `approx_count_distinct(${col}) AS ${a('d')}`);
    } else {
      parts.push(
        `count(*) FILTER (WHERE ${col} <> '') AS ${a('c')}`, `count(*) FILTER (WHERE ${col} IS NULL OR ${col} = '') AS ${a('m')}`,
        `min(${col}) FILTER (WHERE ${col} <> '') AS ${a('lo')}`, `max(${col}) FILTER (WHERE ${col} <> '') AS ${a('hi')}`,
        `approx_count_distinct(${col}) FILTER (WHERE ${col} <> '') AS ${a('d')}`,
      );
    }
  });
  return withEngine(options, async (engine) => {
    const [r] = await engine.rows(`SELECT ${parts.join(', ')} FROM read_parquet(${quoteLiteral(path)})`);
    return schema.columns.map((c, j) => {
      const s: ColumnStats = { name: c.name, count: Number(r[`c${j}`]), missing: Number(r[`m${j}`]) };
      const v = (k: string) => r[`${k}${j}`];
      if (v('lo') !== undefined && v('lo') !== null) s.min = typeof v('lo') === 'number' ? (v('lo') as number) : String(v('lo'));
      if (v('hi') !== undefined && v('hi') !== null) s.max = typeof v('hi') === 'number' ? (v('hi') as number) : String(v('hi'));
      if (typeof v('mean') === 'number') s.mean = v('mean') as number;
      if (typeof v('std') === 'number') s.std = v('std') as number;
      if (v('d') !== undefined && v('d') !== null) s.distinct = Number(v('d'));
      return s;
    });
  });
}

/** Writes the stored table as CSV at `csvPath` (header line; a missing number empty; a vector as its Alink text). */
export async function parquetToCsv(path: string, schema: TableSchema, csvPath: string, options: StoreEngineOptions = {}): Promise<void> {
  await stored(path);
  await withEngine(options, async (engine) => {
    const from = `read_parquet(${quoteLiteral(path)})`;
    const described = await engine.stream(`SELECT * FROM ${from} LIMIT 0`);
    checkStoredColumns(described.columnNames(), schema, path);
    const select = schema.columns
      .map((c, j) => {
        const col = quoteIdent(c.name);
        // DOUBLE[] as Alink's dense text, values separated by spaces; a vector kept as its text is VARCHAR already
        const list = c.type === 'vector' && columnTypeOf(described.columnType(j)) === 'vector';
        return list ? `array_to_string(CAST(${col} AS VARCHAR[]), ' ') AS ${col}` : col;
      })
      .join(', ');
    await engine.run(`COPY (SELECT ${select || '*'} FROM ${from}) TO ${quoteLiteral(csvPath)} (FORMAT csv, HEADER true)`);
  });
}

