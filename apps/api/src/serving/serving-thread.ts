/**
 * Entry point of a serving thread (compiled to dist/serving/serving-thread.js). It loads the plugins as the
 * server does and predicts through the codec of each model's type: the thread knows no algorithm. Predictors
 * are kept by model key and parameters, so a stream's batches make the model ready once per thread.
 */
import { parentPort } from 'node:worker_threads';
import { loadPlugins, type ModelPayload, type Params, type RowPredictor } from '@mixflow/component-sdk';
import { csvAnswerColumns, predictBatch, predictJsonRows } from './formats';
import type { ModelRef, ServingMessage, ServingReply, ServingResult } from './protocol';

const registry = loadPlugins();
const models = new Map<string, ModelPayload>();
const predictors = new Map<string, RowPredictor>();
const bodies = new Map<number, Record<string, unknown>[]>();
const KEEP = 16;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

class NeedModel extends Error {}

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  map.set(key, value);
  if (map.size > KEEP) map.delete(map.keys().next().value as string);
  return value;
}

function predictorFor(model: ModelRef, params: Params): RowPredictor {
  const key = `${model.key}\u0000${JSON.stringify(params)}`;
  const known = predictors.get(key);
  if (known) return known;
  const payload = model.payload ?? models.get(model.key);
  if (!payload) throw new NeedModel();
  remember(models, model.key, payload);
  return remember(predictors, key, registry.modelCodec(payload.modelType).predictor(payload, params));
}

function handle(m: ServingMessage): ServingResult {
  switch (m.type) {
    case 'prepare': {
      const predictor = predictorFor(m.model, m.params);
      return { ok: true, columns: m.header ? csvAnswerColumns(predictor, m.header, m.tag) : undefined };
    }
    case 'batch': {
      const predictor = predictorFor(m.model, m.params);
      const out = predictBatch(predictor, { format: m.format, text: decoder.decode(m.text), firstLine: m.firstLine, header: m.header, tag: m.tag });
      return { ok: true, text: encoder.encode(out.text), rows: out.rows, errors: out.errors };
    }
    case 'json-parse': {
      let body: unknown;
      try {
        body = JSON.parse(decoder.decode(m.text));
      } catch (err) {
        throw Object.assign(new Error(`the body is not JSON: ${(err as Error).message}`), { name: 'InputError', details: { field: 'body' } });
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw Object.assign(new Error('the body must be a JSON object { rows, ... }'), { name: 'InputError', details: { field: 'body' } });
      }
      const { rows, ...options } = body as Record<string, unknown>;
      if (!Array.isArray(rows)) throw Object.assign(new Error('rows must be an array'), { name: 'InputError', details: { field: 'rows' } });
      const bad = rows.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r));
      if (bad >= 0) throw Object.assign(new Error(`each value in rows must be an object (rows[${bad}] is not)`), { name: 'InputError', details: { field: 'rows', row: bad + 1 } });
      bodies.set(m.body, rows as Record<string, unknown>[]);
      return { ok: true, options, count: rows.length };
    }
    case 'json-predict': {
      const rows = bodies.get(m.body) ?? [];
      const predictor = predictorFor(m.model, m.params);
      bodies.delete(m.body);
      const out = predictJsonRows(predictor, rows, m.tag);
      if ('error' in out) {
        const details = (out.error as { details?: Record<string, unknown> }).details ?? {};
        return { ok: false, error: { message: `row ${out.row}: ${out.error.message}`, name: 'InputError', details: { ...details, row: out.row } } };
      }
      return { ok: true, text: encoder.encode(out.text), rows: out.rows, errors: 0 };
    }
    case 'json-drop':
      bodies.delete(m.body);
      return { ok: true };
  }
}

parentPort!.on('message', (m: ServingMessage) => {
  let reply: ServingReply;
  try {
    reply = { id: m.id, ...handle(m) };
  } catch (err) {
    if (err instanceof NeedModel) reply = { id: m.id, ok: false, needModel: true, error: { message: 'model not sent', name: 'NeedModel' } };
    else {
      const e = err as Error & { details?: Record<string, unknown> };
      reply = { id: m.id, ok: false, error: { message: e.message, name: e.name, ...(e.details ? { details: { ...e.details } } : {}) } };
    }
  }
  const transfer = reply.ok && reply.text ? [reply.text.buffer as ArrayBuffer] : [];
  parentPort!.postMessage(reply, transfer);
});
