/**
 * Missing Data Imputation (Alink ImputerTrainBatchOp / ImputerPredictBatchOp): fills the missing cells of numeric
 * columns with the column's mean, min or max over the training rows, or with a fixed value. The fill values are a
 * model, so Imputer Predict fills new data with the training data's figures. Every filled cell is counted per
 * column, logged and kept as metrics of the run.
 */
import { ComponentError, type ExecutionContext, type FieldError } from '@mixflow/component-sdk';
import { columnModelCodec, predictComponent, read, trainComponent, type applyColumnModel, type ColumnModel, type ColumnModelKind } from './column-model';
import { presentColumnMeans } from '@mixflow/table';
import { columnStats, numericColumn } from './columns';

export const IMPUTER_STRATEGIES = ['MEAN', 'MIN', 'MAX', 'VALUE'] as const;
export type ImputerStrategy = (typeof IMPUTER_STRATEGIES)[number];

export interface ImputerModel extends ColumnModel {
  modelType: 'imputer';
  strategy: ImputerStrategy;
  /** the value each selected column's missing cells get */
  fillValues: number[];
}

export const imputerKind: ColumnModelKind<ImputerModel> = {
  modelType: 'imputer',
  label: 'Imputer',
  readFields: (o, n) => ({ strategy: read.oneOf(o, 'strategy', IMPUTER_STRATEGIES), fillValues: read.numbers(o, 'fillValues', n) }),
  summary: (m) => ({
    text: `${m.strategy} fill of ${m.selectedCols.length} column${m.selectedCols.length === 1 ? '' : 's'}`,
    fields: { strategy: m.strategy, columns: m.selectedCols.join(', ') },
  }),
  // the original column types are kept (Alink): a long column gets a whole fill value
  outputType: (type) => type,
  cell: (m, j) => {
    const fill = m.fillValues[j];
    return (v) => (Number.isNaN(v) ? fill : v);
  },
};

export const imputerCodec = columnModelCodec(imputerKind);

function fillValueOf(text: unknown): number {
  return typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
}

function checkImputer(params: Record<string, unknown>, columns: readonly { name: string; type: string }[]): FieldError[] {
  if (params.strategy !== 'VALUE') return [];
  const value = fillValueOf(params.fillValue);
  if (!Number.isFinite(value)) {
    return [{ parameter: 'fillValue', message: `fillValue must be a number to fill the numeric columns ${columns.map((c) => c.name).join(', ')}, got ${JSON.stringify(params.fillValue ?? '')}` }];
  }
  const long = columns.find((c) => c.type === 'long');
  if (long && !Number.isInteger(value)) {
    return [{ parameter: 'fillValue', column: long.name, message: `fillValue ${value} is not a whole number, but column "${long.name}" is long; give an integer or select only double columns` }];
  }
  return [];
}

function fit(table: Parameters<typeof numericColumn>[0], params: Record<string, unknown>, ctx: ExecutionContext): ImputerModel {
  const strategy = params.strategy as ImputerStrategy;
  const selectedCols = params.selectedCols as string[];
  const fillValues = selectedCols.map((col) => {
    if (strategy === 'VALUE') return fillValueOf(params.fillValue);
    const values = numericColumn(table, col);
    const { count, min, max } = columnStats(values);
    if (count === 0) {
      throw new ComponentError(`column "${col}" has no values, so it has no ${strategy.toLowerCase()} to fill with; choose strategy VALUE with a fillValue, or leave the column out`, {
        nodeId: ctx.nodeId,
        parameter: 'strategy',
        column: col,
      });
    }
    // the mean GMM's Missing values "mean" computes too, to the bit (columnStats' running mean differs in the last bits)
    const figure = strategy === 'MEAN' ? presentColumnMeans({ data: values, rows: values.length, cols: 1 })[0] : strategy === 'MIN' ? min : max;
    const type = table.schema.columns.find((c) => c.name === col)!.type;
    if (type === 'long' && !Number.isInteger(figure)) {
      // Alink keeps the column's type: a long column's mean is cast to long (truncated toward zero)
      ctx.log('info', `column "${col}" is long: its mean ${figure} is truncated to ${Math.trunc(figure)} to keep the column whole`);
      return Math.trunc(figure);
    }
    return figure;
  });
  return { modelType: 'imputer', version: 1, selectedCols: [...selectedCols], strategy, fillValues };
}

/** The filled cells, per column: logged, and kept as metrics (imputedCells and imputedCells.<column>). */
function reportImputed(ctx: ExecutionContext, model: ImputerModel, applied: ReturnType<typeof applyColumnModel>): void {
  let total = 0;
  model.selectedCols.forEach((col, j) => {
    const filled = applied.missingBefore[j] - applied.missingAfter[j];
    total += filled;
    ctx.metric(`imputedCells.${col}`, filled);
    ctx.log(filled > 0 ? 'warn' : 'info', `column "${col}": ${filled} missing cell${filled === 1 ? '' : 's'} filled with ${model.fillValues[j]} (${model.strategy})`);
  });
  ctx.metric('imputedCells', total);
}

export const imputerTrain = trainComponent(imputerKind, {
  id: 'imputer-train',
  displayName: 'Missing Data Imputation',
  description:
    'Fills the missing cells of numeric columns with the column’s mean, min or max, or with a fixed value (Alink ImputerTrainBatchOp). Outputs the fill values as a model, for Imputer Predict on new data, and the filled table; the filled cells are counted per column in the log and the metrics.',
  icon: 'data',
  selectedHelp: 'The numeric columns whose missing cells (empty, NaN, null, NA or ?) are filled. Other columns pass through unchanged.',
  parameters: [
    {
      name: 'strategy',
      label: 'Strategy',
      tab: 'parameter',
      type: 'enum',
      default: 'MEAN',
      options: [
        { value: 'MEAN', label: 'Mean' },
        { value: 'MIN', label: 'Minimum' },
        { value: 'MAX', label: 'Maximum' },
        { value: 'VALUE', label: 'Fixed value' },
      ],
      help: 'What a missing cell gets: the column’s mean, minimum or maximum over the training rows (a long column’s mean is truncated to a whole number, as Alink keeps the type), or fillValue. Default MEAN.',
    },
    {
      name: 'fillValue',
      label: 'Fill value',
      tab: 'parameter',
      type: 'string',
      required: true,
      showIf: { strategy: ['VALUE'] },
      help: 'Strategy VALUE: the number every missing cell gets (a whole number when a selected column is long).',
    },
  ],
  check: checkImputer,
  fit,
  report: reportImputed,
  views: [{ id: 'imputed', kind: 'metrics-table', title: 'Imputed cells', source: { metrics: ['imputedCells'] } }],
});

export const imputerPredict = predictComponent(imputerKind, imputerCodec, {
  id: 'imputer-predict',
  displayName: 'Imputer Predict',
  description:
    'Fills the missing cells of a table with the fill values of a Missing Data Imputation model, so new data is treated as the training data was (Alink ImputerPredictBatchOp); the filled cells are counted per column in the log and the metrics.',
  icon: 'predict',
  report: reportImputed,
});
