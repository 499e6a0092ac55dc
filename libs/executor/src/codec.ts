/** How params and results cross a network boundary without losing a bit. */
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

/** By tag, not instanceof: arrays that came through postMessage may belong to another realm (a test's vm context). */
const isTyped = (v: unknown, tag: string): boolean => ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === `[object ${tag}]`;

/**
 * JSON for plain objects whose leaves are numbers, strings, booleans, arrays and typed arrays
 * (GmmParams, PreparedParams, model JSON). Typed arrays travel as base64 of their bytes, so every
 * double keeps its exact bits, including -0, NaN payloads aside.
 */
export function encodeTransport(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (isTyped(raw, 'Float64Array')) return { $f64: float64ToBase64(raw as Float64Array) };
    if (isTyped(raw, 'Int32Array')) {
      const ints = raw as Int32Array;
      return { $i32: Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).toString('base64') };
    }
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
