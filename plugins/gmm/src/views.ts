import { ComponentError, type ModelPayload, type PortValue, type ViewDataContext, type ViewDescription } from '@mixflow/component-sdk';
import { runDriver } from '@mixflow/executor';
import { chooseRows, GaussianMixture, Rng, type DataMatrix, type GmmModelJson } from '@mixflow/gmm';
import { extractFeatures, takeRows } from '@mixflow/table';
import { predictionFeatures } from './predict';
import { asComponentError } from './shared';
import { gmmModelJson, gmmPortModel, type GmmPortModel } from './payload';

/** The data provider of GMM Training's scatter view (GET /api/runs/:id/nodes/:nodeId/views/scatter). */
export const TRAINING_SAMPLE = 'training-sample';

/** GMM Training's result views: its clusters over the training rows, the EM curve, the model, the figures. */
export const TRAINING_VIEWS: ViewDescription[] = [
  { id: 'scatter', kind: 'gmm.scatter', title: 'Clusters', source: { data: TRAINING_SAMPLE } },
  { id: 'log-likelihood', kind: 'gmm.loglik-chart', title: 'Log-likelihood per iteration', source: { metrics: ['logLikelihoodHistory'] } },
  { id: 'model', kind: 'gmm.model-cards', title: 'Model', source: { output: 0 } },
  {
    id: 'metrics',
    kind: 'metrics-table',
    title: 'Metrics',
    source: { metrics: ['iterations', 'converged', 'meanLogLikelihood', 'bic', 'aic', 'seconds', 'engine', 'workersUsed'] },
  },
];

/** The scatter view's data: a seeded random sample of the training rows with their predicted cluster. */
export interface TrainingSample {
  dims: number;
  featureNames: string[];
  points: number[][];
  /** the predicted cluster of each point */
  labels: number[];
  /** the model the points are labelled by, when it is not the node's model output (a picked candidate's) */
  model?: GmmModelJson;
}

/** GMM Model Selection's metric with every candidate's model (null: failed, or not kept), by candidate index. */
export const CANDIDATE_MODELS = 'candidateModels';

/** The node's model output as it was stored: its head to read here, the model for the driver thread. */
function modelValue(v: PortValue, nodeId: string): GmmPortModel {
  if (v.type !== 'model') throw new ComponentError(`node '${nodeId}' has no trained model on output 0`, { nodeId, port: 0 });
  return gmmPortModel(v.model, nodeId, 0);
}

/**
 * GMM Training's viewData: a random sample of `limit` rows of the whole training input (drawn with the node's
 * randomSeed, so the same run shows the same points; in input order), labelled by the trained model. Evenly spaced
 * rows would show only some clusters of a table whose rows cycle through them.
 */
export async function trainingViewData(name: string, ctx: ViewDataContext): Promise<TrainingSample> {
  if (name !== TRAINING_SAMPLE) {
    throw new ComponentError(`GMM Training has no view data "${name}"; it provides ${TRAINING_SAMPLE}`, { nodeId: ctx.nodeId });
  }
  const candidate = ctx.item === undefined ? undefined : candidateModel(ctx, ctx.item);
  const { head: model, model: forThread } = candidate ? { head: candidate, model: candidate } : modelValue(await ctx.output(0), ctx.nodeId);
  const input = await ctx.input(0);
  if (input.type !== 'table') throw new ComponentError(`node '${ctx.nodeId}' read no table on input 0`, { nodeId: ctx.nodeId, port: 0 });
  // the columns the node trained on, chosen as the GMM components choose them
  const { vectorCol, featureCols } = predictionFeatures(ctx.params, model);
  // only the rows shown are read: a million-row input's vectors are not all parsed for a 2,000-point view
  const total = input.table.rowCount;
  const n = Math.min(ctx.limit, total);
  const seed = typeof ctx.params.randomSeed === 'number' ? ctx.params.randomSeed : 0;
  const picked = n === total ? Int32Array.from({ length: n }, (_, i) => i) : chooseRows(total, n, new Rng(seed));
  let data: DataMatrix;
  try {
    data = extractFeatures(takeRows(input.table, picked), vectorCol ? { vectorCol } : { featureCols });
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, 0);
  }
  const points: number[][] = Array.from({ length: n }, (_, i) => Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)));
  // the model's preparation (a factorisation per component) on a driver thread, not on the caller's event loop
  const labels = await runDriver<Int32Array>({ module: __filename, name: labelRows.name, input: { model: forThread, data } satisfies LabelRowsInput });
  const featureNames = featureCols ?? model.featureNames ?? Array.from({ length: data.cols }, (_, j) => `${vectorCol ?? 'x'}[${j}]`);
  return { dims: data.cols, featureNames, points, labels: Array.from(labels), ...(candidate ? { model: candidate } : {}) };
}

interface LabelRowsInput {
  /** the model file, or the payload as stored (an encoded one is parsed here) */
  model: GmmModelJson | ModelPayload;
  data: DataMatrix;
}

/** The most likely component of each row (runs on a driver thread). */
export async function labelRows(input: LabelRowsInput): Promise<Int32Array> {
  return GaussianMixture.fromJSON(gmmModelJson(input.model)).predict(input.data);
}

/** The model of candidate `item` (a row of GMM Model Selection's candidates table), as the run kept it. */
function candidateModel(ctx: ViewDataContext, item: number): GmmModelJson {
  const models = ctx.metrics[CANDIDATE_MODELS];
  if (!Array.isArray(models)) {
    throw new ComponentError(`node '${ctx.nodeId}' kept no candidate models; leave out item to see its model's scatter`, { nodeId: ctx.nodeId, field: 'item' });
  }
  if (item >= models.length) {
    throw new ComponentError(`item ${item} is not a candidate of node '${ctx.nodeId}': it has ${models.length} (0 to ${models.length - 1})`, { nodeId: ctx.nodeId, field: 'item' });
  }
  const model = models[item] as GmmModelJson | null;
  if (!model) throw new ComponentError(`candidate ${item} of node '${ctx.nodeId}' has no model: its fit failed, or the models were too large to keep`, { nodeId: ctx.nodeId, field: 'item' });
  return model;
}
