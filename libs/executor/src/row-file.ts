/**
 * Rows kept on disk instead of in memory: one file of rows × cols float64 values, row-major, in this machine's byte
 * order (what a Float64Array holds), written once by whoever streams a table too big for the run's memory. Every
 * map reads its chunks from the file again, a chunk at a time, into a buffer of one chunk; so memory holds one chunk
 * per worker, never the rows. The chunks are cut exactly as for rows in memory (chunkRanges), so a kernel sees the
 * same values in the same order and the results are the same bits.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { RowFile, RowSource } from './engine';
import { ExecutorError } from './run-support';

export type { RowFile, RowSource } from './engine';

export function isRowFile(source: RowSource): source is RowFile {
  return typeof (source as RowFile).file === 'string';
}

/** Reads chunks of a row file into one reused buffer (as large as the largest chunk asked for). */
export class RowFileReader {
  private readonly fd: number;
  private buffer = new Float64Array(0);

  constructor(private readonly source: RowFile) {
    this.fd = openSync(source.file, 'r');
  }

  /** Rows [start, end) as a matrix of end − start rows (a view of the reader's buffer, valid until the next read). */
  read(start: number, end: number): Float64Array {
    const { cols } = this.source;
    const length = (end - start) * cols;
    if (this.buffer.length < length) this.buffer = new Float64Array(length);
    const bytes = new Uint8Array(this.buffer.buffer, 0, length * 8);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, start * cols * 8 + done);
      if (n === 0) {
        throw new ExecutorError(`the row file ${this.source.file} ends before row ${end} (rows ${start}–${end - 1} of ${this.source.rows} asked for)`);
      }
      done += n;
    }
    return this.buffer.subarray(0, length);
  }

  close(): void {
    closeSync(this.fd);
  }
}
