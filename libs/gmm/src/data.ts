import { GmmInputError } from './errors';
import { covarianceSize } from './kernels/precision';
import { Rng } from './rng';
import type { CovarianceType, DataMatrix } from './types';

/** Rows per E-step chunk of large data unless a fit says otherwise (fitChunkRows). */
export const DEFAULT_CHUNK_ROWS = 8192;

/** Fewer rows than SMALL_DATA_CHUNKS · DEFAULT_CHUNK_ROWS are cut into this many equal chunks when they can be (fitChunkRows). */
export const SMALL_DATA_CHUNKS = 4;

/** No chunk cut by fitChunkRows is smaller than this, nor holds fewer values than its statistics. */
export const MIN_CHUNK_ROWS = 256;

/**
 * Rows per E-step chunk of a fit that does not set chunkRows: a function of the rows, k, the dimension and the
 * covariance type only, never of the number of workers, so the chunks, their merge order and the model are the same
 * on any engine and worker count.
 *
 * Large data: DEFAULT_CHUNK_ROWS. Fewer rows than SMALL_DATA_CHUNKS of those are cut into SMALL_DATA_CHUNKS equal
 * chunks, else 2, so the workers of a small fit share its E-step (one 8,192-row chunk left all but one idle, and
 * 10,000 rows were 8,192 + 1,808); a cut is taken only if each chunk keeps MIN_CHUNK_ROWS to DEFAULT_CHUNK_ROWS rows
 * and at least as many values (rows × d) as its statistics (k·d² for full), so a chunk's fixed cost (its statistics
 * zeroed, shipped and merged) stays below its rows' and the results buffer of a map below the data. Otherwise
 * DEFAULT_CHUNK_ROWS, as before (one chunk when the rows fit in it).
 */
export function fitChunkRows(rows: number, type: CovarianceType, k: number, d: number): number {
  if (rows >= SMALL_DATA_CHUNKS * DEFAULT_CHUNK_ROWS) return DEFAULT_CHUNK_ROWS;
  const statsValues = 2 + k + k * d + covarianceSize(type, k, d);
  for (const chunks of [SMALL_DATA_CHUNKS, 2]) {
    const chunkRows = Math.ceil(rows / chunks);
    if (chunkRows >= MIN_CHUNK_ROWS && chunkRows <= DEFAULT_CHUNK_ROWS && chunkRows * d >= statsValues) return chunkRows;
  }
  return DEFAULT_CHUNK_ROWS;
}

/** Wraps a flat row-major array (rows × cols); checks that the sizes agree. */
export function makeDataMatrix(data: Float64Array, rows: number, cols: number): DataMatrix {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new GmmInputError(`rows must be a non-negative integer, got ${rows}`, { parameter: 'rows' });
  }
  if (!Number.isInteger(cols) || cols < 0) {
    throw new GmmInputError(`cols must be a non-negative integer, got ${cols}`, { parameter: 'cols' });
  }
  if (data.length !== rows * cols) {
    throw new GmmInputError(`data has ${data.length} values but rows × cols = ${rows} × ${cols} = ${rows * cols}`, {
      parameter: 'data',
    });
  }
  return { data, rows, cols };
}

/** Copies nested rows into a DataMatrix; every row must have the same length (the error names the 1-based row). */
export function matrixFromRows(rows: readonly (readonly number[])[]): DataMatrix {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row.length !== d) {
      throw new GmmInputError(`row ${i + 1} has ${row.length} values but row 1 has ${d}; every row needs the same dimension`, {
        row: i + 1,
      });
    }
    for (let j = 0; j < d; j++) data[i * d + j] = row[j];
  }
  return { data, rows: n, cols: d };
}

/** Throws on the first NaN or ±Infinity, naming the 1-based row and the column (by name when given). */
export function validateFinite(data: DataMatrix, columnNames?: readonly string[]): void {
  const { rows, cols } = data;
  const x = data.data;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = x[i * cols + j];
      if (!Number.isFinite(v)) {
        const column = columnNames && columnNames.length === cols ? columnNames[j] : columnNames?.length === 1 ? columnNames[0] : `${j + 1}`;
        const where = columnNames && columnNames.length === 1 && cols > 1 ? `column ${column}, element ${j + 1}` : `column ${column}`;
        throw new GmmInputError(
          `row ${i + 1}, ${where}: value ${v} is not a finite number; remove or impute missing and infinite values`,
          { row: i + 1, column },
        );
      }
    }
  }
}

/**
 * Checks sample weights (one per row, finite, ≥ 0, not all 0) and returns their sum. Errors name the 1-based row
 * and the column (`column`, else "weights"); `rowNumbers` (0-based indices into the caller's data rows, e.g. the
 * rows missingValues drop kept) maps row i to the data row a message names.
 */
export function validateWeights(weights: Float64Array, rows: number, column?: string, rowNumbers?: ArrayLike<number>): number {
  const name = column ?? 'weights';
  const where = column === undefined ? { parameter: 'weights' } : { column };
  if (!(weights instanceof Float64Array) || weights.length !== rows) {
    throw new GmmInputError(`${name}: expected ${rows} weights (one per row), got ${weights?.length}`, where);
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    if (!(w >= 0) || w === Infinity) {
      const row = (rowNumbers ? rowNumbers[i] : i) + 1;
      const what = Number.isNaN(w) ? 'is missing or not a number' : w < 0 ? `is negative (${w})` : `is not finite (${w})`;
      throw new GmmInputError(`row ${row}, column "${name}": the weight ${what}; sample weights must be finite numbers ≥ 0`, { ...where, row });
    }
    total += w;
  }
  if (!(total > 0)) {
    throw new GmmInputError(`column "${name}": every row's weight is 0 (rows 1–${rows}); at least one row needs a positive weight`, where);
  }
  if (!Number.isFinite(total)) throw new GmmInputError(`column "${name}": the weights sum to ${total}; scale them down`, where);
  return total;
}

/** Σ of the rows' weights, or the row count when the matrix is unweighted. */
export function totalWeight(data: DataMatrix): number {
  if (!data.weights) return data.rows;
  let total = 0;
  for (let i = 0; i < data.rows; i++) total += data.weights[i];
  return total;
}

/** The rows of positive weight with their weights (the matrix itself when unweighted or when every weight is positive). */
export function positiveWeightRows(data: DataMatrix): DataMatrix {
  const w = data.weights;
  if (!w) return data;
  const { cols: d } = data;
  let n = 0;
  for (let i = 0; i < data.rows; i++) if (w[i] > 0) n++;
  if (n === data.rows) return data;
  const out = new Float64Array(n * d);
  const weights = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < data.rows; i++) {
    if (!(w[i] > 0)) continue;
    out.set(data.data.subarray(i * d, (i + 1) * d), d * at);
    weights[at++] = w[i];
  }
  return { data: out, rows: n, cols: d, weights };
}

/** [start, end) row ranges of at most chunkRows rows, in order. */
export function chunkRanges(rows: number, chunkRows: number): Array<[number, number]> {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new GmmInputError(`chunkRows must be a positive integer, got ${chunkRows}`, { parameter: 'chunkRows' });
  }
  const out: Array<[number, number]> = [];
  for (let s = 0; s < rows; s += chunkRows) out.push([s, Math.min(rows, s + chunkRows)]);
  return out;
}

/** Number of distinct rows, counting only up to `limit` (enough to check k against). -0 counts as 0. */
export function countDistinctRows(data: DataMatrix, limit = Infinity): number {
  const seen = new Set<string>();
  const { rows, cols } = data;
  const scratch = new Float64Array(cols);
  const bytes = new Uint16Array(scratch.buffer);
  for (let i = 0; i < rows && seen.size < limit; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data.data[i * cols + j];
      scratch[j] = v === 0 ? 0 : v;
    }
    seen.add(String.fromCharCode.apply(null, bytes as unknown as number[]));
  }
  return seen.size;
}

/**
 * Deterministic synthetic clusters: k centers at least `separation` apart (uniform in a box that grows with k),
 * rows assigned round-robin (row i belongs to cluster i mod k), each with isotropic Gaussian noise of sd `spread`.
 * centers: k × dims.
 */
export function makeBlobs(o: { rows: number; dims: number; k: number; seed: number; spread?: number; separation?: number }): {
  data: DataMatrix;
  labels: Int32Array;
  centers: Float64Array;
} {
  const { rows, dims, k, seed } = o;
  const spread = o.spread ?? 1;
  const separation = o.separation ?? 10;
  for (const [name, v, min] of [['rows', rows, 0], ['dims', dims, 1], ['k', k, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new GmmInputError(`${name} must be an integer ≥ ${min}, got ${v}`, { parameter: name });
  }
  if (!(spread >= 0) || !Number.isFinite(spread)) throw new GmmInputError(`spread must be ≥ 0, got ${spread}`, { parameter: 'spread' });
  if (!(separation >= 0) || !Number.isFinite(separation)) {
    throw new GmmInputError(`separation must be ≥ 0, got ${separation}`, { parameter: 'separation' });
  }
  const rng = new Rng(seed);
  const centers = new Float64Array(k * dims);
  const half = separation * Math.max(1, Math.cbrt(k)) * 1.5;
  for (let c = 0; c < k; c++) {
    let placed = false;
    for (let attempt = 0; attempt < 1000 && !placed; attempt++) {
      for (let j = 0; j < dims; j++) centers[c * dims + j] = (rng.next() * 2 - 1) * half;
      placed = true;
      for (let p = 0; p < c && placed; p++) {
        let d2 = 0;
        for (let j = 0; j < dims; j++) d2 += (centers[c * dims + j] - centers[p * dims + j]) ** 2;
        if (d2 < separation * separation) placed = false;
      }
    }
    if (!placed) {
      // fall back to points on a line, `separation` apart
      for (let j = 0; j < dims; j++) centers[c * dims + j] = j === 0 ? c * separation : 0;
    }
  }
  const data = new Float64Array(rows * dims);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < dims; j++) data[i * dims + j] = centers[c * dims + j] + spread * rng.normal();
  }
  return { data: { data, rows, cols: dims }, labels, centers };
}
