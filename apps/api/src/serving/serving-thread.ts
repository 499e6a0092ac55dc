/**
 * Entry point of a serving thread (compiled to dist/serving/serving-thread.js). It loads the plugins as the
 * server does and predicts through the codec of each model's type: the thread knows no algorithm. A model's
 * payload arrives once and stays (by key); predictors are kept by model key and parameters, so a stream's batches
 * and a deployment's requests make the model ready once per thread. Requests come in lists (the pool sends what
 * queued up in one message) and are answered in one message.
 */
import { parentPort } from 'node:worker_threads';
import { decodeModel, loadPlugins, type ModelPayload, type Params, type RowPredictor } from '@mixflow/component-sdk';
import { csvAnswerColumns, predictJsonRows } from './formats';
import { predictCsvBytes, predictJsonBytes, predictNdjsonBytes, readJsonBody } from './row-bytes';
import { predictParams, type PredictOptions } from './predict-params';
import type { ModelRef, ServingMessage, ServingReply, ServingResult } from './protocol';

const registry = loadPlugins();
const models = new Map<string, ModelPayload>();
const predictors = new Map<string, RowPredictor>();
const KEEP = 16;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

class NeedModel extends Error {}

function inputError(message: string, details: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { name: 'InputError', details });
}

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  map.set(key, value);
  if (map.size > KEEP) map.delete(map.keys().next().value as string);
  return value;
}

function predictorFor(model: ModelRef, params: Params): RowPredictor {
  const key = `${model.key}\u0000${JSON.stringify(params)}`;
  const known = predictors.get(key);
  if (known) return known;
  const payload = models.get(model.key);
  if (!payload) throw new NeedModel();
  return remember(predictors, key, registry.modelCodec(payload.modelType).predictor(payload, params));
}

/** `{ rows, ...options }` of a JSON body, the rows checked to be objects. */
function parseJsonBody(text: Uint8Array): { rows: Record<string, unknown>[]; options: Record<string, unknown> } {
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(text));
  } catch (err) {
    throw inputError(`the body is not JSON: ${(err as Error).message}`, { field: 'body' });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw inputError('the body must be a JSON object { rows, ... }', { field: 'body' });
  const { rows, ...options } = body as Record<string, unknown>;
  if (!Array.isArray(rows)) throw inputError('rows must be an array', { field: 'rows' });
  const bad = rows.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) throw inputError(`each value in rows must be an object (rows[${bad}] is not)`, { field: 'rows', row: bad + 1 });
  return { rows: rows as Record<string, unknown>[], options };
}

function errorOf(err: unknown): { message: string; name: string; details?: Record<string, unknown> } {
  const e = err as Error & { details?: Record<string, unknown> };
  return { message: e.message, name: e.name, ...(e.details ? { details: { ...e.details } } : {}) };
}

/** A JSON batch's first row that cannot be predicted: the request's 400, naming the row. */
function rowError(out: { error: Error; row: number }, options: Record<string, unknown>): ServingResult {
  const details = (out.error as { details?: Record<string, unknown> }).details ?? {};
  return { ok: false, options, error: { message: `row ${out.row}: ${out.error.message}`, name: 'InputError', details: { ...details, row: out.row } } };
}

function handle(m: ServingMessage): ServingResult {
  // an encoded payload (its file's bytes, shared with the API's thread) is parsed here, once per thread
  if (m.model.payload) remember(models, m.model.key, decodeModel(m.model.payload));
  switch (m.type) {
    case 'prepare': {
      const predictor = predictorFor(m.model, m.params);
      return { ok: true, columns: m.header ? csvAnswerColumns(predictor, m.header, m.tag) : undefined };
    }
    case 'batch': {
      const predictor = predictorFor(m.model, m.params);
      const out = m.format === 'ndjson' ? predictNdjsonBytes(predictor, m.text, m.firstLine, m.tag) : predictCsvBytes(predictor, m.text, m.firstLine, m.header ?? [], m.tag);
      return { ok: true, text: out.bytes, rows: out.rows, errors: out.errors };
    }
    case 'json': {
      if (!models.has(m.model.key)) throw new NeedModel(); // before the body is parsed: it goes back whole
      const body = readJsonBody(m.text);
      if (m.part) {
        // a part answers only on the byte path and only without errors; anything else is the whole request's to answer
        try {
          const out = body && predictJsonBytes(predictorFor(m.model, predictParams(body.options as PredictOptions)), m.text, body, m.tag, m.part);
          if (body && out && !('error' in out)) return { ok: true, options: body.options, text: out.bytes, rows: out.rows, errors: 0 };
        } catch {
          // the whole request names the error
        }
        return { ok: true, whole: true };
      }
      if (body) {
        try {
          const out = predictJsonBytes(predictorFor(m.model, predictParams(body.options as PredictOptions)), m.text, body, m.tag);
          if (out && 'error' in out) return rowError(out, body.options);
          if (out) return { ok: true, options: body.options, text: out.bytes, rows: out.rows, errors: 0 };
        } catch (err) {
          return { ok: false, options: body.options, error: errorOf(err) };
        }
      }
      const { rows, options } = parseJsonBody(m.text);
      try {
        // the options are not validated yet: the API does that with the answer, and drops the rows when they are wrong
        const out = predictJsonRows(predictorFor(m.model, predictParams(options as PredictOptions)), rows, m.tag);
        if ('error' in out) return rowError(out, options);
        return { ok: true, options, text: encoder.encode(out.text), rows: out.rows, errors: 0 };
      } catch (err) {
        return { ok: false, options, error: errorOf(err) };
      }
    }
  }
}

parentPort!.on('message', (messages: ServingMessage[]) => {
  const replies: ServingReply[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const m of messages) {
    let reply: ServingReply;
    try {
      reply = { id: m.id, ...handle(m) };
    } catch (err) {
      if (err instanceof NeedModel) {
        // the body comes back with the question, to be sent again with the model
        const text = 'text' in m ? m.text : undefined;
        reply = { id: m.id, ok: false, needModel: true, text, error: { message: 'model not sent', name: 'NeedModel' } };
      } else reply = { id: m.id, ok: false, error: errorOf(err) };
    }
    // a body on shared memory is shared, not moved
    if (reply.text && !(reply.text.buffer instanceof SharedArrayBuffer)) transfer.push(reply.text.buffer as ArrayBuffer);
    replies.push(reply);
  }
  parentPort!.postMessage(replies, transfer);
});
