/**
 * Sinks as in Alink: CsvSinkBatchOp (and ParquetSinkBatchOp, parquet.ts) writes the table of the operator it is linked from to a file on this machine (the
 * SDK runs here; a Mixflow server never takes a path from a request). Nothing is written until execute(): the sink's
 * own, or BatchOperator.execute() (Alink's), which writes every sink linked since the last call.
 */
import * as fs from 'node:fs';
import { cellOf, type Table } from '@mixflow/table';
import { SdkError } from './errors';
import { registerSink, settleSink, type BatchOperator } from './operator';
import { defaultMixflow, type Mixflow } from './mixflow';

/** A sink's file: written beside its place under a temporary name, then renamed, so no reader sees half a file. */
export async function writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await write(tmp);
    await fs.promises.rename(tmp, path);
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
}

export abstract class FileSinkBatchOp {
  abstract readonly operatorName: string;
  protected filePath: string | undefined;
  protected overwriteSink = false;
  private input: BatchOperator | undefined;

  /** Alink's filePath: where the file goes (a path on this machine). */
  setFilePath(path: string): this {
    this.filePath = path;
    return this;
  }

  /** Alink's overwriteSink (default false): replace a file that is already there instead of failing. */
  setOverwriteSink(value: boolean): this {
    this.overwriteSink = value;
    return this;
  }

  /** The operator whose table this sink writes; BatchOperator.execute() will write it. */
  linkFrom(input: BatchOperator): this {
    if (input.isStream || input.outputType !== 'table') {
      throw new SdkError(`${this.operatorName}.linkFrom: ${input.operatorName} gives a ${input.isStream ? 'stream' : input.outputType}; a sink writes a batch table.`, {
        operator: this.operatorName,
      });
    }
    this.input = input;
    registerSink(this);
    return this;
  }

  /** Runs the linked operator and writes its table. */
  async execute(mixflow: Mixflow = defaultMixflow()): Promise<void> {
    settleSink(this);
    const path = this.filePath;
    if (!path) throw new SdkError(`${this.operatorName}: call setFilePath(path) first.`, { operator: this.operatorName, parameter: 'filePath' });
    if (!this.input) throw new SdkError(`${this.operatorName}: link it from an operator first (linkFrom).`, { operator: this.operatorName });
    if (!this.overwriteSink && fs.existsSync(path)) {
      throw new SdkError(`${this.operatorName}: ${path} is already there; setOverwriteSink(true) to replace it, or choose another filePath.`, {
        operator: this.operatorName,
        parameter: 'overwriteSink',
      });
    }
    const table = await this.input.collectTable(mixflow);
    await writeAtomically(path, (tmp) => this.write(table, tmp));
  }

  protected abstract write(table: Table, path: string): Promise<void>;
}

/** Alink's CsvSinkBatchOp: one line per row, no header line (read it back with CsvSourceBatchOp and the schemaStr). */
export class CsvSinkBatchOp extends FileSinkBatchOp {
  readonly operatorName = 'CsvSinkBatchOp';
  private fieldDelimiter = ',';

  /** Alink's fieldDelimiter (default ","). */
  setFieldDelimiter(delimiter: string): this {
    if (delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
      throw new SdkError(`CsvSinkBatchOp.setFieldDelimiter(${JSON.stringify(delimiter)}): the delimiter must be non-empty and hold no quote or line break.`, {
        operator: this.operatorName,
        parameter: 'fieldDelimiter',
      });
    }
    this.fieldDelimiter = delimiter;
    return this;
  }

  protected async write(table: Table, path: string): Promise<void> {
    const delimiter = this.fieldDelimiter;
    const quote = (text: string) => (text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text);
    const out = fs.createWriteStream(path);
    const done = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    for (let r = 0; r < table.rowCount; r++) {
      const line = table.columns.map((column) => {
        const cell = cellOf(column, r);
        return typeof cell === 'number' ? (Number.isNaN(cell) ? '' : String(cell)) : quote(cell);
      });
      if (!out.write(line.join(delimiter) + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await done;
  }
}
