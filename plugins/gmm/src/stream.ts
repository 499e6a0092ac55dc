import { ComponentError, resolveParams, type ComponentDefinition, type MatrixOutput, type MatrixPredictor, type Params, type RowPredictor } from '@mixflow/component-sdk';
import { GaussianMixture, makeDataMatrix, type GmmModelJson, type MissingValues } from '@mixflow/gmm';
import { formatVector, isMissingCell, parseVectorInto } from '@mixflow/table';
import { configurePrediction, gmmPredict, predictionColumns, predictionDescriptionFor, predictionFeatures, scoreColumn } from './predict';
import type { FeatureChoice } from './params';
import { asComponentError } from './shared';

export interface StreamPredictor extends Required<Omit<RowPredictor, 'replaceModel' | 'matrix'>> {
  /** serving's fast path (the whole row plus the prediction fields): absent when reserved columns choose the fields */
  readonly matrix?: MatrixPredictor;
  /** The input row's reserved fields (all by default) plus the prediction (and detail) fields. */
  predict(row: Record<string, unknown>): Record<string, unknown>;
  /**
   * As predict, with the row's log density (null when missingValues drop left it unpredicted) and whether
   * missingValues mean filled in one of its cells.
   */
  predictScored(row: Record<string, unknown>): { out: Record<string, unknown>; logDensity: number | null; imputed: boolean };
  /** Swaps in a newer model of the same dimension and features; rows predicted after this call use it. */
  replaceModel(model: GmmModelJson): void;
  readonly model: GmmModelJson;
  /** 1 for the first model, +1 on every replacement */
  readonly modelVersion: number;
}

function sameFeatures(a: FeatureChoice, b: FeatureChoice): boolean {
  return a.vectorCol === b.vectorCol && (a.featureCols ?? []).join('\u0000') === (b.featureCols ?? []).join('\u0000');
}

function describeFeatures(c: FeatureChoice): string {
  return c.vectorCol ? `vector column "${c.vectorCol}"` : `feature columns ${(c.featureCols ?? []).join(', ')}`;
}

function loadModel(model: GmmModelJson): GaussianMixture {
  try {
    return GaussianMixture.fromJSON(model);
  } catch (err) {
    throw asComponentError(err, '', 0);
  }
}

/**
 * A row-at-a-time predictor for GMM Prediction (stream). `params` are the component's parameters (resolved
 * here, so raw values from an API request work); the model may be replaced while rows keep flowing: a call to
 * predict always uses exactly one model, and a replacement of a different dimension or features is refused.
 */
export function createStreamPredictor(params: Params, model: GmmModelJson): StreamPredictor {
  const resolved = resolveParams(predictionDescriptionFor('stream'), params);
  if (resolved.errors.length) {
    const first = resolved.errors[0];
    throw new ComponentError(resolved.errors.map((e) => e.message).join('; '), first.parameter ? { parameter: first.parameter } : {});
  }
  const p = resolved.params;
  const missingValues = p.missingValues as MissingValues;
  /** mean imputation needs the model's means: checked once per model, not per row */
  function checkedModel(json: GmmModelJson): GaussianMixture {
    const mixture = loadModel(json);
    if (missingValues === 'mean' && !mixture.imputeMeans) {
      throw new ComponentError('Missing values "mean" fills in the training means, but this model stores none: train it with Missing values "mean"', {
        parameter: 'missingValues',
      });
    }
    return mixture;
  }
  let current = { json: model, mixture: checkedModel(model), features: predictionFeatures(p, model) };
  if (!current.features.vectorCol && !current.features.featureCols) {
    throw new ComponentError('set Vector column or Feature columns: the model does not say which columns it was trained on', { parameter: 'vectorCol' });
  }
  if (current.features.featureCols && current.features.featureCols.length !== current.mixture.dims) {
    throw new ComponentError(`the model has ${current.mixture.dims} dimensions but ${current.features.featureCols.length} feature columns are chosen`, {
      parameter: 'featureCols',
    });
  }
  let version = 1;
  const [predictionCol, detailCol] = predictionColumns(p);
  const scoreCol = scoreColumn(p);
  const reserved = Array.isArray(p.reservedCols) && p.reservedCols.length ? p.reservedCols : undefined;

  function missingCell(v: unknown): boolean {
    return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && isMissingCell(v));
  }
  /** set by featuresInto when missingValues mean filled in a cell of the row */
  let imputed = false;
  /**
   * Writes the row's features into out[offset, offset + dims) (vector strings are parsed straight there); false when
   * missingValues drop leaves the row unpredicted.
   */
  function featuresInto(row: Record<string, unknown>, features: FeatureChoice, mixture: GaussianMixture, out: Float64Array, offset: number): boolean {
    imputed = false;
    const dims = mixture.dims;
    const missing = (column: string, parameter: string): false => {
      if (missingValues === 'drop') return false;
      const what = row[column] === undefined ? 'is missing from the row' : 'is empty';
      throw new ComponentError(`field "${column}" ${what}: a missing value; set missingValues to drop or mean, or fill it in`, { column, parameter });
    };
    let length = dims;
    if (features.vectorCol) {
      const column = features.vectorCol;
      const v = row[column];
      if (missingCell(v)) {
        if (missingValues !== 'mean') return missing(column, 'vectorCol');
        out.set(mixture.imputeMeans as number[], offset);
        imputed = true;
      } else if (typeof v === 'string') length = parseVectorInto(v, out, offset, dims, { column });
      else if (Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        length = v.length;
        if (length === dims) out.set(v as number[], offset);
      } else throw new ComponentError(`field "${column}" must be a vector string such as "1.0 2.0" or an array of numbers`, { column, parameter: 'vectorCol' });
    } else {
      const cols = features.featureCols as string[];
      length = cols.length;
      let dropped = false;
      cols.forEach((column, j) => {
        const raw = row[column];
        if (missingCell(raw)) {
          if (missingValues === 'mean') {
            out[offset + j] = (mixture.imputeMeans as number[])[j];
            imputed = true;
          }
          else dropped = !missing(column, 'featureCols');
          return;
        }
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
        if (!Number.isFinite(n)) throw new ComponentError(`field "${column}" must be a finite number, got ${JSON.stringify(raw)}`, { column, parameter: 'featureCols' });
        out[offset + j] = n;
      });
      if (dropped) return false;
    }
    if (length !== dims) {
      const column = features.vectorCol;
      throw new ComponentError(`the row has ${length} features but the model has ${dims} dimensions`, column ? { column, parameter: 'vectorCol' } : { parameter: 'featureCols' });
    }
    return true;
  }

  /** the reserved fields of the row (all of them by default), to which the prediction fields are added */
  function carried(row: Record<string, unknown>): Record<string, unknown> {
    if (!reserved) return { ...row };
    const out: Record<string, unknown> = {};
    for (const name of reserved) {
      if (!(name in row)) throw new ComponentError(`reserved field "${name}" is missing from the row`, { column: name, parameter: 'reservedCols' });
      out[name] = row[name];
    }
    return out;
  }
  function unpredicted(out: Record<string, unknown>): Record<string, unknown> {
    // missingValues drop: an empty prediction and detail
    out[predictionCol.name] = null;
    if (detailCol) out[detailCol.name] = '';
    if (scoreCol) out[scoreCol.name] = null;
    return out;
  }

  /**
   * Rows through one model (the one in use when the call starts): features of every row, then one E-step over
   * all of them; a row that cannot be predicted gets its error in its place.
   */
  function predictWith(use: typeof current, rows: readonly Record<string, unknown>[]): (Record<string, unknown> | Error)[] {
    const dims = use.mixture.dims;
    const results: (Record<string, unknown> | Error)[] = new Array(rows.length);
    const X = new Float64Array(rows.length * dims);
    const at: number[] = [];
    rows.forEach((row, i) => {
      try {
        const predicted = featuresInto(row, use.features, use.mixture, X, at.length * dims);
        const out = carried(row);
        if (!predicted) results[i] = unpredicted(out);
        else {
          at.push(i);
          results[i] = out;
        }
      } catch (err) {
        results[i] = err instanceof Error ? err : new Error(String(err));
      }
    });
    if (at.length) {
      const { labels, probabilities, logDensity } = use.mixture.predictWithProba(makeDataMatrix(X.subarray(0, at.length * dims), at.length, dims));
      const k = use.mixture.k;
      at.forEach((i, j) => {
        const out = results[i] as Record<string, unknown>;
        out[predictionCol.name] = labels[j];
        if (detailCol) out[detailCol.name] = formatVector(probabilities.subarray(j * k, (j + 1) * k));
        if (scoreCol) out[scoreCol.name] = logDensity[j];
      });
    }
    return results;
  }

  /** One row, with its log density (null when missingValues drop leaves it unpredicted) and whether mean imputation filled a cell. */
  function predictScored(row: Record<string, unknown>): { out: Record<string, unknown>; logDensity: number | null; imputed: boolean } {
    const use = current; // one model for the whole row, even if replaceModel runs meanwhile
    const x = new Float64Array(use.mixture.dims);
    const predicted = featuresInto(row, use.features, use.mixture, x, 0);
    const filled = imputed;
    const out = carried(row);
    if (!predicted) return { out: unpredicted(out), logDensity: null, imputed: false };
    const { labels, probabilities, logDensity } = use.mixture.predictWithProba(makeDataMatrix(x, 1, x.length));
    out[predictionCol.name] = labels[0];
    if (detailCol) out[detailCol.name] = formatVector(probabilities);
    if (scoreCol) out[scoreCol.name] = logDensity[0];
    return { out, logDensity: logDensity[0], imputed: filled };
  }

  /**
   * Rows whose features are plain numbers, as a matrix: the same E-step as predictWith, the fields it adds to a
   * whole row (without reserved columns: a row's fields are all carried, so the caller copies them as they came).
   */
  const matrix: MatrixPredictor | undefined = reserved
    ? undefined
    : {
        ...(current.features.vectorCol ? { vectorCol: current.features.vectorCol } : { featureCols: current.features.featureCols as string[] }),
        dims: current.mixture.dims,
        get outputs(): MatrixOutput[] {
          return [
            { name: predictionCol.name, kind: 'integer', width: 1 },
            ...(detailCol ? [{ name: detailCol.name, kind: 'vector' as const, width: current.mixture.k }] : []),
            ...(scoreCol ? [{ name: scoreCol.name, kind: 'number' as const, width: 1 }] : []),
          ];
        },
        predict(x, rows) {
          const dims = current.mixture.dims;
          const { labels, probabilities, logDensity } = current.mixture.predictWithProba(makeDataMatrix(x.subarray(0, rows * dims), rows, dims));
          return [labels, ...(detailCol ? [probabilities] : []), ...(scoreCol ? [logDensity] : [])];
        },
      };

  return {
    predictScored,
    matrix,
    predict(row) {
      const [out] = predictWith(current, [row]); // one model for the whole row, even if replaceModel runs meanwhile
      if (out instanceof Error) throw out;
      return out;
    },
    predictMany(rows) {
      return predictWith(current, rows);
    },
    outputColumns(inputColumns) {
      const added = [predictionCol.name, ...(detailCol ? [detailCol.name] : []), ...(scoreCol ? [scoreCol.name] : [])];
      return [...(reserved ?? inputColumns.filter((c) => !added.includes(c))), ...added];
    },
    replaceModel(next) {
      const mixture = checkedModel(next);
      if (mixture.dims !== current.mixture.dims) {
        throw new ComponentError(
          `the new model has ${mixture.dims} dimensions but the model in use has ${current.mixture.dims}; only a model trained on the same features can replace it — keep the current model or start a new stream`,
          { parameter: 'model' },
        );
      }
      const features = predictionFeatures(p, next);
      if (!sameFeatures(features, current.features)) {
        throw new ComponentError(
          `the new model reads ${describeFeatures(features)} but the stream reads ${describeFeatures(current.features)}; only a model trained on the same features can replace it`,
          { parameter: 'model' },
        );
      }
      current = { json: next, mixture, features };
      version++;
    },
    get model() {
      return current.json;
    },
    get modelVersion() {
      return version;
    },
  };
}

/**
 * GMM Prediction (stream): the batch parameters; createStreamPredictor serves its rows one by one. Run as a
 * workflow node on a table it predicts as GMM Prediction does (the same rows, bits and metrics): the model goes to a
 * driver thread as it came on the port (encoded, parsed there) and the rows are predicted on the engine. It parsed a
 * wide model and predicted every row on the caller's thread (the API's) before.
 */
export const gmmPredictStream: ComponentDefinition = {
  description: predictionDescriptionFor('stream'),
  configure: (params, inputs) => configurePrediction(params, inputs),
  estimate: gmmPredict.estimate,
  execute: (ctx) => gmmPredict.execute(ctx),
};
