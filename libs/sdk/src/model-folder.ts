/**
 * The folder of a model stream: one model file per model, `<folder>/<modelId>.json` (the model type's file, as
 * getModel() and the server's export write it), where modelId is Alink's timestamp `yyyymmddhhmmss` and 9 digits
 * of fraction, local time. Files are written under a temporary name and renamed, so a scan never reads half a
 * file; Alink's `conf/<modelId>.log` commit files are not needed for that and are not written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SdkError } from './errors';

/** A model of a model stream: its id (the time it was made, Alink's format), that time, and the model file. */
export interface StreamedModel {
  modelId: string;
  time: Date;
  model: object;
}

export const MODEL_FILE = /^(\d{14})(\d{0,9})\.json$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Alink's model id of a time: `yyyymmddhhmmss` and 9 digits of fraction, local time. */
export function modelIdOf(time: Date): string {
  return (
    `${time.getFullYear()}${pad(time.getMonth() + 1)}${pad(time.getDate())}${pad(time.getHours())}${pad(time.getMinutes())}${pad(time.getSeconds())}` +
    `${pad(time.getMilliseconds(), 3)}000000`
  );
}

function timeOfModelId(digits: string, fraction: string): Date {
  const n = (from: number, to: number) => Number(digits.slice(from, to));
  return new Date(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14), Math.floor(Number(`0.${fraction || '0'}`) * 1000));
}

/**
 * A time as Alink's modelStreamStartTime and modelTime take it (java.sql.Timestamp.valueOf, local time):
 * `yyyy-mm-dd hh:mm:ss[.fffffffff]`. `what` names the setter in the error.
 */
export function parseTimestamp(text: string, what: string): Date {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/.exec(text.trim());
  const time = m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000)) : undefined;
  if (!m || !time || Number.isNaN(time.getTime()) || time.getMonth() !== +m[2] - 1 || time.getDate() !== +m[3]) {
    throw new SdkError(`${what}(${JSON.stringify(text)}): write the time as yyyy-mm-dd hh:mm:ss[.fffffffff], e.g. "2024-01-22 10:30:00".`, { parameter: what });
  }
  return time;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}


/** Where and how a model stream folder is read (Alink's ModelStreamScanParams). */
export interface ModelFolderScan {
  filePath: string;
  /** seconds between two scans */
  scanInterval: number;
  /** `yyyy-mm-dd hh:mm:ss[.fffffffff]`; models made before it are skipped (default: when the scan starts) */
  startTime?: string;
}

/** The folder's model files newer than the start time, each once, oldest first, scanning until `signal` aborts. */
export async function* scanModelFolder(o: ModelFolderScan, signal: AbortSignal, operatorName: string): AsyncIterable<StreamedModel> {
  const folder = o.filePath;
  const start = o.startTime ? parseTimestamp(o.startTime, `${operatorName}.setModelStreamStartTime`) : new Date();
  const seen = new Set<string>();
  while (!signal.aborted) {
    const names = await fs.promises.readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[]; // the folder may come with the first model
      throw error;
    });
    const fresh = names
      .map((name) => MODEL_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null && !seen.has(m[0]))
      .map((m) => ({ name: m[0], modelId: m[1] + m[2], time: timeOfModelId(m[1], m[2]) }))
      .filter((f) => f.time.getTime() >= start.getTime())
      .sort((a, b) => a.modelId.padEnd(23, '0').localeCompare(b.modelId.padEnd(23, '0')));
    for (const f of fresh) {
      seen.add(f.name);
      let model: object;
      try {
        model = JSON.parse(await fs.promises.readFile(path.join(folder, f.name), 'utf8')) as object;
      } catch (error) {
        throw new SdkError(`${operatorName}: the model file ${f.name} in ${folder} cannot be read: ${(error as Error).message}.`, { operator: operatorName });
      }
      yield { modelId: f.modelId, time: f.time, model };
    }
    await sleep(o.scanInterval * 1000, signal);
  }
}
