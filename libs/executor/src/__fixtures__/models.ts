import { makeBlobs, type DataMatrix, type GmmModelJson } from '@mixflow/gmm';

/** The model without its wall-clock seconds, the one field that may differ between identical fits. */
export function withoutTiming(model: GmmModelJson): GmmModelJson {
  return model.training ? { ...model, training: { ...model.training, seconds: 0 } } : model;
}

export function blobs(rows: number, dims: number, k: number, seed = 11): DataMatrix {
  return makeBlobs({ rows, dims, k, seed }).data;
}
