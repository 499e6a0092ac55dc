import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { makeBlobs } from '../../data';
import { fitGmm } from '../../fit';
import { GaussianMixture } from '../../model';
import type { CovarianceType, SufficientStats } from '../../types';
import { chunkStats } from '../e-step';
import { normalizeLogProb } from '../log-prob';
import { prepareParams } from '../precision';
import { Workspace, useWasmKernels, wasmKernels } from './module';

function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

function statsBits(s: SufficientStats): string[] {
  return [String(s.rows), String(s.logLikelihood), bits(s.sumResp), bits(s.sumX), bits(s.sumXX)];
}

/** The same call with the WebAssembly kernels off, then on. */
function bothWays<T>(run: () => T): [T, T] {
  const was = useWasmKernels(false);
  try {
    const ts = run();
    useWasmKernels(true);
    return [ts, run()];
  } finally {
    useWasmKernels(was);
  }
}

describe('WebAssembly SIMD kernels', () => {
  it('load on this Node (WebAssembly SIMD is part of Node 20)', () => {
    expect(wasmKernels()).not.toBeNull();
  });

  it('switched off, the TypeScript kernels run instead', () => {
    const was = useWasmKernels(false);
    try {
      expect(wasmKernels()).toBeNull();
    } finally {
      useWasmKernels(was);
    }
  });

  // separations 1 (overlapping: nothing pruned) to 300 (far: most components pruned); row counts around the pair,
  // two-pair and block boundaries; dims around the 4-row groups of P and the 4-wide scatter blocks
  const cases: Array<[CovarianceType, number, number, number, number]> = [];
  for (const d of [8, 9, 11, 13, 20]) {
    for (const rows of [1, 2, 3, 5, 130, 257]) cases.push(['full', d, 3, rows, d % 2 ? 300 : 1]);
  }
  cases.push(['full', 50, 16, 300, 1], ['full', 50, 16, 300, 40], ['full', 12, 5, 517, 300]);
  // diag: dims around the 8-dimension groups of the statistics, rows around the 8-row groups of the log-densities
  for (const d of [1, 2, 3, 8, 11, 30]) {
    for (const rows of [1, 2, 3, 9, 257]) cases.push(['diag', d, 4, rows, d % 2 ? 300 : 1]);
  }
  it.each(cases)('%s, d = %i, k = %i, %i rows, separation %i: the same statistics as the TypeScript kernels, bit for bit', (type, d, k, rows, separation) => {
    const { data } = makeBlobs({ rows: Math.max(rows, k), dims: d, k, seed: d * 31 + rows, separation });
    const model = fitGmm(data, { k, covarianceType: type, maxIter: 1, epsilon: 0, init: 'random_from_data', randomSeed: 2 });
    const prepared = prepareParams(GaussianMixture.fromJSON(model.toJSON()).params);
    for (const start of [0, 1]) {
      if (start >= data.rows) continue;
      const [ts, wasm] = bothWays(() => chunkStats(prepared, data.data, d, start, data.rows));
      expect(statsBits(wasm)).toEqual(statsBits(ts));
    }
  });

  it.each([1, 2, 7, 64])("normalizeRows gives normalizeLogProb's responsibilities and log-likelihood, bit for bit (%i rows)", (m) => {
    const k = 6;
    const values = new Float64Array(m * k);
    for (let i = 0; i < m * k; i++) values[i] = -((i * 7919) % 1000) * 0.913 - (i % 5) * 1e-3;
    // pruned components (−∞), a tie for the row's maximum, a row of −∞ (NaN), a NaN entry, values beyond the underflow
    values[1] = -Infinity;
    if (m > 1) values.set([-3, -3, -800, -1e6, -745.5, -3.5], k);
    if (m > 2) values[2 * k + 3] = NaN;
    if (m > 4) values.fill(-Infinity, 4 * k, 5 * k);
    const ts = Float64Array.from(values);
    const total = normalizeLogProb(ts, m, k);
    const kernels = wasmKernels()!;
    // the kernel's layout is component-major (k × stride, stride even and more than m when m is odd); the slots past
    // m hold values that must not leak into any row
    const stride = m + 2 - (m % 2);
    const w = new Workspace(kernels);
    w.reserve(k * stride);
    w.reserve(stride);
    w.reserve(stride);
    w.reserve(stride);
    const [lp, rowMax, rowSum, inv] = w.commit();
    lp.fill(NaN);
    for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) lp[c * stride + i] = values[i * k + c];
    kernels.normalizeRows(lp.byteOffset, m, k, stride, rowMax.byteOffset, rowSum.byteOffset, inv.byteOffset);
    let wasmTotal = 0;
    for (let i = 0; i < m; i++) wasmTotal += rowMax[i] + Math.log(rowSum[i]);
    const resp = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) resp[i * k + c] = lp[c * stride + i];
    // every bit but a NaN's sign and payload, which no arithmetic result depends on
    const canonical = (a: Float64Array) => bits(a.map((x) => (Number.isNaN(x) ? NaN : x)));
    expect(canonical(resp)).toEqual(canonical(ts));
    expect(Object.is(wasmTotal, total)).toBe(true);
  });

  it.each<CovarianceType>(['full', 'diag'])('%s: a whole fit gives the same model JSON either way', (type) => {
    const { data } = makeBlobs({ rows: 900, dims: 10, k: 4, seed: 5, separation: 2 });
    const strip = (m: GaussianMixture) => JSON.stringify({ ...m.toJSON(), training: { ...m.toJSON().training, seconds: 0 } });
    const [ts, wasm] = bothWays(() => strip(fitGmm(data, { k: 4, covarianceType: type, maxIter: 5, epsilon: 0, randomSeed: 1, chunkRows: 300 })));
    expect(wasm).toBe(ts);
  });

  it('the committed binary is what libs/gmm/assembly/kernels.ts compiles to', () => {
    const script = path.join(__dirname, '..', '..', '..', 'assembly', 'build-wasm.js');
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toContain('up to date');
    expect(r.status).toBe(0);
  }, 60_000);
});
