import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { writeFileAtomic } from './atomic-file';
import { TableError } from './errors';
import { numericCell } from './cells';
import { isMissingCell } from './missing';
import { isNumericType } from './schema';
import { cellOf, tableFromColumns, vectorColumn } from './table';
import type { ColumnData, ColumnSchema, ColumnType, Table, TableSchema } from './types';
import { parseVectorColumn, parseVectors, VectorColumnScan, type DenseRows } from './vectors';

export interface ReadCsvOptions {
  /** refuse input larger than this many bytes (the API's upload limit) */
  maxBytes?: number;
  /** skip inference and use these column types; the header must name the same columns in the same order */
  schema?: TableSchema;
}

const INTEGER = /^[+-]?\d+$/;
/** the characters an Alink vector cell can hold (digits, signs, points, exponents, separators, the sparse `$n$` and `i:v`) */
const VECTOR_TEXT = /^[0-9eE+\-.,:$\s]+$/;

/**
 * The type a column of CSV text holds, and a vector column's numbers: long when every value is an integer,
 * double when every value is a finite number, vector when every value is an Alink vector string (dense with
 * spaces/commas, or sparse) and not all are bare numbers, string otherwise. Missing cells (isMissingCell: empty,
 * NaN, null, NA, ?) do not count against a numeric type; a column with no other value, like an empty column, is a
 * string column, and so is a column of vectors with a missing cell. A vector column whose rows differ in
 * dimension is an error naming the row, not a string column. Each vector is parsed once, here.
 */
function inferColumn(values: readonly string[], name: string): { type: ColumnType; vectors?: DenseRows } {
  if (values.length === 0) return { type: 'string' };
  let allInteger = true;
  let allNumber = true;
  let present = 0;
  for (const v of values) {
    const t = v.trim();
    if (isMissingCell(t)) continue;
    present++;
    if (!Number.isFinite(Number(t))) {
      allNumber = false;
      break;
    }
    if (!INTEGER.test(t) || !Number.isSafeInteger(Number(t))) allInteger = false;
  }
  if (allNumber && present > 0) return { type: allInteger ? 'long' : 'double' };
  // at least one value must hold more than a bare number, and every value must parse on its own
  if (!values.some((v) => /[\s,:$]/.test(v.trim()))) return { type: 'string' };
  const vectors = parseVectorColumn(values, name, { lenient: true });
  return vectors ? { type: 'vector', vectors } : { type: 'string' };
}

export function inferColumnType(values: readonly string[]): ColumnType {
  return inferColumn(values, 'the column').type;
}

/** Infers a schema (with vector sizes) from header names and string columns. */
export function inferSchema(names: readonly string[], columns: readonly (readonly string[])[]): TableSchema {
  return { columns: names.map((name, j) => schemaOf(name, columns[j], inferColumn(columns[j], name))) };
}

function schemaOf(name: string, values: readonly string[], inferred: { type: ColumnType; vectors?: DenseRows }): ColumnSchema {
  const c: ColumnSchema = { name, type: inferred.type };
  if (inferred.vectors) c.vectorSize = inferred.vectors.cols;
  if (isNumericType(inferred.type)) {
    const missing = values.reduce((n, v) => (isMissingCell(v) ? n + 1 : n), 0);
    if (missing > 0) c.missing = missing;
  }
  return c;
}

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') throw new TableError(`the CSV header's field ${i + 1} is empty; every column needs a name in the first line`);
    if (seen.has(name)) throw new TableError(`the CSV header names column "${name}" twice; column names must be unique`, { column: name });
    seen.add(name);
  });
  return names;
}

/** The columns as the schema says: numbers, strings, and vector columns as numbers (`vectors[j]` when already parsed). */
function toColumns(names: string[], raw: string[][], schema: TableSchema, vectors: (DenseRows | undefined)[] = [], firstRow = 1): ColumnData[] {
  return schema.columns.map((c, j) => {
    const values = raw[j];
    if (c.type === 'vector') {
      const dense = vectors[j] ?? parseVectors(values, names[j]);
      if (c.vectorSize !== undefined && dense.rows > 0 && dense.cols !== c.vectorSize) {
        throw new TableError(`column "${names[j]}": the vectors have ${dense.cols} values but the schema says ${c.vectorSize}`, { column: names[j] });
      }
      return vectorColumn(dense.data, dense.rows, dense.cols, values);
    }
    if (!isNumericType(c.type)) return values;
    const out = new Float64Array(values.length);
    for (let r = 0; r < values.length; r++) out[r] = numericCell(values[r], c.type as 'double' | 'long', firstRow + r, names[j]);
    return out;
  });
}

/** csv-parse's options for every stored CSV we read: readCsv and readCsvPage must count rows alike. */
export const CSV_PARSE_OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false } as const;

/** Throws when a CSV's header is not exactly the expected column names, in order. */
export function checkExpectedHeader(found: readonly string[], expected: readonly string[]): void {
  if (found.join('\u0000') !== expected.join('\u0000')) {
    throw new TableError(`the CSV header (${found.join(', ')}) does not match the expected columns (${expected.join(', ')})`);
  }
}

/**
 * Streams CSV records (csv-parse, so a large file is never held as one string): the checked header names once,
 * then each data record with its 1-based row number, after its field count was checked against the header.
 * Resolves with the header names; errors are TableErrors naming the data row.
 */
async function streamCsv(
  source: string | NodeJS.ReadableStream,
  o: { maxBytes?: number },
  onHeader: (names: string[]) => void,
  onRow: (record: string[], row: number) => void,
): Promise<string[]> {
  const input: NodeJS.ReadableStream =
    typeof source !== 'string' ? source : /[\r\n]/.test(source) ? Readable.from([source]) : createReadStream(source);
  const parser = parse(CSV_PARSE_OPTIONS);
  let names: string[] | undefined;
  let bytes = 0;
  let row = 0;

  const done = new Promise<void>((resolve, reject) => {
    const fail = (err: unknown): void => {
      (input as Readable).unpipe?.(parser);
      parser.destroy();
      reject(err);
    };
    input.on('data', (chunk: Buffer | string) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (o.maxBytes !== undefined && bytes > o.maxBytes) {
        fail(new TableError(`the CSV is larger than the limit of ${o.maxBytes} bytes; split it or raise the limit`));
      }
    });
    input.on('error', (err: Error) => fail(new TableError(`cannot read the CSV: ${err.message}`)));
    parser.on('readable', () => {
      let record: string[] | null;
      try {
        while ((record = parser.read() as string[] | null) !== null) {
          if (!names) {
            names = checkHeader(record);
            onHeader(names);
            continue;
          }
          row++;
          if (record.length !== names.length) {
            throw new TableError(`data row ${row} has ${record.length} fields but the header has ${names.length} (${names.join(', ')})`, { row });
          }
          onRow(record, row);
        }
      } catch (err) {
        fail(err);
      }
    });
    parser.on('error', (err: Error & { lines?: number }) =>
      fail(err instanceof TableError ? err : new TableError(`the CSV cannot be parsed near data row ${Math.max(1, row + 1)}: ${err.message}`, { row: row + 1 })),
    );
    parser.on('end', () => resolve());
  });
  input.pipe(parser as unknown as NodeJS.WritableStream);
  await done;
  if (!names) throw new TableError('the CSV is empty; the first line must be a header naming the columns');
  return names;
}

/**
 * Reads CSV with a header line into a columnar table, streaming (csv-parse) so large files are never held
 * as one string. `source` is a file path, CSV text (any string with a line break), or a readable stream.
 * Errors name the 1-based data row (the line after the header is row 1) and the column.
 */
export async function readCsv(source: string | NodeJS.ReadableStream, o: ReadCsvOptions = {}): Promise<Table> {
  let raw: string[][] = [];
  const headerNames = await streamCsv(
    source,
    o,
    (names) => (raw = names.map(() => [])),
    (record) => {
      for (let j = 0; j < record.length; j++) raw[j].push(record[j]);
    },
  );
  if (o.schema) {
    checkExpectedHeader(headerNames, o.schema.columns.map((c) => c.name));
    return tableFromColumns(o.schema, toColumns(headerNames, raw, o.schema));
  }
  const inferred = headerNames.map((name, j) => inferColumn(raw[j], name));
  const schema = { columns: headerNames.map((name, j) => schemaOf(name, raw[j], inferred[j])) };
  return tableFromColumns(schema, toColumns(headerNames, raw, schema, inferred.map((c) => c.vectors)));
}

/** What a scan of a CSV found without keeping its rows: see scanCsv. */
export interface CsvScan {
  /** the inferred schema (with missing counts and vector sizes), as readCsv infers it */
  schema: TableSchema;
  names: string[];
  rowCount: number;
  /**
   * Some column is not numeric, has vector separators (space, comma, colon, `$`) and no character a vector cannot
   * hold: it may be a vector column, which took a second pass over the file to infer (dimensions, sparse forms).
   */
  mayHoldVectors: boolean;
  /**
   * The vector columns whose cells are not all in formatVector's canonical form (sparse cells, other spacing or
   * number forms): readCsv keeps their text (VectorColumn.text), and they are stored as that text.
   */
  keptText: string[];
}

/**
 * Streaming passes over a CSV that keep no rows: the header and field-count checks and the type inference of
 * readCsv (long, double, string, vector; missing cells counted; vector sizes and dimension errors), in memory
 * independent of the rows. A CSV with a column that may hold vectors is read a second time, parsing that column's
 * cells with readCsv's vector rules (VectorColumnScan, beside parseVectorColumn).
 */
export async function scanCsv(source: string | NodeJS.ReadableStream, o: { maxBytes?: number } = {}): Promise<CsvScan> {
  interface State { allInteger: boolean; allNumber: boolean; present: number; missing: number; separators: boolean; vectorText: boolean }
  let states: State[] = [];
  let rowCount = 0;
  const names = await streamCsv(
    source,
    o,
    (header) => (states = header.map(() => ({ allInteger: true, allNumber: true, present: 0, missing: 0, separators: false, vectorText: true }))),
    (record, row) => {
      rowCount = row;
      for (let j = 0; j < record.length; j++) {
        const st = states[j];
        const t = record[j].trim();
        if (isMissingCell(t)) {
          st.missing++;
          continue;
        }
        st.present++;
        if (!st.separators && /[\s,:$]/.test(t)) st.separators = true;
        // a vector cell holds only finite numbers and separators: any other letter makes the column text
        if (st.vectorText && !VECTOR_TEXT.test(t)) st.vectorText = false;
        if (!st.allNumber) continue;
        const n = Number(t);
        if (!Number.isFinite(n)) st.allNumber = false;
        else if (st.allInteger && (!INTEGER.test(t) || !Number.isSafeInteger(n))) st.allInteger = false;
      }
    },
  );
  const numeric = states.map((st) => st.allNumber && st.present > 0);
  const candidates = states.map((st, j) => !numeric[j] && st.separators && st.vectorText);
  const mayHoldVectors = candidates.some((c) => c);
  const dims: (number | undefined)[] = [];
  const keptText: string[] = [];
  if (mayHoldVectors) {
    if (typeof source !== 'string') throw new TableError('a CSV that may hold vectors is read twice; give its path or text, not a stream');
    const scans = names.map((name, j) => (candidates[j] ? new VectorColumnScan(name) : undefined));
    await streamCsv(source, o, () => undefined, (record) => {
      for (let j = 0; j < record.length; j++) scans[j]?.add(record[j]);
    });
    scans.forEach((scan, j) => {
      dims[j] = scan?.finish();
      if (dims[j] !== undefined && !scan!.canonical) keptText.push(names[j]);
    });
  }
  const columns: ColumnSchema[] = names.map((name, j) => {
    const st = states[j];
    if (dims[j] !== undefined) return { name, type: 'vector', vectorSize: dims[j] };
    if (!numeric[j]) return { name, type: 'string' };
    const c: ColumnSchema = { name, type: st.allInteger ? 'long' : 'double' };
    if (st.missing > 0) c.missing = st.missing;
    return c;
  });
  return { schema: { columns }, names, rowCount, mayHoldVectors, keptText };
}

/** The columns as a scanned CSV is stored: a vector column whose text is kept (CsvScan.keptText) as that text. */
export function csvStoredSchema(scan: CsvScan): TableSchema {
  return { columns: scan.schema.columns.map((c) => (scan.keptText.includes(c.name) ? { name: c.name, type: 'string' } : c)) };
}

/**
 * Reads a scanned CSV again in batches of at most `batchRows` rows, each a table with csvStoredSchema's columns
 * (numbers as readCsv reads them, vector columns parsed, a kept-text vector column as its cells' text) handed to
 * `onBatch` before the next is read: the rows are never all in memory. Returns the rows read. Errors name the
 * data row (counted from the file's first) and the column.
 */
export async function readCsvBatches(
  source: string,
  scan: CsvScan,
  batchRows: number,
  onBatch: (batch: Table, firstRow: number) => void,
): Promise<number> {
  const schema = csvStoredSchema(scan);
  const width = schema.columns.length;
  let raw: string[][] = Array.from({ length: width }, () => []);
  let firstRow = 1;
  let rows = 0;
  const flush = (): void => {
    const n = raw[0]?.length ?? 0;
    const table = tableFromColumns(schema, toColumns(scan.names, raw, schema, [], firstRow));
    raw = Array.from({ length: width }, () => []);
    onBatch(table, firstRow);
    firstRow += n;
  };
  const names = await streamCsv(
    source,
    {},
    (header) => checkExpectedHeader(header, scan.names),
    (record, row) => {
      for (let j = 0; j < record.length; j++) raw[j].push(record[j]);
      rows = row;
      if (row - firstRow + 1 >= batchRows) flush();
    },
  );
  if (names.length > 0 && (raw[0].length > 0 || rows === 0)) flush();
  return rows;
}

function quoteField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function headerLine(table: Table): string {
  return table.schema.columns.map((c) => quoteField(c.name)).join(',');
}

/** Row r as a CSV line (no line break); numbers in JavaScript's shortest round-trip form, a missing number (NaN) empty. */
function rowLine(table: Table, r: number): string {
  return table.columns.map((col) => {
    const cell = cellOf(col, r);
    return typeof cell === 'number' && Number.isNaN(cell) ? '' : quoteField(String(cell));
  }).join(',');
}

/** The table as CSV text: a header line, then one line per row. */
export function tableToCsv(table: Table): string {
  const lines: string[] = [headerLine(table)];
  for (let r = 0; r < table.rowCount; r++) lines.push(rowLine(table, r));
  return lines.join('\n') + '\n';
}

/** Writes the table as CSV to a temporary file beside `path`, then renames it, so readers never see half a file. */
export async function writeCsvAtomic(table: Table, path: string): Promise<void> {
  await writeFileAtomic(path, async (handle) => {
    await handle.write(headerLine(table) + '\n');
    const batch = 10000;
    for (let start = 0; start < table.rowCount; start += batch) {
      const end = Math.min(table.rowCount, start + batch);
      let text = '';
      for (let r = start; r < end; r++) text += rowLine(table, r) + '\n';
      await handle.write(text);
    }
  });
}
