/**
 * Missing values (NaN cells of a DataMatrix): the policies GMM Training and GMM Prediction offer as missingValues.
 * error: refuse (the table layer names the row and column); drop: leave those rows out; mean: fill each missing
 * cell with its column's training mean (the model stores the means so prediction fills the same; the means and the
 * filling are @mixflow/table's presentColumnMeans and fillMissingCells, which Missing Data Imputation uses too).
 */
import { makeDataMatrix } from './data';
import type { DataMatrix } from './types';

export type MissingValues = 'error' | 'drop' | 'mean';
export const MISSING_VALUES: readonly MissingValues[] = ['error', 'drop', 'mean'];

/** Which rows (0-based) hold a missing cell, in order. */
export function rowsWithMissing(data: DataMatrix): number[] {
  const { rows, cols: d, data: x } = data;
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) {
      if (Number.isNaN(x[i * d + j])) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

/**
 * The rows without a missing cell, and which input rows (0-based) they were; on shared memory, as the feature
 * matrix they come from, so the engine's threads read them where they are.
 */
export function dropMissingRows(data: DataMatrix): { data: DataMatrix; keptRows: Int32Array; dropped: number } {
  const { rows, cols: d, data: x } = data;
  const missing = new Set(rowsWithMissing(data));
  const keptRows = new Int32Array(rows - missing.size);
  const out = new Float64Array(new SharedArrayBuffer(keptRows.length * d * Float64Array.BYTES_PER_ELEMENT));
  let r = 0;
  for (let i = 0; i < rows; i++) {
    if (missing.has(i)) continue;
    keptRows[r] = i;
    out.set(x.subarray(i * d, (i + 1) * d), r * d);
    r++;
  }
  return { data: makeDataMatrix(out, keptRows.length, d), keptRows, dropped: missing.size };
}
