/**
 * Chunk kernels: the "map" of the engines' map/reduce. A plugin registers its kernels by name, together with
 * the compiled module that defines them, so a worker thread or a Redis worker process can load that module
 * and find the kernel by the same name. The engines know nothing of what a kernel computes.
 */
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { ExecutorError } from './run-support';

/**
 * Computes one chunk's result from the rows [start, end) of a row-major matrix (`cols` values per row).
 * `P` is what the driver sends (it crosses threads by structured clone and Redis by encodeTransport, so
 * typed arrays and numbers keep their bits); `S` is what `prepare` makes of it once per worker and map call.
 */
export interface ChunkKernel<P = unknown, S = P> {
  /** unique, namespaced by the plugin: 'gmm.em-stats' */
  readonly name: string;
  /** Float64 values the result of a chunk of `rows` rows takes */
  resultLength(params: P, rows: number, cols: number): number;
  /** once per worker and map call, before its chunks (e.g. parse a model); identity when absent */
  prepare?(params: P): S;
  /** writes the chunk's result into out[offset, offset + resultLength) */
  compute(state: S, data: Float64Array, cols: number, start: number, end: number, out: Float64Array, offset: number): void;
}

interface Registered {
  kernel: ChunkKernel<unknown, unknown>;
  module: string;
}

const registered = new Map<string, Registered>();

/**
 * The compiled JavaScript of a module given its `__filename`: itself when it is .js, else the file of the same
 * name under the package's dist/ (jest runs sources; threads and worker processes need the build).
 */
export function compiledModulePath(filename: string): string {
  if (filename.endsWith('.js')) return filename;
  const at = filename.lastIndexOf(`${sep}src${sep}`);
  if (at < 0) return filename;
  return `${filename.slice(0, at)}${sep}dist${filename.slice(at + 4)}`.replace(/\.ts$/, '.js');
}

/**
 * Registers kernels under their names. `module` is the `__filename` of a module that exports them as `kernels`
 * (and usually calls this as it loads): a worker loads that module and registers the same kernels there. Registering the same kernel again (a module
 * loaded twice) is allowed; another kernel under a taken name is an error.
 */
export function registerKernels(module: string, kernels: readonly ChunkKernel<never, unknown>[]): void {
  const path = compiledModulePath(module);
  for (const kernel of kernels) {
    const existing = registered.get(kernel.name);
    if (existing && existing.module !== path) {
      throw new ExecutorError(`kernel "${kernel.name}" from ${path} is already registered by ${existing.module}; kernel names must be unique`);
    }
    registered.set(kernel.name, { kernel: kernel as unknown as ChunkKernel<unknown, unknown>, module: path });
  }
}

/** The kernel registered under `name`; an ExecutorError listing the registered names when there is none. */
export function getKernel(name: string): ChunkKernel<unknown, unknown> {
  const found = registered.get(name);
  if (!found) {
    const known = [...registered.keys()].join(', ') || '(none)';
    throw new ExecutorError(`no kernel "${name}" is registered here; the registered kernels are ${known}. Is its plugin loaded?`);
  }
  return found.kernel;
}

/** The names of the registered kernels, in registration order. */
export function kernelNames(): string[] {
  return [...registered.keys()];
}

/** The modules that define the registered kernels, for a worker to load (each checked to exist). */
export function kernelModules(): string[] {
  const modules = [...new Set([...registered.values()].map((r) => r.module))];
  for (const module of modules) {
    if (!existsSync(module)) throw new ExecutorError(`the kernel module ${module} is missing: run npm run build (tsc -b) first`);
  }
  return modules;
}

/** Loads kernel modules in a worker and registers the `kernels` each exports. */
export function loadKernelModules(modules: readonly string[]): void {
  for (const module of modules) {
    const exported = (require(module) as { kernels?: unknown }).kernels;
    if (!Array.isArray(exported)) throw new ExecutorError(`the kernel module ${module} does not export a kernels array`);
    registerKernels(module, exported as ChunkKernel<never, unknown>[]);
  }
}
