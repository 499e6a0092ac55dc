/**
 * Missing values (NaN cells of a DataMatrix): the policies GMM Training and GMM Prediction offer as missingValues.
 * error: refuse (the table layer names the row and column); drop: leave those rows out; mean: fill each missing
 * cell with its column's training mean (the model stores the means so prediction fills the same).
 */
import { makeDataMatrix } from './data';
import { GmmInputError } from './errors';
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

/** The rows without a missing cell, and which input rows (0-based) they were. */
export function dropMissingRows(data: DataMatrix): { data: DataMatrix; keptRows: Int32Array; dropped: number } {
  const { rows, cols: d, data: x } = data;
  const missing = new Set(rowsWithMissing(data));
  const keptRows = new Int32Array(rows - missing.size);
  const out = new Float64Array(keptRows.length * d);
  let r = 0;
  for (let i = 0; i < rows; i++) {
    if (missing.has(i)) continue;
    keptRows[r] = i;
    out.set(x.subarray(i * d, (i + 1) * d), r * d);
    r++;
  }
  return { data: makeDataMatrix(out, keptRows.length, d), keptRows, dropped: missing.size };
}

/**
 * Each column's mean over its present cells. A column with no value at all has no mean: an error naming it
 * (`columnNames[j]` when given, else its 1-based index).
 */
export function columnMeans(data: DataMatrix, columnNames?: readonly string[]): number[] {
  const { rows, cols: d, data: x } = data;
  const sums = new Float64Array(d);
  const counts = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      if (Number.isNaN(v)) continue;
      sums[j] += v;
      counts[j]++;
    }
  }
  return Array.from(sums, (s, j) => {
    if (counts[j] === 0) {
      const column = columnNames?.[j];
      throw new GmmInputError(`${column !== undefined ? `column "${column}"` : `feature ${j + 1}`} has no values at all, so it has no mean to impute; drop it from the features`, {
        parameter: 'missingValues',
        ...(column !== undefined ? { column } : {}),
      });
    }
    return s / counts[j];
  });
}

/** A copy with every missing cell set to its column's value in `means`, and how many rows had one. */
export function imputeMissing(data: DataMatrix, means: readonly number[]): { data: DataMatrix; imputedRows: number } {
  const { rows, cols: d, data: x } = data;
  if (means.length !== d) {
    throw new GmmInputError(`the imputation means have ${means.length} values but the data has ${d} columns`, { parameter: 'missingValues' });
  }
  const out = Float64Array.from(x);
  let imputedRows = 0;
  for (let i = 0; i < rows; i++) {
    let any = false;
    for (let j = 0; j < d; j++) {
      if (Number.isNaN(out[i * d + j])) {
        out[i * d + j] = means[j];
        any = true;
      }
    }
    if (any) imputedRows++;
  }
  return { data: makeDataMatrix(out, rows, d), imputedRows };
}
