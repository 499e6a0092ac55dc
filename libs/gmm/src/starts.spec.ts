import { readFileSync } from 'fs';
import { join } from 'path';
import { makeBlobs, matrixFromRows } from './data';
import { resolveFitOptions, startWorkOf } from './fit';
import { EXPECTED_KMEANS_ITERATIONS, startFlops } from './kernels';
import { assignNearest, labelStats, lloyd } from './starts';
import { COVARIANCE_TYPES, type DataMatrix } from './types';

/** scikit-learn's KMeans (Lloyd) from fixed initial rows, written by reference/make_kmeans_reference.py. */
interface KMeansReference {
  runs: { source: string; k: number; initialRows: number[]; labels: number[]; centers: number[][]; inertia: number; nIter: number }[];
}

const reference: KMeansReference = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'kmeans_lloyd.json'), 'utf8'));
const sources = new Map<string, DataMatrix>(
  [...new Set(reference.runs.map((r) => r.source))].map((name) => [
    name,
    matrixFromRows(JSON.parse(readFileSync(join(__dirname, '..', 'reference', `${name}.json`), 'utf8')).data),
  ]),
);

function rowsOf(data: DataMatrix, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * data.cols);
  rows.forEach((r, c) => out.set(data.data.subarray(r * data.cols, (r + 1) * data.cols), c * data.cols));
  return out;
}

describe('k-means start against scikit-learn', () => {
  it.each(reference.runs.map((r) => [`${r.source}, k = ${r.k}`, r] as const))(
    'Lloyd from the same initial rows ends in scikit-learn KMeans partition and centres (%s)',
    (_, run) => {
      const data = sources.get(run.source)!;
      const result = lloyd(data, rowsOf(data, run.initialRows), run.k, 300);
      expect(Array.from(result.labels)).toEqual(run.labels);
      run.centers.flat().forEach((v, i) => expect(result.centers[i]).toBeCloseTo(v, 9));
      expect(result.inertia).toBeCloseTo(run.inertia, 6);
      // ours also counts the pass that finds no label changed; scikit-learn stops on it too (or on its tiny tolerance)
      expect(Math.abs(result.iterations - run.nIter)).toBeLessThanOrEqual(1);
    },
  );
});

describe('assignNearest and labelStats give the bits of one row at a time', () => {
  const blobs = makeBlobs({ rows: 1003, dims: 7, k: 5, seed: 3 }).data;

  it('nearest centre per row (ties to the lower centre) and the inertia summed in row order, for any row count', () => {
    const centers = rowsOf(blobs, [0, 10, 20, 10, 40]); // centres 1 and 3 coincide: rows nearest to them go to 1
    for (const rows of [1003, 1002, 1001, 1000, 3]) {
      const data = { data: blobs.data.subarray(0, rows * 7), rows, cols: 7 };
      const labels = new Int32Array(rows);
      const inertia = assignNearest(data, centers, 5, labels);
      let expected = 0;
      for (let i = 0; i < rows; i++) {
        let best = 0;
        let bestD = Infinity;
        for (let c = 0; c < 5; c++) {
          let s = 0;
          for (let j = 0; j < 7; j++) s += (data.data[i * 7 + j] - centers[c * 7 + j]) ** 2;
          if (s < bestD) [bestD, best] = [s, c];
        }
        expect(labels[i]).toBe(best);
        expected += bestD;
      }
      expect(labels).not.toContain(3);
      expect(inertia).toBe(expected);
    }
  });

  // 4,500 × 64: the scatter runs in blocks of 4,096 rows, so a cluster's sums cross a block
  const wide = makeBlobs({ rows: 4500, dims: 64, k: 5, seed: 4 }).data;
  it.each(COVARIANCE_TYPES.flatMap((t) => [[t, blobs] as const, [t, wide] as const]))('labelStats (%s): sums about each cluster mean, row by row, weighted', (type, rows) => {
    const d = rows.cols;
    const k = 5;
    const data = { ...rows, weights: Float64Array.from({ length: rows.rows }, (_, i) => (i % 4) * 0.5) };
    const labels = Int32Array.from({ length: rows.rows }, (_, i) => (i * 7) % k);
    const stats = labelStats(data, labels, k, type);
    const shift = stats.shift!;
    const sumXX = new Float64Array(stats.sumXX.length);
    const sumX = new Float64Array(k * d);
    for (let i = 0; i < rows.rows; i++) {
      const c = labels[i];
      const w = data.weights[i];
      const v = Array.from({ length: d }, (_, a) => rows.data[i * d + a] - shift[c * d + a]);
      let s2 = 0;
      for (let a = 0; a < d; a++) {
        sumX[c * d + a] += w * v[a];
        if (type === 'full' || type === 'tied') for (let b = 0; b <= a; b++) sumXX[(type === 'full' ? c * d * d : 0) + a * d + b] += w * v[a] * v[b];
        else if (type === 'diag') sumXX[c * d + a] += w * v[a] * v[a];
        else s2 += v[a] * v[a];
      }
      if (type === 'spherical') sumXX[c] += w * s2;
    }
    expect(Array.from(stats.sumX)).toEqual(Array.from(sumX));
    expect(Array.from(stats.sumXX)).toEqual(Array.from(sumXX));
  });
});

describe('startFlops: the work of a trial’s start, for the time estimate', () => {
  it('k-means: k-means++ passes, Lloyd iterations (expected 20 unless given), the partition’s statistics', () => {
    // 100 rows, k = 3, d = 2: 1 + 2·(2 + ⌊ln 3⌋) = 7 seeding passes of 3·100·2; a Lloyd iteration 3·100·3·2 + 100·2;
    // the full statistics 100·2² + 2·100·2
    expect(startFlops('full', 100, 3, 2, { init: 'kmeans', kmeansIterations: 1 })).toBe(4200 + 2000 + 800);
    expect(startFlops('full', 100, 3, 2, { init: 'kmeans' })).toBe(4200 + EXPECTED_KMEANS_ITERATIONS * 2000 + 800);
    expect(startFlops('full', 100, 3, 2, { init: 'kmeans', kmeansMaxIter: 5 })).toBe(4200 + 5 * 2000 + 800);
    expect(startFlops('full', 100, 3, 2, { init: 'k-means++' })).toBe(4200);
  });

  it('nothing for a fixed start (startWorkOf: initialModel, or weights, means and precisions all given)', () => {
    const given = { weightsInit: [0.5, 0.5], meansInit: [[0], [1]], precisionsInit: [[[1]], [[1]]] };
    expect(startWorkOf(resolveFitOptions({ k: 2, ...given }))).toMatchObject({ fixed: true });
    expect(startWorkOf(resolveFitOptions({ k: 2, meansInit: given.meansInit }))).toMatchObject({ init: 'kmeans', fixed: false });
    expect(startFlops('full', 100, 2, 1, startWorkOf(resolveFitOptions({ k: 2, ...given })))).toBe(0);
  });
});
