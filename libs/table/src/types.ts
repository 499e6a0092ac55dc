/**
 * Columnar tables: numeric columns as Float64Array, string columns as string arrays, vector columns as numbers
 * (a VectorColumn: parsed once where the data came in) or, for rows given by hand, their Alink strings
 * (`1.0 2.0` or `$n$i:v ...`). The schema records a vector column's dimension.
 */

/** double and long hold numbers (Float64Array); string and vector hold strings. */
export type ColumnType = 'double' | 'long' | 'string' | 'vector';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** vector columns: the dimension every value has (sparse `$n$` size or the dense length) */
  vectorSize?: number;
  /** double and long columns read from CSV: how many cells are missing (empty, NaN, null, NA or ?); absent when none */
  missing?: number;
}

export interface TableSchema {
  columns: ColumnSchema[];
}

/** A vector column as numbers: `length` rows of `dims` values, row-major in `values`. */
export interface VectorColumn {
  readonly kind: 'vectors';
  readonly length: number;
  readonly dims: number;
  readonly values: Float64Array;
  /**
   * The cells' text as it came in, kept only when some cell is not the canonical dense form (formatVector of its
   * values: sparse, commas, "1.0"), so what a table shows and writes is what the user gave.
   */
  readonly text?: readonly string[];
}

export type ColumnData = Float64Array | string[] | VectorColumn;

export interface Table {
  readonly schema: TableSchema;
  readonly rowCount: number;
  /** one entry per schema column, same order; numeric → Float64Array, string → string[], vector → VectorColumn or string[] */
  readonly columns: ColumnData[];
  /**
   * Set when the table is a stored dataset exactly as it was read: a host that stores the table may keep a
   * reference to the dataset instead of a copy. Tables made from it (new columns, rows) do not carry it.
   */
  readonly origin?: { datasetId: string };
  /**
   * Set on a stored dataset whose rows are not loaded (unloadedTable): schema, row count and origin only. Only a
   * component whose input port reads stored rows itself gets one; the workflow runner loads it for any other.
   */
  readonly unloaded?: true;
}
