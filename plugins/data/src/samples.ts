import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { makeBlobs, Rng } from '@mixflow/gmm';
import { formatVector, tableFromColumns, type Table, type TableSchema } from '@mixflow/table';

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

function vectorTable(points: Float64Array, rows: number, dims: number, labels: ArrayLike<number> | undefined, schema: TableSchema): Table {
  const features = new Array<string>(rows);
  for (let i = 0; i < rows; i++) features[i] = formatVector(points.subarray(i * dims, (i + 1) * dims));
  const coords = Array.from({ length: dims }, (_, j) => {
    const col = new Float64Array(rows);
    for (let i = 0; i < rows; i++) col[i] = points[i * dims + j];
    return col;
  });
  return tableFromColumns(schema, [features, ...coords, ...(labels ? [Float64Array.from(labels)] : [])]);
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

/** plugins/data/samples, from src/ (tests) and from dist/ alike */
const SAMPLE_FILES = join(__dirname, '..', 'samples');

/**
 * A CSV of plugins/data/samples: feature columns, then (when `labelled`) the class `label`. scikit-learn's come from
 * samples/export_sklearn.py, R's (Old Faithful, iris) from libs/gmm/reference/make_mclust_reference.R. The table
 * leads with those features as one vector column, `features`, as the other samples do.
 */
export function sklearnSample(file: string, labelled = true): Table {
  const [header, ...records] = parse(readFileSync(join(SAMPLE_FILES, file), 'utf8')) as string[][];
  const names = labelled ? header.slice(0, -1) : header;
  const d = names.length;
  const width = labelled ? d + 1 : d;
  const points = new Float64Array(records.length * d);
  const labels = new Float64Array(records.length);
  records.forEach((record, i) => {
    const values = record.map(Number);
    if (values.length !== width || !values.every(Number.isFinite)) throw new Error(`sample ${file}: data row ${i + 1} is not ${width} numbers; re-run the script that wrote it`);
    points.set(values.slice(0, d), i * d);
    if (labelled) labels[i] = values[d];
  });
  const schema: TableSchema = {
    columns: [
      { name: 'features', type: 'vector', vectorSize: d },
      ...names.map((name) => ({ name, type: 'double' as const })),
      ...(labelled ? [{ name: header[d], type: 'long' as const }] : []),
    ],
  };
  return vectorTable(points, records.length, d, labelled ? labels : undefined, schema);
}

/** A sample read from its file on first use; schema and row count come from the same read. */
function fileSample(id: string, name: string, description: string, file: string, labelled = true): SampleDataset {
  const load = cached(() => sklearnSample(file, labelled));
  return {
    id,
    name,
    description,
    get schema() {
      return load().schema;
    },
    get rowCount() {
      return load().rowCount;
    },
    generate: load,
  };
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
  fileSample(
    'sample-wine',
    'Wine (scikit-learn)',
    "scikit-learn's wine data: 178 wines from 3 cultivars, 13 chemical measurements on very different scales (unscaled). " +
      'Columns: features (vector of the 13), alcohol … proline, label (cultivar 0, 1, 2). Try k = 3.',
    'wine.csv',
  ),
  fileSample(
    'sample-breast-cancer',
    'Breast cancer (scikit-learn)',
    "scikit-learn's breast cancer Wisconsin data: 569 tumours, 30 measurements on very different scales (unscaled). " +
      'Columns: features (vector of the 30), mean_radius … worst_fractal_dimension, label (0 malignant, 1 benign). Try k = 2.',
    'breast_cancer.csv',
  ),
  fileSample(
    'sample-old-faithful',
    'Old Faithful (R)',
    "R's faithful data: 272 eruptions of the Old Faithful geyser. Columns: features (vector \"eruptions waiting\"), eruptions " +
      '(minutes), waiting (minutes to the next eruption, whole minutes). mclust chooses 3 Gaussians with a tied covariance by BIC.',
    'old_faithful.csv',
    false,
  ),
  fileSample(
    'sample-iris',
    'Iris (R)',
    "Edgar Anderson's iris data as R ships it: 150 flowers, 4 measurements (cm). Columns: features (vector of the 4), " +
      'sepal_length, sepal_width, petal_length, petal_width, label (0 setosa, 1 versicolor, 2 virginica).',
    'iris.csv',
  ),
];

export function findSampleDataset(id: string): SampleDataset | undefined {
  return SAMPLE_DATASETS.find((d) => d.id === id);
}
