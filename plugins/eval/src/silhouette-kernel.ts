/**
 * The silhouette coefficient as a chunk kernel, 'eval.silhouette': every row's s = (b − a) / max(a, b), where a is
 * its mean distance to the other rows of its cluster and b the smallest mean distance to the rows of another
 * cluster (Rousseeuw 1987; a row alone in its cluster has s = 0, as in scikit-learn).
 *
 * Each row needs every other row, and a Redis worker sees only its chunk of the session's matrix, so the rows travel
 * in the parameters (at most the silhouette sample, 10,000 rows by default) and the session's matrix is n × 1: the
 * index of each row to score. Result: one s per row of the chunk.
 */
import { registerKernels, type ChunkKernel } from '@mixflow/executor';
import { distanceOfCode, type Distance } from './distance';

export const SILHOUETTE_KERNEL = 'eval.silhouette';

export interface SilhouetteParams {
  /** n × (d + 1), row-major: each row's d features, then its cluster index */
  rows: Float64Array;
  d: number;
  /** the number of clusters */
  k: number;
  /** DISTANCE_CODE of the distance type */
  distance: number;
}

interface SilhouetteState extends SilhouetteParams {
  dist: Distance;
  /** k: how many rows each cluster has */
  sizes: Float64Array;
  /** k sums of distances, reused row after row */
  sums: Float64Array;
}

function prepare(p: SilhouetteParams): SilhouetteState {
  const cols = p.d + 1;
  const sizes = new Float64Array(p.k);
  for (let r = 0; r < p.rows.length / cols; r++) sizes[p.rows[r * cols + p.d]]++;
  return { ...p, dist: distanceOfCode(p.distance), sizes, sums: new Float64Array(p.k) };
}

function rowSilhouette(s: SilhouetteState, i: number): number {
  const { rows, d, sizes, sums } = s;
  const cols = d + 1;
  const n = rows.length / cols;
  const own = rows[i * cols + d];
  if (sizes[own] <= 1) return 0;
  sums.fill(0);
  for (let r = 0; r < n; r++) if (r !== i) sums[rows[r * cols + d]] += s.dist(rows, i * cols, rows, r * cols, d);
  const a = sums[own] / (sizes[own] - 1);
  let b = Infinity;
  for (let c = 0; c < s.k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
  const m = Math.max(a, b);
  return m === 0 ? 0 : (b - a) / m;
}

const silhouette: ChunkKernel<SilhouetteParams, SilhouetteState> = {
  name: SILHOUETTE_KERNEL,
  resultLength: (_p, rows) => rows,
  prepare,
  // data: the chunk's row indices (one column)
  compute: (s, data, _cols, start, end, out, offset) => {
    for (let j = start; j < end; j++) out[offset + j - start] = rowSilhouette(s, data[j]);
  },
};

/** What a worker loading this module registers (see the executor's loadKernelModules). */
export const kernels = [silhouette] as const;

registerKernels(__filename, kernels);
