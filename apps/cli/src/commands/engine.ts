/** The execution engine a command runs on: --engine, else MIXFLOW_ENGINE, else local worker threads. */
import { Option } from 'commander';
import { noDatasets as sdkNoDatasets, standaloneContext, type ComponentEnv, type ExecutionContext, type Params } from '@mixflow/component-sdk';
import type { Table } from '@mixflow/table';
import { ENGINE_KINDS, createEngine, type EngineKind, type ExecutionEngine } from '@mixflow/executor';
import { CliUsageError, type CliIo } from '../io';
import type { Verbosity } from '../progress';

export function engineOption(): Option {
  return new Option(
    '--engine <kind>',
    'where the EM runs: local (worker threads on this machine), redis (BullMQ workers reached through REDIS_URL; start them with `mixflow worker`), inline (this thread). Default: MIXFLOW_ENGINE or local',
  ).choices(ENGINE_KINDS as string[]);
}

export function openEngine(io: CliIo, kind: string | undefined): ExecutionEngine {
  const chosen = (kind ?? io.env.MIXFLOW_ENGINE ?? 'local') as EngineKind;
  if (!ENGINE_KINDS.includes(chosen)) {
    throw new CliUsageError(`MIXFLOW_ENGINE=${chosen} is not an engine; use one of ${ENGINE_KINDS.join(', ')}.`);
  }
  const redisUrl = io.env.REDIS_URL;
  if (chosen === 'redis' && !redisUrl) {
    throw new CliUsageError('--engine redis needs REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) and running `mixflow worker` processes.');
  }
  return createEngine({ kind: chosen, redisUrl });
}

/** The CLI has no stored datasets; a component asking for one gets a clear answer. */
export const noDatasets: ComponentEnv = sdkNoDatasets(() => new CliUsageError('the command line has no stored datasets; pass --input file.csv.'));


/**
 * The context a command runs its component in: the table on input 0, no stored datasets, warnings and errors on
 * stderr as `<command>: message`, metrics to `metric`.
 */
export function commandContext(
  io: CliIo,
  command: string,
  params: Params,
  table: Table,
  engine: ExecutionEngine,
  verbosity: Verbosity,
  metric: (name: string, value: unknown) => void,
): ExecutionContext {
  return standaloneContext({
    nodeId: command,
    params,
    inputs: [{ type: 'table', table }],
    engine,
    env: noDatasets,
    ...(io.signal ? { signal: io.signal } : {}),
    log: (level, message) => {
      // info lines (each EM iteration) only with --verbose; warnings always
      if (level !== 'info' || verbosity === 'verbose') io.stderr.write(`${command}: ${message}\n`);
    },
    metric,
  });
}
