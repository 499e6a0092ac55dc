import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { makeBlobs } from '../../data';
import { fitGmm } from '../../fit';
import { GaussianMixture } from '../../model';
import type { CovarianceType, SufficientStats } from '../../types';
import { chunkStats, statsKernels } from '../e-step';
import { prepareParams } from '../precision';
import { useWasmKernels } from '../wasm/module';
import { nativeKernels, useNativeKernels } from './module';

function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

function statsBits(s: SufficientStats): string[] {
  return [String(s.rows), String(s.logLikelihood), bits(s.sumResp), bits(s.sumX), bits(s.sumXX)];
}

/** The same call on the native, the WebAssembly and the TypeScript kernels. */
function threeWays<T>(run: () => T): { native: T; wasm: T; ts: T } {
  const nativeWas = useNativeKernels(true);
  const wasmWas = useWasmKernels(true);
  try {
    const native = run();
    useNativeKernels(false);
    const wasm = run();
    useWasmKernels(false);
    return { native, wasm, ts: run() };
  } finally {
    useNativeKernels(nativeWas);
    useWasmKernels(wasmWas);
  }
}

/** Whether npm install could build the module here: linux-x64 with AVX2 and a C++ compiler. */
function buildable(): boolean {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  if (!/\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'))) return false;
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('native AVX2 kernels', () => {
  const built = nativeKernels() !== null;

  it('are built and load where npm install can build them (else run npm run build:native -w libs/gmm and read its error)', () => {
    expect(built).toBe(buildable());
  });

  it('switched off, the WebAssembly kernels run instead (statsKernels names what runs)', () => {
    expect(statsKernels('full', 50)).toBe(built ? 'native AVX2' : 'WebAssembly SIMD');
    expect(statsKernels('diag', 3)).toBe(built ? 'native AVX2' : 'WebAssembly SIMD');
    expect(statsKernels('full', 7)).toBe('TypeScript');
    expect(statsKernels('tied', 50)).toBe('TypeScript');
    const was = useNativeKernels(false);
    try {
      expect(nativeKernels()).toBeNull();
      expect(statsKernels('full', 50)).toBe('WebAssembly SIMD');
    } finally {
      useNativeKernels(was);
    }
  });

  // as wasm.spec's full cases: separations 1 (nothing pruned) to 300 (most components pruned); rows around the pair,
  // the four-row groups, the eight-row passes and the block; dims around the four-row groups of P, the 4 × 8 scatter
  // blocks and the sixteen-column sums
  const cases: Array<[number, number, number, number]> = [];
  for (const d of [8, 9, 11, 13, 17, 20]) {
    for (const rows of [1, 2, 3, 5, 7, 9, 130, 257]) cases.push([d, 3, rows, d % 2 ? 300 : 1]);
  }
  cases.push([50, 16, 300, 1], [50, 16, 300, 40], [12, 5, 517, 300], [64, 6, 700, 2], [65, 3, 300, 300]);
  const full = cases.map(([d, k, rows, separation]) => ['full', d, k, rows, separation] as const);
  // diag: dims around the 4- and 12-dimension groups of the sums, rows around the 16-row groups of the log-densities
  const diag: Array<readonly [CovarianceType, number, number, number, number]> = [];
  for (const d of [1, 2, 3, 4, 5, 12, 13, 17, 30]) {
    for (const rows of [1, 2, 3, 15, 17, 257]) diag.push(['diag', d, 4, rows, d % 2 ? 300 : 1]);
  }
  (built ? it.each([...full, ...diag]) : it.skip.each([...full, ...diag]))(
    '%s, d = %i, k = %i, %i rows, separation %i: the same statistics as the WebAssembly and TypeScript kernels, bit for bit',
    (type, d, k, rows, separation) => {
      const { data } = makeBlobs({ rows: Math.max(rows, k), dims: d, k, seed: d * 31 + rows, separation });
      const model = fitGmm(data, { k, covarianceType: type, maxIter: 1, epsilon: 0, init: 'random_from_data', randomSeed: 2 });
      const prepared = prepareParams(GaussianMixture.fromJSON(model.toJSON()).params);
      for (const start of [0, 1]) {
        if (start >= data.rows) continue;
        const { native, wasm, ts } = threeWays(() => statsBits(chunkStats(prepared, data.data, d, start, data.rows)));
        expect(native).toEqual(wasm);
        expect(native).toEqual(ts);
      }
    },
  );

  (built ? it.each<CovarianceType>(['full', 'diag']) : it.skip.each<CovarianceType>(['full', 'diag']))('%s: read rows on shared memory where they are (as the worker threads hold them)', (type) => {
    const { data } = makeBlobs({ rows: 600, dims: 12, k: 4, seed: 3, separation: 1 });
    const shared = new Float64Array(new SharedArrayBuffer(data.data.byteLength));
    shared.set(data.data);
    const prepared = prepareParams(fitGmm(data, { k: 4, covarianceType: type, maxIter: 1, epsilon: 0, randomSeed: 1 }).params);
    const { native, wasm } = threeWays(() => statsBits(chunkStats(prepared, shared, 12, 100, 600)));
    expect(native).toEqual(wasm);
  });

  (built ? it.each<CovarianceType>(['full', 'diag']) : it.skip.each<CovarianceType>(['full', 'diag']))('%s: a whole fit gives the same model JSON as on the WebAssembly and TypeScript kernels', (type) => {
    const { data } = makeBlobs({ rows: 900, dims: 10, k: 4, seed: 5, separation: 2 });
    const strip = (m: GaussianMixture) => JSON.stringify({ ...m.toJSON(), training: { ...m.toJSON().training, seconds: 0 } });
    const { native, wasm, ts } = threeWays(() => strip(fitGmm(data, { k: 4, covarianceType: type, maxIter: 5, epsilon: 0, randomSeed: 1, chunkRows: 300 })));
    expect(native).toBe(wasm);
    expect(native).toBe(ts);
  });

  (built ? it : it.skip)('refuse arrays shorter than their sizes say instead of reading past them', () => {
    const native = nativeKernels()!;
    const f = (n: number) => new Float64Array(n);
    // 10 rows of 8 dimensions asked of 79 values
    expect(() => native.fullChunkStats(f(79), 8, 0, 10, 2, 128, f(16), f(128), f(2), f(2), f(16), 1, f(2), f(16), f(128), f(10), f(10))).toThrow(/arrays too short/);
    expect(() => native.fullChunkStats([] as unknown as Float64Array, 8, 0, 0, 2, 128, f(16), f(128), f(2), f(2), f(16), 1, f(2), f(16), f(128), f(0), f(0))).toThrow(/expected a Float64Array/);
  });
});
