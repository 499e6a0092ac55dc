import { HttpException, HttpStatus, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { availableParallelism } from 'node:os';
import type { Params } from '@mixflow/component-sdk';
import { badRequest, isInputError } from '../common/api-error.filter';
import { MIXFLOW_CONFIG, type MixflowConfig } from '../config/configuration';
import { CSV, csvField, csvHeader, NDJSON, type RowTag, type StreamFormat } from './formats';
import { countLines, takeLines } from './line-batches';
import { PredictionPool, ServingFailure } from './prediction-pool';
import type { ModelRef, ServingResult } from './protocol';

/** A JSON batch body: 64 MB (a 413 before it is read past that). */
export const JSON_BATCH_LIMIT_BYTES = 64 * 1024 * 1024;
/** A JSON batch this large is predicted in parts, one per serving thread (smaller ones are not worth the second trip). */
const JSON_SPLIT_BYTES = 256 * 1024;
/** Stream batches are cut at line ends once this much text waits (or at once when every thread is idle). */
const BATCH_BYTES = 256 * 1024;

/** What a prediction uses: read at every batch, so a deployment's swap takes effect between batches. */
export interface ServeTarget {
  params: Params;
  current(): { model: ModelRef; tag?: RowTag };
}

export interface ServeOutcome {
  rows: number;
  errors: number;
  /** the client went away before the answer was complete */
  aborted: boolean;
}

type Ok = Extract<ServingResult, { ok: true }>;

/** A serving thread's error answer as the API's error: the request's fault is a 400 naming where. */
function asHttpError(err: unknown): unknown {
  if (err instanceof ServingFailure && isInputError(err)) return badRequest(err.message, err.details);
  return err;
}

function waitForDrain(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}


/**
 * Prediction serving: bodies are read as they arrive, cut into batches of whole lines, and parsed, predicted
 * and formatted on the serving threads; the answers are written in order with backpressure (a slow reader
 * slows the reading of the body), so memory does not grow with the number of rows. A client that goes away
 * stops the reading and the batches not yet sent.
 */
@Injectable()
export class ServingService implements OnApplicationShutdown {
  readonly pool: PredictionPool;

  constructor(@Inject(ConfigService) config: ConfigService) {
    const c = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG);
    this.pool = new PredictionPool(c.maxWorkers ?? availableParallelism());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.stop();
  }

  /** NDJSON or CSV in, the same format out, line for line. Errors before the first byte is written are thrown (400). */
  async serveStream(req: Request, res: Response, format: StreamFormat, target: ServeTarget): Promise<ServeOutcome> {
    const outcome: ServeOutcome = { rows: 0, errors: 0, aborted: false };
    res.on('close', () => {
      if (!res.writableFinished) outcome.aborted = true;
    });
    const input = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let ended = false;
    const read = async (): Promise<boolean> => {
      const next = await input.next();
      if (next.done) {
        ended = true;
        return false;
      }
      pending.push(next.value);
      pendingBytes += next.value.length;
      return true;
    };

    let header: string[] | undefined;
    let nextLine = 1;
    if (format === 'csv') {
      // the header line first: the answer's columns follow from it
      while (!pending.some((b) => b.includes(10)) && (await read()));
      const all = Buffer.concat(pending);
      const end = all.indexOf(10);
      const line = all.subarray(0, end < 0 ? all.length : end).toString('utf8');
      if (line.trim() === '') throw badRequest('the CSV body has no header line: send the column names first', { row: 1 });
      try {
        header = csvHeader(line);
      } catch (err) {
        throw badRequest(`line 1: ${(err as Error).message}`, { row: 1 });
      }
      pending = end < 0 ? [] : [all.subarray(end + 1)];
      pendingBytes = end < 0 ? 0 : all.length - end - 1;
      nextLine = 2;
    }
    const first = target.current();
    let prepared: Ok;
    try {
      prepared = await this.pool.call(this.pool.pick(), { type: 'prepare', model: first.model, params: target.params, header, tag: first.tag });
    } catch (err) {
      throw asHttpError(err);
    }

    res.status(200).setHeader('Content-Type', format === 'csv' ? `${CSV}; charset=utf-8` : NDJSON);
    res.flushHeaders();
    if (format === 'csv') res.write(`${(prepared.columns ?? []).map(csvField).join(',')}\n`);

    const maxInFlight = this.pool.size * 2 + 1;
    const written: Promise<void>[] = [];
    let writing: Promise<void> = Promise.resolve();
    let inFlight = 0;

    const dispatch = (final: boolean): void => {
      if (pendingBytes === 0) return;
      const text = takeLines(pending, final); // its own buffer, moved to the thread
      if (!text) return;
      pendingBytes -= text.length;
      const firstLine = nextLine;
      nextLine += countLines(text);
      const { model, tag } = target.current();
      const lastLine = nextLine - 1;
      inFlight++;
      const result = this.pool
        .call(this.pool.pick(), { type: 'batch', model, params: target.params, format, text, firstLine, header, tag }, [text.buffer])
        .catch((err: Error) => err);
      writing = writing.then(async () => {
        const r = await result;
        inFlight--;
        if (outcome.aborted) return;
        let chunk: string | Uint8Array;
        if (r instanceof Error) {
          const message = `lines ${firstLine}–${lastLine} could not be predicted: ${r.message}`;
          outcome.errors += lastLine - firstLine + 1;
          chunk = format === 'csv' ? `${(prepared.columns ?? []).map((c) => (c === 'error' ? csvField(message) : '')).join(',')}\n` : `${JSON.stringify({ error: message, line: firstLine })}\n`;
        } else {
          outcome.rows += r.rows ?? 0;
          outcome.errors += r.errors ?? 0;
          chunk = r.text ?? '';
        }
        if (!res.write(chunk)) await waitForDrain(res);
      });
      written.push(writing);
    };

    try {
      while (!outcome.aborted && (await read())) {
        if (pendingBytes >= BATCH_BYTES || inFlight === 0) dispatch(false);
        if (inFlight >= maxInFlight) await written[written.length - maxInFlight];
      }
    } catch (err) {
      // the body broke off (the client went away): what was read is still answered if anyone listens
      if (!outcome.aborted) outcome.aborted = res.destroyed;
      if (!outcome.aborted) throw err;
    }
    if (ended && !outcome.aborted) dispatch(true);
    else if (!ended) await input.return?.();
    await writing;
    if (!outcome.aborted) res.end();
    return outcome;
  }

  /**
   * A JSON batch `{ rows, ...options }` → `{ rows }`. The body is read up to the limit (a 413 without reading
   * past it), then parsed and predicted on one serving thread in one trip, with the model the target names when
   * the body has arrived. `checkOptions` validates the body's options (a 400 there drops the predicted rows).
   */
  async serveJson(
    req: Request,
    res: Response,
    target: Pick<ServeTarget, 'current'>,
    checkOptions: (options: Record<string, unknown>) => Promise<unknown>,
  ): Promise<ServeOutcome> {
    const split = this.pool.size > 1;
    const body = await readBody(req, JSON_BATCH_LIMIT_BYTES, split);
    const { model, tag } = target.current(); // one model for the whole request, however many threads predict it
    if (split && body.length >= JSON_SPLIT_BYTES) {
      const of = this.pool.size;
      const parts = await Promise.all(Array.from({ length: of }, (_, index) => this.pool.run(index, { type: 'json', model, text: body, tag, part: { index, of } })));
      const answered = parts.filter((p): p is Ok => p.ok && !p.whole);
      if (answered.length === parts.length) {
        const options = answered[0].options ?? {};
        await checkOptions(options);
        res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
        res.write('{"rows":[');
        let first = true;
        for (const p of answered) {
          if (!p.text || p.text.length === 0) continue;
          if (!first) res.write(',');
          res.write(p.text);
          first = false;
        }
        res.end(']}');
        return { rows: answered.reduce((n, p) => n + (p.rows ?? 0), 0), errors: 0, aborted: false };
      }
    }
    const answer = await this.pool.run(this.pool.pick(), { type: 'json', model, text: body, tag }, split ? [] : [body.buffer as ArrayBuffer]);
    if (answer.options) await checkOptions(answer.options);
    if (!answer.ok) throw asHttpError(new ServingFailure(answer.error));
    res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(answer.text ?? '{"rows":[]}');
    return { rows: answer.rows ?? 0, errors: 0, aborted: false };
  }
}

/**
 * The whole body, refused with 413 when its declared length or what arrives passes `limit`; on shared memory when
 * `shared` (several serving threads read it).
 */
async function readBody(req: Request, limit: number, shared: boolean): Promise<Uint8Array> {
  const tooLarge = () =>
    new HttpException(
      { statusCode: 413, message: `the body is larger than ${limit / 1024 / 1024} MB: send the rows in several requests, or as an NDJSON or CSV stream`, error: 'Payload Too Large' },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const out = new Uint8Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
