/**
 * The text formats of prediction serving, as pure functions a serving thread runs on one batch of lines:
 * NDJSON (one JSON object per line, answered line for line) and CSV (a header line, then one record per line,
 * answered as CSV with the output columns and a last `error` column). A line that cannot be read or predicted
 * is answered by an error naming its line; the other lines are not affected.
 */
import { predictRows, PROTOTYPE_KEYS, type RowPredictor } from '@mixflow/component-sdk';

export type StreamFormat = 'ndjson' | 'csv';
export type PredictFormat = StreamFormat | 'json';

export const NDJSON = 'application/x-ndjson';
export const CSV = 'text/csv';

/** The format of a request body by its Content-Type; undefined for any other type. */
export function formatOf(contentType: string | undefined): PredictFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === NDJSON || type === 'application/jsonl' || type === 'application/jsonlines') return 'ndjson';
  if (type === CSV) return 'csv';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** Fields added to every answered row (a deployment names the model that predicted the row). */
export type RowTag = Record<string, string | number>;

/**
 * One CSV record on one line: fields separated by commas, a field in double quotes may hold commas and doubled
 * quotes. A record spanning lines is not supported here (lines are cut before parsing): its unterminated quote is
 * an error.
 */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) throw new Error('a quoted field is not closed on its line (records spanning lines are not supported when predicting)');
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== ',') throw new Error(`unexpected character after a quoted field at column ${i + 1}`);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** A CSV field: numbers in their shortest round-trip form, null and undefined empty, text quoted when needed. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header of a CSV body: its column names, checked (not empty, not repeated, not a prototype key). */
export function csvHeader(line: string): string[] {
  const names = splitCsvLine(line.replace(/^\uFEFF/, '').replace(/\r$/, '')).map((n) => n.trim());
  const seen = new Set<string>();
  for (const [j, name] of names.entries()) {
    if (name === '') throw new Error(`the CSV header's column ${j + 1} has no name`);
    if (PROTOTYPE_KEYS.has(name)) throw new Error(`the CSV header's column "${name}" is a reserved name (a JavaScript prototype key); rename it`);
    if (seen.has(name)) throw new Error(`the CSV header names column "${name}" twice`);
    seen.add(name);
  }
  return names;
}

/** The columns of a CSV answer: the predictor's output columns, the tag's, then `error`. */
export function csvAnswerColumns(predictor: RowPredictor, header: readonly string[], tag: RowTag | undefined): string[] {
  const columns = predictor.outputColumns ? predictor.outputColumns(header) : [...header];
  return [...columns, ...Object.keys(tag ?? {}).filter((c) => !columns.includes(c)), 'error'];
}

export interface BatchInput {
  format: StreamFormat;
  /** complete lines (each ending in \n, the last possibly not) */
  text: string;
  /** the 1-based line number of the batch's first line in the body */
  firstLine: number;
  /** CSV: the body's column names */
  header?: readonly string[];
  tag?: RowTag;
}

export interface BatchOutput {
  text: string;
  /** rows predicted */
  rows: number;
  /** lines answered with an error */
  errors: number;
}

function errorMessage(err: unknown, line: number): string {
  return `line ${line}: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Reads the batch's lines, predicts the readable rows in one call of the predictor, and writes the answer in the
 * batch's format, line for line in order. Empty lines are skipped (they still count in line numbers).
 */
export function predictBatch(predictor: RowPredictor, input: BatchInput): BatchOutput {
  const lines = input.text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const rows: Record<string, unknown>[] = [];
  /** per line: the row's index in rows, or the error's text; null for an empty line */
  const slots: (number | string | null)[] = new Array(lines.length);
  const header = input.header ?? [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') {
      slots[i] = null;
      continue;
    }
    try {
      let row: Record<string, unknown>;
      if (input.format === 'ndjson') {
        const parsed = JSON.parse(line) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('each line must be one JSON object');
        row = parsed as Record<string, unknown>;
      } else {
        const fields = splitCsvLine(line);
        if (fields.length !== header.length) throw new Error(`the record has ${fields.length} fields but the header has ${header.length} columns`);
        row = {};
        for (let j = 0; j < header.length; j++) row[header[j]] = fields[j];
      }
      slots[i] = rows.length;
      rows.push(row);
    } catch (err) {
      slots[i] = errorMessage(err, input.firstLine + i);
    }
  }
  const predicted = predictRows(predictor, rows);
  const tag = input.tag;
  const columns = input.format === 'csv' ? csvAnswerColumns(predictor, header, tag) : [];
  let text = '';
  let done = 0;
  let errors = 0;
  for (let i = 0; i < lines.length; i++) {
    const slot = slots[i];
    if (slot === null) continue;
    const line = input.firstLine + i;
    const out = typeof slot === 'number' ? predicted[slot] : slot;
    if (typeof out === 'string' || out instanceof Error) {
      errors++;
      const message = typeof out === 'string' ? out : errorMessage(out, line);
      if (input.format === 'ndjson') text += `${JSON.stringify({ error: message, line, ...tag })}\n`;
      else text += `${columns.map((c) => (c === 'error' ? csvField(message) : tag && c in tag ? csvField(tag[c]) : '')).join(',')}\n`;
      continue;
    }
    done++;
    if (input.format === 'ndjson') text += `${JSON.stringify(tag ? Object.assign(out, tag) : out)}\n`;
    else {
      if (tag) Object.assign(out, tag);
      let record = '';
      for (let j = 0; j < columns.length - 1; j++) record += (j ? ',' : '') + csvField(out[columns[j]]);
      text += `${record},\n`;
    }
  }
  return { text, rows: done, errors };
}

/**
 * A JSON batch `{ rows }` answered as `{ rows }`: every row predicted, or the first row that cannot be, as an
 * error naming it (1-based), so nothing half-predicted is returned.
 */
export function predictJsonRows(
  predictor: RowPredictor,
  rows: readonly Record<string, unknown>[],
  tag: RowTag | undefined,
): { text: string; rows: number } | { error: Error; row: number } {
  const parts: string[] = [];
  const step = 4096;
  for (let start = 0; start < rows.length; start += step) {
    const predicted = predictRows(predictor, rows.slice(start, start + step));
    for (let i = 0; i < predicted.length; i++) {
      const out = predicted[i];
      if (out instanceof Error) return { error: out, row: start + i + 1 };
      parts.push(JSON.stringify(tag ? Object.assign(out, tag) : out));
    }
  }
  return { text: `{"rows":[${parts.join(',')}]}`, rows: rows.length };
}
