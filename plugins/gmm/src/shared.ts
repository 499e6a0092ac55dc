import { ComponentError, findColumn, inLabels, type ExecutionContext, type FieldError, type ParameterDescription, type PortValue } from '@mixflow/component-sdk';
import { dropMissingRows, GmmInputError, makeDataMatrix, validateWeights, type DataMatrix, type GmmModelJson, type MissingValues } from '@mixflow/gmm';
import { extractFeatures, fillMissingCells, getColumn, presentColumnMeans, TableError, type Table, type TableSchema } from '@mixflow/table';
import { EXECUTION_PARAMS, featureParams, missingValuesParam, TRAINING_PARAMS, WEIGHT_COL_PARAM, type FeatureChoice } from './params';

/** Every parameter GMM's components share, for naming them by label in the engine's and the table's messages. */
const SHARED_PARAMETERS: readonly ParameterDescription[] = [
  ...featureParams(0, 'train'),
  WEIGHT_COL_PARAM,
  missingValuesParam('train'),
  ...TRAINING_PARAMS,
  ...EXECUTION_PARAMS,
];

/**
 * Turns the libraries' located errors into a ComponentError for this node, keeping row, column and parameter; the
 * engine's option names in the message become the parameters' labels ("maxIter must be …" → "Maximum iterations
 * must be …").
 */
export function asComponentError(err: unknown, nodeId: string, port?: number): unknown {
  if (err instanceof ComponentError) return err;
  if (err instanceof TableError || err instanceof GmmInputError) {
    const d = err.details as { row?: number; column?: string; parameter?: string };
    return new ComponentError(inLabels(err.message, SHARED_PARAMETERS, d.parameter), {
      nodeId,
      ...(d.row !== undefined ? { row: d.row } : {}),
      ...(d.column !== undefined ? { column: d.column } : {}),
      ...(d.parameter !== undefined ? { parameter: d.parameter } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  }
  return err;
}

/**
 * Field errors for the feature choice against an input schema, and the dimension when it can be known
 * before running (the vector column's size, or the number of feature columns).
 */
export function checkFeatures(schema: TableSchema, choice: FeatureChoice, port: number): { dims?: number; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (choice.vectorCol && choice.featureCols) {
    errors.push({ parameter: 'vectorCol', port, message: 'set Vector column or Feature columns, not both: clear one of them' });
    return { errors };
  }
  if (!choice.vectorCol && !choice.featureCols) {
    // on a table without a vector column the way out is ticking feature columns: the error sits there, not on an empty dropdown
    if (schema.columns.some((c) => c.type === 'vector')) {
      errors.push({ parameter: 'vectorCol', port, message: 'set Vector column, or use numeric columns as Feature columns' });
    } else {
      errors.push({ parameter: 'featureCols', port, message: 'tick the numeric columns to use as Feature columns (the input has no vector column)' });
    }
    return { errors };
  }
  if (choice.vectorCol) {
    const found = findColumn(schema, choice.vectorCol, { parameter: 'vectorCol', label: 'Vector column', port, types: ['vector', 'string'] });
    if ('error' in found) {
      const existing = schema.columns.find((c) => c.name === choice.vectorCol);
      if (existing) {
        found.error.message = `Vector column: column "${existing.name}" is ${existing.type}, not a vector column; pick a vector column, or use numeric columns as Feature columns`;
      }
      return { errors: [found.error] };
    }
    return { dims: found.column.vectorSize, errors };
  }
  for (const name of choice.featureCols as string[]) {
    const found = findColumn(schema, name, { parameter: 'featureCols', label: 'Feature columns', port, types: ['double', 'long'] });
    if ('error' in found) errors.push(found.error);
  }
  return { dims: errors.length ? undefined : (choice.featureCols as string[]).length, errors };
}

export function tableOn(ctx: ExecutionContext, port: number): Table {
  const v: PortValue | undefined = ctx.inputs[port];
  if (!v || v.type !== 'table') {
    throw new ComponentError(`input port ${port} needs a table; connect a table output to it`, { nodeId: ctx.nodeId, port });
  }
  return v.table;
}

/** The feature matrix; missing cells are an error naming row and column unless missingValues is drop or mean (then NaN). */
export function featuresOf(ctx: ExecutionContext, table: Table, choice: FeatureChoice, port: number): DataMatrix {
  try {
    return extractFeatures(table, choice, missingValuesOf(ctx) === 'error' ? 'error' : 'allow');
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, port);
  }
}

export function missingValuesOf(ctx: ExecutionContext): MissingValues {
  return (ctx.params.missingValues as MissingValues | undefined) ?? 'error';
}

/** Names of the features for messages: the feature columns, or the vector column's elements. */
function featureNamesOf(choice: FeatureChoice, dims: number): string[] {
  return choice.featureCols ?? Array.from({ length: dims }, (_, j) => `${choice.vectorCol}[${j}]`);
}

/**
 * Training rows under missingValues: drop leaves rows with a missing cell out, mean fills them with the column
 * means (returned, for the model). The log and a metric (droppedRows / imputedRows) count the rows.
 */
export function trainingRows(ctx: ExecutionContext, X: DataMatrix, choice: FeatureChoice): { data: DataMatrix; imputeMeans?: number[]; keptRows?: Int32Array } {
  const policy = missingValuesOf(ctx);
  if (policy === 'drop') {
    const { data, dropped, keptRows } = dropMissingRows(X);
    ctx.metric('droppedRows', dropped);
    if (dropped > 0) ctx.log('warn', `missingValues drop: left out ${dropped} of ${X.rows} rows with a missing value; training on ${data.rows}`);
    if (data.rows === 0) {
      throw new ComponentError('every row has a missing value, so Missing values "drop" leaves nothing to train on; choose "mean" or fill the data in', {
        nodeId: ctx.nodeId,
        parameter: 'missingValues',
      });
    }
    return dropped > 0 ? { data, keptRows } : { data };
  }
  if (policy === 'mean') {
    const means = presentColumnMeans(X);
    const empty = means.findIndex((m) => Number.isNaN(m));
    if (empty >= 0) {
      const column = featureNamesOf(choice, X.cols)[empty];
      throw new ComponentError(`column "${column}" has no values at all, so it has no mean to impute; drop it from the features`, {
        nodeId: ctx.nodeId,
        column,
        parameter: 'missingValues',
        port: 0,
      });
    }
    const { data, imputedRows } = filledWith(X, means);
    ctx.metric('imputedRows', imputedRows);
    if (imputedRows > 0) ctx.log('warn', `missingValues mean: filled in the missing cells of ${imputedRows} of ${X.rows} rows with the column means`);
    return { data, imputeMeans: means };
  }
  return { data: X };
}

/** The features as read (no row weights yet) with their missing cells set to `means`, and how many rows had one. */
function filledWith(X: DataMatrix, means: readonly number[]): { data: DataMatrix; imputedRows: number } {
  const { filled, filledRows } = fillMissingCells(X, means);
  return { data: makeDataMatrix(filled.data, filled.rows, filled.cols), imputedRows: filledRows };
}

/**
 * Prediction rows under missingValues: drop predicts only the complete rows (keptRows says which); mean fills
 * in the model's training means, and needs a model that stores them.
 */
export function predictionRows(ctx: ExecutionContext, X: DataMatrix, model: Pick<GmmModelJson, 'imputeMeans'>): { data: DataMatrix; keptRows?: Int32Array } {
  const policy = missingValuesOf(ctx);
  if (policy === 'drop') {
    const { data, keptRows, dropped } = dropMissingRows(X);
    ctx.metric('droppedRows', dropped);
    if (dropped > 0) ctx.log('warn', `missingValues drop: ${dropped} of ${X.rows} rows have a missing value and get an empty prediction`);
    return dropped > 0 ? { data, keptRows } : { data };
  }
  if (policy === 'mean') {
    if (!model.imputeMeans) {
      throw new ComponentError(
        'Missing values "mean" fills in the training means, but this model stores none: train it with Missing values "mean", or choose "drop" or "error" here',
        { nodeId: ctx.nodeId, parameter: 'missingValues', port: 0 },
      );
    }
    const { data, imputedRows } = filledWith(X, model.imputeMeans);
    ctx.metric('imputedRows', imputedRows);
    if (imputedRows > 0) ctx.log('warn', `missingValues mean: filled in the missing cells of ${imputedRows} of ${X.rows} rows with the model's training means`);
    return { data };
  }
  return { data: X };
}

/** The Weight column parameter, or undefined when it is empty (unweighted EM). */
export function weightColOf(params: Record<string, unknown>): string | undefined {
  return typeof params.weightCol === 'string' && params.weightCol !== '' ? params.weightCol : undefined;
}

/** Field errors for the Weight column against an input schema: it must exist and be numeric. */
export function checkWeightCol(schema: TableSchema, weightCol: string | undefined, port: number): FieldError[] {
  if (!weightCol) return [];
  const found = findColumn(schema, weightCol, { parameter: 'weightCol', label: 'Weight column', port, types: ['double', 'long'] });
  return 'error' in found ? [found.error] : [];
}

/**
 * The training rows' sample weights from `weightCol` (only the rows missingValues kept, when it dropped some),
 * checked: a missing, negative or non-finite weight is an error naming its 1-based data row and the column, as is
 * a column of zeros. The log says that the fit is weighted and how many rows take no part.
 */
export function sampleWeights(ctx: ExecutionContext, table: Table, weightCol: string, keptRows?: Int32Array): Float64Array {
  const errors = checkWeightCol(table.schema, weightCol, 0);
  if (errors.length) throw new ComponentError(errors[0].message, { nodeId: ctx.nodeId, parameter: 'weightCol', port: 0 });
  const column = getColumn(table, weightCol) as Float64Array;
  const weights = keptRows ? Float64Array.from(keptRows, (r) => column[r]) : Float64Array.from(column);
  let total: number;
  try {
    total = validateWeights(weights, weights.length, weightCol, keptRows);
  } catch (err) {
    const e = asComponentError(err, ctx.nodeId, 0) as ComponentError;
    throw new ComponentError(e.message, { ...e.details, parameter: 'weightCol' });
  }
  let zero = 0;
  for (const w of weights) if (w === 0) zero++;
  ctx.metric('totalWeight', total);
  ctx.log(
    'info',
    `weighted EM: sample weights from column "${weightCol}" (Σ weight ${total.toPrecision(8)} over ${weights.length} rows` +
      `${zero > 0 ? `; ${zero} row${zero === 1 ? ' of weight 0 takes' : 's of weight 0 take'} no part` : ''}); the log-likelihood, BIC and AIC are weighted`,
  );
  return weights;
}

/** The model with the features it was trained on: the vector column, or the feature columns' names. */
export function withFeatureProvenance(model: GmmModelJson, choice: FeatureChoice): GmmModelJson {
  const out = { ...model };
  if (choice.vectorCol) {
    out.vectorCol = choice.vectorCol;
    delete out.featureNames;
  } else {
    out.featureNames = [...(choice.featureCols as string[])];
    delete out.vectorCol;
  }
  return out;
}
