import { ComponentError, isEncodedModel, type ModelCodec, type ModelPayload, type ModelScore, type Params, type SampledRow } from '@mixflow/component-sdk';
import { runDriver } from '@mixflow/executor';
import { fitCriteria, GaussianMixture, GmmInputError, type GmmModelJson } from '@mixflow/gmm';
import { formatVector } from '@mixflow/table';
import { GMM_MODEL_TYPE, gmmHeadOf, gmmModelJson, gmmPayload, gmmPortSchema, gmmSummary, type GmmPayload } from './payload';
import { createStreamPredictor } from './stream';

function located(err: unknown): unknown {
  if (!(err instanceof GmmInputError)) return err;
  const field = (err.details as { field?: string }).field;
  return new ComponentError(err.message, field !== undefined ? { field } : {});
}

/**
 * GMM's model codec: the engine's strict loader validates, the file is the engine's JSON, prediction is GMM
 * Prediction (stream). Payloads may come encoded (a wide full-covariance model is hundreds of MB of JSON): the
 * summary and port schema are then the ones stored with them, and the numbers are parsed on the thread that uses them.
 */
export const gmmCodec: ModelCodec<GmmPayload> = {
  modelType: GMM_MODEL_TYPE,
  label: 'GMM',
  encoded: true,
  head: gmmHeadOf,
  fileType: 'mixflow.gmm',
  fromJSON(json) {
    const file = modelFile(json);
    checkModelFile(file);
    return gmmPayload(file);
  },
  // the file crosses to the thread cheaply (a 1,000-dimension k = 2 file: 20 ms here), its checks take seconds
  async importFile(json) {
    const file = modelFile(json);
    await onDriverThread<void>(checkModelFileOnThread.name, file);
    return gmmPayload(file);
  },
  toJSON: (model) => gmmModelJson(model),
  summary: (model) => (isEncodedModel(model) ? model.encoded.summary : gmmSummary(model)),
  portSchema: (model) => (isEncodedModel(model) ? model.encoded.portSchema : gmmPortSchema(model)),
  predictor: (model, options) => {
    const predictor = createStreamPredictor(options, gmmModelJson(model));
    // the plugin's own swap (GMM Prediction (stream)): same dimension and features, or a ComponentError naming them
    return {
      predict: (row) => predictor.predict(row),
      predictMany: (rows) => predictor.predictMany(rows),
      outputColumns: (columns) => predictor.outputColumns(columns),
      replaceModel: (next) => predictor.replaceModel(gmmModelJson(next)),
      ...(predictor.matrix ? { matrix: predictor.matrix } : {}),
    };
  },
  // a wide model's parsing, preparation and every row's density on a driver thread, not on the caller's event loop
  score: (model, rows, options) => onDriverThread<ModelScore>(scoreOnThread.name, { model, rows, options }),
  sample: (model, n, seed) => onDriverThread<SampledRow[]>(sampleOnThread.name, { model, n, seed }),
};

function modelFile(json: unknown): GmmModelJson {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ComponentError('invalid model: expected a JSON object', { field: '' });
  return gmmModelJson(json as ModelPayload);
}

/** The engine's strict loader checks every field (and refuses unknown ones); the file itself is kept as given. */
function checkModelFile(file: GmmModelJson): void {
  try {
    GaussianMixture.fromJSON(file);
  } catch (err) {
    throw located(err);
  }
}

export async function checkModelFileOnThread(file: GmmModelJson): Promise<void> {
  checkModelFile(file);
}

/** Runs an export of this module on a driver thread; a ComponentError comes back as one, with its location. */
async function onDriverThread<T>(name: string, input: unknown): Promise<T> {
  try {
    return await runDriver<T>({ module: __filename, name, input });
  } catch (err) {
    const e = err as Error & { details?: Record<string, unknown> };
    throw e.name === 'ComponentError' ? new ComponentError(e.message, e.details ?? {}) : err;
  }
}

export async function scoreOnThread(input: { model: ModelPayload; rows: readonly Record<string, unknown>[]; options: Params }): Promise<ModelScore> {
  return scoreRows(gmmModelJson(input.model), input.rows, input.options);
}

export async function sampleOnThread(input: { model: ModelPayload; n: number; seed: number }): Promise<SampledRow[]> {
  return sampleRows(gmmModelJson(input.model), input.n, input.seed);
}

/**
 * The model's fit on `rows` (scikit-learn's score, bic and aic on them): each row's log density comes from the
 * stream predictor, so features, missingValues and errors are GMM Prediction's; an error names the 1-based row.
 */
export function scoreRows(model: GmmModelJson, rows: readonly Record<string, unknown>[], options: Params): ModelScore {
  const predictor = createStreamPredictor({ ...options, predictionCol: 'prediction' }, model);
  let total = 0;
  let scored = 0;
  rows.forEach((row, i) => {
    let density: number | null;
    try {
      density = predictor.predictScored(row).logDensity;
    } catch (err) {
      const details = err instanceof ComponentError ? err.details : {};
      throw new ComponentError(`row ${i + 1}: ${(err as Error).message}`, { ...details, row: i + 1 });
    }
    if (density !== null) {
      total += density;
      scored++;
    }
  });
  if (scored === 0) {
    throw new ComponentError(rows.length === 0 ? 'send at least one row to score' : 'every row has a missing value and missingValues drop left none to score', {
      parameter: 'rows',
    });
  }
  return { rows: scored, droppedRows: rows.length - scored, ...fitCriteria(model, total, scored) };
}

/** The most numbers (rows × dimensions) one sample holds: an answer is written as JSON on the API's thread. */
export const MAX_SAMPLE_NUMBERS = 1_000_000;

/**
 * `n` rows drawn from the model (the engine's sample: same seed, same rows): the feature columns the model was
 * trained on, or its vector column as an Alink vector string, and `component`, the index of the component that drew it.
 */
export function sampleRows(model: GmmModelJson, n: number, seed: number): SampledRow[] {
  if (n * model.dims > MAX_SAMPLE_NUMBERS) {
    throw new ComponentError(
      `n = ${n} rows of ${model.dims} dimensions are ${n * model.dims} numbers, more than one sample holds (${MAX_SAMPLE_NUMBERS}); ` +
        `ask for at most ${Math.floor(MAX_SAMPLE_NUMBERS / model.dims)} rows at a time`,
      { parameter: 'n' },
    );
  }
  let drawn;
  try {
    drawn = GaussianMixture.fromJSON(model).sample(n, seed);
  } catch (err) {
    throw located(err);
  }
  const { data, labels } = drawn;
  const d = data.cols;
  const names = !model.vectorCol && model.featureNames?.length === d ? model.featureNames : undefined;
  const vectorCol = model.vectorCol ?? 'features';
  const out: SampledRow[] = [];
  for (let i = 0; i < data.rows; i++) {
    const x = data.data.subarray(i * d, (i + 1) * d);
    const row: SampledRow = {};
    if (names) names.forEach((name, j) => (row[name] = x[j]));
    else row[vectorCol] = formatVector(x);
    row.component = labels[i];
    out.push(row);
  }
  return out;
}
