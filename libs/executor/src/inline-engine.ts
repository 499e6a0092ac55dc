/** The in-process engine: the same chunks and chunk-order results as the others, on the caller's thread. */
import { chunkRanges, resultLayout, resultsIn } from './chunks';
import type { ChunkResults, EngineRunOptions, ExecutionEngine, MatrixSession } from './engine';
import { isRowFile, RowFileReader, type RowSource } from './row-file';
import { runInfo, startRun, throwIfAborted } from './run-support';

/** Lets timers and abort listeners run between maps, so an in-process run can still be cancelled. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InlineEngine implements ExecutionEngine {
  readonly kind = 'inline' as const;

  /** nothing to configure: a driver thread runs an InlineEngine of its own */
  threadOptions(): Record<string, unknown> {
    return {};
  }

  async open(matrix: RowSource, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const started = startRun(run);
    const chunks = chunkRanges(matrix.rows, chunkRows);
    const reader = isRowFile(matrix) ? new RowFileReader(matrix) : undefined;
    // a chunk of a row file is read into a buffer of its own rows: the kernel sees rows [0, end − start) of it
    const compute = (state: unknown, kernel: ReturnType<typeof resultLayout>['kernel'], start: number, end: number, out: Float64Array, offset: number) =>
      reader ? kernel.compute(state, reader.read(start, end), matrix.cols, 0, end - start, out, offset) : kernel.compute(state, (matrix as { data: Float64Array }).data, matrix.cols, start, end, out, offset);
    return {
      chunks,
      map: async (name: string, params: unknown): Promise<ChunkResults> => {
        await yieldToEventLoop();
        throwIfAborted(run.signal);
        const { kernel, lengths, offsets, total } = resultLayout(name, params, chunks, matrix.cols);
        const out = new Float64Array(total);
        const state = kernel.prepare ? kernel.prepare(params) : params;
        chunks.forEach(([start, end], c) => compute(state, kernel, start, end, out, offsets[c]));
        return resultsIn(out, offsets, lengths);
      },
      info: () => runInfo('inline', run, 1, started),
      close: async () => reader?.close(),
    };
  }

  async close(): Promise<void> {
    // nothing to release
  }
}
