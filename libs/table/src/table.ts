import { TableError } from './errors';
import { isMissingCell } from './missing';
import { columnIndex, isNumericType } from './schema';
import type { ColumnData, ColumnSchema, Table, TableSchema, VectorColumn } from './types';
import { formatVector, parseVectors } from './vectors';

export function isVectorColumn(data: ColumnData): data is VectorColumn {
  return !(data instanceof Float64Array) && !Array.isArray(data) && data.kind === 'vectors';
}

/**
 * A vector column of numbers (rows × dims, row-major). `text` is the cells' text they were parsed from: kept when
 * some cell differs from its canonical form (see VectorColumn.text), dropped otherwise.
 */
export function vectorColumn(values: Float64Array, rows: number, dims: number, text?: readonly string[]): VectorColumn {
  if (values.length !== rows * dims) throw new TableError(`a vector column of ${rows} rows × ${dims} needs ${rows * dims} values, got ${values.length}`);
  const column: VectorColumn = { kind: 'vectors', length: rows, dims, values };
  if (!text) return column;
  if (text.length !== rows) throw new TableError(`a vector column of ${rows} rows has ${text.length} texts`);
  for (let r = 0; r < rows; r++) {
    if (text[r] !== formatVector(values.subarray(r * dims, (r + 1) * dims))) return { ...column, text };
  }
  return column;
}

/** Row r's cell: a number, a string, or a vector column's Alink text (the form CSV and JSON pages show). */
export function cellOf(data: ColumnData, r: number): string | number {
  if (isVectorColumn(data)) return data.text ? data.text[r] : formatVector(data.values.subarray(r * data.dims, (r + 1) * data.dims));
  return data[r];
}

/** Converts one cell to what its column holds; `row` is 1-based for messages. */
function toNumber(value: unknown, column: ColumnSchema, row: number): number {
  // a missing cell (null, NaN, or a missing-value string) is NaN, as a CSV's would be
  if (value === null || value === undefined || (typeof value === 'string' && isMissingCell(value))) return NaN;
  if (typeof value === 'number' && Number.isNaN(value)) return NaN;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n)) {
    throw new TableError(`row ${row}, column "${column.name}": ${JSON.stringify(value)} is not a finite number (the column is ${column.type})`, {
      row,
      column: column.name,
    });
  }
  if (column.type === 'long' && !Number.isInteger(n)) {
    throw new TableError(`row ${row}, column "${column.name}": ${n} is not an integer (the column is long)`, { row, column: column.name });
  }
  return n;
}

function toText(value: unknown, column: ColumnSchema, row: number): string {
  if (column.type === 'vector' && (Array.isArray(value) || ArrayBuffer.isView(value))) {
    return formatVector(value as ArrayLike<number>);
  }
  if (value === null || value === undefined) {
    throw new TableError(`row ${row}, column "${column.name}": the value is missing`, { row, column: column.name });
  }
  return String(value);
}

/**
 * The dimension every value of a vector column has (parseVectors' rules: dense rows and `$n$` headers fix it,
 * sparse rows without a header are padded); throws naming the 1-based row whose dimension differs.
 */
export function vectorColumnSize(values: readonly string[], column: string): number {
  return parseVectors(values, column).cols;
}

function checkSchema(schema: TableSchema): void {
  const seen = new Set<string>();
  for (const c of schema.columns) {
    if (seen.has(c.name)) throw new TableError(`column "${c.name}" appears twice; column names must be unique`, { column: c.name });
    seen.add(c.name);
  }
}

/**
 * Builds a table from row arrays (one value per schema column). Numbers may be given as numbers or
 * numeric strings; vector cells as Alink strings or number arrays. Vector columns get their vectorSize.
 */
export function tableFromRows(rows: readonly (readonly unknown[])[], schema: TableSchema): Table {
  checkSchema(schema);
  const n = rows.length;
  const columns: ColumnData[] = schema.columns.map((c) => (isNumericType(c.type) ? new Float64Array(n) : new Array<string>(n)));
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (row.length !== schema.columns.length) {
      throw new TableError(`row ${r + 1} has ${row.length} values but the schema has ${schema.columns.length} columns`, { row: r + 1 });
    }
    schema.columns.forEach((c, j) => {
      if (isNumericType(c.type)) (columns[j] as Float64Array)[r] = toNumber(row[j], c, r + 1);
      else (columns[j] as string[])[r] = toText(row[j], c, r + 1);
    });
  }
  return tableFromColumns(schema, columns);
}

/**
 * Wraps columns as a table after checking that every column has the schema's kind and the same length.
 * Vector columns without a vectorSize get one (and are checked for consistent dimension).
 */
/**
 * A stored dataset as a table whose rows are not loaded (Table.unloaded): a component that reads the rows itself, a
 * chunk at a time, never holds them all. Reading its columns is an error saying so.
 */
export function unloadedTable(schema: TableSchema, rowCount: number, datasetId: string): Table {
  const table = { schema, rowCount, origin: { datasetId }, unloaded: true as const };
  return Object.defineProperty(table, 'columns', {
    enumerable: false,
    get(): never {
      throw new TableError(`the rows of dataset '${datasetId}' are not loaded here: a component that reads them itself got them; load the dataset to read its columns`);
    },
  }) as Table;
}

export function tableFromColumns(schema: TableSchema, columns: ColumnData[]): Table {
  checkSchema(schema);
  if (columns.length !== schema.columns.length) {
    throw new TableError(`the schema has ${schema.columns.length} columns but ${columns.length} columns of data were given`);
  }
  const rowCount = columns.length > 0 ? columns[0].length : 0;
  const outSchema: ColumnSchema[] = schema.columns.map((c, j) => {
    const data = columns[j];
    const numeric = isNumericType(c.type);
    if (numeric !== data instanceof Float64Array || (isVectorColumn(data) && c.type !== 'vector')) {
      const expected = numeric ? 'a Float64Array' : c.type === 'vector' ? 'a vector column or a string array' : 'a string array';
      throw new TableError(`column "${c.name}" is ${c.type} but its data is not ${expected}`, { column: c.name });
    }
    if (isVectorColumn(data)) {
      if (c.vectorSize !== undefined && c.vectorSize !== data.dims) {
        throw new TableError(`column "${c.name}" has vectorSize ${c.vectorSize} in the schema but its vectors have ${data.dims} values`, { column: c.name });
      }
    }
    if (data.length !== rowCount) {
      throw new TableError(`column "${c.name}" has ${data.length} rows but column "${schema.columns[0].name}" has ${rowCount}`, { column: c.name });
    }
    if (c.type === 'vector' && c.vectorSize === undefined && rowCount > 0) {
      return { ...c, vectorSize: isVectorColumn(data) ? data.dims : vectorColumnSize(data as string[], c.name) };
    }
    return { ...c };
  });
  return { schema: { columns: outSchema }, rowCount, columns };
}

/** Rows [offset, offset + limit) as arrays of cells (numbers for numeric columns, strings otherwise). */
export function rowsOf(table: Table, offset = 0, limit = Infinity): (string | number)[][] {
  const start = Math.max(0, Math.min(offset, table.rowCount));
  const end = Math.min(table.rowCount, start + Math.max(0, limit));
  const out: (string | number)[][] = [];
  for (let r = start; r < end; r++) out.push(table.columns.map((col) => cellOf(col, r)));
  return out;
}

/** The column's data by name; throws a TableError naming the column (and the ones there are) when absent. */
export function getColumn(table: Table, name: string): ColumnData {
  const i = columnIndex(table.schema, name);
  if (i < 0) {
    throw new TableError(`column "${name}" does not exist; the table has ${table.schema.columns.map((c) => `"${c.name}"`).join(', ')}`, {
      column: name,
    });
  }
  return table.columns[i];
}

/**
 * A new table with the `keep` columns (in that order, shared not copied) followed by `extra` columns.
 * Throws when a kept column is absent, an extra column's length differs, or a name would appear twice.
 */
export function withColumns(table: Table, keep: string[], extra: { schema: ColumnSchema; data: ColumnData }[]): Table {
  const schema: ColumnSchema[] = [];
  const data: ColumnData[] = [];
  for (const name of keep) {
    const i = columnIndex(table.schema, name);
    if (i < 0) throw new TableError(`column "${name}" does not exist in the input table`, { column: name });
    schema.push(table.schema.columns[i]);
    data.push(table.columns[i]);
  }
  for (const e of extra) {
    if (e.data.length !== table.rowCount) {
      throw new TableError(`new column "${e.schema.name}" has ${e.data.length} rows but the table has ${table.rowCount}`, { column: e.schema.name });
    }
    if (schema.some((c) => c.name === e.schema.name)) {
      throw new TableError(`column "${e.schema.name}" already exists in the output; choose another output column name`, { column: e.schema.name });
    }
    schema.push(e.schema);
    data.push(e.data);
  }
  const result = tableFromColumns({ columns: schema }, data);
  // a table with no columns still has the input's rows
  return schema.length === 0 ? { ...result, rowCount: table.rowCount } : result;
}

/**
 * A new table of the given rows of `table`, in the order given (a row may repeat: sampling with replacement).
 * Every column keeps its type; a vector column keeps its numbers (and its text when it had one).
 */
export function takeRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  const columns: ColumnData[] = table.columns.map((data) => {
    if (data instanceof Float64Array) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = data[rows[i]];
      return out;
    }
    if (isVectorColumn(data)) {
      const d = data.dims;
      const values = new Float64Array(n * d);
      for (let i = 0; i < n; i++) values.set(data.values.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
      return vectorColumn(values, n, d, data.text ? Array.from({ length: n }, (_, i) => data.text![rows[i]]) : undefined);
    }
    return Array.from({ length: n }, (_, i) => data[rows[i]]);
  });
  const schema: TableSchema = {
    columns: table.schema.columns.map((c, j) => {
      const rest: ColumnSchema = { ...c };
      delete rest.missing;
      const data = columns[j];
      if (!(data instanceof Float64Array)) return rest;
      let missing = 0;
      for (let i = 0; i < n; i++) if (Number.isNaN(data[i])) missing++;
      return missing > 0 ? { ...rest, missing } : rest;
    }),
  };
  const result = tableFromColumns(schema, columns);
  return table.columns.length === 0 ? { ...result, rowCount: n } : result;
}
