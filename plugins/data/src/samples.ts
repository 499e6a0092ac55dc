import { formatVector, makeBlobs, Rng } from '@mixflow/gmm';
import { tableFromColumns, type Table, type TableSchema } from '@mixflow/table';

export interface SampleDataset {
  id: string;
  name: string;
  description: string;
  /** known without generating, so configure stays cheap */
  schema: TableSchema;
  rowCount: number;
  /** the same table on every call (deterministic, seeded) */
  generate(): Table;
}

function vectorTable(points: Float64Array, rows: number, dims: number, labels: ArrayLike<number>, schema: TableSchema): Table {
  const features = new Array<string>(rows);
  for (let i = 0; i < rows; i++) features[i] = formatVector(points.subarray(i * dims, (i + 1) * dims));
  const coords = Array.from({ length: dims }, (_, j) => {
    const col = new Float64Array(rows);
    for (let i = 0; i < rows; i++) col[i] = points[i * dims + j];
    return col;
  });
  return tableFromColumns(schema, [features, ...coords, Float64Array.from(labels)]);
}

const BLOB_MEANS: readonly [number, number][] = [
  [0, 0],
  [5, 5],
  [5, 0],
];
const BLOB_ROWS = 100;
const THREE_BLOBS_SCHEMA: TableSchema = {
  columns: [
    { name: 'features', type: 'vector', vectorSize: 2 },
    { name: 'x', type: 'double' },
    { name: 'y', type: 'double' },
    { name: 'label', type: 'long' },
  ],
};

/**
 * The PyTorch chapter's data: 100 rows from each of N((0,0), I), N((5,5), I), N((5,0), I), stacked in that
 * order (as np.vstack does); label is the blob's index.
 */
export function threeBlobs(seed = 42): Table {
  const rng = new Rng(seed);
  const rows = BLOB_MEANS.length * BLOB_ROWS;
  const points = new Float64Array(rows * 2);
  const labels = new Float64Array(rows);
  BLOB_MEANS.forEach(([mx, my], c) => {
    for (let i = 0; i < BLOB_ROWS; i++) {
      const r = c * BLOB_ROWS + i;
      points[r * 2] = mx + rng.normal();
      points[r * 2 + 1] = my + rng.normal();
      labels[r] = c;
    }
  });
  return vectorTable(points, rows, 2, labels, THREE_BLOBS_SCHEMA);
}

const TEN_D_ROWS = 2000;
const TEN_D_SCHEMA: TableSchema = {
  columns: [
    { name: 'features', type: 'vector', vectorSize: 10 },
    ...Array.from({ length: 10 }, (_, j) => ({ name: `x${j}`, type: 'double' as const })),
    { name: 'label', type: 'long' },
  ],
};

/** 2000 rows in 10 dimensions from 8 well-separated isotropic clusters (makeBlobs, seed 8). */
export function tenDimEightClusters(): Table {
  const { data, labels } = makeBlobs({ rows: TEN_D_ROWS, dims: 10, k: 8, seed: 8, spread: 1, separation: 10 });
  return vectorTable(data.data, data.rows, data.cols, labels, TEN_D_SCHEMA);
}

function cached(make: () => Table): () => Table {
  let table: Table | undefined;
  return () => (table ??= make());
}

export const SAMPLE_DATASETS: readonly SampleDataset[] = [
  {
    id: 'sample-three-blobs',
    name: 'Three 2-D blobs',
    description:
      'Three Gaussian blobs with means (0,0), (5,5), (5,0) and identity covariance, 100 rows each, as in the PyTorch GMM chapter. ' +
      'Columns: features (vector "x y"), x, y, label (0, 1, 2).',
    schema: THREE_BLOBS_SCHEMA,
    rowCount: BLOB_MEANS.length * BLOB_ROWS,
    generate: cached(() => threeBlobs()),
  },
  {
    id: 'sample-10d-8clusters',
    name: '10-D, 8 clusters',
    description: '2000 rows in 10 dimensions from 8 isotropic Gaussian clusters (sd 1, centers at least 10 apart). Columns: features (vector), x0..x9, label (0..7).',
    schema: TEN_D_SCHEMA,
    rowCount: TEN_D_ROWS,
    generate: cached(tenDimEightClusters),
  },
];

export function findSampleDataset(id: string): SampleDataset | undefined {
  return SAMPLE_DATASETS.find((d) => d.id === id);
}
