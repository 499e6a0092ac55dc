import { emIterationFlops, precisionFlops, startFlops, statsKernels } from '@mixflow/gmm';
import { estimateTrainingTime, familyOf, machineRate } from './time';
import type { MachineRate } from './types';

const rate: MachineRate = { family: 'full', gflops: 4, overheadSeconds: 5e-9, startGflops: 2, calibrationSeconds: 0.01 };
const base = { rows: 100_000, dims: 20, k: 8, covarianceType: 'full' as const, workers: 1, maxIter: 100 };
/** the precision factors' seconds on the driver, per iteration, at the start rate */
const driver = (k: number, d: number) => precisionFlops('full', k, d) / 2e9;

describe('estimateTrainingTime: seconds from flops and a measured rate', () => {
  it('one worker: n·k·overhead + useful flops / rate per iteration, plus the precision factors on the driver', () => {
    const t = estimateTrainingTime(base, rate);
    expect(t.flopsPerIteration).toBe(emIterationFlops('full', 100_000, 8, 20));
    expect(t.secondsPerIteration).toBeCloseTo(100_000 * 8 * 5e-9 + t.flopsPerIteration / 4e9 + driver(8, 20), 12);
    expect(t.detail).toContain('GFLOP per iteration at 4 GFLOP/s');
    expect(t.detail).toMatch(/s of precision factors on the driver/);
    // 10 Cholesky factors and inverses of 64 × 64: (4/3)·64³ flops each
    expect(precisionFlops('full', 10, 64)).toBeCloseTo((10 * 4 * 64 ** 3) / 3, 6);
  });

  it('grows with the rows and, for full covariance, about with the square of the dimension', () => {
    const one = estimateTrainingTime(base, rate).secondsPerIteration - driver(8, 20);
    expect(estimateTrainingTime({ ...base, rows: 200_000 }, rate).secondsPerIteration - driver(8, 20)).toBeCloseTo(2 * one, 12);
    const noOverhead = { ...rate, overheadSeconds: 0 };
    const d20 = estimateTrainingTime(base, noOverhead).secondsPerIteration - driver(8, 20);
    expect((estimateTrainingTime({ ...base, dims: 40 }, noOverhead).secondsPerIteration - driver(8, 40)) / d20).toBeCloseTo(4, 9);
  });

  it('workers share the chunks: 2 workers halve the E-step (the driver\'s factors stay); never more workers than chunks', () => {
    const one = estimateTrainingTime(base, rate);
    const two = estimateTrainingTime({ ...base, workers: 2 }, rate);
    expect(two.secondsPerIteration - driver(8, 20)).toBeCloseTo((one.secondsPerIteration - driver(8, 20)) / 2, 12);
    const small = estimateTrainingTime({ ...base, rows: 5000, workers: 8, chunkRows: 2048 }, rate);
    expect(small.workers).toBe(3);
    // the fit's own chunks (fitChunkRows): scikit-learn's digits shape is cut in two, so 2 workers share it
    expect(estimateTrainingTime({ rows: 1797, dims: 64, k: 10, covarianceType: 'full', workers: 2, maxIter: 1 }, rate).workers).toBe(2);
  });

  it('a run: per trial its start, at most maxIter iterations and the scoring pass', () => {
    const t = estimateTrainingTime({ ...base, maxIter: 10, trials: 3 }, rate);
    expect(t.startSeconds).toBeGreaterThan(0);
    expect(t.maxSeconds).toBeCloseTo((t.startSeconds + t.secondsPerIteration * 11) * 3, 12);
  });

  it('the start: its flops at the start rate, on the driver whatever the workers; k-means by default, nothing when fixed', () => {
    const t = estimateTrainingTime(base, rate);
    const kmeans = startFlops('full', 100_000, 8, 20, { init: 'kmeans' });
    expect(t.startSeconds).toBeCloseTo(kmeans / 2e9, 12);
    expect(estimateTrainingTime({ ...base, workers: 4 }, rate).startSeconds).toBe(t.startSeconds);
    expect(t.detail).toMatch(/start \(kmeans\) .* GFLOP at 2 GFLOP\/s/);
    expect(estimateTrainingTime({ ...base, start: { init: 'kmeans', fixed: true } }, rate).startSeconds).toBe(0);
    // Lloyd's iterations dominate k-means: 40 cost about twice 20
    const longer = estimateTrainingTime({ ...base, start: { init: 'kmeans', kmeansIterations: 40 } }, rate).startSeconds;
    expect(longer / t.startSeconds).toBeGreaterThan(1.8);
    expect(longer / t.startSeconds).toBeLessThan(2);
  });

  it('full covariance below the SIMD kernels’ dimensions: the TypeScript kernels’ own rate, when measured', () => {
    const withTypeScript: MachineRate = { ...rate, typeScript: { gflops: 1, overheadSeconds: 1e-7 } };
    const small = estimateTrainingTime({ ...base, dims: 2 }, withTypeScript);
    const expected = statsKernels('full', 2) === 'TypeScript' ? 100_000 * 8 * 1e-7 + small.flopsPerIteration / 1e9 : 100_000 * 8 * 5e-9 + small.flopsPerIteration / 4e9;
    expect(small.secondsPerIteration).toBeCloseTo(expected + driver(8, 2), 12);
    // 20 dimensions run the SIMD kernels (where they load): the main rate
    const wide = estimateTrainingTime(base, withTypeScript).secondsPerIteration;
    if (statsKernels('full', 20) !== 'TypeScript') expect(wide).toBeCloseTo(estimateTrainingTime(base, rate).secondsPerIteration, 12);
    // tied keeps the full family's rate
    expect(estimateTrainingTime({ ...base, dims: 2, covarianceType: 'tied' }, withTypeScript).secondsPerIteration).toBe(
      estimateTrainingTime({ ...base, dims: 2, covarianceType: 'tied' }, rate).secondsPerIteration,
    );
  });

  it('names the input that is out of range', () => {
    expect(() => estimateTrainingTime({ ...base, rows: 0 }, rate)).toThrow(/rows must be an integer ≥ 1/);
    expect(() => estimateTrainingTime({ ...base, workers: 1.5 }, rate)).toThrow(/workers/);
  });

  it('tied uses the full kernels’ rate, spherical the diagonal ones’', () => {
    expect(familyOf('tied')).toBe('full');
    expect(familyOf('spherical')).toBe('diag');
  });
});

describe('calibration on this machine', () => {
  it('is measured once per kernel family and cached', () => {
    const first = machineRate('diag');
    expect(first.gflops).toBeGreaterThan(0);
    expect(first.overheadSeconds).toBeGreaterThanOrEqual(0);
    expect(first.startGflops).toBeGreaterThan(0);
    // the full family also measures the TypeScript kernels where the SIMD ones run the calibration's dimensions
    const full = machineRate('full');
    if (statsKernels('full', 40) !== 'TypeScript') expect(full.typeScript?.gflops).toBeGreaterThan(0);
    expect(first.typeScript).toBeUndefined();
    expect(machineRate('diag')).toBe(first);
  });
});
