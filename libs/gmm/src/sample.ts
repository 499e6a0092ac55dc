/**
 * Training rows that are not all in memory, and the seeded sample a start runs on. A StatsRunner reads the rows
 * where they are (a row file) for every E-step; the starts (k-means, k-means++, random, refined, Alink's) need rows
 * in memory, so they run on a sample drawn while the rows stream past once.
 */
import { GmmInputError } from './errors';
import { Rng } from './rng';
import type { DataMatrix } from './types';

/** `rows` × `cols` training rows kept outside memory, and a sample of them for the start. */
export interface SampledRows {
  rows: number;
  cols: number;
  /** a seeded sample of the rows (RowReservoir), in memory */
  sample: DataMatrix;
}

export function isSampledRows(data: DataMatrix | SampledRows): data is SampledRows {
  return (data as SampledRows).sample !== undefined;
}

/** The sample's seed for a fit's randomSeed: a stream of its own (fit.ts: 0 = noise, 1 + t = trial t's start). */
export function startSampleSeed(randomSeed: number): number {
  return randomSeed - 1000003;
}

/** The start's sample size: at most 100,000 rows and 64 MB, at least one row. */
export function startSampleCapacity(cols: number, maxRows = 100_000, maxBytes = 64 * 2 ** 20): number {
  return Math.max(1, Math.min(maxRows, Math.floor(maxBytes / (8 * Math.max(1, cols)))));
}

/**
 * A uniform sample of `capacity` rows from rows given in order, batch after batch (reservoir sampling, Vitter's
 * algorithm R, with the seeded generator): the same rows in the same order and seed give the same sample. While
 * fewer than `capacity` rows have come, the sample is all of them, in order.
 */
export class RowReservoir {
  private readonly values: Float64Array;
  private seen = 0;
  private readonly rng: Rng;

  constructor(
    readonly capacity: number,
    readonly cols: number,
    seed: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new GmmInputError(`the sample's capacity must be a whole number ≥ 1, got ${capacity}`, {});
    this.values = new Float64Array(capacity * cols);
    this.rng = new Rng(seed);
  }

  /** Offers `rows` rows, row-major in `values`. */
  add(values: Float64Array, rows: number): void {
    const d = this.cols;
    for (let i = 0; i < rows; i++, this.seen++) {
      const slot = this.seen < this.capacity ? this.seen : this.rng.nextInt(this.seen + 1);
      if (slot < this.capacity) this.values.set(values.subarray(i * d, (i + 1) * d), slot * d);
    }
  }

  /** Rows offered so far. */
  get rowsSeen(): number {
    return this.seen;
  }

  sample(): DataMatrix {
    const n = Math.min(this.seen, this.capacity);
    return { data: this.values.subarray(0, n * this.cols), rows: n, cols: this.cols };
  }
}
