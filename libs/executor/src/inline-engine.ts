/** The in-process engine: the same chunks and chunk-order results as the others, on the caller's thread. */
import { chunkRanges, resultLayout, resultsIn } from './chunks';
import type { ChunkResults, EngineRunOptions, ExecutionEngine, MatrixSession, RowMatrix } from './engine';
import { runInfo, startRun, throwIfAborted } from './run-support';

/** Lets timers and abort listeners run between maps, so an in-process run can still be cancelled. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InlineEngine implements ExecutionEngine {
  readonly kind = 'inline' as const;

  async open(matrix: RowMatrix, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const started = startRun(run);
    const chunks = chunkRanges(matrix.rows, chunkRows);
    return {
      chunks,
      map: async (name: string, params: unknown): Promise<ChunkResults> => {
        await yieldToEventLoop();
        throwIfAborted(run.signal);
        const { kernel, lengths, offsets, total } = resultLayout(name, params, chunks, matrix.cols);
        const out = new Float64Array(total);
        const state = kernel.prepare ? kernel.prepare(params) : params;
        chunks.forEach(([start, end], c) => kernel.compute(state, matrix.data, matrix.cols, start, end, out, offsets[c]));
        return resultsIn(out, offsets, lengths);
      },
      info: () => runInfo('inline', run, 1, started),
      close: async () => undefined,
    };
  }

  async close(): Promise<void> {
    // nothing to release
  }
}
