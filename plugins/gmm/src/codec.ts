import { ComponentError, type ModelCodec, type ModelPayload } from '@mixflow/component-sdk';
import { GaussianMixture, GmmInputError } from '@mixflow/gmm';
import { GMM_MODEL_TYPE, gmmModelJson, gmmPayload, type GmmPayload } from './payload';
import { createStreamPredictor } from './stream';

function located(err: unknown): unknown {
  if (!(err instanceof GmmInputError)) return err;
  const field = (err.details as { field?: string }).field;
  return new ComponentError(err.message, field !== undefined ? { field } : {});
}

/** GMM's model codec: the engine's strict loader validates, the file is the engine's JSON, prediction is GMM Prediction (stream). */
export const gmmCodec: ModelCodec<GmmPayload> = {
  modelType: GMM_MODEL_TYPE,
  label: 'GMM',
  fileType: 'mixflow.gmm',
  fromJSON(json) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ComponentError('invalid model: expected a JSON object', { field: '' });
    const file = gmmModelJson(json as ModelPayload);
    try {
      // the engine's strict loader checks every field (and refuses unknown ones); the file itself is kept as given
      GaussianMixture.fromJSON(file);
    } catch (err) {
      throw located(err);
    }
    return gmmPayload(file);
  },
  toJSON: (model) => gmmModelJson(model),
  summary: (model) => ({
    text: `k=${model.k}, ${model.dims}-D`,
    fields: { k: model.k, dims: model.dims, covarianceType: model.covarianceType },
  }),
  portSchema: (model) => ({
    type: 'model',
    modelType: GMM_MODEL_TYPE,
    dims: model.dims,
    k: model.k,
    ...(model.vectorCol ? { vectorCol: model.vectorCol } : {}),
    ...(model.featureNames ? { featureCols: model.featureNames } : {}),
  }),
  predictor: (model, options) => createStreamPredictor(options, gmmModelJson(model)),
};
