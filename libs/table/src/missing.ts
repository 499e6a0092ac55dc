/**
 * Missing cells. In a numeric column an empty cell, `NaN`, `null`, `NA` or `?` (any case, surrounding blanks
 * ignored) is a missing value: the column stays numeric and holds NaN there; the schema counts them.
 */
import { TableError } from './errors';
import type { DenseRows } from './vectors';

const MISSING_TOKENS = new Set(['', 'nan', 'null', 'na', '?']);

export function isMissingCell(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) return false; // a digit starts no missing token: numbers skip the trim and lowercase
  return MISSING_TOKENS.has(text.trim().toLowerCase());
}

/** The words an error uses for a missing cell, e.g. `is empty`. */
export function describeMissing(text: string | undefined): string {
  const t = text?.trim() ?? '';
  return t === '' ? 'is empty' : `is missing (${JSON.stringify(t)})`;
}

/**
 * Each column's mean over its present cells (NaN is missing) of row-major `rows` (rows × cols): a plain sum in row
 * order divided by the count, NaN for a column with no value at all (the caller says which parameter that is about).
 * Mean imputation, whether Missing Data Imputation's MEAN or GMM's Missing values "mean", takes its figures from here,
 * so the same column gets the same bits from both.
 */
export function presentColumnMeans(rows: DenseRows): number[] {
  const { rows: n, cols: d, data: x } = rows;
  const sums = new Float64Array(d);
  const counts = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      if (Number.isNaN(v)) continue;
      sums[j] += v;
      counts[j]++;
    }
  }
  return Array.from(sums, (s, j) => (counts[j] === 0 ? NaN : s / counts[j]));
}

/**
 * A copy of `rows` with every missing (NaN) cell set to its column's value in `fill`, and how many rows had one. The
 * copy is on shared memory, as the feature matrix it replaces: the engine's threads read it where it is.
 */
export function fillMissingCells(rows: DenseRows, fill: readonly number[]): { filled: DenseRows; filledRows: number } {
  const { rows: n, cols: d, data: x } = rows;
  if (fill.length !== d) throw new TableError(`${fill.length} fill values for ${d} columns`);
  const out = new Float64Array(new SharedArrayBuffer(x.length * Float64Array.BYTES_PER_ELEMENT));
  out.set(x);
  let filledRows = 0;
  for (let i = 0; i < n; i++) {
    let any = false;
    for (let j = 0; j < d; j++) {
      if (Number.isNaN(out[i * d + j])) {
        out[i * d + j] = fill[j];
        any = true;
      }
    }
    if (any) filledRows++;
  }
  return { filled: { data: out, rows: n, cols: d }, filledRows };
}
