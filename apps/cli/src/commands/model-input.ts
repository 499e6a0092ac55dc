/** What the GMM commands share: which columns hold the features, and reading them from the input table. */
import type { DataMatrix, GaussianMixture } from '@mixflow/gmm';
import { extractFeatures, type Table } from '@mixflow/table';
import type { Params } from '@mixflow/component-sdk';
import { predictionFeatures } from '@mixflow/plugin-gmm';
import { CliUsageError } from '../io';

type FeatureChoice = ReturnType<typeof predictionFeatures>;

/**
 * The columns a command reads, as the GMM components choose them (plugin-gmm's predictionFeatures):
 * --vector-col / --feature-cols when given, else (with a model) the ones the model was trained on, so
 * `--model m.json --input same.csv` just works. `missing` is what to say when nothing names the columns.
 */
export function chosenFeatures(params: Params, missing: string, model?: GaussianMixture): FeatureChoice {
  const choice = predictionFeatures(params, model?.toJSON());
  if (choice.vectorCol && choice.featureCols) throw new CliUsageError('give either --vector-col or --feature-cols, not both.');
  if (!choice.vectorCol && !choice.featureCols) throw new CliUsageError(missing);
  return choice;
}

export function modelFeatureSelection(model: GaussianMixture, params: Params): FeatureChoice {
  return chosenFeatures(
    params,
    'name the input: --vector-col <column> or --feature-cols a,b (the model file does not say which columns it was trained on).',
    model,
  );
}

export function modelFeatures(model: GaussianMixture, table: Table, selection: FeatureChoice): DataMatrix {
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
