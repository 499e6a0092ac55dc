/**
 * The native AVX2 kernels (libs/gmm/native/kernels.cc), built at install by node-gyp from this machine's compiler
 * (libs/gmm/native/build.js). Loaded once per thread on first use; where they were not built, the CPU lacks AVX2 or
 * this is not Node, the WebAssembly kernels run instead, which give the same bits.
 */
export interface NativeKernels {
  /** AVX2 present on this CPU (the module is built with it; without, it is never called) */
  readonly avx2: boolean;
  fullChunkStats: ChunkStatsKernel;
  diagChunkStats: ChunkStatsKernel;
}

/**
 * Adds the statistics of rows [start, end) of data (n × d) into sumResp, sumX, sumXX and writes each row's max and
 * Σ exp of its weighted log-probabilities into rowMax and rowSum (end − start each).
 */
export type ChunkStatsKernel = (
  data: Float64Array, d: number, start: number, end: number, k: number, blockRows: number, means: Float64Array,
  pc: Float64Array, logDet: Float64Array, logW: Float64Array, shift: Float64Array, constant: number,
  sumResp: Float64Array, sumX: Float64Array, sumXX: Float64Array, rowMax: Float64Array, rowSum: Float64Array,
) => void;

let loaded: NativeKernels | null | undefined;
let enabled = true;

function load(): NativeKernels | null {
  try {
    // where node-gyp puts the module: libs/gmm/build/Release, three folders above this file in src/ and in dist/
    // (node:path is required here, not imported, so that a bundle for a browser never needs it)
    const { join } = require('node:path') as typeof import('node:path');
    const module = require(join(__dirname, '..', '..', '..', 'build', 'Release', 'gmm_native.node')) as NativeKernels;
    return module.avx2 ? module : null;
  } catch {
    return null;
  }
}

/** The native kernels, or null when they are not built, cannot run here or are switched off. */
export function nativeKernels(): NativeKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Switches the native kernels on or off for this thread (tests and the bench compare them). Returns whether they were on. */
export function useNativeKernels(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
