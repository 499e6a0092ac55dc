/**
 * Alink's ParquetSinkBatchOp and ParquetSourceBatchOp over files on this machine, written and read by DuckDB
 * (libs/data-engine) as the server stores its datasets: numbers DOUBLE or BIGINT (a missing number NULL), text
 * VARCHAR, a vector column DOUBLE[] (or its Alink text when the text is kept, which reads back as a string column).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileToParquet, readParquetTable, writeParquet } from '@mixflow/data-engine';
import type { Table } from '@mixflow/table';
import { SdkError } from './errors';
import { BatchOperator, type SourceOperator } from './operator';
import { FileSinkBatchOp } from './sinks';
import { datasetNode } from './sources';

/** Alink's ParquetSinkBatchOp: setFilePath, setOverwriteSink; writes on execute(), as the other sinks. */
export class ParquetSinkBatchOp extends FileSinkBatchOp {
  readonly operatorName = 'ParquetSinkBatchOp';

  protected write(table: Table, file: string): Promise<void> {
    return writeParquet(table, file);
  }
}

/**
 * Alink's ParquetSourceBatchOp: setFilePath. The columns' types come from the file's (integers → long, floating →
 * double, a list of numbers of one length → vector, anything else → string), as a Parquet upload's do.
 */
export class ParquetSourceBatchOp extends BatchOperator implements SourceOperator {
  readonly operatorName = 'ParquetSourceBatchOp';
  readonly outputType = 'table' as const;
  private filePath: string | undefined;
  private loaded: Promise<Table> | undefined;

  setFilePath(file: string): this {
    this.filePath = file;
    this.loaded = undefined;
    return this;
  }

  get localDatasetId(): string {
    return `sdk-parquet-${this.uid}`;
  }

  loadTable(): Promise<Table> {
    const file = this.filePath;
    if (!file) return Promise.reject(new SdkError('ParquetSourceBatchOp: call setFilePath(path) first.', { operator: this.operatorName, parameter: 'filePath' }));
    this.loaded ??= this.read(file);
    return this.loaded;
  }

  /** The file converted to Alink types under a temporary folder (fileToParquet, as an upload), then read whole. */
  private async read(file: string): Promise<Table> {
    if (!fs.existsSync(file)) throw new SdkError(`ParquetSourceBatchOp.setFilePath: no file ${file}.`, { operator: this.operatorName, parameter: 'filePath' });
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mixflow-parquet-'));
    try {
      const typed = path.join(dir, 'typed.parquet');
      // DuckDB's spill folder: its own, since DuckDB removes it when it closes
      const spill = { tempDirectory: path.join(dir, 'spill') };
      const { schema, rowCount } = await fileToParquet(file, 'parquet', typed, spill).catch((error: unknown) => {
        throw new SdkError(`ParquetSourceBatchOp: ${file} cannot be read as Parquet: ${(error as Error).message}`, { operator: this.operatorName, parameter: 'filePath' });
      });
      return await readParquetTable(typed, schema, { rowCount, ...spill });
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  graphNode(datasetIdOf: (source: SourceOperator) => string) {
    return datasetNode(datasetIdOf(this));
  }
}
