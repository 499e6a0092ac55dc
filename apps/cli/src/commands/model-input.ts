/** What the prediction-side commands share: the model, the input table and which columns hold the features. */
import type { GaussianMixture } from '@mixflow/gmm';
import { extractFeatures, type Table } from '@mixflow/table';
import type { DataMatrix } from '@mixflow/gmm';
import type { Params } from '@mixflow/component-sdk';
import { CliUsageError } from '../io';

/**
 * The columns to read: --vector-col / --feature-cols when given, else the ones the model was trained on
 * (the model file records them), so `--model m.json --input same.csv` just works.
 */
export function modelFeatureSelection(model: GaussianMixture, params: Params): { vectorCol?: string; featureCols?: string[] } {
  const vectorCol = typeof params.vectorCol === 'string' && params.vectorCol !== '' ? params.vectorCol : undefined;
  const featureCols = Array.isArray(params.featureCols) && params.featureCols.length > 0 ? params.featureCols : undefined;
  if (vectorCol && featureCols) throw new CliUsageError('give either --vector-col or --feature-cols, not both.');
  if (vectorCol) return { vectorCol };
  if (featureCols) return { featureCols };
  const json = model.toJSON();
  if (json.vectorCol) return { vectorCol: json.vectorCol };
  if (json.featureNames && json.featureNames.length > 0) return { featureCols: json.featureNames };
  throw new CliUsageError('name the input: --vector-col <column> or --feature-cols a,b (the model file does not say which columns it was trained on).');
}

export function modelFeatures(model: GaussianMixture, table: Table, selection: { vectorCol?: string; featureCols?: string[] }): DataMatrix {
  let data: DataMatrix;
  try {
    data = extractFeatures(table, selection);
  } catch (error) {
    throw new CliUsageError(`--input: ${(error as Error).message}`);
  }
  if (data.cols !== model.dims) {
    const what = selection.vectorCol ? `column ${selection.vectorCol} has ${data.cols}` : `--feature-cols gives ${data.cols}`;
    throw new CliUsageError(`--model has ${model.dims} dimensions but ${what}; use the data the model was trained on.`);
  }
  return data;
}
