/**
 * Prediction on the request's bytes, for predictors with a matrix path (RowPredictor.matrix): NDJSON lines and the
 * rows of a JSON batch. A row's features are read from its bytes straight into the batch's matrix (no string, no
 * object per row), the batch is predicted in one call, and each answered row is the request row's fields, copied
 * as bytes, plus the prediction fields. The answer is byte for byte what the general path (JSON.parse, the
 * predictor, JSON.stringify: predictBatch, predictJsonRows) writes: a row is taken here only when copying it gives
 * JSON.stringify's text (no nested values, no escapes JSON.stringify would write otherwise, numbers in their
 * shortest form or rewritten as String writes them, no repeated or integer-like keys, none of the added fields
 * already there); every other row, and every row that cannot be predicted (its error), goes the general way, in
 * the same batch and in order.
 */
import { isUtf8 } from 'node:buffer';
import { predictRows, type MatrixPredictor, type RowPredictor } from '@mixflow/component-sdk';
import { decimalToDouble, isShortestDigits, scanDenseBytes } from '@mixflow/table';
import { csvAnswerColumns, csvField, predictBatch, type RowTag } from './formats';

export interface BytesBatchOutput {
  /** the answer lines, UTF-8 (a view of its own buffer, which can be transferred) */
  bytes: Uint8Array;
  rows: number;
  errors: number;
  /** rows answered by copying their line (the rest went through predictBatch) */
  copied: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** a fallback line is decoded alone: a BOM is only the body's, at line 1 (stripped by hand) */
const lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

const QUOTE = 34;
const BACKSLASH = 92;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** An answer being written: grows as needed; its buffer is the batch's own, so it can be transferred. */
class Output {
  buf: Uint8Array;
  at = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }
  copy(from: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    if (end - start > 64) this.buf.set(from.subarray(start, end), this.at);
    else for (let i = start, to = this.at; i < end; i++, to++) this.buf[to] = from[i];
    this.at += end - start;
  }
  /** ASCII text (numbers, their vector strings) */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.at++] = text.charCodeAt(i);
  }
  byte(c: number): void {
    this.room(1);
    this.buf[this.at++] = c;
  }
  /** any text, UTF-8 */
  text(text: string): void {
    this.room(text.length * 3);
    this.at += encoder.encodeInto(text, this.buf.subarray(this.at)).written;
  }
}

/** A number's text as String writes it: integers and the common cases without a call. */
function numberText(v: number): string {
  return v === 0 ? '0' : v === 1 ? '1' : String(v);
}

// the JSON number just read by readNumber: its value, and whether its text is what JSON.stringify writes for it
let numValue = 0;
let numNegative = false;
let numCanonical = false;

/**
 * Reads a JSON number at b[i] (strict grammar); returns the index after it, or -1 when it is not one. Sets numValue,
 * and numCanonical when the text is what JSON.stringify writes for the value (String's fixed notation, not -0, and
 * the shortest digits that give the value: any of at most 15 digits, checked for 16 and 17), so it can be copied.
 */
function readNumber(b: Uint8Array, i: number, end: number): number {
  const start = i;
  let c = b[i];
  numNegative = c === 45;
  if (numNegative) c = ++i < end ? b[i] : 0;
  let high = 0;
  let low = 0;
  let significant = 0;
  let scale = 0;
  let intDigits = 0;
  let intZero = false;
  if (c === 48) {
    intZero = true;
    intDigits = 1;
    c = ++i < end ? b[i] : 0;
    if (c >= 48 && c <= 57) return -1; // a leading zero
  } else if (c >= 49 && c <= 57) {
    while (c >= 48 && c <= 57) {
      if (significant < 15) high = high * 10 + (c - 48);
      else if (significant < 19) low = low * 10 + (c - 48);
      else scale++;
      significant++;
      intDigits++;
      c = ++i < end ? b[i] : 0;
    }
  } else return -1;
  let fracDigits = 0;
  let leadingZeros = 0;
  let lastDigit = 0;
  if (c === 46) {
    c = ++i < end ? b[i] : 0;
    while (c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) {
        if (significant < 15) high = high * 10 + (c - 48);
        else if (significant < 19) low = low * 10 + (c - 48);
        if (significant < 19) scale--;
        significant++;
      } else {
        scale--;
        leadingZeros++;
      }
      fracDigits++;
      lastDigit = c;
      c = ++i < end ? b[i] : 0;
    }
    if (fracDigits === 0) return -1;
  }
  let exponent = false;
  if (c === 101 || c === 69) {
    exponent = true;
    c = ++i < end ? b[i] : 0;
    const negative = c === 45;
    if (negative || c === 43) c = ++i < end ? b[i] : 0;
    let value = 0;
    let digits = 0;
    while (c >= 48 && c <= 57) {
      if (value < 100_000) value = value * 10 + (c - 48);
      digits++;
      c = ++i < end ? b[i] : 0;
    }
    if (digits === 0) return -1;
    scale += negative ? -value : value;
  }
  let value = decimalToDouble(high, low, significant, scale);
  if (Number.isNaN(value)) value = Number(String.fromCharCode(...b.subarray(numNegative ? start + 1 : start, i)));
  numValue = numNegative ? -value : value;
  // String's fixed notation: no exponent, at most 21 integer digits, at most 5 zeros after "0.", no trailing zero
  const fixed = !exponent && intDigits <= 21 && (fracDigits === 0 || lastDigit !== 48) && !(intZero && fracDigits > 0 && leadingZeros > 5);
  numCanonical = fixed && !(numNegative && significant === 0) && (significant <= 15 || isShortestDigits(high, low, significant, scale, value));
  return i;
}

/**
 * Reads a JSON string whose opening quote is at b[i]; returns the index after the closing quote, or -1 when it is
 * not valid JSON or holds an escape JSON.stringify would not write the same way (\u, \/). `escapes` says whether
 * it held any backslash.
 */
let stringEscapes = false;
function readString(b: Uint8Array, i: number, end: number): number {
  stringEscapes = false;
  for (i++; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c < 32) return -1;
    if (c === BACKSLASH) {
      const e = b[++i];
      // \" \\ \b \f \n \r \t: what JSON.stringify writes for those characters
      if (e !== QUOTE && e !== BACKSLASH && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) return -1;
      stringEscapes = true;
    }
  }
  return -1;
}

function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}

function equalsName(b: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (b[start + i] !== name[i]) return false;
  return true;
}

// a row's members as the scan finds them: key content [start, end), value [start, end), the value's kind
const KIND_STRING = 0;
const KIND_NUMBER = 1;
const KIND_LITERAL = 2;
/** a string with a backslash escape: copied, never read as a vector */
const KIND_ESCAPED = 3;
const MEMBER_INTS = 6; // keyStart keyEnd valueStart valueEnd kind replacement (−1: copy the value; else its index in replacements)

/** What a batch's rows have in common: the prediction's fields and the request's tag, as bytes. */
interface Plan {
  matrix: MatrixPredictor;
  dims: number;
  /** names of the fields features come from (one for a vector column) */
  featureNames: Uint8Array[];
  /** names a row must not have already (the added fields and the tag's) */
  addedNames: Uint8Array[];
  /** `,"name":` of each output, the first without the comma */
  outputKeys: Uint8Array[];
  /** `,"key":value` of the tag's fields */
  tagBytes: Uint8Array;
}

function planOf(predictor: RowPredictor, tag: RowTag | undefined): Plan | undefined {
  const matrix = predictor.matrix;
  if (!matrix) return undefined;
  const names = matrix.outputs.map((o) => o.name);
  const tagKeys = Object.keys(tag ?? {});
  const added = [...names, ...tagKeys];
  // an added field named like an array index, or named twice, lands elsewhere in JSON.stringify's text
  if (new Set(added).size !== added.length || added.some((n) => /^\d+$/.test(n))) return undefined;
  const features = matrix.vectorCol !== undefined ? [matrix.vectorCol] : [...(matrix.featureCols ?? [])];
  return {
    matrix,
    dims: matrix.dims,
    featureNames: features.map((n) => encoder.encode(n)),
    addedNames: added.map((n) => encoder.encode(n)),
    outputKeys: names.map((n, j) => encoder.encode(`${j ? ',' : ''}${JSON.stringify(n)}:`)),
    tagBytes: encoder.encode(tagKeys.map((k) => `,${JSON.stringify(k)}:${JSON.stringify(tag![k])}`).join('')),
  };
}

/** Scratch kept between batches (a serving thread predicts one batch at a time). */
let members = new Int32Array(64 * MEMBER_INTS);
/** a number member's value */
let memberValues = new Float64Array(64);
let features = new Float64Array(4096);
const replacements: string[] = [];
/** the last shape seen: its members' keys, and which member each feature is in */
let shapeKeys: Uint8Array = new Uint8Array(0);
let shapeKeyRanges: number[] = [];
let shapeFeatureMember: number[] = [];
let shapePlan: Plan | undefined;

/**
 * Scans the row in b[start, end) (one line, its \r removed). On success, returns the number of members (written to
 * `members` from memberAt) and writes the row's features at features[row·dims]; −1 when the line is not one this
 * path takes. compactRow tells whether its members can be copied in one piece (no blanks between tokens, no number
 * rewritten).
 */
let compactRow = false;
let rowOpen = 0;
let rowClose = 0;
function scanRow(b: Uint8Array, start: number, end: number, plan: Plan, row: number, memberAt: number): number {
  let i = start;
  while (i < end && isBlank(b[i])) i++;
  if (b[i] !== 123) return -1; // {
  rowOpen = i;
  i++;
  let compact = true;
  let count = 0;
  if (i < end && isBlank(b[i])) {
    compact = false;
    while (i < end && isBlank(b[i])) i++;
  }
  if (b[i] === 125) {
    rowClose = i;
    i++;
  } else {
    for (;;) {
      if (i >= end || b[i] !== QUOTE) return -1;
      const keyStart = i + 1;
      i = readString(b, i, end);
      if (i < 0 || stringEscapes) return -1;
      const keyEnd = i - 1;
      if (i < end && isBlank(b[i])) {
        compact = false;
        while (i < end && isBlank(b[i])) i++;
      }
      if (b[i] !== 58) return -1; // :
      i++;
      if (i < end && isBlank(b[i])) {
        compact = false;
        while (i < end && isBlank(b[i])) i++;
      }
      if (i >= end) return -1;
      const valueStart = i;
      const c = b[i];
      let kind: number;
      let replacement = -1;
      let value = NaN;
      if (c === QUOTE) {
        i = readString(b, i, end);
        if (i < 0) return -1;
        kind = stringEscapes ? KIND_ESCAPED : KIND_STRING;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        i = readNumber(b, i, end);
        if (i < 0) return -1;
        kind = KIND_NUMBER;
        value = numValue;
        if (!numCanonical) {
          const v = numValue;
          replacement = replacements.length;
          replacements.push(Number.isFinite(v) ? String(v) : 'null');
          compact = false;
        }
      } else if (c === 116 && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
        i += 4; // true
        kind = KIND_LITERAL;
      } else if (c === 102 && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
        i += 5; // false
        kind = KIND_LITERAL;
      } else if (c === 110 && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) {
        i += 4; // null
        kind = KIND_LITERAL;
      } else return -1; // objects, arrays: the general path
      if (i > end) return -1;
      const at = (memberAt + count) * MEMBER_INTS;
      if (at + MEMBER_INTS > members.length) {
        const grown = new Int32Array(members.length * 2);
        grown.set(members);
        members = grown;
        const values = new Float64Array(members.length / MEMBER_INTS);
        values.set(memberValues);
        memberValues = values;
      }
      members[at] = keyStart;
      members[at + 1] = keyEnd;
      members[at + 2] = valueStart;
      members[at + 3] = i;
      members[at + 4] = kind;
      members[at + 5] = replacement;
      memberValues[memberAt + count] = value;
      count++;
      if (i < end && isBlank(b[i])) {
        compact = false;
        while (i < end && isBlank(b[i])) i++;
      }
      if (b[i] === 44) {
        i++;
        if (i < end && isBlank(b[i])) {
          compact = false;
          while (i < end && isBlank(b[i])) i++;
        }
        continue;
      }
      if (b[i] !== 125) return -1; // }
      rowClose = i;
      i++;
      break;
    }
  }
  while (i < end && isBlank(b[i])) i++;
  if (i !== end) return -1;
  compactRow = compact;
  if (!sameShape(b, plan, memberAt, count)) return -1;
  return readFeatures(b, plan, row, memberAt) ? count : -1;
}

/** Whether the row's keys are the last shape's; else checks the new shape (−> false when this path cannot take it) and keeps it. */
function sameShape(b: Uint8Array, plan: Plan, memberAt: number, count: number): boolean {
  if (shapePlan === plan && shapeKeyRanges.length === count * 2) {
    let same = true;
    for (let m = 0; m < count && same; m++) {
      const at = (memberAt + m) * MEMBER_INTS;
      const start = members[at];
      const length = members[at + 1] - start;
      if (length !== shapeKeyRanges[2 * m + 1] - shapeKeyRanges[2 * m]) same = false;
      else {
        for (let j = 0, k = shapeKeyRanges[2 * m]; j < length && same; j++, k++) same = b[start + j] === shapeKeys[k];
      }
    }
    if (same) return true;
  }
  // a new shape: no key twice, none like an array index, none of the added fields; where each feature is
  const keyRanges: number[] = [];
  const parts: Uint8Array[] = [];
  let length = 0;
  for (let m = 0; m < count; m++) {
    const at = (memberAt + m) * MEMBER_INTS;
    const start = members[at];
    const end = members[at + 1];
    let digits = end > start;
    for (let i = start; i < end && digits; i++) digits = b[i] >= 48 && b[i] <= 57;
    if (digits) return false;
    for (let o = 0; o < m; o++) {
      const other = (memberAt + o) * MEMBER_INTS;
      if (sameBytes(b, start, end, members[other], members[other + 1])) return false;
    }
    for (const name of plan.addedNames) if (equalsName(b, start, end, name)) return false;
    keyRanges.push(length, length + end - start);
    parts.push(b.slice(start, end));
    length += end - start;
  }
  const featureMember: number[] = [];
  for (const name of plan.featureNames) {
    let found = -1;
    for (let m = 0; m < count && found < 0; m++) {
      const at = (memberAt + m) * MEMBER_INTS;
      if (equalsName(b, members[at], members[at + 1], name)) found = m;
    }
    if (found < 0) return false; // a missing feature: the general path names it
    featureMember.push(found);
  }
  shapeKeys = new Uint8Array(length);
  parts.reduce((at, part) => (shapeKeys.set(part, at), at + part.length), 0);
  shapeKeyRanges = keyRanges;
  shapeFeatureMember = featureMember;
  shapePlan = plan;
  return true;
}

/** The row's features into features[row·dims]: a dense vector string, or finite numbers; false for anything else. */
function readFeatures(b: Uint8Array, plan: Plan, row: number, memberAt: number): boolean {
  const dims = plan.dims;
  const offset = row * dims;
  if (offset + dims > features.length) {
    const grown = new Float64Array(Math.max(features.length * 2, offset + dims));
    grown.set(features);
    features = grown;
  }
  if (plan.matrix.vectorCol !== undefined) {
    const at = (memberAt + shapeFeatureMember[0]) * MEMBER_INTS;
    if (members[at + 4] !== KIND_STRING) return false;
    return scanDenseBytes(b, members[at + 2] + 1, members[at + 3] - 1, features, offset, dims) === dims;
  }
  for (let j = 0; j < dims; j++) {
    const member = memberAt + shapeFeatureMember[j];
    if (members[member * MEMBER_INTS + 4] !== KIND_NUMBER) return false;
    const v = memberValues[member];
    if (!Number.isFinite(v)) return false;
    features[offset + j] = v;
  }
  return true;
}

/** The fields a predicted row gains: output j of row r. */
function writeOutputs(out: Output, plan: Plan, predicted: ArrayLike<number>[], r: number): void {
  const outputs = plan.matrix.outputs;
  for (let j = 0; j < outputs.length; j++) {
    const key = plan.outputKeys[j];
    out.copy(key, 0, key.length);
    const values = predicted[j];
    const o = outputs[j];
    if (o.kind === 'integer') out.ascii(String(values[r]));
    else if (o.kind === 'number') {
      const v = values[r];
      out.ascii(Number.isFinite(v) ? String(v) : 'null');
    } else {
      out.byte(QUOTE);
      const base = r * o.width;
      for (let k = 0; k < o.width; k++) {
        if (k) out.byte(32);
        out.ascii(numberText(values[base + k]));
      }
      out.byte(QUOTE);
    }
  }
  out.copy(plan.tagBytes, 0, plan.tagBytes.length);
}

/** Fast row f's answer: its members as they came (or rewritten), the added fields, the tag. */
function writeRow(out: Output, bytes: Uint8Array, plan: Plan, predicted: ArrayLike<number>[], f: number, rowMembers: number[]): void {
  const at = rowMembers[f * 5];
  const count = rowMembers[f * 5 + 1];
  out.byte(123);
  if (rowMembers[f * 5 + 2]) out.copy(bytes, rowMembers[f * 5 + 3] + 1, rowMembers[f * 5 + 4]);
  else {
    for (let m = 0; m < count; m++) {
      const p = (at + m) * MEMBER_INTS;
      if (m) out.byte(44);
      out.copy(bytes, members[p] - 1, members[p + 1] + 1);
      out.byte(58);
      const replacement = members[p + 5];
      if (replacement >= 0) out.ascii(replacements[replacement]);
      else out.copy(bytes, members[p + 2], members[p + 3]);
    }
  }
  if (count) out.byte(44);
  writeOutputs(out, plan, predicted, f);
  out.byte(125);
}

/** Skips the JSON string whose opening quote is at b[i] (any escapes); the index after it, or −1. */
function skipString(b: Uint8Array, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** Skips a JSON value at b[i] (its brackets matched, strings skipped; not validated: JSON.parse does that); the index after it, or −1. */
function skipValue(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i, end);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (; i < end; i++) {
      const d = b[i];
      if (d === QUOTE) {
        i = skipString(b, i, end) - 1;
        if (i < 0) return -1;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  while (i < end && !isBlank(b[i]) && b[i] !== 44 && b[i] !== 125 && b[i] !== 93) i++;
  return i;
}

function skipBlanks(b: Uint8Array, i: number, end: number): number {
  while (i < end && isBlank(b[i])) i++;
  return i;
}

/** A JSON batch body as the bytes path reads it: where each row object is, and the body's other members (the options). */
export interface JsonBody {
  /** [start, end) of each row object */
  rows: Int32Array;
  count: number;
  options: Record<string, unknown>;
}

/**
 * Finds the rows of a body `{ "rows": [ {...}, ... ], ...options }` without parsing them; undefined when the body
 * is anything else (not UTF-8, rows not an array of objects, a repeated or escaped key, JSON.parse's error to give):
 * the general path reads it then, with its errors.
 */
export function readJsonBody(b: Uint8Array): JsonBody | undefined {
  const end = b.length;
  if (!isUtf8(b)) return undefined;
  let i = skipBlanks(b, 0, end);
  if (b[i] !== 123) return undefined;
  i = skipBlanks(b, i + 1, end);
  let rows: Int32Array = new Int32Array(1024);
  let seenRows = false;
  let count = 0;
  const options: string[] = [];
  if (b[i] !== 125) {
    for (;;) {
      if (b[i] !== QUOTE) return undefined;
      const keyStart = i;
      i = readString(b, i, end);
      if (i < 0 || stringEscapes) return undefined;
      const isRows = i - keyStart === 6 && b[keyStart + 1] === 114 && b[keyStart + 2] === 111 && b[keyStart + 3] === 119 && b[keyStart + 4] === 115; // "rows"
      i = skipBlanks(b, i, end);
      if (b[i] !== 58) return undefined;
      i = skipBlanks(b, i + 1, end);
      if (isRows) {
        if (seenRows || b[i] !== 91) return undefined;
        seenRows = true;
        i = skipBlanks(b, i + 1, end);
        if (b[i] === 93) i++;
        else {
          for (;;) {
            if (b[i] !== 123) return undefined;
            const rowEnd = skipValue(b, i, end);
            if (rowEnd < 0) return undefined;
            if (2 * count + 2 > rows.length) {
              const grown: Int32Array = new Int32Array(rows.length * 2);
              grown.set(rows);
              rows = grown;
            }
            rows[2 * count] = i;
            rows[2 * count + 1] = rowEnd;
            count++;
            i = skipBlanks(b, rowEnd, end);
            if (b[i] === 44) i = skipBlanks(b, i + 1, end);
            else if (b[i] === 93) {
              i++;
              break;
            } else return undefined;
          }
        }
      } else {
        const valueEnd = skipValue(b, i, end);
        if (valueEnd < 0) return undefined;
        options.push(decoder.decode(b.subarray(keyStart, valueEnd)));
        i = valueEnd;
      }
      i = skipBlanks(b, i, end);
      if (b[i] === 44) i = skipBlanks(b, i + 1, end);
      else if (b[i] === 125) break;
      else return undefined;
    }
  }
  if (!seenRows || skipBlanks(b, i + 1, end) !== end) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(`{${options.join(',')}}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return { rows, count, options: parsed };
}

/**
 * The rows of a JSON batch (found by readJsonBody) answered as predictJsonRows answers them: `{"rows":[...]}` as
 * bytes, or the first row that cannot be predicted (1-based). undefined when the predictor has no matrix path or a
 * row is not JSON (the general path then answers, with its error).
 */
export function predictJsonBytes(
  predictor: RowPredictor,
  bytes: Uint8Array,
  body: JsonBody,
  tag: RowTag | undefined,
  part?: { index: number; of: number },
): { bytes: Uint8Array; rows: number; copied: number } | { error: Error; row: number } | undefined {
  // a part: rows [from, to), answered without the {"rows":[...]} around them (the API joins the parts)
  const from = part ? Math.floor((body.count * part.index) / part.of) : 0;
  const to = part ? Math.floor((body.count * (part.index + 1)) / part.of) : body.count;
  const plan = planOf(predictor, tag);
  if (!plan) return undefined;
  replacements.length = 0;
  const rowMembers: number[] = [];
  /** per row: its fast row's index, or −1 − its index among the general rows */
  const slots = new Int32Array(body.count);
  const general: Record<string, unknown>[] = [];
  let fast = 0;
  let memberAt = 0;
  for (let r = from; r < to; r++) {
    const start = body.rows[2 * r];
    const end = body.rows[2 * r + 1];
    const count = scanRow(bytes, start, end, plan, fast, memberAt);
    if (count >= 0) {
      rowMembers.push(memberAt, count, compactRow ? 1 : 0, rowOpen, rowClose);
      memberAt += count;
      slots[r] = fast++;
    } else {
      try {
        general.push(JSON.parse(decoder.decode(bytes.subarray(start, end))) as Record<string, unknown>);
      } catch {
        return undefined;
      }
      slots[r] = -general.length;
    }
  }
  const generalOut = general.length ? predictRows(predictor, general) : [];
  for (let r = from; r < to; r++) {
    const out = slots[r] < 0 ? generalOut[-slots[r] - 1] : undefined;
    if (out instanceof Error) return { error: out, row: r + 1 };
  }
  const predicted = fast ? plan.matrix.predict(features, fast) : [];
  const out = new Output(bytes.length + fast * 64 + 1024);
  if (!part) out.ascii('{"rows":[');
  for (let r = from; r < to; r++) {
    if (r > from) out.byte(44);
    const slot = slots[r];
    if (slot >= 0) writeRow(out, bytes, plan, predicted, slot, rowMembers);
    else {
      const row = generalOut[-slot - 1] as Record<string, unknown>;
      out.text(JSON.stringify(tag ? Object.assign(row, tag) : row));
    }
  }
  if (!part) out.ascii(']}');
  return { bytes: out.buf.subarray(0, out.at), rows: to - from, copied: fast };
}

const LINE_EMPTY = 0;
const LINE_FAST = 1;
const LINE_GENERAL = 2;

/**
 * One batch of NDJSON lines (bytes; the last line may lack its \n), answered as predictBatch answers it, as bytes.
 * `firstLine` is the 1-based number of the batch's first line in the body.
 */
export function predictNdjsonBytes(predictor: RowPredictor, bytes: Uint8Array, firstLine: number, tag: RowTag | undefined): BytesBatchOutput {
  const plan = planOf(predictor, tag);
  if (!plan || !isUtf8(bytes)) {
    // bytes that are not UTF-8 are read with replacement characters: the general path, as it always did
    const out = predictBatch(predictor, { format: 'ndjson', text: decoder.decode(bytes), firstLine, tag });
    return { bytes: encoder.encode(out.text), rows: out.rows, errors: out.errors, copied: 0 };
  }
  replacements.length = 0;
  const kinds: number[] = [];
  /** per fast line: where its members are, how many, whether compact, its braces */
  const rowMembers: number[] = [];
  /** the lines for predictBatch at their places (the others empty, so its line numbers are the body's) */
  const general: string[] = [];
  let generalCount = 0;
  let fast = 0;
  let memberAt = 0;
  for (let start = 0, index = 0; start < bytes.length; index++) {
    let end = bytes.indexOf(10, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    if (end > start && bytes[end - 1] === 13) end--;
    let blank = true;
    for (let i = start; i < end && blank; i++) blank = isBlank(bytes[i]) || bytes[i] === 11 || bytes[i] === 12;
    if (blank) kinds.push(LINE_EMPTY);
    else {
      const count = firstLine + index === 1 && bytes[start] === 0xef ? -1 : scanRow(bytes, start, end, plan, fast, memberAt);
      if (count >= 0) {
        kinds.push(LINE_FAST);
        rowMembers.push(memberAt, count, compactRow ? 1 : 0, rowOpen, rowClose);
        memberAt += count;
        fast++;
      } else {
        let text = lineDecoder.decode(bytes.subarray(start, end));
        if (firstLine + index === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text.trim() === '') kinds.push(LINE_EMPTY);
        else {
          kinds.push(LINE_GENERAL);
          general[index] = text;
          generalCount++;
        }
      }
    }
    start = next;
  }
  // the general lines in one predictBatch (one call of the predictor), each answered by one line
  let generalLines: string[] = [];
  let rows = fast;
  let errors = 0;
  if (generalCount) {
    for (let index = 0; index < kinds.length; index++) general[index] ??= '';
    const answered = predictBatch(predictor, { format: 'ndjson', text: general.join('\n'), firstLine, tag });
    generalLines = answered.text.split('\n');
    rows += answered.rows;
    errors += answered.errors;
  }
  const predicted = fast ? plan.matrix.predict(features, fast) : [];
  const out = new Output(bytes.length + fast * 64 + 1024);
  let g = 0;
  let f = 0;
  for (let index = 0; index < kinds.length; index++) {
    const kind = kinds[index];
    if (kind === LINE_EMPTY) continue;
    if (kind === LINE_GENERAL) {
      out.text(generalLines[g++]);
      out.byte(10);
      continue;
    }
    writeRow(out, bytes, plan, predicted, f, rowMembers);
    out.byte(10);
    f++;
  }
  return { bytes: out.buf.subarray(0, out.at), rows, errors, copied: fast };
}

/** Where each column of a CSV answer comes from: an input field, an added output, or the tag (its field's bytes). */
interface CsvPlan {
  matrix: MatrixPredictor;
  dims: number;
  /** the fields features are read from (one for a vector column) */
  featureFields: number[];
  /** per answer column (without the last, error): ≥ 0 an input field, −1 − k output k, or a tag's bytes */
  sources: (number | Uint8Array)[];
}

function csvPlanOf(predictor: RowPredictor, header: readonly string[], tag: RowTag | undefined): CsvPlan | undefined {
  const matrix = predictor.matrix;
  if (!matrix) return undefined;
  const outputs = matrix.outputs.map((o) => o.name);
  const names = matrix.vectorCol !== undefined ? [matrix.vectorCol] : [...(matrix.featureCols ?? [])];
  const featureFields = names.map((n) => header.indexOf(n));
  if (featureFields.some((j) => j < 0) || new Set(header).size !== header.length) return undefined;
  const columns = csvAnswerColumns(predictor, header, tag);
  const sources: (number | Uint8Array)[] = [];
  for (const c of columns.slice(0, -1)) {
    if (tag && Object.prototype.hasOwnProperty.call(tag, c)) sources.push(encoder.encode(csvField(tag[c])));
    else if (outputs.includes(c)) sources.push(-1 - outputs.indexOf(c));
    else if (header.includes(c)) sources.push(header.indexOf(c));
    else return undefined;
  }
  return { matrix, dims: matrix.dims, featureFields, sources };
}

/**
 * Whether CSV field b[start, end) is written back as it came by csvField: no quote, comma or CR, and nothing
 * String.prototype.trim would remove at its ends (any non-ASCII byte there is left to the general path).
 */
function plainCsvField(b: Uint8Array, start: number, end: number): boolean {
  if (end === start) return true;
  const first = b[start];
  const last = b[end - 1];
  if (first <= 32 || first >= 127 || last <= 32 || last >= 127) return false;
  for (let i = start; i < end; i++) if (b[i] === 13) return false;
  return true;
}

/**
 * One batch of CSV records (bytes, after the header), answered as predictBatch answers it: the answer's columns
 * as csvAnswerColumns says, the record's fields copied, the prediction's written as csvField writes them, an
 * empty error. Records with quotes, fields with blanks at their ends, missing or malformed features, and records
 * that cannot be predicted go through predictBatch, in order, at their line numbers.
 */
export function predictCsvBytes(predictor: RowPredictor, bytes: Uint8Array, firstLine: number, header: readonly string[], tag: RowTag | undefined): BytesBatchOutput {
  const plan = csvPlanOf(predictor, header, tag);
  if (!plan || !isUtf8(bytes)) {
    const out = predictBatch(predictor, { format: 'csv', text: decoder.decode(bytes), firstLine, header, tag });
    return { bytes: encoder.encode(out.text), rows: out.rows, errors: out.errors, copied: 0 };
  }
  const width = header.length;
  if (features.length < 1024 * plan.dims) features = new Float64Array(1024 * plan.dims);
  /** per line: −1 empty, −2 general, else the index of its first field in `fields` */
  const kinds: number[] = [];
  let fields = new Int32Array(2 * width * 256);
  let fieldCount = 0;
  const general: string[] = [];
  let generalCount = 0;
  let fast = 0;
  for (let start = 0, index = 0; start < bytes.length; index++) {
    let end = bytes.indexOf(10, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    if (end > start && bytes[end - 1] === 13) end--;
    let blank = true;
    for (let i = start; i < end && blank; i++) blank = isBlank(bytes[i]) || bytes[i] === 11 || bytes[i] === 12;
    let taken = false;
    if (!blank) {
      // the record's fields, when none is quoted and each is written back as it came
      if (2 * (fieldCount + width) > fields.length) {
        const grown = new Int32Array(fields.length * 2);
        grown.set(fields);
        fields = grown;
      }
      let j = 0;
      let at = start;
      let plain = true;
      for (; plain && j < width; j++) {
        let stop = at;
        while (stop < end && bytes[stop] !== 44 && bytes[stop] !== QUOTE) stop++;
        if (stop < end && bytes[stop] === QUOTE) plain = false;
        else if (j < width - 1 && stop >= end) plain = false;
        else if (!plainCsvField(bytes, at, stop)) plain = false;
        fields[2 * (fieldCount + j)] = at;
        fields[2 * (fieldCount + j) + 1] = stop;
        at = stop + 1;
      }
      if (plain && at - 1 === end) {
        if (fast * plan.dims + plan.dims > features.length) {
          const grown = new Float64Array(features.length * 2);
          grown.set(features);
          features = grown;
        }
        const offset = fast * plan.dims;
        if (plan.matrix.vectorCol !== undefined) {
          const f = fieldCount + plan.featureFields[0];
          taken = scanDenseBytes(bytes, fields[2 * f], fields[2 * f + 1], features, offset, plan.dims) === plan.dims;
        } else {
          taken = true;
          for (let k = 0; k < plan.dims && taken; k++) {
            const f = fieldCount + plan.featureFields[k];
            taken = scanDenseBytes(bytes, fields[2 * f], fields[2 * f + 1], features, offset + k, 1) === 1;
          }
        }
      }
    }
    if (taken) {
      kinds.push(fieldCount);
      fieldCount += width;
      fast++;
    } else if (blank) kinds.push(-1);
    else {
      const text = lineDecoder.decode(bytes.subarray(start, end));
      if (text.trim() === '') kinds.push(-1);
      else {
        kinds.push(-2);
        general[index] = text;
        generalCount++;
      }
    }
    start = next;
  }
  let generalLines: string[] = [];
  let rows = fast;
  let errors = 0;
  if (generalCount) {
    for (let index = 0; index < kinds.length; index++) general[index] ??= '';
    const answered = predictBatch(predictor, { format: 'csv', text: general.join('\n'), firstLine, header, tag });
    generalLines = answered.text.split('\n');
    rows += answered.rows;
    errors += answered.errors;
  }
  const predicted = fast ? plan.matrix.predict(features, fast) : [];
  const outputs = plan.matrix.outputs;
  const out = new Output(bytes.length + fast * 64 + 1024);
  let g = 0;
  let f = 0;
  for (const kind of kinds) {
    if (kind === -1) continue;
    if (kind === -2) {
      out.text(generalLines[g++]);
      out.byte(10);
      continue;
    }
    for (let c = 0; c < plan.sources.length; c++) {
      if (c) out.byte(44);
      const source = plan.sources[c];
      if (typeof source !== 'number') out.copy(source, 0, source.length);
      else if (source >= 0) out.copy(bytes, fields[2 * (kind + source)], fields[2 * (kind + source) + 1]);
      else {
        const o = outputs[-1 - source];
        const values = predicted[-1 - source];
        if (o.kind === 'vector') {
          for (let k = 0; k < o.width; k++) {
            if (k) out.byte(32);
            out.ascii(numberText(values[f * o.width + k]));
          }
        } else out.ascii(Number.isNaN(values[f]) ? '' : String(values[f]));
      }
    }
    out.byte(44);
    out.byte(10);
    f++;
  }
  return { bytes: out.buf.subarray(0, out.at), rows, errors, copied: fast };
}
