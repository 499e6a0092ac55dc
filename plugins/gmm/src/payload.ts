/** GMM models on ports: the platform's payload is the engine's model file plus modelType. */
import { ComponentError, type ModelPayload } from '@mixflow/component-sdk';
import type { GmmModelJson } from '@mixflow/gmm';

/** GMM's model type on ports, in the database and in the API. */
export const GMM_MODEL_TYPE = 'gmm';

/** A GMM on a model port: the engine's model file (mixflow.gmm, version 1) plus the platform's modelType. */
export type GmmPayload = GmmModelJson & { modelType: typeof GMM_MODEL_TYPE };

/** The payload of a GMM model file. */
export function gmmPayload(json: GmmModelJson): GmmPayload {
  return { modelType: GMM_MODEL_TYPE, ...json };
}

/** The model file of a GMM payload (what the engine reads and users export); a ComponentError for another model type. */
export function gmmModelJson(model: ModelPayload | GmmModelJson, nodeId?: string, port?: number): GmmModelJson {
  const { modelType, ...json } = model as Partial<GmmPayload>;
  if (modelType !== undefined && modelType !== GMM_MODEL_TYPE) {
    throw new ComponentError(`this needs a GMM model, got a model of type "${modelType}"; connect GMM Training's output`, {
      ...(nodeId !== undefined ? { nodeId } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  }
  return json as GmmModelJson;
}
