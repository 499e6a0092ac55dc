/** Reading the CLI's inputs (CSV, model JSON) and writing its outputs, with errors that name the file and option. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GaussianMixture } from '@mixflow/gmm';
import { readCsv, tableToCsv, writeCsvAtomic, type Table } from '@mixflow/table';
import { CliUsageError, type CliIo } from './io';

export function resolvePath(io: CliIo, file: string): string {
  return path.resolve(io.cwd, file);
}

function openForReading(io: CliIo, flag: string, file: string): string {
  const full = resolvePath(io, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new CliUsageError(`${flag} ${file}: no such file.`);
  }
  if (!stat.isFile()) throw new CliUsageError(`${flag} ${file}: not a file.`);
  return full;
}

/**
 * Streams the CSV (header row, types inferred); errors keep the row and column the table library named.
 * `onBytes` hears how much of the file has been read.
 */
export async function readInputTable(io: CliIo, flag: string, file: string, onBytes?: (read: number, size: number) => void): Promise<Table> {
  const full = openForReading(io, flag, file);
  const size = fs.statSync(full).size;
  const stream = fs.createReadStream(full);
  if (onBytes) {
    let read = 0;
    stream.on('data', (chunk) => onBytes((read += chunk.length), size));
  }
  try {
    return await readCsv(stream);
  } catch (error) {
    if (error instanceof Error) {
      const wrapped = new CliUsageError(`${flag} ${file}: ${error.message}`);
      throw wrapped;
    }
    throw error;
  }
}

/** Loads and strictly validates a model file; a malformed one gets the field the engine named. */
export function readModel(io: CliIo, flag: string, file: string): GaussianMixture {
  const full = openForReading(io, flag, file);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`${flag} ${file}: not a JSON file (${(error as Error).message}).`);
  }
  try {
    return GaussianMixture.fromJSON(json);
  } catch (error) {
    throw new CliUsageError(`${flag} ${file}: ${(error as Error).message}`);
  }
}


/** Written to a temporary file and renamed, so a failed run never leaves half a file. */
export function writeJsonAtomic(io: CliIo, file: string, value: unknown): void {
  const full = resolvePath(io, file);
  const tmp = `${full}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, full);
}

/** To the --output file, or as CSV on stdout when there is none. */
export async function writeTable(io: CliIo, table: Table, file: string | undefined): Promise<void> {
  if (file) await writeCsvAtomic(table, resolvePath(io, file));
  else io.stdout.write(tableToCsv(table));
}
