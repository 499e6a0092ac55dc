/** The in-process engine: the same chunked E-step and chunk-order merge as the others, on the caller's thread. */
import {
  computeStats,
  fitGmmWith,
  GaussianMixture,
  type DataMatrix,
  type GmmFitOptions,
  type GmmModelJson,
  type StatsRunner,
} from '@mixflow/gmm';
import type { EngineRunOptions, ExecutionEngine, FitOutcome, PredictOutcome } from './engine';
import { cancellationOr, runInfo, startRun, throwIfAborted, withProgress } from './run-support';

/** Lets timers and abort listeners run between iterations, so an in-process fit can still be cancelled. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InlineEngine implements ExecutionEngine {
  readonly kind = 'inline' as const;

  async fitGmm(data: DataMatrix, options: GmmFitOptions, run: EngineRunOptions): Promise<FitOutcome> {
    const started = startRun(run);
    const createRunner = async (train: DataMatrix, chunkRows: number): Promise<StatsRunner> => ({
      compute: async (params) => {
        await yieldToEventLoop();
        throwIfAborted(run.signal);
        return computeStats(params, train, chunkRows);
      },
    });
    try {
      const model = await fitGmmWith(data, withProgress(options, run), createRunner, run.signal);
      return {
        model: model.toJSON(),
        run: runInfo('inline', run, 1, started),
      };
    } catch (error) {
      throw cancellationOr(error, run.signal);
    }
  }

  async predictGmm(model: GmmModelJson, data: DataMatrix, run: EngineRunOptions): Promise<PredictOutcome> {
    const started = startRun(run);
    const { labels, probabilities } = GaussianMixture.fromJSON(model).predictWithProba(data);
    return {
      labels,
      probabilities,
      run: runInfo('inline', run, 1, started),
    };
  }

  async close(): Promise<void> {
    // nothing to release
  }
}
