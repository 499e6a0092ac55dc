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
  /** parses a JSON body and keeps its rows under `body`; answers its other fields (the options) */
  | { type: 'json-parse'; body: number; text: Uint8Array }
  | { type: 'json-predict'; body: number; model: ModelRef; params: Params; tag?: RowTag }
  | { type: 'json-drop'; body: number };

export interface ServingError {
  message: string;
  name: string;
  details?: Record<string, unknown>;
}

export type ServingResult =
  | { ok: true; columns?: string[]; text?: Uint8Array; rows?: number; errors?: number; options?: Record<string, unknown>; count?: number }
  | { ok: false; needModel?: true; error: ServingError };

export type ServingMessage = ServingRequest & { id: number };
export type ServingReply = ServingResult & { id: number };
