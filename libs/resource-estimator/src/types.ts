/** A resource recommendation, structured so the console can show it and the CLI can print it. */
export interface ResourceWarning {
  code: 'dims-limit' | 'memory-below-estimate' | 'workers-far-above' | 'workers-above-rows';
  message: string;
}

export interface ResourceEstimate {
  /** PAI's formula value, unrounded: M × M × K × 8 × 2 × 12 / 1024 / 1024 (training), 30 × model MB (prediction) */
  formulaMemoryMb: number;
  /** the formula with the numbers filled in, e.g. "10 × 10 × 8 × 8 × 2 × 12 / 1024 / 1024 = 0.15 MB" */
  formula: string;
  /** formula value rounded up and clamped to [1024, 65536] */
  recommendedMemoryMb: number;
  /** ⌈5 × input GB⌉ clamped to [1, 9999] */
  recommendedWorkers: number;
  /** beyond PAI: the bytes one worker actually holds (its share of rows × (M + K) × 8 + model + buffers), in MB */
  dataAwareMemoryMb?: number;
  dataAwareDetail?: string;
  /** beyond PAI: seconds per iteration and per run from the flops and this machine's measured rate (time.ts) */
  time?: TimeEstimate;
  warnings: ResourceWarning[];
}

/** The E-step kernels whose speed is measured: full (tied runs at its rate too) and diagonal (spherical too). */
export type KernelFamily = 'full' | 'diag';

/** What calibrate measured for one kernel family on one worker. */
export interface MachineRate {
  family: KernelFamily;
  /** useful GFLOP/s of the kernels, one worker */
  gflops: number;
  /** seconds per row and component that do not grow with the dimension, one worker */
  overheadSeconds: number;
  /** useful GFLOP/s of a start's k-means on the driver thread (Lloyd's assignment, startFlops) */
  startGflops: number;
  /**
   * full: the TypeScript kernels' rate and overhead, which run below the SIMD kernels' dimensions (8), measured at
   * 2 and 6 dimensions when the SIMD kernels run here
   */
  typeScript?: { gflops: number; overheadSeconds: number };
  /** seconds the calibration took */
  calibrationSeconds: number;
}

export interface TimeEstimate {
  flopsPerIteration: number;
  secondsPerIteration: number;
  /** one trial's start on the driver (k-means: its expected Lloyd iterations; startFlops) */
  startSeconds: number;
  /** per trial its start, at most maxIter iterations and one scoring pass; EM often converges sooner */
  maxSeconds: number;
  workers: number;
  rate: MachineRate;
  /** the numbers filled in */
  detail: string;
}

