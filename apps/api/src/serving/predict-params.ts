import type { Params } from '@mixflow/component-sdk';

/** The prediction options of a request (PredictDto without rows; checked by the API's validation before use). */
export interface PredictOptions {
  vectorCol?: string;
  featureCols?: string[];
  predictionCol?: string;
  predictionDetailCol?: string;
}

/** The prediction component's parameters of the options (the codec's predictor checks them against the model). */
export function predictParams(o: PredictOptions): Params {
  const params: Params = { predictionCol: o.predictionCol ?? 'prediction' };
  if (o.vectorCol) params.vectorCol = o.vectorCol;
  if (o.featureCols?.length) params.featureCols = o.featureCols;
  if (o.predictionDetailCol) params.predictionDetailCol = o.predictionDetailCol;
  return params;
}
