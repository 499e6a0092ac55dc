/**
 * The WebAssembly SIMD kernels (libs/gmm/assembly/kernels.ts, compiled into binary.ts) and the memory they work in.
 * Loaded once per thread on first use; where WebAssembly SIMD is missing (or compiling synchronously is refused, as
 * on a browser's main thread) the TypeScript kernels run instead, which give the same bits.
 */
import { KERNELS_WASM_BASE64 } from './binary';

/** The part of the WebAssembly JS API used here (the project's lib settings carry no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

export interface KernelExports {
  memory: WasmMemory;
  fullLogProb(
    xr: number, m: number, d: number, k: number, means: number, pc: number, logDet: number, logW: number,
    constant: number, out: number, stride: number, best: number, drp: number, prune: number,
  ): void;
  fullAccumulate(
    xr: number, m: number, d: number, k: number, resp: number, stride: number, shift: number,
    sumResp: number, sumX: number, sumXX: number, dtr: number, wtr: number, idx: number, rg: number, dp: number,
  ): void;
  diagLogProb(
    xt: number, m: number, d: number, k: number, means: number, prec: number, logDet: number, logW: number,
    constant: number, out: number, stride: number,
  ): void;
  diagAccumulate(
    xr: number, m: number, d: number, k: number, resp: number, stride: number, shift: number,
    sumResp: number, sumX: number, sumXX: number, idx: number, rg: number,
  ): void;
  normalizeRows(lp: number, m: number, k: number, stride: number, rowMax: number, rowSum: number, inv: number): void;
  transpose(xr: number, m: number, d: number, xt: number, stride: number): void;
}

let loaded: KernelExports | null | undefined;
let enabled = true;

function load(): KernelExports | null {
  try {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0));
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as KernelExports;
  } catch {
    return null;
  }
}

/** The kernels, or null when they cannot run here or are switched off. */
export function wasmKernels(): KernelExports | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = load();
  return loaded;
}

/**
 * Switches the WebAssembly kernels on or off for this thread (both give the same bits; tests and the bench compare
 * them). Returns whether they were on.
 */
export function useWasmKernels(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Memory is handed out from here on; the first 64 KiB stay for the module's own data. */
const BASE = 65536;

/**
 * A bump allocator over the module's memory for one kernel call: reserve every array first, then `commit()` grows
 * the memory once and returns views, which stay valid until the next workspace grows it.
 */
export class Workspace {
  private end = BASE;
  private readonly f64s: Array<[number, number]> = [];

  constructor(private readonly kernels: KernelExports) {}

  /** Reserves n doubles (16-byte aligned, for v128 loads); returns the index of the reservation. */
  reserve(n: number): number {
    this.end = Math.ceil(this.end / 16) * 16;
    this.f64s.push([this.end, n]);
    this.end += n * 8;
    return this.f64s.length - 1;
  }

  /** Grows the memory to hold every reservation, zeroes them, and returns their views (byte offset = view.byteOffset). */
  commit(): Float64Array[] {
    const memory = this.kernels.memory;
    const missing = this.end - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return this.f64s.map(([offset, n]) => new Float64Array(memory.buffer, offset, n).fill(0));
  }
}
