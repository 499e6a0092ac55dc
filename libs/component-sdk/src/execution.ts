/**
 * The Execution Tuning tab (PAI's Number of Workers and Memory per worker): the two parameters every component that
 * runs on the execution engine shows, with PAI's ranges and the CLI's flags, and the engine run options they make.
 */
import type { EngineRunOptions } from '@mixflow/executor';
import type { ExecutionContext, ParameterDescription } from './types';

export interface ExecutionParamsOptions {
  /** what the workers share, for Number of Workers' help */
  workersHelp: string;
  /** what a worker holds, for Memory per worker's help */
  memoryHelp: string;
  /** Memory per worker's default, MB */
  memoryDefault: number;
}

/** numWorkers ([1, 9999], --workers) and memoryPerWorkerMb ([1024, 65536] MB, --memory-mb), in that order. */
export function executionParams(o: ExecutionParamsOptions): ParameterDescription[] {
  return [
    { name: 'numWorkers', label: 'Number of Workers', cliFlag: 'workers', tab: 'execution', type: 'int', default: 1, min: 1, max: 9999, help: o.workersHelp },
    { name: 'memoryPerWorkerMb', label: 'Memory per worker, MB', cliFlag: 'memory-mb', tab: 'execution', type: 'int', default: o.memoryDefault, min: 1024, max: 65536, help: o.memoryHelp },
  ];
}

/** A node's engine run: its Execution Tuning parameters, the run's signal, and the engine's notes in the node's log. */
export function engineRunOptions(ctx: ExecutionContext, extra: Partial<EngineRunOptions> = {}): EngineRunOptions {
  return {
    numWorkers: ctx.params.numWorkers as number,
    memoryPerWorkerMb: ctx.params.memoryPerWorkerMb as number,
    signal: ctx.signal,
    log: (message) => ctx.log('info', message),
    ...extra,
  };
}
