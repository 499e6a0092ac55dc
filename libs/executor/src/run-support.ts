/** What every engine does the same way: checking run options, cancellation, run reports. */
import type { EngineKind, EngineRunInfo, EngineRunOptions } from './engine';

/** An engine setting or a worker failure; `setting` names what to change (e.g. "memoryPerWorkerMb"). */
export class ExecutorError extends Error {
  readonly setting?: string;

  constructor(message: string, setting?: string) {
    super(message);
    this.name = 'ExecutorError';
    this.setting = setting;
  }
}

/** Thrown when the run's AbortSignal fires; name is 'AbortError' like fetch's. */
export class RunCancelledError extends Error {
  constructor(message = 'The run was cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export function checkRunOptions(run: EngineRunOptions): void {
  if (!Number.isInteger(run.numWorkers) || run.numWorkers < 1) {
    throw new ExecutorError(`Number of Workers must be a whole number ≥ 1, got ${run.numWorkers}`, 'numWorkers');
  }
  if (!Number.isInteger(run.memoryPerWorkerMb) || run.memoryPerWorkerMb < 1) {
    throw new ExecutorError(
      `Memory per worker must be a whole number of MB ≥ 1, got ${run.memoryPerWorkerMb}`,
      'memoryPerWorkerMb',
    );
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunCancelledError();
}

/** How every engine opens a session: valid run options, not cancelled yet. Returns the start time for runInfo. */
export function startRun(run: EngineRunOptions): number {
  checkRunOptions(run);
  throwIfAborted(run.signal);
  return performance.now();
}

/** What an engine reports of a run; `started` is startRun's result. */
export function runInfo(
  engine: EngineKind,
  run: EngineRunOptions,
  workersUsed: number,
  started: number,
  peakMemoryMbPerWorker?: number,
): EngineRunInfo {
  return {
    engine,
    workersRequested: run.numWorkers,
    workersUsed,
    memoryPerWorkerMb: run.memoryPerWorkerMb,
    ...(peakMemoryMbPerWorker === undefined ? {} : { peakMemoryMbPerWorker }),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The error to throw for a failed run: once the signal has fired, the failure is the cancellation's doing, so report that. */
export function cancellationOr(error: unknown, signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? new RunCancelledError() : error;
}

/** Resolves when `signal` aborts; never rejects. Returns a disposer that removes the listener. */
export function onAbort(signal: AbortSignal | undefined, action: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    action();
    return () => undefined;
  }
  signal.addEventListener('abort', action, { once: true });
  return () => signal.removeEventListener('abort', action);
}
