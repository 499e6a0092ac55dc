/**
 * Where GMM Training's rows come from and how they are held. A stored dataset that reaches training unloaded (Read
 * Dataset on a host that reads stored rows in batches) is read from its Parquet a batch at a time, never as a table:
 * into one matrix on shared memory when the matrix fits the run's memory budget ("memory"), else into a row file in
 * the data folder that the engine reads again every E-step, one chunk per worker at a time, the start running on a
 * seeded sample of the rows ("stream"). Either way the chunks are the same, so from the same start the two modes
 * give the same model, bit for bit. A table already in memory (the output of another component) is trained on as it
 * is.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentError, rowsReadProgress, type ExecutionContext } from '@mixflow/component-sdk';
import { RowReservoir, startSampleCapacity, startSampleSeed, type DataMatrix } from '@mixflow/gmm';
import { TableError, type Table } from '@mixflow/table';
import type { StreamedRows } from './engine-runs';
import type { FeatureChoice } from './params';
import { asComponentError, checkFeatures, featuresOf, missingValuesOf, sampleWeights, trainingRows } from './shared';

export type DataMode = 'memory' | 'stream';

/** The memory a run may hold its rows in: workers × memory per worker, or the host's cap when that is lower. */
export interface MemoryBudget {
  mb: number;
  /** where the figure comes from, for the log */
  detail: string;
}

export function memoryBudget(params: { numWorkers?: unknown; memoryPerWorkerMb?: unknown }, hostCapMb: number | undefined): MemoryBudget {
  const workers = params.numWorkers as number;
  const perWorker = params.memoryPerWorkerMb as number;
  const run = workers * perWorker;
  const workersText = `${workers} worker${workers === 1 ? '' : 's'} × ${perWorker} MB = ${run} MB`;
  if (hostCapMb !== undefined && hostCapMb < run) return { mb: hostCapMb, detail: `the server's training memory budget, MIXFLOW_TRAINING_MEMORY_MB, below ${workersText}` };
  return { mb: run, detail: workersText };
}

/** The matrix's size in MB (8-byte numbers) and the mode it takes: streamed when it does not fit the budget. */
export function chooseDataMode(rows: number, cols: number, budget: MemoryBudget): { mode: DataMode; matrixMb: number } {
  const matrixMb = (rows * cols * 8) / 2 ** 20;
  return { mode: matrixMb > budget.mb ? 'stream' : 'memory', matrixMb };
}

/**
 * The share of GMM Training's bar that reading a stored dataset's rows takes when the node reads them itself (a
 * million rows of 10 dimensions: seconds, before the start and EM).
 */
export const READ_SHARE = 0.1;

export interface TrainingData {
  X: DataMatrix | StreamedRows;
  mode: DataMode;
  /** the node read the rows from the stored dataset itself: its bar's first READ_SHARE was the reading */
  readStored: boolean;
  imputeMeans?: number[];
  /** row numbers of the table kept by missingValues drop (the in-memory path) */
  keptRows?: Int32Array;
  /** removes the row file of a streamed run */
  release(): void;
}

const nothingToRelease = (): void => undefined;

const mb = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));

/**
 * The training rows of the table on port 0 under the node's feature choice, missing values policy and weight column,
 * held as the run's memory budget allows; the run log says which mode and why, the `dataMode` metric records it.
 */
export async function trainingData(ctx: ExecutionContext, table: Table, choice: FeatureChoice, weightCol: string | undefined, randomSeed: number): Promise<TrainingData> {
  const budget = memoryBudget(ctx.params, ctx.env.trainingMemoryMb);
  const policy = missingValuesOf(ctx);
  const { dims, errors } = checkFeatures(table.schema, choice, 0);
  if (errors.length) throw new ComponentError(errors[0].message, { nodeId: ctx.nodeId, port: 0, ...(errors[0].parameter ? { parameter: errors[0].parameter } : {}) });
  const datasetId = table.unloaded ? table.origin?.datasetId : undefined;
  let whyWhole: string | undefined;
  if (datasetId !== undefined && ctx.env.readDatasetRows) {
    if (policy === 'mean') whyWhole = 'Missing values "mean" needs the column means first, which reading in batches does not compute yet';
    else if (weightCol) whyWhole = 'a Weight column is not read in batches yet';
    else {
      const read = await readStored(ctx, datasetId, table.rowCount, choice, dims!, budget, randomSeed);
      if (read) return read;
      whyWhole = 'its vector column is stored as text (sparse or non-canonical cells), which is parsed whole';
    }
  }
  // the table is built once every row is read (a text vector column of a million rows is parsed then: seconds)
  const loaded = datasetId !== undefined ? await ctx.env.loadDataset(datasetId, rowsReadProgress(ctx, table.rowCount, READ_SHARE, { then: 'parsing the features' })) : table;
  const rows = trainingRows(ctx, featuresOf(ctx, loaded, choice, 0), choice);
  const X = weightCol ? { ...rows.data, weights: sampleWeights(ctx, loaded, weightCol, rows.keptRows) } : rows.data;
  const { matrixMb, mode } = chooseDataMode(X.rows, X.cols, budget);
  const source = whyWhole
    ? `the stored dataset was read whole: ${whyWhole}`
    : table.origin
      ? `the input is stored dataset '${table.origin.datasetId}' already loaded as a table (a run from this node reads the earlier run's output, or the host reads no rows in batches)`
      : 'the input is a table in memory (made by an upstream component)';
  ctx.log('info', `data mode: in memory; ${source}; the ${X.rows} × ${X.cols} matrix takes ${mb(matrixMb)} MB of a budget of ${budget.mb} MB (${budget.detail})`);
  if (mode === 'stream') {
    ctx.log('warn', `the matrix (${mb(matrixMb)} MB) does not fit the run's memory budget (${budget.mb} MB) but cannot stream: ${whyWhole ?? 'only a stored dataset read by Read Dataset streams from disk'}`);
  }
  ctx.metric('dataMode', { mode: 'memory', matrixMb, budgetMb: budget.mb });
  return { X, mode: 'memory', readStored: datasetId !== undefined, ...(rows.imputeMeans ? { imputeMeans: rows.imputeMeans } : {}), release: nothingToRelease };
}

/**
 * A stored dataset's feature rows, read from its Parquet a batch at a time: into shared memory, or into a row file
 * with a seeded sample for the start. A missing cell is an error naming its row and column unless missingValues is
 * drop (the row is left out); a value that is not finite is an error. Undefined when the host cannot read the
 * columns in batches.
 */
async function readStored(
  ctx: ExecutionContext,
  datasetId: string,
  rowCount: number,
  choice: FeatureChoice,
  d: number,
  budget: MemoryBudget,
  randomSeed: number,
): Promise<TrainingData | undefined> {
  const { mode, matrixMb } = chooseDataMode(rowCount, d, budget);
  const drop = missingValuesOf(ctx) === 'drop';
  const names = choice.featureCols ?? Array.from({ length: d }, (_, j) => `${choice.vectorCol}[${j}]`);
  const columns = choice.featureCols ? { columns: choice.featureCols } : { vectorCol: choice.vectorCol!, dims: d };

  let kept = 0;
  let sink: (values: Float64Array, rows: number) => void;
  let matrix: Float64Array | undefined;
  let file: string | undefined;
  let fd: number | undefined;
  let reservoir: RowReservoir | undefined;
  if (mode === 'memory') {
    matrix = new Float64Array(new SharedArrayBuffer(rowCount * d * 8));
    sink = (values) => matrix!.set(values, kept * d);
  } else {
    file = ctx.env.tempFile?.('.rows') ?? join(tmpdir(), `mixflow-rows-${randomUUID()}.rows`);
    fd = openSync(file, 'w');
    reservoir = new RowReservoir(startSampleCapacity(d), d, startSampleSeed(randomSeed));
    sink = (values, rows) => {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, rows * d * 8);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd!, bytes, done, bytes.length - done);
      reservoir!.add(values, rows);
    };
  }
  const release = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    if (file) rmSync(file, { force: true });
  };

  let read: number | undefined;
  const onRows = rowsReadProgress(ctx, rowCount, READ_SHARE, { into: mode === 'memory' ? 'into memory' : 'into a row file' });
  try {
    read = await ctx.env.readDatasetRows!(
      datasetId,
      columns,
      (values, rows, firstRow) => {
        onRows(firstRow + rows);
        let clean = true;
        for (let i = 0; i < rows * d && clean; i++) clean = Number.isFinite(values[i]);
        if (clean) {
          sink(values, rows);
          kept += rows;
          return;
        }
        // left out rows are compacted in place (the batch is ours until this returns)
        let out = 0;
        for (let i = 0; i < rows; i++) {
          let missing = false;
          for (let j = 0; j < d; j++) {
            const v = values[i * d + j];
            if (Number.isNaN(v)) {
              if (!drop) throw missingCell(firstRow + i + 1, names[j]);
              missing = true;
            } else if (!Number.isFinite(v)) {
              throw new TableError(`row ${firstRow + i + 1}, column "${names[j]}" is ${v}: features must be finite numbers; fix or filter that row`, { row: firstRow + i + 1, column: names[j] });
            }
          }
          if (missing) continue;
          if (out !== i) values.copyWithin(out * d, i * d, (i + 1) * d);
          out++;
        }
        if (out > 0) sink(values.subarray(0, out * d), out);
        kept += out;
      },
      ctx.signal,
    );
  } catch (err) {
    release();
    throw asComponentError(err, ctx.nodeId, 0);
  }
  if (read === undefined) {
    release();
    return undefined;
  }
  if (fd !== undefined) closeSync(fd);
  fd = undefined;
  const dropped = read - kept;
  if (drop) {
    ctx.metric('droppedRows', dropped);
    if (dropped > 0) ctx.log('warn', `missingValues drop: left out ${dropped} of ${read} rows with a missing value; training on ${kept}`);
    if (kept === 0) {
      release();
      throw new ComponentError('every row has a missing value, so Missing values "drop" leaves nothing to train on; choose "mean" or fill the data in', {
        nodeId: ctx.nodeId,
        parameter: 'missingValues',
      });
    }
  }
  const size = `the ${kept} × ${d} matrix (${mb(matrixMb)} MB)`;
  if (mode === 'memory') {
    ctx.log('info', `data mode: in memory; ${size} fits the run's memory budget of ${budget.mb} MB (${budget.detail}); read from the stored Parquet a batch at a time`);
    ctx.metric('dataMode', { mode, matrixMb, budgetMb: budget.mb });
    return { X: { data: matrix!.subarray(0, kept * d), rows: kept, cols: d }, mode, readStored: true, release };
  }
  const sample = reservoir!.sample();
  ctx.log(
    'info',
    `data mode: streamed; ${size} does not fit the run's memory budget of ${budget.mb} MB (${budget.detail}); its rows were written once ` +
      `from the stored Parquet to a row file on disk, and EM reads them from there every iteration, one chunk per worker at a time`,
  );
  ctx.log('info', `the start runs on a seeded sample of ${sample.rows} of the ${kept} rows (reservoir sampling; Random seed ${randomSeed} gives the same sample)`);
  ctx.metric('dataMode', { mode, matrixMb, budgetMb: budget.mb, startSampleRows: sample.rows });
  return { X: { file: file!, rows: kept, cols: d, sample }, mode, readStored: true, release };
}

function missingCell(row: number, column: string): TableError {
  return new TableError(`row ${row}, column "${column}" is empty: a missing value; set missingValues to drop or mean to train and predict without it, or fill it in`, {
    row,
    column,
  });
}
