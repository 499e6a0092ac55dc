/**
 * Sources as in Alink: MemSourceBatchOp(rows, schemaStr), MemSourceStreamOp(rows, schemaStr), CsvSourceBatchOp.
 * In a graph each is a Read Dataset node; embedded runs lend it the rows, server runs upload them as a dataset.
 */
import * as fs from 'node:fs';
import type { Params } from '@mixflow/component-sdk';
import { parseSchemaStr, readCsv, rowsOf, tableFromRows, type Table, type TableSchema } from '@mixflow/table';
import { SdkError } from './errors';
import { BatchOperator, StreamOperator, type Row, type SourceOperator } from './operator';

const READ_DATASET = 'read-dataset';

function datasetNode(datasetId: string): { componentId: string; params: Params } {
  return { componentId: READ_DATASET, params: { datasetId } };
}

/** Alink's rows: arrays of values; a one-column table may also be given as plain values. */
function toTable(operator: string, rows: readonly (readonly unknown[] | string | number)[], schemaStr: string): Table {
  const schema = parseSchemaStr(schemaStr);
  const asArrays = rows.map((r) => (Array.isArray(r) ? r : [r]));
  try {
    return tableFromRows(asArrays, schema);
  } catch (error) {
    throw new SdkError(`new ${operator}(rows, '${schemaStr}'): ${(error as Error).message}`, { operator, ...((error as { details?: object }).details ?? {}) });
  }
}

export class MemSourceBatchOp extends BatchOperator implements SourceOperator {
  readonly operatorName = 'MemSourceBatchOp';
  readonly outputType = 'table' as const;
  readonly table: Table;

  constructor(rows: readonly (readonly unknown[] | string | number)[], schemaStr: string) {
    super();
    this.table = toTable(this.operatorName, rows, schemaStr);
  }

  get localDatasetId(): string {
    return `sdk-mem-${this.uid}`;
  }

  loadTable(): Promise<Table> {
    return Promise.resolve(this.table);
  }

  graphNode(datasetIdOf: (source: SourceOperator) => string) {
    return datasetNode(datasetIdOf(this));
  }
}

/** Alink's CsvSourceBatchOp: setFilePath (a CSV with a header row); setSchemaStr optionally fixes the column types. */
export class CsvSourceBatchOp extends BatchOperator implements SourceOperator {
  readonly operatorName = 'CsvSourceBatchOp';
  readonly outputType = 'table' as const;
  private filePath: string | undefined;
  private schemaStr: string | undefined;
  private loaded: Promise<Table> | undefined;

  setFilePath(path: string): this {
    this.filePath = path;
    this.loaded = undefined;
    return this;
  }

  setSchemaStr(schemaStr: string): this {
    parseSchemaStr(schemaStr); // fails here, naming the bad part, rather than at run time
    this.schemaStr = schemaStr;
    this.loaded = undefined;
    return this;
  }

  get localDatasetId(): string {
    return `sdk-csv-${this.uid}`;
  }

  loadTable(): Promise<Table> {
    const path = this.filePath;
    if (!path) return Promise.reject(new SdkError('CsvSourceBatchOp: call setFilePath(path) first.', { operator: this.operatorName, parameter: 'filePath' }));
    this.loaded ??= (async () => {
      if (!fs.existsSync(path)) throw new SdkError(`CsvSourceBatchOp.setFilePath: no file ${path}.`, { operator: this.operatorName, parameter: 'filePath' });
      const table = await readCsv(fs.createReadStream(path));
      if (!this.schemaStr) return table;
      return toTable(this.operatorName, rowsOf(table), this.schemaStr);
    })();
    return this.loaded;
  }

  graphNode(datasetIdOf: (source: SourceOperator) => string) {
    return datasetNode(datasetIdOf(this));
  }
}

/** Alink's MemSourceStreamOp: the rows arrive one at a time (each after a turn of the event loop). */
export class MemSourceStreamOp extends StreamOperator implements SourceOperator {
  readonly operatorName = 'MemSourceStreamOp';
  readonly table: Table;

  constructor(rows: readonly (readonly unknown[] | string | number)[], schemaStr: string) {
    super();
    this.table = toTable(this.operatorName, rows, schemaStr);
  }

  get localDatasetId(): string {
    return `sdk-mem-${this.uid}`;
  }

  loadTable(): Promise<Table> {
    return Promise.resolve(this.table);
  }

  graphNode(datasetIdOf: (source: SourceOperator) => string) {
    return datasetNode(datasetIdOf(this));
  }

  schema(): Promise<TableSchema> {
    return Promise.resolve(this.table.schema);
  }

  rows(): AsyncIterable<Row> {
    const table = this.table;
    return (async function* () {
      for (let i = 0; i < table.rowCount; i++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        yield rowsOf(table, i, 1)[0];
      }
    })();
  }
}
