import type { ComponentEnv, ExecutionContext, LogLevel, Params, PortValue } from './types';
import type { ExecutionEngine } from '@mixflow/executor';

/** A ComponentEnv without stored datasets: loading one fails with `reason` (what to do instead). */
export function noDatasets(reason: () => Error): ComponentEnv {
  return { datasetSchema: () => undefined, loadDataset: () => Promise.reject(reason()) };
}

export interface StandaloneContextOptions {
  nodeId: string;
  /** resolved parameters */
  params: Params;
  inputs: PortValue[];
  engine: ExecutionEngine;
  /** stored datasets; none by default */
  env?: ComponentEnv;
  signal?: AbortSignal;
  progress?(fraction: number, message?: string): void;
  log?(level: LogLevel, message: string): void;
  metric?(name: string, value: unknown): void;
}

/**
 * The ExecutionContext of a component run outside a workflow (the CLI's commands, the SDK's streams, plugin tests):
 * no stored datasets unless given, a signal that never aborts unless given, and callbacks that default to nothing.
 */
export function standaloneContext(o: StandaloneContextOptions): ExecutionContext {
  return {
    nodeId: o.nodeId,
    params: o.params,
    inputs: o.inputs,
    engine: o.engine,
    env: o.env ?? noDatasets(() => new Error(`${o.nodeId} runs outside a workflow: it has no stored datasets`)),
    signal: o.signal ?? new AbortController().signal,
    progress: o.progress ?? (() => undefined),
    log: o.log ?? (() => undefined),
    metric: o.metric ?? (() => undefined),
  };
}

/**
 * A node's progress while it reads `total` rows (ComponentEnv.loadDataset's and readDatasetRows' row counts): the
 * rows read as `share` × rows / total, reported by whole percents of the rows (a DuckDB chunk is a few thousand
 * rows) and at the last row: "read 200,000 of 1,000,000 rows", then `into` (where they go), and after the last
 * one `then` (what follows it).
 */
export function rowsReadProgress(
  ctx: Pick<ExecutionContext, 'progress'>,
  total: number,
  share: number,
  words: { into?: string; then?: string } = {},
): (rows: number) => void {
  let reported = 0;
  return (rows) => {
    const last = rows >= total;
    if (total <= 0 || (!last && (rows - reported) / total < 0.01)) return;
    reported = rows;
    const message =
      `read ${rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` +
      `${words.into ? ` ${words.into}` : ''}${last && words.then ? `; ${words.then}` : ''}`;
    ctx.progress((share * Math.min(rows, total)) / total, message);
  };
}
