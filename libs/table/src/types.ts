/**
 * Columnar tables: numeric columns as Float64Array, everything else as string arrays.
 * Vector columns keep their Alink strings (`1.0 2.0` or `$n$i:v ...`); the schema records their dimension.
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

export type ColumnData = Float64Array | string[];

export interface Table {
  readonly schema: TableSchema;
  readonly rowCount: number;
  /** one entry per schema column, same order; numeric → Float64Array, string/vector → string[] */
  readonly columns: ColumnData[];
}
