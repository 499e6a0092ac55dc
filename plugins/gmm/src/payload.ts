/** GMM models on ports: the platform's payload is the engine's model file plus modelType. */
import {
  ComponentError,
  decodeModel,
  encodeModel,
  isEncodedModel,
  type EncodedModel,
  type ModelPayload,
  type ModelPortSchema,
  type ModelSummary,
} from '@mixflow/component-sdk';
import type { GmmModelJson } from '@mixflow/gmm';

/** GMM's model type on ports, in the database and in the API. */
export const GMM_MODEL_TYPE = 'gmm';

/** A GMM on a model port: the engine's model file (mixflow.gmm, version 1) plus the platform's modelType. */
export type GmmPayload = GmmModelJson & { modelType: typeof GMM_MODEL_TYPE };

/** The payload of a GMM model file. */
export function gmmPayload(json: GmmModelJson): GmmPayload {
  return { modelType: GMM_MODEL_TYPE, ...json };
}

/**
 * The model file of a GMM payload (what the engine reads and users export); a ComponentError for another model
 * type. An encoded payload is parsed here: call it where the numbers are used, on a driver or serving thread.
 */
export function gmmModelJson(model: ModelPayload | GmmModelJson, nodeId?: string, port?: number): GmmModelJson {
  checkGmm(model as ModelPayload, nodeId, port);
  const { modelType: _type, ...json } = decodeModel(model as ModelPayload) as Partial<GmmPayload>;
  return json as GmmModelJson;
}

function checkGmm(model: ModelPayload, nodeId?: string, port?: number): void {
  const modelType = (model as Partial<ModelPayload>).modelType;
  if (modelType !== undefined && modelType !== GMM_MODEL_TYPE) {
    throw new ComponentError(`this needs a GMM model, got a model of type "${modelType}"; connect GMM Training's output`, {
      ...(nodeId !== undefined ? { nodeId } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  }
}

/** A GMM's figures and provenance without its parameters (weights, means, covariances): what the components read on the caller's thread. */
export type GmmModelHead = Omit<GmmModelJson, 'weights' | 'means' | 'covariances'>;

/** The codec's head of a payload: all but the weights, means and covariances (a wide full model's hundreds of MB). */
export function gmmHeadOf(model: GmmModelJson | GmmPayload): GmmPayload {
  const { weights: _w, means: _m, covariances: _c, ...head } = model;
  return { modelType: GMM_MODEL_TYPE, ...head } as GmmPayload;
}

/**
 * A GMM on a port as a component holds it on the caller's thread: its head to read, and the model to hand to a
 * driver thread as it came (an encoded payload crosses threads without a copy and is parsed there).
 */
export interface GmmPortModel {
  head: GmmModelHead;
  model: GmmPayload | EncodedModel;
}

export function gmmPortModel(model: ModelPayload, nodeId?: string, port?: number): GmmPortModel {
  checkGmm(model, nodeId, port);
  if (isEncodedModel(model) && model.encoded.head) {
    const { modelType: _type, ...head } = model.encoded.head as GmmPayload;
    return { head, model };
  }
  const json = gmmModelJson(model, nodeId, port);
  return { head: json, model: gmmPayload(json) };
}

/** The model list's line and figures of a GMM. */
export function gmmSummary(model: GmmModelJson): ModelSummary {
  return { text: `k=${model.k}, ${model.dims}-D`, fields: { k: model.k, dims: model.dims, covarianceType: model.covarianceType } };
}

/** What a GMM model port shows: dimensions, k and the columns it was trained on. */
export function gmmPortSchema(model: GmmModelJson): ModelPortSchema {
  return {
    type: 'model',
    modelType: GMM_MODEL_TYPE,
    dims: model.dims,
    k: model.k,
    ...(model.vectorCol ? { vectorCol: model.vectorCol } : {}),
    ...(model.featureNames ? { featureCols: model.featureNames } : {}),
  };
}

/** The model encoded as the codec encodes it (its JSON on shared memory, with summary, port schema and head), on the thread that made it. */
export function encodeGmm(model: GmmModelJson): EncodedModel {
  return encodeModel<GmmPayload>(gmmPayload(model), { summary: gmmSummary, portSchema: gmmPortSchema, head: gmmHeadOf });
}
