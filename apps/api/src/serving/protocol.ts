/** Messages between the API thread and its serving threads (see prediction-pool.ts). */
import type { ModelPayload, Params } from '@mixflow/component-sdk';
import type { RowTag, StreamFormat } from './formats';

/** A model as a serving thread knows it: by key (model id and version), with the payload the first time. */
export interface ModelRef {
  key: string;
  payload?: ModelPayload;
}

export type ServingRequest =
  /** checks the parameters against the model (the predictor is made and kept); answers the CSV answer's columns */
  | { type: 'prepare'; model: ModelRef; params: Params; header?: string[]; tag?: RowTag }
  | { type: 'batch'; model: ModelRef; params: Params; format: StreamFormat; text: Uint8Array; firstLine: number; header?: string[]; tag?: RowTag }
  /**
   * A JSON body `{ rows, ...options }` parsed and predicted in one trip, with the parameters of its options; the
   * answer carries the options, which the API validates before it sends the rows (or a 400).
   */
  | { type: 'json'; model: ModelRef; text: Uint8Array; tag?: RowTag; part?: JsonPart };

/**
 * One of `of` parts of a large JSON batch: the body (on shared memory) goes to several threads, each predicts its
 * share of the rows and answers them without the {"rows":[...]} around them. A part that the byte path cannot
 * answer cleanly (any error, a body it does not read) answers `whole`: the API then runs the request in one piece.
 */
export interface JsonPart {
  index: number;
  of: number;
}

export interface ServingError {
  message: string;
  name: string;
  details?: Record<string, unknown>;
}

export type ServingResult =
  | { ok: true; columns?: string[]; text?: Uint8Array; rows?: number; errors?: number; options?: Record<string, unknown>; whole?: true }
  /** needModel: the thread no longer holds the model (it keeps a few); the body comes back in `text` to be sent again */
  | { ok: false; needModel?: true; text?: Uint8Array; error: ServingError; options?: Record<string, unknown> };

export type ServingMessage = ServingRequest & { id: number };
export type ServingReply = ServingResult & { id: number };
