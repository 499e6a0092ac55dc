import { TableError } from './errors';
import { describeMissing, isMissingCell } from './missing';
import { columnIndex, isNumericType } from './schema';
import { isVectorColumn } from './table';
import type { Table } from './types';
import { parseVectors, type DenseRows } from './vectors';

/** error: a missing cell is an error naming its row and column; allow: it becomes a row of NaN in the matrix. */
export type MissingCells = 'error' | 'allow';

export interface FeatureSelection {
  /** a vector column (Alink dense or sparse strings) */
  vectorCol?: string;
  /** numeric columns, used in this order */
  featureCols?: string[];
}

function requireColumn(table: Table, name: string, role: string): number {
  const i = columnIndex(table.schema, name);
  if (i < 0) {
    throw new TableError(
      `${role} "${name}" does not exist in the input table; its columns are ${table.schema.columns.map((c) => `"${c.name}"`).join(', ')}`,
      { column: name },
    );
  }
  return i;
}

function missingError(row: number, column: string, text: string | undefined): TableError {
  return new TableError(
    `row ${row}, column "${column}" ${describeMissing(text)}: a missing value; set missingValues to drop or mean to train and predict without it, or fill it in`,
    { row, column },
  );
}

/** Zeroed numbers on shared memory: the engine's worker threads read the feature matrix where it is written. */
function sharedValues(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

/** A vector column of text whose missing cells (isMissingCell) become rows of NaN; parse errors keep the table's row numbers. */
function vectorsWithMissing(values: string[], name: string, missing: MissingCells): DenseRows {
  const present: number[] = [];
  values.forEach((v, r) => {
    if (!isMissingCell(v)) present.push(r);
    else if (missing === 'error') throw missingError(r + 1, name, v);
  });
  if (present.length === values.length) return parseVectors(values, name, sharedValues);
  if (present.length === 0) throw new TableError(`vector column "${name}" has no values at all; choose another column`, { column: name });
  let parsed: DenseRows;
  try {
    parsed = parseVectors(present.map((r) => values[r]), name);
  } catch (err) {
    if (err instanceof TableError && err.details.row !== undefined) {
      const row = present[err.details.row - 1] + 1;
      throw new TableError(err.message.replace(/\brow \d+/, `row ${row}`), { row, column: name });
    }
    throw err;
  }
  const d = parsed.cols;
  const out = sharedValues(values.length * d).fill(NaN);
  present.forEach((r, i) => out.set(parsed.data.subarray(i * d, (i + 1) * d), r * d));
  return { data: out, rows: values.length, cols: d };
}

/**
 * The n × d feature matrix, on shared memory: a vector column's numbers as they are (a parsed VectorColumn lying on
 * shared memory is used without a copy), its text parsed, or numeric feature columns gathered. Errors name the
 * column and the 1-based row. A missing cell is an error unless `missing` is 'allow': then its row holds NaN
 * (numeric columns: in that column; vector columns: the whole row).
 */
export function extractFeatures(table: Table, sel: FeatureSelection, missing: MissingCells = 'error'): DenseRows {
  const hasVector = sel.vectorCol !== undefined && sel.vectorCol !== '';
  const hasCols = sel.featureCols !== undefined && sel.featureCols.length > 0;
  if (hasVector === hasCols) {
    throw new TableError('set Vector column or Feature columns (numeric), one of them and not both');
  }
  if (table.rowCount === 0) throw new TableError('the input table has no rows; features need at least one row');
  if (hasVector) {
    const name = sel.vectorCol as string;
    const i = requireColumn(table, name, 'vector column');
    const type = table.schema.columns[i].type;
    if (type !== 'vector' && type !== 'string') {
      throw new TableError(`column "${name}" is ${type}, not a vector column; pick a vector column or list numeric columns as featureCols`, {
        column: name,
      });
    }
    const column = table.columns[i];
    if (!isVectorColumn(column)) return vectorsWithMissing(column as string[], name, missing);
    // parsed and checked where the data came in (CSV upload, the binary dataset file); no cell is missing
    const values = column.values.buffer instanceof SharedArrayBuffer ? column.values : sharedValues(column.values.length);
    if (values !== column.values) values.set(column.values);
    return { data: values, rows: column.length, cols: column.dims };
  }
  const names = sel.featureCols as string[];
  const idx = names.map((name) => requireColumn(table, name, 'feature column'));
  const rows = table.rowCount;
  const d = names.length;
  const out = sharedValues(rows * d);
  idx.forEach((ci, j) => {
    const c = table.schema.columns[ci];
    if (!isNumericType(c.type)) {
      throw new TableError(`feature column "${c.name}" is ${c.type}, not numeric; featureCols take double or long columns`, { column: c.name });
    }
    const col = table.columns[ci] as Float64Array;
    for (let r = 0; r < rows; r++) {
      const v = col[r];
      if (!Number.isFinite(v) && !Number.isNaN(v)) {
        throw new TableError(`row ${r + 1}, column "${c.name}": ${v} is not a finite number`, { row: r + 1, column: c.name });
      }
      out[r * d + j] = v;
    }
  });
  if (missing === 'error') {
    // the first row with a missing cell, whichever column it is in
    for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) throw missingError(Math.floor(i / d) + 1, names[i % d], undefined);
  }
  return { data: out, rows, cols: d };
}
