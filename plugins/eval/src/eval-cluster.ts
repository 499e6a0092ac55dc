/**
 * Clustering Model Evaluation (PAI Designer; Alink's EvalClusterBatchOp): how good a clustering is, from the
 * prediction column alone (count, k, cluster sizes), with the features (SSB, SSW, VRC, CP, SP, DB, silhouette) and
 * with known labels (NMI, purity, RI, ARI, confusion matrix). As in Alink, the one output is a one-row table whose
 * `cluster_eval_result` cell holds the metrics as JSON; the same figures are the node's metrics.
 */
import { ComponentError, engineRunOptions, executionParams, findColumn, tableInput, type ComponentDefinition, type ExecutionContext, type FieldError } from '@mixflow/component-sdk';
import { chooseRows, Rng } from '@mixflow/gmm';
import { columnIndex, extractFeatures, isMissingCell, TableError, tableFromColumns, type ColumnType, type DenseRows, type Table, type TableSchema } from '@mixflow/table';
import { categoriseNumbers, categoriseStrings, geometryMetrics, labelMetrics, type Categories } from './cluster-metrics';
import { DISTANCE_CODE, DISTANCE_TYPES, distanceOf, type DistanceType } from './distance';
import { SILHOUETTE_KERNEL, type SilhouetteParams } from './silhouette-kernel';

export const RESULT_COLUMN = 'cluster_eval_result';
const CATEGORY_TYPES: readonly ColumnType[] = ['long', 'double', 'string'];
/** rows per chunk of the silhouette map: small, so an idle worker can take some of a slow one's rows */
const SILHOUETTE_CHUNK_ROWS = 256;

/** The metrics JSON (and the node's metrics): Alink's ClusterMetrics, named as its getters. */
export interface ClusterMetricsJson {
  count: number;
  k: number;
  clusterArray: string[];
  countArray: number[];
  distanceType: DistanceType;
  ssb?: number;
  ssw?: number;
  vrc?: number;
  cp?: number;
  sp?: number;
  db?: number;
  silhouetteCoefficient?: number;
  /** how many rows the silhouette coefficient was computed on, and whether that was every row */
  silhouetteRows?: number;
  silhouetteExact?: boolean;
  nmi?: number;
  purity?: number;
  ri?: number;
  ari?: number;
  /** rows: predArray (the clusters), columns: labelArray */
  confusionMatrix?: number[][];
  labelArray?: string[];
  predArray?: string[];
}

/** The scalar metrics, in the order the metrics view lists them. */
export const SCALAR_METRICS = [
  'count',
  'k',
  'ssb',
  'ssw',
  'vrc',
  'cp',
  'sp',
  'db',
  'silhouetteCoefficient',
  'silhouetteRows',
  'silhouetteExact',
  'nmi',
  'purity',
  'ri',
  'ari',
] as const;

const EXECUTION_PARAMS = executionParams({
  workersHelp: 'How many workers share the silhouette coefficient (each scores its share of the rows against all of them). The local engine caps this at its thread count and logs that it did.',
  memoryDefault: 1024,
  memoryHelp: 'Memory of each worker in MB (PAI range [1024, 65536]). A worker holds the silhouette sample: 10,000 rows of d numbers are 80·d KB.',
});

/** A table library's located error (a bad vector cell, a missing feature) as this node's, naming the parameter too. */
function located(err: unknown, nodeId: string, parameter: string): unknown {
  if (err instanceof TableError) {
    const d = err.details as { row?: number; column?: string };
    return new ComponentError(`${parameter}: ${err.message}`, {
      nodeId,
      parameter,
      port: 0,
      ...(d.row !== undefined ? { row: d.row } : {}),
      ...(d.column !== undefined ? { column: d.column } : {}),
    });
  }
  return err;
}

function checkConfig(schema: TableSchema, params: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const column = (parameter: string, label: string, types: readonly ColumnType[]) => {
    const name = params[parameter];
    if (typeof name !== 'string' || name === '') return;
    const found = findColumn(schema, name, { parameter, label, port: 0, types });
    if ('error' in found) errors.push(found.error);
  };
  if (typeof params.predictionCol !== 'string' || params.predictionCol === '') {
    errors.push({ parameter: 'predictionCol', port: 0, message: 'Prediction column is required: choose the column holding each row’s cluster (e.g. GMM Prediction’s prediction column)' });
  }
  column('predictionCol', 'Prediction column', CATEGORY_TYPES);
  column('labelCol', 'Label column', CATEGORY_TYPES);
  column('vectorCol', 'Vector column', ['vector', 'string']);
  const featureCols = (params.featureCols as string[] | null | undefined) ?? [];
  const vectorCol = params.vectorCol as string | null | undefined;
  if (vectorCol && featureCols.length) errors.push({ parameter: 'featureCols', port: 0, message: 'set Vector column or Feature columns, not both: clear one of them' });
  for (const name of featureCols) {
    const found = findColumn(schema, name, { parameter: 'featureCols', label: 'Feature columns', port: 0, types: ['double', 'long'] });
    if ('error' in found) errors.push(found.error);
  }
  return errors;
}

/** A category column's values, each checked present (a missing cell is an error naming its row and column). */
function categoriesOf(table: Table, name: string, parameter: string, nodeId: string): Categories {
  const data = table.columns[columnIndex(table.schema, name)];
  const missingAt = (row: number) =>
    new ComponentError(`${parameter}: row ${row + 1}, column "${name}" is missing; every row needs a value there (filter or impute the rows first)`, {
      nodeId,
      parameter,
      column: name,
      row: row + 1,
      port: 0,
    });
  if (data instanceof Float64Array) {
    const at = data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) throw missingAt(at);
    return categoriseNumbers(data);
  }
  if (Array.isArray(data)) {
    const at = data.findIndex((v) => isMissingCell(v));
    if (at >= 0) throw missingAt(at);
    return categoriseStrings(data);
  }
  throw new ComponentError(`${parameter}: column "${name}" is a vector column; choose a column of cluster ids or labels`, { nodeId, parameter, column: name, port: 0 });
}

/** `size` distinct row indices out of n, in increasing order, drawn with the seed (chooseRows). */
export function sampleRows(n: number, size: number, seed: number): Int32Array {
  return chooseRows(n, size, new Rng(seed));
}

interface SilhouetteOutcome {
  value: number;
  rows: number;
  exact: boolean;
}

/** The silhouette coefficient on every row (n ≤ silhouetteSampleSize) or on a seeded sample, mapped over the engine. */
async function silhouette(ctx: ExecutionContext, X: DenseRows, cluster: Categories, distance: DistanceType): Promise<SilhouetteOutcome | undefined> {
  const { rows: n, cols: d } = X;
  const limit = ctx.params.silhouetteSampleSize as number;
  const exact = n <= limit;
  const picked = exact ? undefined : sampleRows(n, limit, ctx.params.randomSeed as number);
  const m = picked ? picked.length : n;
  const rows = new Float64Array(m * (d + 1));
  const present = new Set<number>();
  for (let i = 0; i < m; i++) {
    const r = picked ? picked[i] : i;
    rows.set(X.data.subarray(r * d, (r + 1) * d), i * (d + 1));
    rows[i * (d + 1) + d] = cluster.index[r];
    present.add(cluster.index[r]);
  }
  if (present.size < 2 || present.size > m - 1) {
    ctx.log('warn', `silhouette coefficient left out: it needs 2 to ${m - 1} clusters among the ${m} rows it is computed on, and they hold ${present.size}`);
    return undefined;
  }
  if (!exact) ctx.log('info', `silhouette coefficient on a sample of ${m} of ${n} rows (randomSeed ${ctx.params.randomSeed}); raise silhouetteSampleSize for more`);
  const run = engineRunOptions(ctx);
  const index = new Float64Array(new SharedArrayBuffer(m * 8));
  for (let i = 0; i < m; i++) index[i] = i;
  const session = await ctx.engine.open({ data: index, rows: m, cols: 1 }, SILHOUETTE_CHUNK_ROWS, run);
  try {
    const params: SilhouetteParams = { rows, d, k: cluster.names.length, distance: DISTANCE_CODE[distance] };
    const results = await session.map(SILHOUETTE_KERNEL, params);
    let sum = 0;
    for (let c = 0; c < results.count; c++) for (const s of results.chunk(c)) sum += s;
    ctx.metric('workers', session.info().workersUsed);
    return { value: sum / m, rows: m, exact };
  } finally {
    await session.close();
  }
}

export const evalCluster: ComponentDefinition = {
  description: {
    id: 'eval-cluster',
    displayName: 'Clustering Model Evaluation',
    category: 'Evaluation',
    version: 1,
    description:
      'Measures a clustering: cluster sizes from the prediction column; with the features SSB, SSW, VRC (Calinski–Harabasz), CP, SP, DB (Davies–Bouldin) and the silhouette coefficient; with a label column NMI, purity, RI, ARI and the confusion matrix.',
    icon: 'chart',
    inputs: [{ name: 'data', label: 'Table', type: 'table' }],
    outputs: [{ name: 'metrics', label: 'Evaluation result', type: 'table' }],
    parameters: [
      {
        name: 'predictionCol',
        label: 'Prediction column',
        tab: 'field',
        type: 'column',
        port: 0,
        required: true,
        columnTypes: CATEGORY_TYPES,
        help: "The column holding each row's cluster (GMM Prediction's prediction column, or any column of cluster ids).",
      },
      {
        name: 'vectorCol',
        label: 'Vector column',
        tab: 'field',
        type: 'column',
        port: 0,
        columnTypes: ['vector', 'string'],
        help: 'The features as an Alink vector column: with it (or Feature columns) the evaluation adds SSB, SSW, VRC, CP, SP, DB and the silhouette coefficient.',
      },
      {
        name: 'featureCols',
        label: 'Feature columns',
        tab: 'field',
        type: 'columns',
        port: 0,
        columnTypes: ['double', 'long'],
        help: 'Numeric columns to use as the features instead of a vector column.',
      },
      {
        name: 'labelCol',
        label: 'Label column',
        tab: 'field',
        type: 'column',
        port: 0,
        columnTypes: CATEGORY_TYPES,
        help: 'The known class of each row: with it the evaluation adds NMI, purity, RI, ARI and the confusion matrix.',
      },
      {
        name: 'distanceType',
        label: 'Distance type',
        tab: 'parameter',
        type: 'enum',
        default: 'EUCLIDEAN',
        options: [
          { value: 'EUCLIDEAN', label: 'Euclidean' },
          { value: 'COSINE', label: 'Cosine (1 − cosine similarity)' },
          { value: 'CITYBLOCK', label: 'City block (Manhattan)' },
        ],
        help: 'The distance of CP, SP, DB and the silhouette coefficient. SSB, SSW and VRC are sums of squared Euclidean distances whatever this is.',
      },
      {
        name: 'silhouetteSampleSize',
        label: 'Silhouette rows',
        tab: 'parameter',
        type: 'int',
        default: 10000,
        min: 3,
        max: 1000000,
        help: 'The silhouette coefficient compares every pair of rows: it is exact up to this many rows, and above it is computed on a random sample of this many rows (silhouetteExact says which).',
      },
      {
        name: 'randomSeed',
        label: 'Random seed',
        tab: 'parameter',
        type: 'int',
        default: 0,
        help: 'Seed of the silhouette sample when the table has more rows than Silhouette rows; the same seed gives the same sample.',
      },
      ...EXECUTION_PARAMS,
    ],
    views: [
      { id: 'metrics', kind: 'eval.cluster-metrics', title: 'Metrics', source: { metrics: [...SCALAR_METRICS, 'clusterArray', 'countArray', 'confusionMatrix', 'labelArray'] } },
      { id: 'result', kind: 'table', title: 'Evaluation result', source: { output: 0 } },
    ],
  },

  configure(params, inputs) {
    const schema = tableInput(inputs, 0);
    const output = { type: 'table' as const, schema: { columns: [{ name: RESULT_COLUMN, type: 'string' as const }] }, rowCount: 1 };
    if (!schema) return { outputs: [output], errors: [] };
    return { outputs: [output], errors: checkConfig(schema, params) };
  },

  async execute(ctx) {
    const input = ctx.inputs[0];
    if (!input || input.type !== 'table') throw new ComponentError('input port 0 needs a table; connect a table output to it', { nodeId: ctx.nodeId, port: 0 });
    const table = input.table;
    const errors = checkConfig(table.schema, ctx.params);
    if (errors.length) throw new ComponentError(errors[0].message, { nodeId: ctx.nodeId, port: 0, ...(errors[0].parameter ? { parameter: errors[0].parameter } : {}), ...(errors[0].column ? { column: errors[0].column } : {}) });
    if (table.rowCount === 0) throw new ComponentError('the input table has no rows; there is nothing to evaluate', { nodeId: ctx.nodeId, port: 0 });

    const distanceType = ctx.params.distanceType as DistanceType;
    if (!DISTANCE_TYPES.includes(distanceType)) {
      throw new ComponentError(`distanceType must be one of ${DISTANCE_TYPES.join(', ')}`, { nodeId: ctx.nodeId, parameter: 'distanceType' });
    }
    const cluster = categoriesOf(table, ctx.params.predictionCol as string, 'predictionCol', ctx.nodeId);
    const result: ClusterMetricsJson = { count: table.rowCount, k: cluster.names.length, clusterArray: cluster.names, countArray: cluster.sizes, distanceType };

    const vectorCol = (ctx.params.vectorCol as string | null | undefined) || undefined;
    const featureCols = (ctx.params.featureCols as string[] | null | undefined) ?? [];
    if (vectorCol || featureCols.length) {
      let X: DenseRows;
      try {
        X = extractFeatures(table, vectorCol ? { vectorCol } : { featureCols });
      } catch (err) {
        throw located(err, ctx.nodeId, vectorCol ? 'vectorCol' : 'featureCols');
      }
      ctx.progress(0.1, 'features read');
      Object.assign(result, geometryMetrics(X.data, X.cols, cluster.index, cluster.sizes, distanceOf(distanceType)));
      if (cluster.names.length < 2) ctx.log('warn', 'one cluster only: VRC, SP, DB and the silhouette coefficient need two or more and are left out');
      else {
        const s = await silhouette(ctx, X, cluster, distanceType);
        if (s) Object.assign(result, { silhouetteCoefficient: s.value, silhouetteRows: s.rows, silhouetteExact: s.exact });
      }
    }

    const labelCol = (ctx.params.labelCol as string | null | undefined) || undefined;
    if (labelCol) {
      const label = categoriesOf(table, labelCol, 'labelCol', ctx.nodeId);
      Object.assign(result, labelMetrics(cluster, label), { labelArray: label.names, predArray: cluster.names });
    }

    for (const [name, value] of Object.entries(result)) if (name !== 'distanceType' && name !== 'predArray') ctx.metric(name, value);
    ctx.progress(1, `evaluated ${result.count} rows in ${result.k} clusters`);
    const output = tableFromColumns({ columns: [{ name: RESULT_COLUMN, type: 'string' }] }, [[JSON.stringify(result)]]);
    return { outputs: [{ type: 'table', table: output }] };
  },
};
