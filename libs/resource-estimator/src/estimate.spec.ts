import { DEFAULT_CHUNK_ROWS } from '@mixflow/gmm';
import { estimatePrediction, estimateTraining, trainingFormulaMb } from './estimate';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

describe('PAI training memory formula M × M × K × 8 × 2 × 12 / 1024 / 1024', () => {
  it.each([
    [10, 8, 0.146484375],
    [2, 2, 0.00146484375],
    [100, 2, 3.662109375],
    [199, 50, 362.5579833984375],
    [1000, 10, 1831.0546875],
  ])('M=%i, K=%i gives %f MB unrounded', (dims, k, expected) => {
    expect(trainingFormulaMb(dims, k)).toBeCloseTo(expected, 9);
    expect(estimateTraining({ dims, k }).formulaMemoryMb).toBeCloseTo(expected, 9);
  });

  it('fills the numbers into the formula string', () => {
    expect(estimateTraining({ dims: 10, k: 8 }).formula).toBe('10 × 10 × 8 × 8 × 2 × 12 / 1024 / 1024 = 0.15 MB');
  });
});

describe('recommended memory per worker: rounded up, clamped to [1024, 65536]', () => {
  it.each([
    [10, 8, 1024], // 0.15 MB → lower clamp
    [1000, 10, 1832], // 1831.05 → rounded up
    [2000, 10, 7325], // 7324.22 → rounded up
    [1000, 400, 65536], // 73242 → upper clamp
  ])('M=%i, K=%i → %i MB', (dims, k, expected) => {
    expect(estimateTraining({ dims, k }).recommendedMemoryMb).toBe(expected);
  });
});

describe('recommended workers: ⌈5 × input GB⌉ clamped to [1, 9999]', () => {
  it.each([
    [undefined, 1],
    [0.1 * GB, 1],
    [0.3 * GB, 2],
    [1 * GB, 5],
    [2.5 * GB, 13],
    [3000 * GB, 9999],
  ])('%p bytes → %i workers', (dataBytes, expected) => {
    expect(estimateTraining({ dims: 4, k: 2, dataBytes }).recommendedWorkers).toBe(expected);
  });

  it('takes rows × M × 8 as the input size when only rows are known', () => {
    // 30M rows × 10 dims × 8 B = 2.235 GB → ⌈11.18⌉ = 12
    expect(estimateTraining({ dims: 10, k: 2, rows: 30_000_000 }).recommendedWorkers).toBe(12);
  });
});

describe('data-aware estimate, beside the formula', () => {
  it('counts the share of rows × (M + K) × 8 plus model and buffers', () => {
    const e = estimateTraining({ dims: 10, k: 8, rows: 1_000_000, numWorkers: 4 });
    const share = 250_000 * (10 + 8) * 8;
    const model = 8 * (1 + 10 + 100) * 8;
    const buffers = model + 8 * 100 * 8 + DEFAULT_CHUNK_ROWS * 8 * 8;
    expect(e.dataAwareMemoryMb).toBeCloseTo((share + model + buffers) / MB, 9);
    expect(e.dataAwareDetail).toContain('250,000 rows per worker × (10 + 8) × 8 B');
    expect(e.formulaMemoryMb).toBeCloseTo(0.146484375, 9); // the formula is still there
  });

  it('halves the share of rows when the workers double', () => {
    const two = estimateTraining({ dims: 5, k: 3, rows: 10_000_000, numWorkers: 2 }).dataAwareMemoryMb as number;
    const four = estimateTraining({ dims: 5, k: 3, rows: 10_000_000, numWorkers: 4 }).dataAwareMemoryMb as number;
    expect(four).toBeLessThan(two * 0.51);
    expect(four).toBeGreaterThan(two * 0.49);
  });

  it('is absent when the row count is unknown', () => {
    expect(estimateTraining({ dims: 5, k: 3 }).dataAwareMemoryMb).toBeUndefined();
  });
});

describe('warnings', () => {
  const codes = (e: { warnings: { code: string }[] }) => e.warnings.map((w) => w.code);

  it('none for a small, well-configured job', () => {
    expect(estimateTraining({ dims: 10, k: 3, rows: 1000, numWorkers: 1, memoryPerWorkerMb: 1024 }).warnings).toEqual([]);
  });

  it('dims-limit at M ≥ 200, not at 199', () => {
    expect(codes(estimateTraining({ dims: 199, k: 2 }))).not.toContain('dims-limit');
    const w = estimateTraining({ dims: 200, k: 2 }).warnings.find((x) => x.code === 'dims-limit');
    expect(w?.message).toMatch(/200 dimensions.*fewer than 200/);
  });

  it('memory-below-estimate when configured memory is under the formula', () => {
    // M=2000, K=10: formula 7324.2 MB
    const w = estimateTraining({ dims: 2000, k: 10, memoryPerWorkerMb: 4096 }).warnings.find((x) => x.code === 'memory-below-estimate');
    expect(w?.message).toContain('4,096 MB, below the 7,324 MB that the PAI formula needs; raise it to at least 7,325 MB');
    expect(codes(estimateTraining({ dims: 2000, k: 10, memoryPerWorkerMb: 8192 }))).not.toContain('memory-below-estimate');
  });

  it('memory-below-estimate when configured memory is under the data-aware estimate', () => {
    // 100M rows × (10 + 2) × 8 B on one worker ≈ 9155 MB
    const w = estimateTraining({ dims: 10, k: 2, rows: 100_000_000, numWorkers: 1, memoryPerWorkerMb: 8192 }).warnings;
    expect(w.find((x) => x.code === 'memory-below-estimate')?.message).toContain('data-aware estimate');
  });

  it('workers-far-above when more than twice the recommendation', () => {
    expect(codes(estimateTraining({ dims: 4, k: 2, dataBytes: 1 * GB, numWorkers: 10 }))).not.toContain('workers-far-above');
    const w = estimateTraining({ dims: 4, k: 2, dataBytes: 1 * GB, numWorkers: 11 }).warnings.find((x) => x.code === 'workers-far-above');
    expect(w?.message).toContain('11 workers is far above the 5 recommended');
  });

  it('workers-above-rows when there are more workers than rows', () => {
    const w = estimateTraining({ dims: 4, k: 2, rows: 3, numWorkers: 2 });
    expect(codes(w)).not.toContain('workers-above-rows');
    const w2 = estimateTraining({ dims: 4, k: 2, rows: 3, numWorkers: 4 }).warnings.find((x) => x.code === 'workers-above-rows');
    expect(w2?.message).toContain('4 workers for 3 rows');
  });

  it('refuses nonsense inputs, naming the input', () => {
    expect(() => estimateTraining({ dims: 0, k: 2 })).toThrow(/dims/);
    expect(() => estimateTraining({ dims: 2, k: 1.5 })).toThrow(/k must be an integer/);
  });
});

describe('prediction: memory ≈ 30 × model size', () => {
  it('uses the model bytes given', () => {
    const e = estimatePrediction({ modelBytes: 50 * MB, dims: 10, k: 2 });
    expect(e.formulaMemoryMb).toBeCloseTo(1500, 9);
    expect(e.recommendedMemoryMb).toBe(1500);
    expect(e.formula).toBe('30 × 50 MB (model) = 1,500 MB');
  });

  it('clamps to [1024, 65536]', () => {
    expect(estimatePrediction({ modelBytes: 1000, dims: 2, k: 2 }).recommendedMemoryMb).toBe(1024);
    expect(estimatePrediction({ modelBytes: 4 * GB, dims: 2, k: 2 }).recommendedMemoryMb).toBe(65536);
  });

  it('warns on memory below 30 × model size', () => {
    const e = estimatePrediction({ modelBytes: 100 * MB, dims: 10, k: 2, memoryPerWorkerMb: 2048 });
    expect(e.warnings.map((w) => w.code)).toEqual(['memory-below-estimate']);
  });
});
