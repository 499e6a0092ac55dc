import { computeStats, fitGmm, fitGmmWith } from './fit';
import { makeBlobs } from './data';
import { RowReservoir, startSampleCapacity, type SampledRows } from './sample';
import type { DataMatrix } from './types';

/** The rows offered to a reservoir in batches of `batch`, as a reader streaming them would. */
function sampleOf(data: DataMatrix, capacity: number, seed: number, batch = 777): DataMatrix {
  const reservoir = new RowReservoir(capacity, data.cols, seed);
  for (let s = 0; s < data.rows; s += batch) {
    const n = Math.min(batch, data.rows - s);
    reservoir.add(data.data.subarray(s * data.cols, (s + n) * data.cols), n);
  }
  return reservoir.sample();
}

/** A runner over all the rows, as an engine reading them from disk gives. */
const runnerOver = (all: DataMatrix) => async (_: unknown, chunkRows: number) => ({ compute: async (p: Parameters<typeof computeStats>[0]) => computeStats(p, all, chunkRows) });

describe('RowReservoir', () => {
  const { data } = makeBlobs({ rows: 5000, dims: 3, k: 3, seed: 4 });

  it('is all the rows, in order, while fewer than its capacity came', () => {
    expect(Array.from(sampleOf(data, 6000, 1).data)).toEqual(Array.from(data.data));
  });

  it('draws the same rows for the same seed whatever the batches, other rows for another seed', () => {
    const a = sampleOf(data, 500, 7, 100);
    expect(a.rows).toBe(500);
    expect(Array.from(sampleOf(data, 500, 7, 2048).data)).toEqual(Array.from(a.data));
    expect(Array.from(sampleOf(data, 500, 8).data)).not.toEqual(Array.from(a.data));
    // every sampled row is a row of the data
    const rows = new Set(Array.from({ length: data.rows }, (_, i) => data.data.subarray(i * 3, i * 3 + 3).join()));
    for (let i = 0; i < a.rows; i++) expect(rows.has(a.data.subarray(i * 3, i * 3 + 3).join())).toBe(true);
  });

  it('caps the sample at 100,000 rows and 64 MB', () => {
    expect(startSampleCapacity(10)).toBe(100_000);
    expect(startSampleCapacity(2000)).toBe(Math.floor((64 * 2 ** 20) / 16000));
  });
});

describe('fitGmmWith on sampled rows', () => {
  const { data } = makeBlobs({ rows: 6000, dims: 3, k: 3, seed: 11 });
  const options = { k: 3, covarianceType: 'full' as const, maxIter: 6, epsilon: 0, randomSeed: 3, chunkRows: 500 };

  it('gives the in-memory model bit for bit from the same start, and records the sample', async () => {
    const start = fitGmm(data, { ...options, maxIter: 1 }).toJSON();
    const inMemory = fitGmm(data, { ...options, init: undefined, initialModel: start }).toJSON();
    const sampled: SampledRows = { rows: data.rows, cols: 3, sample: sampleOf(data, 400, 5) };
    const streamed = (await fitGmmWith(sampled, { ...options, initialModel: start }, runnerOver(data))).toJSON();
    expect(streamed.means).toEqual(inMemory.means);
    expect(streamed.covariances).toEqual(inMemory.covariances);
    expect(streamed.weights).toEqual(inMemory.weights);
    expect(streamed.training!.logLikelihoodHistory).toEqual(inMemory.training!.logLikelihoodHistory);
    expect(streamed.training!.rows).toBe(6000);
    expect(streamed.training!.startSampleRows).toBe(400);
    expect(streamed.training!.bic).toBe(inMemory.training!.bic);
  });

  it('starts k-means on the sample: reproducible for a seed, and the in-memory model when the sample is every row', async () => {
    const sampled: SampledRows = { rows: data.rows, cols: 3, sample: sampleOf(data, 400, 5) };
    const a = (await fitGmmWith(sampled, options, runnerOver(data))).toJSON();
    const b = (await fitGmmWith(sampled, options, runnerOver(data))).toJSON();
    expect(a.means).toEqual(b.means);
    const whole: SampledRows = { rows: data.rows, cols: 3, sample: sampleOf(data, 10_000, 5) };
    expect((await fitGmmWith(whole, options, runnerOver(data))).toJSON().means).toEqual(fitGmm(data, options).toJSON().means);
  });

  it('refuses noise, which would need every row in memory', async () => {
    const sampled: SampledRows = { rows: data.rows, cols: 3, sample: sampleOf(data, 400, 5) };
    await expect(fitGmmWith(sampled, { ...options, noise: 0.1 }, runnerOver(data))).rejects.toThrow(/noise cannot be used when the rows stream from disk/);
  });
});
