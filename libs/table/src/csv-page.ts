import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { numericCell } from './cells';
import { CSV_PARSE_OPTIONS, checkExpectedHeader } from './csv';
import { TableError } from './errors';
import { isNumericType } from './schema';
import type { TableSchema } from './types';

export interface CsvPage {
  rows: (string | number)[][];
  /** bytes taken from the file before the read stopped (for tests and logs) */
  bytesRead: number;
}

/**
 * Rows [offset, offset + limit) of a stored CSV file (a header line, then the rows `readCsv` would read with
 * `schema`), as `rowsOf` gives them: numbers for numeric columns, strings otherwise. The file is streamed and
 * the read stops once the page is complete, so a page near the start of a large file costs only that far.
 * Parse options are readCsv's, so rows are counted the same way (empty lines skipped).
 */
export async function readCsvPage(file: string, schema: TableSchema, offset: number, limit: number): Promise<CsvPage> {
  const names = schema.columns.map((c) => c.name);
  const numeric = schema.columns.map((c) => isNumericType(c.type));
  const end = offset + Math.max(0, limit);
  const input = createReadStream(file);
  // `to` makes the parser stop at the last record the page needs, even inside a chunk it already holds
  const parser = parse({ ...CSV_PARSE_OPTIONS, to: end + 1 });
  const rows: (string | number)[][] = [];
  let bytesRead = 0;
  let header = true;
  let row = 0;

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      input.unpipe(parser);
      input.destroy();
      parser.destroy();
      if (err) reject(err);
      else resolve();
    };
    input.on('data', (chunk: Buffer | string) => {
      bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    });
    input.on('error', (err: Error) => finish(new TableError(`cannot read the CSV: ${err.message}`)));
    parser.on('readable', () => {
      let record: string[] | null;
      try {
        while (!settled && (record = parser.read() as string[] | null) !== null) {
          if (header) {
            header = false;
            checkExpectedHeader(record.map((h) => h.trim()), names);
          } else {
            row++;
            if (row > offset) rows.push(toCells(record, row));
          }
          if (!header && row >= end) finish();
        }
      } catch (err) {
        finish(err);
      }
    });
    parser.on('error', (err: Error) => {
      if (err instanceof TableError) return finish(err);
      // the parser may fail before this handler has read the records it parsed; it counts them (with the header)
      const at = Math.max(row, parser.info.records - 1) + 1;
      finish(new TableError(`the CSV cannot be parsed near data row ${at}: ${err.message}`, { row: at }));
    });
    parser.on('end', () => finish());
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
  return { rows, bytesRead };

  function toCells(record: string[], r: number): (string | number)[] {
    if (record.length !== names.length) {
      throw new TableError(`data row ${r} has ${record.length} fields but the header has ${names.length} (${names.join(', ')})`, { row: r });
    }
    return record.map((value, j) => (numeric[j] ? numericCell(value, schema.columns[j].type as 'double' | 'long', r, names[j]) : value));
  }
}
