/**
 * Standardization (Alink StandardScalerTrainBatchOp / StandardScalerPredictBatchOp): (x − mean) / std with the
 * sample standard deviation, and Normalization (MinMaxScalerTrainBatchOp / MinMaxScalerPredictBatchOp): values
 * rescaled from the column's [min, max] to [min, max] of the parameters. Both are column models: the fitted
 * figures travel as a model so new data is scaled as the training data was. Results are double columns; missing
 * cells stay missing and are left out of the figures.
 */
import { ComponentError, type ExecutionContext, type FieldError, type Params } from '@mixflow/component-sdk';
import type { Table } from '@mixflow/table';
import { columnModelCodec, predictComponent, read, trainComponent, type ColumnModel, type ColumnModelKind } from './column-model';
import { columnStats, numericColumn } from './columns';

function statsOrThrow(table: Table, col: string, ctx: ExecutionContext) {
  const stats = columnStats(numericColumn(table, col));
  if (stats.count === 0) {
    throw new ComponentError(`column "${col}" has no values to fit on; leave it out of selectedCols or fill it first (Missing Data Imputation)`, {
      nodeId: ctx.nodeId,
      parameter: 'selectedCols',
      column: col,
    });
  }
  return stats;
}

function logMissing(ctx: ExecutionContext, table: Table, cols: readonly string[]): void {
  for (const col of cols) {
    const missing = table.schema.columns.find((c) => c.name === col)?.missing;
    if (missing) ctx.log('warn', `column "${col}": ${missing} missing cell${missing === 1 ? '' : 's'} left out of the figures and left missing in the output`);
  }
}

// ---- Standardization

export interface StandardScalerModel extends ColumnModel {
  modelType: 'standard-scaler';
  withMean: boolean;
  withStd: boolean;
  means: number[];
  /** the sample standard deviations; a constant column's is stored as 1, so it is only centred */
  stds: number[];
}

export const standardScalerKind: ColumnModelKind<StandardScalerModel> = {
  modelType: 'standard-scaler',
  label: 'Standard scaler',
  readFields(o, n) {
    const stds = read.numbers(o, 'stds', n);
    const zero = stds.findIndex((s) => s <= 0);
    if (zero >= 0) throw new ComponentError(`invalid model: stds[${zero}] must be positive, got ${stds[zero]}`, { field: `stds[${zero}]` });
    return { withMean: read.boolean(o, 'withMean'), withStd: read.boolean(o, 'withStd'), means: read.numbers(o, 'means', n), stds };
  },
  summary: (m) => ({
    text: `standardizes ${m.selectedCols.join(', ')}`,
    fields: { columns: m.selectedCols.length, withMean: m.withMean, withStd: m.withStd },
  }),
  outputType: () => 'double',
  cell(m, j) {
    const shift = m.withMean ? m.means[j] : 0;
    const scale = m.withStd ? m.stds[j] : 1;
    return (v) => (v - shift) / scale;
  },
};

export const standardScalerCodec = columnModelCodec(standardScalerKind);

export const standardScalerTrain = trainComponent(standardScalerKind, {
  id: 'standard-scaler-train',
  displayName: 'Standardization',
  description:
    'Standardizes numeric columns to (x − mean) / std, the sample standard deviation over the rows (Alink StandardScalerTrainBatchOp). Outputs the means and deviations as a model, for Standard Scaler Batch Predict on new data, and the standardized table.',
  icon: 'data',
  selectedHelp: 'The numeric columns to standardize; the results are double columns.',
  parameters: [
    { name: 'withMean', label: 'Center (subtract the mean)', tab: 'parameter', type: 'boolean', default: true, help: 'Subtract each column’s mean. Default true.' },
    { name: 'withStd', label: 'Scale (divide by the std)', tab: 'parameter', type: 'boolean', default: true, help: 'Divide by each column’s sample standard deviation (a constant column is divided by 1). Default true.' },
  ],
  fit(table, params, ctx) {
    const selectedCols = [...(params.selectedCols as string[])];
    logMissing(ctx, table, selectedCols);
    const stats = selectedCols.map((col) => statsOrThrow(table, col, ctx));
    const stds = stats.map((s, j) => {
      if (s.std > 0) return s.std;
      if (params.withStd) ctx.log('warn', `column "${selectedCols[j]}" is constant (std 0): it is centred but not scaled`);
      return 1;
    });
    stats.forEach((s, j) => ctx.metric(`mean.${selectedCols[j]}`, s.mean));
    return { modelType: 'standard-scaler', version: 1, selectedCols, withMean: params.withMean === true, withStd: params.withStd === true, means: stats.map((s) => s.mean), stds };
  },
});

export const standardScalerPredict = predictComponent(standardScalerKind, standardScalerCodec, {
  id: 'standard-scaler-predict',
  displayName: 'Standard Scaler Batch Predict',
  description: 'Standardizes a table with the means and deviations of a Standardization model, so new data is scaled as the training data was (Alink StandardScalerPredictBatchOp).',
  icon: 'predict',
});

// ---- Normalization

export interface MinMaxScalerModel extends ColumnModel {
  modelType: 'min-max-scaler';
  /** the target range */
  min: number;
  max: number;
  /** each column's range over the training rows */
  colMins: number[];
  colMaxs: number[];
}

export const minMaxScalerKind: ColumnModelKind<MinMaxScalerModel> = {
  modelType: 'min-max-scaler',
  label: 'Min-max scaler',
  readFields(o, n) {
    const min = read.number(o, 'min');
    const max = read.number(o, 'max');
    if (!(min < max)) throw new ComponentError(`invalid model: min ${min} must be below max ${max}`, { field: 'max' });
    return { min, max, colMins: read.numbers(o, 'colMins', n), colMaxs: read.numbers(o, 'colMaxs', n) };
  },
  summary: (m) => ({ text: `rescales ${m.selectedCols.join(', ')} to [${m.min}, ${m.max}]`, fields: { columns: m.selectedCols.length, min: m.min, max: m.max } }),
  outputType: () => 'double',
  cell(m, j) {
    const lo = m.colMins[j];
    const range = m.colMaxs[j] - lo;
    const width = m.max - m.min;
    // a constant column has no range to stretch: its values go to the middle of the target range
    if (range === 0) return (v) => (Number.isNaN(v) ? NaN : (m.min + m.max) / 2);
    return (v) => ((v - lo) / range) * width + m.min;
  },
};

export const minMaxScalerCodec = columnModelCodec(minMaxScalerKind);

function checkRange(params: Params): FieldError[] {
  const min = params.min as number;
  const max = params.max as number;
  return min < max ? [] : [{ parameter: 'max', message: `max (${max}) must be greater than min (${min}): the target range [min, max] would be empty` }];
}

export const minMaxScalerTrain = trainComponent(minMaxScalerKind, {
  id: 'min-max-scaler-train',
  displayName: 'Normalization',
  description:
    'Rescales numeric columns from their own range to [min, max]: (v − colMin) / (colMax − colMin) · (max − min) + min (Alink MinMaxScalerTrainBatchOp). Outputs the column ranges as a model, for Min Max Scaler Batch Predict on new data, and the rescaled table.',
  icon: 'data',
  selectedHelp: 'The numeric columns to rescale; the results are double columns.',
  parameters: [
    { name: 'min', label: 'Lower bound', tab: 'parameter', type: 'double', default: 0, help: 'The value a column’s minimum maps to. Default 0.' },
    { name: 'max', label: 'Upper bound', tab: 'parameter', type: 'double', default: 1, help: 'The value a column’s maximum maps to; above min. Default 1.' },
  ],
  check: (params) => checkRange(params),
  fit(table, params, ctx) {
    const selectedCols = [...(params.selectedCols as string[])];
    logMissing(ctx, table, selectedCols);
    const stats = selectedCols.map((col) => statsOrThrow(table, col, ctx));
    stats.forEach((s, j) => {
      if (s.min === s.max) ctx.log('warn', `column "${selectedCols[j]}" is constant (${s.min}): every value maps to the middle of [${params.min}, ${params.max}]`);
    });
    return { modelType: 'min-max-scaler', version: 1, selectedCols, min: params.min as number, max: params.max as number, colMins: stats.map((s) => s.min), colMaxs: stats.map((s) => s.max) };
  },
});

export const minMaxScalerPredict = predictComponent(minMaxScalerKind, minMaxScalerCodec, {
  id: 'min-max-scaler-predict',
  displayName: 'Min Max Scaler Batch Predict',
  description: 'Rescales a table with the column ranges of a Normalization model, so new data is rescaled as the training data was (Alink MinMaxScalerPredictBatchOp).',
  icon: 'predict',
});
