import { decodeTransport, encodeTransport, readStats, statsLength, writeStats } from './codec';
import { splitChunks } from './run-support';

describe('codec', () => {
  it('keeps every bit of typed arrays and special numbers through the transport encoding', () => {
    const value = { a: new Float64Array([0.1, -0, 1e-310, Math.PI]), b: [1.5, -0, Infinity], c: new Int32Array([-3, 7]), s: 'x' };
    const back = decodeTransport<typeof value>(encodeTransport(value));
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(Array.from(back.a)).toEqual(Array.from(value.a));
    expect(Object.is(back.a[1], -0)).toBe(true);
    expect(Object.is(back.b[1], -0)).toBe(true);
    expect(back.b[2]).toBe(Infinity);
    expect(Array.from(back.c)).toEqual([-3, 7]);
  });

  it('writes and reads a stats slot for each covariance type', () => {
    for (const [type, xx] of [['full', 2 * 3 * 3], ['tied', 9], ['diag', 6], ['spherical', 2]] as const) {
      const stats = {
        covarianceType: type, k: 2, dims: 3, rows: 5, logLikelihood: -1.25,
        sumResp: new Float64Array([1, 2]), sumX: new Float64Array(6).map((_, i) => i + 0.5), sumXX: new Float64Array(xx).map((_, i) => i * 3),
      };
      const slot = statsLength(type, 2, 3);
      const out = new Float64Array(slot * 2);
      writeStats(stats, out, slot);
      expect(readStats(type, 2, 3, out, slot)).toEqual(stats);
    }
  });

  it('splits chunks into contiguous near-equal runs that cover all', () => {
    expect(splitChunks(10, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(splitChunks(2, 4)).toEqual([[0, 1], [1, 2]]);
    expect(splitChunks(0, 2)).toEqual([]);
  });
});
