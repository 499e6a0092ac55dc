import {
  ComponentError,
  engineRunOptions,
  modelInput,
  tableInput,
  type ComponentDescription,
  type ComponentDefinition,
  type ConfigureResult,
  type ExecutionContext,
  type FieldError,
  type ModelPayload,
  type ParameterDescription,
  type Params,
  type PortSchema,
  type ViewDescription,
} from '@mixflow/component-sdk';
import { fitCriteria } from '@mixflow/gmm';
import { estimatePrediction } from '@mixflow/resource-estimator';
import { formatVector, withColumns, type ColumnSchema, type TableSchema } from '@mixflow/table';
import { EXECUTION_PARAMS, featureChoice, featureParams, missingValuesParam, type FeatureChoice } from './params';
import { asComponentError, checkFeatures, featuresOf, predictionRows, tableOn } from './shared';
import { predictOnEngine } from './engine-runs';
import { gmmPortModel, type GmmPortModel } from './payload';

export const PREDICTION_PARAMS: ParameterDescription[] = [
  ...featureParams(1, 'predict'),
  {
    name: 'reservedCols',
    label: 'Reserved columns',
    tab: 'field',
    type: 'columns',
    port: 1,
    help: 'Input columns copied to the output, in this order. Leave empty to keep every input column.',
  },
  {
    name: 'predictionCol',
    label: 'Prediction column',
    tab: 'parameter',
    type: 'string',
    default: 'prediction_result',
    help: "Name of the output column that holds the index (0-based, an integer) of the most likely cluster of each row. Default prediction_result, as PAI's prediction components name it.",
  },
  {
    name: 'predictionDetailCol',
    label: 'Prediction detail column',
    tab: 'parameter',
    type: 'string',
    help: 'Optional output column with the posterior probability of every cluster, in cluster order, space separated (e.g. "0.98 0.02"). Leave empty for none.',
  },
  {
    name: 'scoreCol',
    label: 'Score column',
    tab: 'parameter',
    type: 'string',
    default: '',
    help: "Optional output column (double) with each row's log density under the model, scikit-learn's score_samples. Leave empty for none. Either way the metrics give the mean log-likelihood, BIC and AIC of the rows predicted.",
  },
  {
    name: 'numThreads',
    label: 'Threads per worker',
    tab: 'parameter',
    type: 'int',
    default: 1,
    min: 1,
    max: 128,
    help: 'Threads each worker predicts with. The engine runs one thread per worker, so it is given Number of Workers × this many workers (each with Memory per worker).',
  },
  missingValuesParam('predict'),
  ...EXECUTION_PARAMS,
];

/** The features a prediction reads: what the parameters say, else what the model was trained on. */
export function predictionFeatures(params: Params, model?: { vectorCol?: string; featureCols?: string[]; featureNames?: string[] }): FeatureChoice {
  const chosen = featureChoice(params);
  if (chosen.vectorCol || chosen.featureCols) return chosen;
  if (model?.vectorCol) return { vectorCol: model.vectorCol };
  const cols = model?.featureCols ?? model?.featureNames;
  if (cols && cols.length) return { featureCols: [...cols] };
  return {};
}

/** The output columns a prediction adds. */
export function predictionColumns(params: Params): ColumnSchema[] {
  const out: ColumnSchema[] = [{ name: params.predictionCol as string, type: 'long' }];
  if (typeof params.predictionDetailCol === 'string' && params.predictionDetailCol !== '') {
    out.push({ name: params.predictionDetailCol, type: 'string' });
  }
  return out;
}

/** The score column a prediction adds, when scoreCol names one. */
export function scoreColumn(params: Params): ColumnSchema | undefined {
  return typeof params.scoreCol === 'string' && params.scoreCol !== '' ? { name: params.scoreCol, type: 'double' } : undefined;
}

/** The input columns copied to the output: reservedCols when set, else every column of the input. */
export function reservedColumns(params: Params, schema: TableSchema): string[] {
  return Array.isArray(params.reservedCols) && params.reservedCols.length ? params.reservedCols : schema.columns.map((c) => c.name);
}

function dimsMismatch(modelDims: number, dataDims: number, choice: FeatureChoice): FieldError {
  const what = choice.vectorCol ? `vector column "${choice.vectorCol}" has ${dataDims} dimensions` : `${dataDims} feature columns are chosen`;
  return {
    parameter: choice.vectorCol ? 'vectorCol' : 'featureCols',
    port: 1,
    ...(choice.vectorCol ? { column: choice.vectorCol } : {}),
    message: `the model has ${modelDims} dimensions but the ${what}; use the columns the model was trained on or retrain it`,
  };
}

/** Output schema and field errors of GMM Prediction (batch and stream), without running. */
export function configurePrediction(params: Params, inputs: (PortSchema | undefined)[]): ConfigureResult {
  const model = modelInput(inputs, 0);
  const schema = tableInput(inputs, 1);
  const errors: FieldError[] = [];
  if (inputs[0] && !model) errors.push({ port: 0, message: 'input port 0 takes a GMM model' });
  if (inputs[1] && !schema) errors.push({ port: 1, message: 'input port 1 takes a table' });
  if (!schema) return { outputs: [undefined], errors };
  const choice = predictionFeatures(params, model);
  if (model || choice.vectorCol || choice.featureCols) {
    const checked = checkFeatures(schema, choice, 1);
    errors.push(...checked.errors);
    if (model?.dims !== undefined && checked.dims !== undefined && checked.dims !== model.dims) {
      errors.push(dimsMismatch(model.dims, checked.dims, choice));
    }
  }
  const reserved = reservedColumns(params, schema);
  for (const name of reserved) {
    if (!schema.columns.some((c) => c.name === name)) {
      errors.push({ parameter: 'reservedCols', column: name, port: 1, message: `Reserved columns: column "${name}" is not in the input table` });
    }
  }
  if (typeof params.predictionCol !== 'string' || params.predictionCol === '') {
    errors.push({ parameter: 'predictionCol', message: 'Prediction column is empty: name the output column of the cluster index' });
    return { outputs: [undefined], errors };
  }
  const score = scoreColumn(params);
  const added = [...predictionColumns(params), ...(score ? [score] : [])];
  const parameterOf = (c: ColumnSchema, i: number): string => (i === 0 ? 'predictionCol' : c === score ? 'scoreCol' : 'predictionDetailCol');
  added.forEach((c, i) => {
    if (reserved.includes(c.name)) {
      errors.push({
        parameter: parameterOf(c, i),
        column: c.name,
        message: `output column "${c.name}" already exists among the reserved columns; choose another name or leave "${c.name}" out of Reserved columns`,
      });
    }
    const first = added.findIndex((other) => other.name === c.name);
    if (first < i) errors.push({ parameter: parameterOf(c, i), message: `${parameterOf(c, i)} must differ from ${parameterOf(added[first], first)}` });
  });
  const kept = reserved.map((name) => schema.columns.find((c) => c.name === name)).filter((c): c is ColumnSchema => c !== undefined);
  const output: TableSchema = { columns: [...kept, ...added] };
  return { outputs: [{ type: 'table', schema: output, ...(inputs[1]?.type === 'table' && inputs[1].rowCount !== undefined ? { rowCount: inputs[1].rowCount } : {}) }], errors };
}

/** The GMM on input `port` as it came: its head to read here, the model to hand to the driver threads. */
function portModelOn(ctx: ExecutionContext, port: number): GmmPortModel {
  return gmmPortModel(modelPayloadOn(ctx, port), ctx.nodeId, port);
}

function modelPayloadOn(ctx: ExecutionContext, port: number): ModelPayload {
  const v = ctx.inputs[port];
  if (!v || v.type !== 'model') throw new ComponentError(`input port ${port} needs a GMM model; connect GMM Training's output to it`, { nodeId: ctx.nodeId, port });
  return v.model;
}

/** GMM Prediction's result views: the predicted table. */
const PREDICTION_VIEWS: ViewDescription[] = [{ id: 'predictions', kind: 'table', title: 'Predictions', source: { output: 0 } }];

function predictionDescription(id: string, displayName: string, description: string): ComponentDescription {
  return {
    id,
    displayName,
    category: 'Clustering',
    version: 1,
    description,
    icon: id,
    inputs: [
      { name: 'model', label: 'GMM model', type: 'model' },
      { name: 'data', label: 'Data', type: 'table' },
    ],
    outputs: [{ name: 'predictions', label: 'Predictions', type: 'table' }],
    parameters: PREDICTION_PARAMS,
    views: PREDICTION_VIEWS,
  };
}

export function predictionDescriptionFor(kind: 'batch' | 'stream'): ComponentDescription {
  return kind === 'batch'
    ? predictionDescription(
        'gmm-predict',
        'GMM Prediction',
        'Assigns every row to its most likely cluster of a trained GMM, optionally with every cluster’s probability.',
      )
    : predictionDescription(
        'gmm-predict-stream',
        'GMM Prediction (stream)',
        'Predicts rows that arrive one by one (the API’s streaming endpoint); a newer model of the same dimension replaces the one in use without dropping rows.',
      );
}

/** Rows of prediction detail formatted between two turns of the event loop (some tens of milliseconds). */
const FORMAT_SLICE_ROWS = 20_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** GMM Prediction (Alink GmmPredictBatchOp): port 0 model, port 1 table; out: reserved columns + prediction (+ detail). */
export const gmmPredict: ComponentDefinition = {
  description: predictionDescriptionFor('batch'),
  configure: (params, inputs) => configurePrediction(params, inputs),
  estimate(params, inputs) {
    const model = inputs[0] ?? {};
    const data = inputs[1] ?? {};
    const dims = model.dims ?? data.dims;
    if (!dims || !model.k) throw new ComponentError('the estimate needs the model: connect a trained GMM to port 0', { port: 0 });
    return estimatePrediction({
      dims,
      k: model.k,
      ...(model.modelBytes !== undefined ? { modelBytes: model.modelBytes } : {}),
      ...(data.rows !== undefined ? { rows: data.rows } : {}),
      ...(data.bytes !== undefined ? { dataBytes: data.bytes } : {}),
      numWorkers: params.numWorkers as number,
      memoryPerWorkerMb: params.memoryPerWorkerMb as number,
    });
  },

  async execute(ctx) {
    const onPort = portModelOn(ctx, 0);
    const model = onPort.head;
    const table = tableOn(ctx, 1);
    const choice = predictionFeatures(ctx.params, model);
    const features = featuresOf(ctx, table, choice, 1);
    if (features.cols !== model.dims) {
      const e = dimsMismatch(model.dims, features.cols, choice);
      throw new ComponentError(e.message, { nodeId: ctx.nodeId, port: 1, ...(e.parameter ? { parameter: e.parameter } : {}), ...(e.column ? { column: e.column } : {}) });
    }
    const { data: X, keptRows } = predictionRows(ctx, features, model);
    const workers = Math.min(9999, (ctx.params.numWorkers as number) * (ctx.params.numThreads as number));
    let outcome;
    try {
      // 0.95 at the last batch: building the output columns is the rest
      // the model as it came (an encoded one is parsed on the driver thread)
      outcome = await predictOnEngine(ctx.engine, onPort.model, X, engineRunOptions(ctx, { numWorkers: workers }), (done, total) =>
        ctx.progress((0.95 * done) / Math.max(1, total), `predicted ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`),
      );
    } catch (err) {
      throw asComponentError(err, ctx.nodeId, 1);
    }
    const keep = reservedColumns(ctx.params, table.schema);
    const [predictionCol, detailCol] = predictionColumns(ctx.params);
    // rows left out by missingValues drop keep an empty prediction (NaN, an empty CSV cell) and an empty detail
    const rows = features.rows;
    const rowOf = (i: number): number => (keptRows ? keptRows[i] : i);
    const labels = new Float64Array(rows).fill(NaN);
    for (let i = 0; i < X.rows; i++) labels[rowOf(i)] = outcome.labels[i];
    const extra = [{ schema: predictionCol, data: labels as Float64Array | string[] }];
    if (detailCol) {
      const k = model.k;
      const detail = new Array<string>(rows).fill('');
      for (let i = 0; i < X.rows; i++) {
        detail[rowOf(i)] = formatVector(outcome.probabilities.subarray(i * k, (i + 1) * k));
        // a million rows' text takes seconds: other requests are answered between slices
        if ((i + 1) % FORMAT_SLICE_ROWS === 0) await nextTurn();
      }
      extra.push({ schema: detailCol, data: detail });
    }
    // the log density of every predicted row (from the workers' E-step): scoreCol, and the table's mean log-likelihood, BIC and AIC
    const logDensity = outcome.logDensity;
    const scoreCol = scoreColumn(ctx.params);
    if (scoreCol) {
      const scores = new Float64Array(rows).fill(NaN);
      for (let i = 0; i < X.rows; i++) scores[rowOf(i)] = logDensity[i];
      extra.push({ schema: scoreCol, data: scores });
    }
    if (X.rows > 0) {
      const fit = fitCriteria(model, logDensity.reduce((a, b) => a + b, 0), X.rows);
      ctx.metric('meanLogLikelihood', fit.meanLogLikelihood);
      ctx.metric('bic', fit.bic);
      ctx.metric('aic', fit.aic);
    }
    let output;
    try {
      output = withColumns(table, keep, extra);
    } catch (err) {
      throw asComponentError(err, ctx.nodeId, 1);
    }
    ctx.metric('rows', rows);
    ctx.metric('seconds', outcome.run.seconds);
    ctx.metric('engine', outcome.run.engine);
    ctx.metric('workersUsed', outcome.run.workersUsed);
    if (outcome.run.peakMemoryMbPerWorker !== undefined) ctx.metric('peakMemoryMbPerWorker', outcome.run.peakMemoryMbPerWorker);
    ctx.progress(1, `predicted ${X.rows} rows`);
    return { outputs: [{ type: 'table', table: output }] };
  },
};
