/**
 * What the API does with a model's numbers, on a driver thread (libs/executor's runDriver) so that its event loop
 * never parses, checks or writes JSON of hundreds of MB: encoding a payload that arrived parsed, importing an
 * uploaded file, writing the export file and describing payloads of rows stored before they moved to files.
 * Each loads the plugins once per thread and works through the model type's codec: the API knows no algorithm.
 */
import * as fs from 'node:fs';
import {
  ComponentError,
  encodeModel,
  loadPlugins,
  type ComponentRegistry,
  type EncodedModel,
  type ModelPayload,
  parseModelJson,
} from '@mixflow/component-sdk';
import { runDriver } from '@mixflow/executor';
import { jsonDepth, MAX_JSON_DEPTH } from '../common/json-depth';
import type { ModelHeader } from './entities/model.entity';

let registry: ComponentRegistry | undefined;
/** the plugins as the server loads them, once per thread */
function plugins(): ComponentRegistry {
  return (registry ??= loadPlugins());
}

/** Runs an export of this module on a driver thread; a ComponentError (a 400) comes back as one, with its details. */
export async function onModelThread<T>(name: string, input: unknown): Promise<T> {
  try {
    return await runDriver<T>({ module: __filename, name, input });
  } catch (err) {
    const e = err as Error & { details?: Record<string, unknown> };
    throw e.name === 'ComponentError' ? new ComponentError(e.message, e.details ?? {}) : err;
  }
}

/** A parsed payload (a small model from a plugin that does not encode) as the API stores it. */
export async function encodeOnThread(payload: ModelPayload): Promise<EncodedModel> {
  return encodeModel(payload, plugins().modelCodec(payload.modelType));
}

export interface ImportedModel {
  model: EncodedModel;
  /** how people call the model type, e.g. GMM */
  label: string;
}

/**
 * An uploaded model file (in `file`, the bytes as sent): checked for depth, parsed, validated strictly by its
 * codec (by modelType, or by the file format's type) and encoded. A ComponentError names what is wrong.
 */
export async function importOnThread(input: { file: string }): Promise<ImportedModel> {
  const bytes = fs.readFileSync(input.file);
  if (jsonDepth(bytes) > MAX_JSON_DEPTH) throw new ComponentError(`the model file nests deeper than ${MAX_JSON_DEPTH} levels`, { field: 'file' });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ComponentError(`the model file is not JSON: ${(err as Error).message}`, { field: 'file' });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ComponentError('send the model file (the JSON of GET /api/models/:id/export) as the body or as multipart field "file"', { field: 'file' });
  }
  const codec = plugins().modelCodecOf(json);
  return { model: encodeModel(codec.fromJSON(json), codec), label: codec.label };
}

/** The model file users download (its codec's export format, indented as before), from the stored payload. */
export async function exportOnThread(input: { source: string; modelType: string; target: string }): Promise<void> {
  const payload = readPayload(input.source, input.modelType);
  const file = plugins().modelCodec(payload.modelType).toJSON(payload);
  fs.writeFileSync(input.target, JSON.stringify(file, null, 2));
}

/** The header of a stored payload (rows stored before payloads moved to files have none). */
export async function describeOnThread(input: { source: string; modelType: string }): Promise<ModelHeader> {
  const payload = readPayload(input.source, input.modelType);
  const codec = plugins().modelCodec(payload.modelType);
  const head = codec.head?.(payload);
  return { version: payload.version, portSchema: codec.portSchema(payload), ...(head ? { head } : {}) };
}

/** A stored payload; rows stored before model types existed hold a file without modelType (the row's column says). */
function readPayload(file: string, modelType: string): ModelPayload {
  return parseModelJson(fs.readFileSync(file), modelType);
}
