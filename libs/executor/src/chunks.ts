/** How every engine cuts rows into chunks, chunks into per-worker runs, and lays out the chunks' results. */
import { getKernel } from './kernel';
import { ExecutorError } from './run-support';

/** [start, end) row ranges of at most chunkRows rows, in order. */
export function chunkRanges(rows: number, chunkRows: number): Array<[number, number]> {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new ExecutorError(`chunkRows must be a whole number ≥ 1, got ${chunkRows}`, 'chunkRows');
  }
  const out: Array<[number, number]> = [];
  for (let s = 0; s < rows; s += chunkRows) out.push([s, Math.min(rows, s + chunkRows)]);
  return out;
}

/**
 * Splits chunk indices [0, chunkCount) into `parts` contiguous ranges of near-equal size (the first
 * ranges take the remainder). Ranges are [first, end) in chunk indices; empty parts are dropped.
 */
export function splitChunks(chunkCount: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = Math.max(1, Math.min(parts, chunkCount));
  const base = Math.floor(chunkCount / n);
  const extra = chunkCount % n;
  let first = 0;
  for (let p = 0; p < n; p++) {
    const size = base + (p < extra ? 1 : 0);
    if (size > 0) out.push([first, first + size]);
    first += size;
  }
  return out;
}

/** Where each chunk's result starts in one Float64 buffer holding all of them (chunk order), and the total. */
export function resultOffsets(lengths: readonly number[]): { offsets: number[]; total: number } {
  const offsets: number[] = new Array(lengths.length);
  let total = 0;
  lengths.forEach((length, c) => {
    offsets[c] = total;
    total += length;
  });
  return { offsets, total };
}

/** The chunks' results of kernel `name` under `params` in one Float64 buffer, chunk after chunk. */
export function resultLayout(name: string, params: unknown, chunks: ReadonlyArray<readonly [number, number]>, cols: number) {
  const kernel = getKernel(name);
  const lengths = chunks.map(([start, end]) => kernel.resultLength(params, end - start, cols));
  return { kernel, lengths, ...resultOffsets(lengths) };
}

/** Chunk results laid out in one buffer at `offsets`. */
export function resultsIn(buffer: Float64Array, offsets: readonly number[], lengths: readonly number[]) {
  return {
    count: offsets.length,
    chunk: (c: number) => buffer.subarray(offsets[c], offsets[c] + lengths[c]),
  };
}
