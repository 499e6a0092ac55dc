import { GmmInputError, makeDataMatrix, parseVectors, type DataMatrix } from '@mixflow/gmm';
import { TableError } from './errors';
import { columnIndex, isNumericType } from './schema';
import { describeMissing, isMissingCell } from './missing';
import { asTableError } from './table';
import type { Table } from './types';

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

/** A vector column whose missing cells (isMissingCell) become rows of NaN; parse errors keep the table's row numbers. */
function vectorsWithMissing(values: string[], name: string, missing: MissingCells): DataMatrix {
  const present: number[] = [];
  values.forEach((v, r) => {
    if (!isMissingCell(v)) present.push(r);
    else if (missing === 'error') throw missingError(r + 1, name, v);
  });
  if (present.length === values.length) return parseVectors(values, name);
  if (present.length === 0) throw new TableError(`vector column "${name}" has no values at all; choose another column`, { column: name });
  let parsed: DataMatrix;
  try {
    parsed = parseVectors(present.map((r) => values[r]), name);
  } catch (err) {
    if (err instanceof GmmInputError && err.details.row !== undefined) {
      const row = present[err.details.row - 1] + 1;
      throw new TableError(err.message.replace(/\brow \d+/, `row ${row}`), { row, column: name });
    }
    throw err;
  }
  const d = parsed.cols;
  const out = new Float64Array(values.length * d).fill(NaN);
  present.forEach((r, i) => out.set(parsed.data.subarray(i * d, (i + 1) * d), r * d));
  return makeDataMatrix(out, values.length, d);
}

/**
 * The n × d feature matrix: from a vector column (every row parsed, same dimension, finite) or from numeric
 * feature columns. Errors name the column and the 1-based row. A missing cell is an error unless `missing` is
 * 'allow': then its row holds NaN (numeric columns: in that column; vector columns: the whole row).
 */
export function extractFeatures(table: Table, sel: FeatureSelection, missing: MissingCells = 'error'): DataMatrix {
  const hasVector = sel.vectorCol !== undefined && sel.vectorCol !== '';
  const hasCols = sel.featureCols !== undefined && sel.featureCols.length > 0;
  if (hasVector === hasCols) {
    throw new TableError('choose either a vector column (vectorCol) or numeric feature columns (featureCols), not both and not neither');
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
    try {
      return vectorsWithMissing(table.columns[i] as string[], name, missing);
    } catch (err) {
      throw asTableError(err);
    }
  }
  const names = sel.featureCols as string[];
  const idx = names.map((name) => requireColumn(table, name, 'feature column'));
  const rows = table.rowCount;
  const d = names.length;
  const out = new Float64Array(rows * d);
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
  return makeDataMatrix(out, rows, d);
}
