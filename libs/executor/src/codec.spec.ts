import { runInNewContext } from 'node:vm';
import { chunkRanges, splitChunks } from './chunks';
import { decodeTransport, encodeTransport } from './codec';

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

  it('encodes typed arrays of another realm (what postMessage hands a test context) and on shared memory the same way', () => {
    const foreign = runInNewContext('({ a: new Float64Array([1 / 3, -0]), c: new Int32Array([-3, 7]) })') as { a: Float64Array; c: Int32Array };
    expect(foreign.a instanceof Float64Array).toBe(false);
    const shared = new Float64Array(new SharedArrayBuffer(32), 8, 2);
    shared.set([1 / 3, -0]);
    const expected = encodeTransport({ a: Float64Array.from([1 / 3, -0]), c: Int32Array.from([-3, 7]) });
    expect(encodeTransport(foreign)).toBe(expected);
    expect(encodeTransport({ a: shared, c: Int32Array.from([-3, 7]) })).toBe(expected);
  });
});

describe('chunks', () => {
  it('cuts rows into fixed chunks, the last one short', () => {
    expect(chunkRanges(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(chunkRanges(0, 4)).toEqual([]);
  });

  it('splits chunks into contiguous near-equal runs that cover all', () => {
    expect(splitChunks(10, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(splitChunks(2, 4)).toEqual([[0, 1], [1, 2]]);
    expect(splitChunks(0, 2)).toEqual([]);
  });
});
