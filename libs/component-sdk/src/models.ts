/**
 * Model ports. The platform knows a model only as `{ modelType, version, ... }`; the plugin that owns a model type
 * registers its ModelCodec, and everything the platform does with a model (import, export, the model list,
 * online prediction, the schema a model port shows before running) goes through it.
 */
import type { Params, PortSchema } from './types';

/** A model on a port, in the database and in the API: its type names the codec that reads it. */
export interface ModelPayload {
  /** the plugin's model type, e.g. 'gmm' */
  modelType: string;
  /** the version of the model type's format */
  version: number;
}

/**
 * A model payload as the UTF-8 bytes of its JSON on shared memory, with its codec's summary and port schema: made
 * on the thread that computed the model (or read from its file), so a thread that only carries it (the API's:
 * a port, the models table, a download) never walks its numbers, and handing it to another thread copies nothing.
 * The plugin parses it (decodeModel) where it uses the numbers, on a driver or serving thread. Only model types
 * whose codec says `encoded` travel so; the platform hands every other type's payload parsed.
 */
export interface EncodedModel extends ModelPayload {
  encoded: {
    /** the payload's JSON (UTF-8), on a SharedArrayBuffer */
    json: Uint8Array;
    summary: ModelSummary;
    portSchema: ModelPortSchema;
    /** the codec's head of the payload (its fields but the bulk of its numbers), when the codec has one */
    head?: ModelPayload;
  };
}

export function isEncodedModel(model: ModelPayload): model is EncodedModel {
  return typeof (model as Partial<EncodedModel>).encoded?.json === 'object';
}

/** The payload's JSON on shared memory, with what the API shows of it (its codec's summary and port schema). */
export function encodeModel<M extends ModelPayload>(payload: M, codec: Pick<ModelCodec<M>, 'summary' | 'portSchema' | 'head'>): EncodedModel {
  if (isEncodedModel(payload)) return payload;
  const text = JSON.stringify(payload);
  const shared = new SharedArrayBuffer(Buffer.byteLength(text));
  Buffer.from(shared).write(text, 'utf8');
  return encodedModelOf(new Uint8Array(shared), payload, codec.summary(payload), codec.portSchema(payload), codec.head?.(payload));
}

/** An EncodedModel of JSON bytes already made (a model file read into shared memory) and what is known of them. */
export function encodedModelOf(json: Uint8Array, type: ModelPayload, summary: ModelSummary, portSchema: ModelPortSchema, head?: ModelPayload): EncodedModel {
  return { modelType: type.modelType, version: type.version, encoded: { json, summary, portSchema, ...(head ? { head } : {}) } };
}

/** The payload itself: an EncodedModel parsed (seconds for a wide model: call it where the numbers are used, off the API's thread). */
export function decodeModel<M extends ModelPayload = ModelPayload>(model: ModelPayload): M {
  return isEncodedModel(model) ? parseModelJson<M>(model.encoded.json, model.modelType) : (model as M);
}

/** A payload's JSON bytes parsed; `modelType` when they carry none (payloads stored before model types existed). */
export function parseModelJson<M extends ModelPayload = ModelPayload>(json: Uint8Array, modelType: string): M {
  const parsed = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')) as M;
  return parsed.modelType === undefined ? { ...parsed, modelType } : parsed;
}

/** What the model list shows: a one-line description and a few named figures (dims, k, ...). */
export interface ModelSummary {
  /** e.g. "k=3, 2-D" */
  text: string;
  fields: Record<string, string | number | boolean>;
}

/** Online prediction with one model: a row in (column name → value), the row's output columns out. */
export interface RowPredictor {
  /** throws a ComponentError naming the column when the row cannot be predicted */
  predict(row: Record<string, unknown>): Record<string, unknown>;
  /**
   * Many rows at once (serving predicts in batches): the output row of each, or the error `predict` would have
   * thrown for it. The model's work runs once over the batch; without it, callers predict row by row.
   */
  predictMany?(rows: readonly Record<string, unknown>[]): (Record<string, unknown> | Error)[];
  /** The output columns, in order, of rows with the given input columns (a CSV answer's header). */
  outputColumns?(inputColumns: readonly string[]): string[];
  /**
   * Swaps in another model of the same inputs (a model stream's next model): rows predicted after the call use
   * it. A model the predictor cannot take (another dimension or features) throws a ComponentError naming the
   * difference, and the current model stays. Absent when the model type cannot be swapped while rows flow.
   */
  replaceModel?(model: ModelPayload): void;
  /**
   * Serving's fast path, when the predictor has one: rows whose features are plain numbers are read straight from
   * the request's bytes into a matrix and predicted here, and the answer line is the request's row with `outputs`
   * added (what predict would give for that row). Rows it cannot take (a missing or malformed feature, another
   * shape) go through predict / predictMany. Absent when the output is not the whole row plus `outputs`.
   */
  readonly matrix?: MatrixPredictor;
}

/** An output field of MatrixPredictor: an integer, a number (null when not finite), or `width` numbers as a vector string. */
export interface MatrixOutput {
  name: string;
  kind: 'integer' | 'number' | 'vector';
  width: number;
}

export interface MatrixPredictor {
  /** where a row's features are: a dense vector string in one field, or numbers in these fields in order */
  readonly vectorCol?: string;
  readonly featureCols?: readonly string[];
  readonly dims: number;
  /** the fields added to each row, in order */
  readonly outputs: readonly MatrixOutput[];
  /** predicts `rows` rows of `x` (rows × dims, row-major) with the current model: one array per output (rows × width) */
  predict(x: Float64Array, rows: number): ArrayLike<number>[];
}

/** predictMany when the predictor has it, else predict row by row; a row's error is its entry. */
export function predictRows(predictor: RowPredictor, rows: readonly Record<string, unknown>[]): (Record<string, unknown> | Error)[] {
  if (predictor.predictMany) return predictor.predictMany(rows);
  return rows.map((row) => {
    try {
      return predictor.predict(row);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  });
}

/** A model's fit on rows it was not trained on (scikit-learn's score, bic and aic). */
export interface ModelScore {
  /** rows scored (rows that missingValues drop leaves out are not counted) */
  rows: number;
  /** rows left out by missingValues drop */
  droppedRows: number;
  meanLogLikelihood: number;
  /** −2·log-likelihood + p·ln(rows): lower is better */
  bic: number;
  /** −2·log-likelihood + 2p: lower is better */
  aic: number;
}

/** Rows drawn from a model: column name → value, plus the index of the component that drew the row. */
export type SampledRow = Record<string, unknown>;

export type ModelPortSchema = Extract<PortSchema, { type: 'model' }>;

export interface ModelCodec<M extends ModelPayload = ModelPayload> {
  modelType: string;
  /** how people call this kind of model, e.g. 'GMM' */
  label: string;
  /**
   * Payloads of this type may reach the plugin's code as EncodedModel (ports, the serving threads, score and
   * sample), which the plugin parses with decodeModel where it uses the numbers. Absent: always parsed.
   */
  encoded?: boolean;
  /** the `type` field of the model's file format, when the file does not carry modelType (GMM: 'mixflow.gmm') */
  fileType?: string;
  /**
   * Validates a model file or stored payload strictly and returns the payload; a ComponentError names the first
   * wrong field (`details.field`, e.g. "means[1][0]").
   */
  fromJSON(json: unknown): M;
  /**
   * fromJSON for a model file a user sends (the API's import), where the checks may be heavy (a GMM factorises
   * every covariance: seconds for a wide model) and belong off the caller's thread. Absent: fromJSON.
   */
  importFile?(json: unknown): Promise<M>;
  /**
   * With `encoded`: the payload without the bulk of its numbers (a GMM's weights, means and covariances), small
   * enough to keep beside the encoded bytes, for the plugin's code that reads only its figures and provenance.
   */
  head?(model: M): ModelPayload;
  /** The model file users export and import again (its bits are the model type's file format). */
  toJSON(model: M): unknown;
  summary(model: M): ModelSummary;
  /** What a model port shows before running (dims, the columns the model was trained on). */
  portSchema(model: M): ModelPortSchema;
  /** Online prediction with this model; `options` are the prediction component's parameters. */
  predictor(model: M, options: Params): RowPredictor;
  /**
   * Scores rows (objects as online prediction takes them) with the model; `options` are the prediction
   * component's parameters. Absent when the model type has no likelihood.
   */
  score?(model: M, rows: readonly Record<string, unknown>[], options: Params): ModelScore | Promise<ModelScore>;
  /** Draws `n` rows from the model with a seed (same seed, same rows). Absent when the model type cannot sample. */
  sample?(model: M, n: number, seed: number): SampledRow[] | Promise<SampledRow[]>;
}
