/**
 * Alink vector strings, the table's text form of a vector cell: dense `1.0 2.0 3.0` (spaces or commas) or sparse
 * `$n$i:v i:v`. Parsed once, where data enters (CSV upload, rows given to the API or the SDK); numbers after that.
 */
import { decimalToDouble } from './decimal';
import { TableError } from './errors';

/** rows × cols numbers, row-major. */
export interface DenseRows {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Where a vector string came from, for error messages (row is 1-based). */
export interface VectorSource {
  row?: number;
  column?: string;
}

/** A parsed Alink vector: dense values, or sparse entries with an optional declared size. */
interface ParsedVector {
  /** declared size: dense length or the sparse `$n$` header; undefined for a sparse vector without header */
  size: number | undefined;
  indices: number[];
  values: number[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function describe(where: VectorSource | undefined): string {
  const parts: string[] = [];
  if (where?.row !== undefined) parts.push(`row ${where.row}`);
  if (where?.column !== undefined) parts.push(`column ${where.column}`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

function fail(message: string, where: VectorSource | undefined): never {
  throw new TableError(`${describe(where)}${message}`, {
    ...(where?.row !== undefined ? { row: where.row } : {}),
    ...(where?.column !== undefined ? { column: where.column } : {}),
  });
}

function parseNumber(token: string, position: string | number, where: VectorSource | undefined): number {
  if (!NUMBER.test(token)) {
    if (typeof position === 'number') position = `position ${position}`;
    if (/^[+-]?(nan|infinity|inf)$/i.test(token)) fail(`value ${token} at ${position} is not a finite number`, where);
    fail(`"${token}" at ${position} is not a number`, where);
  }
  const v = Number(token);
  if (!Number.isFinite(v)) fail(`value ${token} at ${typeof position === 'number' ? `position ${position}` : position} is not a finite number`, where);
  return v;
}

function parseAlink(text: string, where: VectorSource | undefined): ParsedVector {
  const s = text.trim();
  if (s.includes(':') || s.includes('$')) {
    let body = s;
    let size: number | undefined;
    if (body.startsWith('$')) {
      const close = body.indexOf('$', 1);
      if (close < 0) fail(`sparse vector "${s}" has an unterminated $size$ header; write $n$i:v i:v`, where);
      const header = body.slice(1, close).trim();
      if (!/^\d+$/.test(header)) fail(`sparse vector size "${header}" is not a non-negative integer`, where);
      size = Number(header);
      body = body.slice(close + 1);
    }
    const indices: number[] = [];
    const values: number[] = [];
    const tokens = body.split(/[\s,]+/).filter((t) => t.length > 0);
    for (const token of tokens) {
      const colon = token.indexOf(':');
      if (colon < 0) fail(`sparse entry "${token}" is not of the form index:value`, where);
      const idx = token.slice(0, colon);
      if (!/^\d+$/.test(idx)) fail(`sparse index "${idx}" is not a non-negative integer (indices are 0-based)`, where);
      const index = Number(idx);
      if (size !== undefined && index >= size) fail(`sparse index ${index} is out of range for size ${size} (indices are 0-based)`, where);
      indices.push(index);
      values.push(parseNumber(token.slice(colon + 1), `index ${index}`, where));
    }
    return { size, indices, values };
  }
  if (s.length === 0) fail('the vector is empty', where);
  const tokens = s.split(/[\s,]+/);
  const values: number[] = [];
  // the position (1-based) is formatted only when a token is wrong: this runs once per number of every row served
  for (const t of tokens) if (t.length > 0) values.push(parseNumber(t, values.length + 1, where));
  return { size: values.length, indices: [], values };
}

/** Writes the vector densely into out[offset, offset + size) (zeros where a sparse vector has no entry). */
function writeDense(p: ParsedVector, out: Float64Array, offset: number): void {
  if (p.indices.length === 0) {
    for (let i = 0; i < p.values.length; i++) out[offset + i] = p.values[i];
    return;
  }
  for (let i = 0; i < p.indices.length; i++) out[offset + p.indices[i]] = p.values[i]; // a repeated index keeps the last value
}

function densify(p: ParsedVector, size: number): Float64Array {
  const out = new Float64Array(size);
  writeDense(p, out, 0);
  return out;
}

function sparseExtent(p: ParsedVector): number {
  let max = -1;
  for (const i of p.indices) if (i > max) max = i;
  return max + 1;
}

/**
 * Parses one Alink vector string: dense `1.0 2.0 3.0` (spaces or commas) or sparse `$n$i:v i:v` (the `$n$` size
 * header is optional, indices 0-based). A string containing `:` or `$` is sparse. Values must be finite.
 */
export function parseVector(text: string, where?: VectorSource): Float64Array {
  const p = parseAlink(text, where);
  return densify(p, p.size ?? sparseExtent(p));
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 44 || c === 9 || c === 10 || c === 13; // space , \t \n \r
}

/**
 * The fast scan of parseVectorInto: a dense vector of plain decimal numbers, each computed from its digits without
 * a string per number (Clinger's fast path up to 15 significant digits, Eisel-Lemire's up to 19, both exact;
 * longer numbers and the rare undecided ones go through Number). Returns the count, or -1 for anything it does not
 * take (sparse, blanks other than space and tab, a malformed or non-finite number, no number at all): parseVector
 * then decides, with its error messages.
 */
function scanDense(text: string, out: Float64Array, offset: number, room: number): number {
  const n = text.length;
  let i = 0;
  let count = 0;
  for (;;) {
    while (i < n && isSeparator(text.charCodeAt(i))) i++;
    if (i >= n) return count === 0 ? -1 : count;
    const start = i;
    let c = text.charCodeAt(i);
    const negative = c === 45; // -
    if (negative || c === 43) c = text.charCodeAt(++i);
    // the significant digits: the first 15 in high, the next 4 in low; scale is the power of ten of the last one kept
    let high = 0;
    let low = 0;
    let significant = 0;
    let digits = 0;
    let scale = 0;
    while (c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) {
        if (significant < 15) high = high * 10 + (c - 48);
        else if (significant < 19) low = low * 10 + (c - 48);
        else scale++;
        significant++;
      }
      digits++;
      c = text.charCodeAt(++i);
    }
    if (c === 46) {
      c = text.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        if (significant > 0 || c !== 48) {
          if (significant < 15) high = high * 10 + (c - 48);
          else if (significant < 19) low = low * 10 + (c - 48);
          if (significant < 19) scale--;
          significant++;
        } else scale--;
        digits++;
        c = text.charCodeAt(++i);
      }
    }
    if (digits === 0) return -1;
    if (c === 101 || c === 69) {
      // e E
      c = text.charCodeAt(++i);
      const expNegative = c === 45;
      if (expNegative || c === 43) c = text.charCodeAt(++i);
      let exponent = 0;
      let expDigits = 0;
      while (c >= 48 && c <= 57) {
        if (exponent < 100_000) exponent = exponent * 10 + (c - 48);
        expDigits++;
        c = text.charCodeAt(++i);
      }
      if (expDigits === 0) return -1;
      scale += expNegative ? -exponent : exponent;
    }
    if (i < n && !isSeparator(c)) return -1;
    let value = decimalToDouble(high, low, significant, scale);
    if (Number.isNaN(value)) {
      value = Number(text.slice(start + (negative || text.charCodeAt(start) === 43 ? 1 : 0), i));
      if (!Number.isFinite(value)) return -1;
    }
    if (count < room) out[offset + count] = negative ? -value : value;
    count++;
  }
}

/**
 * scanDense on UTF-8 bytes [start, end) (a vector string's content inside a request body, with no escapes): the
 * same numbers, the same count, or -1 for anything scanDense would not take, and for any non-ASCII byte.
 */
export function scanDenseBytes(bytes: Uint8Array, start: number, end: number, out: Float64Array, offset: number, room: number): number {
  let i = start;
  let count = 0;
  for (;;) {
    let c = 0;
    while (i < end && isSeparator((c = bytes[i]))) i++;
    if (i >= end) return count === 0 ? -1 : count;
    const first = i;
    const negative = c === 45; // -
    if (negative || c === 43) c = ++i < end ? bytes[i] : 0;
    let high = 0;
    let low = 0;
    let significant = 0;
    let digits = 0;
    let scale = 0;
    while (c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) {
        if (significant < 15) high = high * 10 + (c - 48);
        else if (significant < 19) low = low * 10 + (c - 48);
        else scale++;
        significant++;
      }
      digits++;
      c = ++i < end ? bytes[i] : 0;
    }
    if (c === 46) {
      c = ++i < end ? bytes[i] : 0;
      while (c >= 48 && c <= 57) {
        if (significant > 0 || c !== 48) {
          if (significant < 15) high = high * 10 + (c - 48);
          else if (significant < 19) low = low * 10 + (c - 48);
          if (significant < 19) scale--;
          significant++;
        } else scale--;
        digits++;
        c = ++i < end ? bytes[i] : 0;
      }
    }
    if (digits === 0) return -1;
    if (c === 101 || c === 69) {
      c = ++i < end ? bytes[i] : 0;
      const expNegative = c === 45;
      if (expNegative || c === 43) c = ++i < end ? bytes[i] : 0;
      let exponent = 0;
      let expDigits = 0;
      while (c >= 48 && c <= 57) {
        if (exponent < 100_000) exponent = exponent * 10 + (c - 48);
        expDigits++;
        c = ++i < end ? bytes[i] : 0;
      }
      if (expDigits === 0) return -1;
      scale += expNegative ? -exponent : exponent;
    }
    if (i < end && !isSeparator(c)) return -1;
    let value = decimalToDouble(high, low, significant, scale);
    if (Number.isNaN(value)) {
      value = Number(String.fromCharCode(...bytes.subarray(negative || bytes[first] === 43 ? first + 1 : first, i)));
      if (!Number.isFinite(value)) return -1;
    }
    if (count < room) out[offset + count] = negative ? -value : value;
    count++;
  }
}

/**
 * Parses a vector string into out[offset, offset + room) and returns its length; a longer vector writes its first
 * `room` values only (the caller reports the mismatch). Serving's path: plain dense vectors are read without
 * allocating; every other string (sparse, or one with an error to name) goes through parseVector, same values and
 * same errors.
 */
export function parseVectorInto(text: string, out: Float64Array, offset: number, room: number, where?: VectorSource): number {
  const count = scanDense(text, out, offset, room);
  if (count >= 0) return count;
  const v = parseVector(text, where);
  out.set(v.length <= room ? v : v.subarray(0, room), offset);
  return v.length;
}

/**
 * Parses a column of vector strings into a matrix. Every row must have the same dimension: dense rows and sparse
 * rows with a `$n$` header fix it; sparse rows without a header are padded to it (or, when no row fixes it, to the
 * largest index seen + 1). Errors name the 1-based row and the column. `allocate` gives the matrix's memory
 * (e.g. shared memory, so worker threads read it where it is); a fresh Float64Array by default.
 */
export function parseVectors(values: readonly string[], column: string, allocate?: (length: number) => Float64Array): DenseRows {
  return parseVectorColumn(values, column, { lenient: false, allocate })!;
}

/**
 * One pass over a column: each cell is parsed once and written straight into the matrix (only sparse cells without
 * a size wait until the dimension is known). `lenient` (type inference): undefined when some cell is not an Alink
 * vector or has no values, so the column holds strings; rows of different dimensions are an error either way.
 */
export function parseVectorColumn(
  values: readonly string[],
  column: string,
  o: { lenient: boolean; allocate?: (length: number) => Float64Array },
): DenseRows | undefined {
  const allocate = o.allocate ?? ((length: number) => new Float64Array(length));
  let dims: number | undefined;
  let dimsRow = 0;
  let data: Float64Array | undefined;
  const unsized: Array<[number, ParsedVector]> = [];
  let mismatch: { message: string; row: number } | undefined;
  for (let i = 0; i < values.length; i++) {
    const where = { row: i + 1, column };
    const text = values[i];
    let p: ParsedVector;
    if (o.lenient) {
      if (typeof text !== 'string') return undefined;
      try {
        p = parseAlink(text, undefined);
      } catch {
        return undefined;
      }
      if ((p.size ?? sparseExtent(p)) === 0) return undefined;
    } else {
      if (typeof text !== 'string') fail(`expected a vector string, got ${text === null ? 'null' : typeof text}`, where);
      p = parseAlink(text, where);
    }
    if (p.size === undefined) {
      unsized.push([i, p]);
      continue;
    }
    if (dims === undefined) {
      dims = p.size;
      dimsRow = i + 1;
      data = allocate(values.length * dims);
    } else if (p.size !== dims) {
      const message = `vector has dimension ${p.size} but row ${dimsRow} has ${dims}; every row needs the same dimension`;
      if (!o.lenient) fail(message, where);
      mismatch ??= { message, row: i + 1 }; // reported once every cell is known to be a vector
      continue;
    }
    writeDense(p, data!, i * dims);
  }
  if (mismatch) fail(mismatch.message, { row: mismatch.row, column });
  if (dims === undefined) {
    dims = 0;
    for (const [, p] of unsized) dims = Math.max(dims, sparseExtent(p));
  }
  if (values.length > 0 && dims === 0) fail('every vector is empty', { row: 1, column });
  data ??= allocate(values.length * dims);
  for (const [i, p] of unsized) {
    const extent = sparseExtent(p);
    if (extent > dims) fail(`sparse index ${extent - 1} is out of range for dimension ${dims} (set by row ${dimsRow})`, { row: i + 1, column });
    writeDense(p, data, i * dims);
  }
  return { data, rows: values.length, cols: dims };
}

/** Dense Alink output: values separated by single spaces, each printed so that it parses back to the same double. */
export function formatVector(v: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < v.length; i++) s += (i ? ' ' : '') + String(v[i]);
  return s;
}

/**
 * parseVectorColumn's lenient inference, one cell at a time and keeping no values: whether a column of CSV text is
 * a vector column, its dimension, the same dimension errors at the same rows, and whether every cell is in the
 * canonical form formatVector writes (else the table keeps the column's text, as vectorColumn decides). Memory is
 * independent of the rows, except one (row, extent) per new largest index among sparse rows without a size.
 */
export class VectorColumnScan {
  /** false once a cell is not an Alink vector or has no values: the column holds strings */
  vectors = true;
  /** every cell is formatVector's text of its values */
  canonical = true;
  private rows = 0;
  private dims: number | undefined;
  private dimsRow = 0;
  private mismatch: { message: string; row: number } | undefined;
  /** unsized sparse rows whose extent exceeds every earlier one's, in row order */
  private growing: Array<{ row: number; extent: number }> = [];

  constructor(private readonly column: string) {}

  add(text: string): void {
    this.rows++;
    if (!this.vectors) return;
    let p: ParsedVector;
    try {
      p = parseAlink(text, undefined);
    } catch {
      this.vectors = false;
      return;
    }
    if (p.size === undefined) {
      const extent = sparseExtent(p);
      if (extent === 0) this.vectors = false;
      else if (extent > (this.growing.at(-1)?.extent ?? 0)) this.growing.push({ row: this.rows, extent });
      this.canonical = false;
      return;
    }
    if (p.size === 0) {
      this.vectors = false;
      return;
    }
    if (this.canonical && (p.indices.length > 0 || p.values.length !== p.size || text !== formatVector(p.values))) this.canonical = false;
    if (this.dims === undefined) {
      this.dims = p.size;
      this.dimsRow = this.rows;
    } else if (p.size !== this.dims) {
      this.mismatch ??= { message: `vector has dimension ${p.size} but row ${this.dimsRow} has ${this.dims}; every row needs the same dimension`, row: this.rows };
    }
  }

  /** The column's dimension when it is a vector column (undefined when it holds strings); its dimension errors throw here. */
  finish(): number | undefined {
    if (!this.vectors || this.rows === 0) return undefined;
    const column = this.column;
    if (this.mismatch) fail(this.mismatch.message, { row: this.mismatch.row, column });
    const dims = this.dims ?? this.growing.at(-1)?.extent ?? 0;
    const over = this.growing.find((g) => g.extent > dims);
    if (over) fail(`sparse index ${over.extent - 1} is out of range for dimension ${dims} (set by row ${this.dimsRow})`, { row: over.row, column });
    return dims;
  }
}
