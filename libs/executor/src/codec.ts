/**
 * How statistics, parameters and rows cross a thread or a network boundary without losing a bit.
 *
 * Stats slot layout (one Float64Array run of `statsLength` numbers per chunk):
 *   [rows, logLikelihood, sumResp (k), sumX (k × d), sumXX (k × d × d | d × d | k × d | k)]
 */
import { covarianceSize, type CovarianceType, type SufficientStats } from '@mixflow/gmm';

/** sumXX has the covariances' layout, so its length is theirs. */
export function statsLength(type: CovarianceType, k: number, dims: number): number {
  return 2 + k + k * dims + covarianceSize(type, k, dims);
}

/** Writes `stats` into `out` at `offset` (a slot of statsLength numbers). */
export function writeStats(stats: SufficientStats, out: Float64Array, offset: number): void {
  const { k, dims, covarianceType } = stats;
  const xxLength = covarianceSize(covarianceType, k, dims);
  if (stats.sumResp.length !== k || stats.sumX.length !== k * dims || stats.sumXX.length !== xxLength) {
    throw new Error(
      `chunk statistics have unexpected sizes (sumResp ${stats.sumResp.length}, sumX ${stats.sumX.length}, ` +
        `sumXX ${stats.sumXX.length}) for k=${k}, dims=${dims}, ${covarianceType} covariance`,
    );
  }
  out[offset] = stats.rows;
  out[offset + 1] = stats.logLikelihood;
  let at = offset + 2;
  out.set(stats.sumResp, at);
  at += k;
  out.set(stats.sumX, at);
  at += k * dims;
  out.set(stats.sumXX, at);
}

/**
 * Reads one slot back into a SufficientStats that owns fresh arrays (the slot may be reused). `shift` is
 * the prepared parameters' shift, the same for every chunk, so it is not shipped with each slot.
 */
export function readStats(
  type: CovarianceType,
  k: number,
  dims: number,
  src: Float64Array,
  offset: number,
  shift?: Float64Array,
): SufficientStats {
  let at = offset + 2;
  const sumResp = src.slice(at, at + k);
  at += k;
  const sumX = src.slice(at, at + k * dims);
  at += k * dims;
  const sumXX = src.slice(at, at + covarianceSize(type, k, dims));
  const stats: SufficientStats = { covarianceType: type, k, dims, rows: src[offset], logLikelihood: src[offset + 1], sumResp, sumX, sumXX };
  return shift ? { ...stats, shift: Float64Array.from(shift) } : stats;
}

export function float64ToBase64(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function base64ToFloat64(text: string): Float64Array {
  return bufferToFloat64(Buffer.from(text, 'base64'));
}

/** Copies into a fresh, aligned Float64Array (a Buffer's byteOffset need not be a multiple of 8). */
export function bufferToFloat64(buffer: Buffer): Float64Array {
  const out = new Float64Array(buffer.byteLength / 8);
  new Uint8Array(out.buffer).set(buffer);
  return out;
}

export function float64ToBuffer(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * JSON for plain objects whose leaves are numbers, strings, booleans, arrays and typed arrays
 * (GmmParams, PreparedParams, model JSON). Typed arrays travel as base64 of their bytes, so every
 * double keeps its exact bits, including -0, NaN payloads aside.
 */
export function encodeTransport(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Float64Array) return { $f64: float64ToBase64(raw) };
    if (raw instanceof Int32Array) return { $i32: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0))) return { $num: Object.is(raw, -0) ? '-0' : String(raw) };
    return v;
  });
}

export function decodeTransport<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$f64 === 'string') return base64ToFloat64(o.$f64);
      if (typeof o.$i32 === 'string') {
        const bytes = Buffer.from(o.$i32, 'base64');
        const out = new Int32Array(bytes.byteLength / 4);
        new Uint8Array(out.buffer).set(bytes);
        return out;
      }
      if (typeof o.$num === 'string') return Number(o.$num);
    }
    return v;
  }) as T;
}
