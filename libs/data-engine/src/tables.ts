import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTypeId,
  LIST,
  VARCHAR,
  listValue,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { formatVector, isVectorColumn, parseVectors, tableFromColumns, TableError } from '@mixflow/table';
import type { ColumnData, ColumnSchema, ColumnType, Table, TableSchema } from '@mixflow/table';

/** DuckDB writes and reads at most this many rows per data chunk. */
const CHUNK_ROWS = 2048;

/** A name as a DuckDB identifier: double-quoted, inner quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string as a DuckDB literal: single-quoted, inner quotes doubled. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const DOUBLE_LIST = LIST(DOUBLE);

function duckType(c: ColumnSchema): DuckDBType {
  if (c.type === 'double') return DOUBLE;
  if (c.type === 'long') return BIGINT;
  if (c.type === 'vector') return DOUBLE_LIST;
  return VARCHAR;
}

/** The SQL type a table column is loaded as: double → DOUBLE, long → BIGINT, string → VARCHAR, vector → DOUBLE[]. */
export function sqlTypeOf(type: ColumnType): string {
  return type === 'double' ? 'DOUBLE' : type === 'long' ? 'BIGINT' : type === 'vector' ? 'DOUBLE[]' : 'VARCHAR';
}

/** A vector column as numbers, whether parsed already or given as Alink strings. */
function vectorValues(data: ColumnData, name: string): { values: Float64Array; dims: number } {
  if (isVectorColumn(data)) return { values: data.values, dims: data.dims };
  const rows = parseVectors(data as string[], name);
  return { values: rows.data, dims: rows.cols };
}

/**
 * Creates table `name` and fills it with `table`'s rows through DuckDB's appender, a data chunk at a time. A missing
 * number (NaN) becomes NULL; a vector column becomes a DOUBLE[] column.
 */
export async function loadTable(connection: DuckDBConnection, name: string, table: Table): Promise<void> {
  await createTable(connection, name, table.schema);
  if (table.rowCount === 0 || table.schema.columns.length === 0) return;
  const appender = await connection.createAppender(name);
  try {
    appendTable(appender, table);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Creates an empty table `name` with the schema's columns (double → DOUBLE, long → BIGINT, string → VARCHAR, vector → DOUBLE[]). */
export async function createTable(connection: DuckDBConnection, name: string, schema: TableSchema): Promise<void> {
  const ddl = schema.columns.map((c) => `${quoteIdent(c.name)} ${sqlTypeOf(c.type)}`).join(', ');
  await connection.run(`CREATE TABLE ${quoteIdent(name)} (${ddl})`);
}

/** Appends `table`'s rows (its columns those of the appender's table, in order), a data chunk at a time; synchronous. */
export function appendTable(appender: DuckDBAppender, table: Table): void {
  const cols = table.schema.columns;
  if (table.rowCount === 0 || cols.length === 0) return;
  const types = cols.map(duckType);
  const vectors = cols.map((c, j) => (c.type === 'vector' ? vectorValues(table.columns[j], c.name) : undefined));
  for (let start = 0; start < table.rowCount; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, table.rowCount - start);
    const chunk = DuckDBDataChunk.create(types, n);
    cols.forEach((c, j) => {
      const data = table.columns[j];
      const values: DuckDBValue[] = new Array(n);
      if (c.type === 'double' || c.type === 'long') {
        const numbers = data as Float64Array;
        for (let r = 0; r < n; r++) {
          const v = numbers[start + r];
          values[r] = Number.isNaN(v) ? null : c.type === 'long' ? BigInt(v) : v;
        }
      } else if (c.type === 'vector') {
        const { values: flat, dims } = vectors[j]!;
        for (let r = 0; r < n; r++) values[r] = listValue(Array.from(flat.subarray((start + r) * dims, (start + r + 1) * dims)));
      } else {
        const texts = data as string[];
        for (let r = 0; r < n; r++) values[r] = texts[start + r];
      }
      chunk.setColumnValues(j, values);
    });
    appender.appendDataChunk(chunk);
  }
}

const LONG_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);
const DOUBLE_TYPES = new Set<DuckDBTypeId>([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL]);

/**
 * The Alink column type a DuckDB type reads as: integer types → long, floating and decimal → double, a list or
 * fixed-size array of numbers → vector, anything else (text, booleans, dates, ...) → string.
 */
export function columnTypeOf(type: DuckDBType): ColumnType {
  if (LONG_TYPES.has(type.typeId)) return 'long';
  if (DOUBLE_TYPES.has(type.typeId)) return 'double';
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const inner = type.valueType.typeId;
    if (LONG_TYPES.has(inner) || DOUBLE_TYPES.has(inner)) return 'vector';
  }
  return 'string';
}

function toNumber(value: DuckDBValue): number {
  if (value === null) return NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number(String(value));
}

/** Column builders that grow a chunk at a time. */
interface Builder {
  add(values: readonly DuckDBValue[]): void;
  finish(): { data: ColumnData; schema: ColumnSchema };
}

function numberBuilder(name: string, type: 'double' | 'long', capacity: number): Builder {
  let data = new Float64Array(Math.max(capacity, CHUNK_ROWS));
  let length = 0;
  let missing = 0;
  return {
    add(values) {
      if (length + values.length > data.length) {
        const grown = new Float64Array(Math.max(data.length * 2, length + values.length));
        grown.set(data.subarray(0, length));
        data = grown;
      }
      for (const v of values) {
        const n = toNumber(v);
        if (Number.isNaN(n)) missing++;
        data[length++] = n;
      }
    },
    finish() {
      const schema: ColumnSchema = missing > 0 ? { name, type, missing } : { name, type };
      // exactly filled (the caller knew the row count): no copy
      return { data: length === data.length ? data : data.slice(0, length), schema };
    },
  };
}

function textOf(value: DuckDBValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return String(value);
}

function stringBuilder(name: string): Builder {
  const data: string[] = [];
  return {
    add(values) {
      for (const v of values) data.push(textOf(v));
    },
    finish: () => ({ data, schema: { name, type: 'string' } }),
  };
}

/** Lists of numbers: a vector column when every row is present and has the same length (or there is no row), else their text. */
function vectorBuilder(name: string): Builder {
  const rows: (number[] | null)[] = [];
  return {
    add(values) {
      for (const v of values) {
        rows.push(v === null ? null : ((v as unknown as { items: readonly DuckDBValue[] }).items.map(toNumber)));
      }
    },
    finish() {
      // no rows (a SQL compiled on empty tables): DuckDB's type says vector, its size is not known
      if (rows.length === 0) return { data: { kind: 'vectors', length: 0, dims: 0, values: new Float64Array(0) }, schema: { name, type: 'vector' } };
      const dims = rows[0]?.length ?? 0;
      const uniform = rows.length > 0 && dims > 0 && rows.every((r) => r !== null && r.length === dims && r.every(Number.isFinite));
      if (!uniform) return { data: rows.map((r) => (r === null ? '' : formatVector(r))), schema: { name, type: 'string' } };
      const values = new Float64Array(rows.length * dims);
      rows.forEach((r, i) => values.set(r!, i * dims));
      return { data: { kind: 'vectors', length: rows.length, dims, values }, schema: { name, type: 'vector', vectorSize: dims } };
    },
  };
}

/**
 * Reads a DuckDB result into a Table, a data chunk at a time (`expectedRows`, when known, sizes the number columns
 * once). Column names must be unique (a query that names two
 * columns alike is refused with a TableError naming the column). NULL numbers are NaN (counted as missing), NULL
 * text is the empty string.
 */
export async function resultToTable(result: DuckDBResult, expectedRows = 0, onRows?: (rows: number) => void): Promise<Table> {
  const names = result.columnNames();
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new TableError(`the query returns two columns named "${n}"; give one another name with AS`, { column: n });
    seen.add(n);
  }
  const builders = names.map((name, j): Builder => {
    const type = columnTypeOf(result.columnType(j));
    return type === 'double' || type === 'long' ? numberBuilder(name, type, expectedRows) : type === 'vector' ? vectorBuilder(name) : stringBuilder(name);
  });
  let read = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    builders.forEach((b, j) => b.add(chunk.getColumnValues(j)));
    read += chunk.rowCount;
    onRows?.(read);
  }
  const built = builders.map((b) => b.finish());
  return tableFromColumns({ columns: built.map((b) => b.schema) }, built.map((b) => b.data));
}
