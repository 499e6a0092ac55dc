/**
 * Sources as in Alink: MemSourceBatchOp(rows, schemaStr), MemSourceStreamOp(rows, schemaStr), CsvSourceBatchOp (and
 * ParquetSourceBatchOp, parquet.ts): files on this machine.
 * In a graph each is a Read Dataset node; embedded runs lend it the rows, server runs upload them as a dataset.
 */
import * as fs from 'node:fs';
import type { Params } from '@mixflow/component-sdk';
import { parse } from 'csv-parse';
import { inferSchema, parseSchemaStr, readCsv, rowsOf, tableFromRows, type Table, type TableSchema } from '@mixflow/table';
import { SdkError } from './errors';
import { BatchOperator, StreamOperator, type Row, type SourceOperator } from './operator';

const READ_DATASET = 'read-dataset';

export function datasetNode(datasetId: string): { componentId: string; params: Params } {
  return { componentId: READ_DATASET, params: { datasetId } };
}

/** Alink's rows: arrays of values; a one-column table may also be given as plain values. */
function toTable(operator: string, rows: readonly (readonly unknown[] | string | number)[], schemaStr: string): Table {
  const asArrays = rows.map((r) => (Array.isArray(r) ? r : [r]));
  return tableOf(operator, asArrays, parseSchemaStr(schemaStr), `new ${operator}(rows, '${schemaStr}')`);
}

/** tableFromRows, its errors (naming row and column) as the operator's, prefixed with where the rows came from. */
function tableOf(operator: string, rows: readonly (readonly unknown[])[], schema: TableSchema, where: string): Table {
  try {
    return tableFromRows(rows, schema);
  } catch (error) {
    throw new SdkError(`${where}: ${(error as Error).message}`, { operator, ...((error as { details?: object }).details ?? {}) });
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

/**
 * Alink's CsvSourceBatchOp, over a file on this machine: setFilePath, setSchemaStr (the columns and their types:
 * every line is a row, the first too unless setIgnoreFirstLine(true)), setFieldDelimiter (default ","). Without a
 * schemaStr the first line names the columns and their types are inferred, as an upload's are.
 */
export class CsvSourceBatchOp extends BatchOperator implements SourceOperator {
  readonly operatorName = 'CsvSourceBatchOp';
  readonly outputType = 'table' as const;
  private filePath: string | undefined;
  private schemaStr: string | undefined;
  private fieldDelimiter = ',';
  private ignoreFirstLine = false;
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

  /** Alink's fieldDelimiter (default ","), e.g. "\t" or ";". */
  setFieldDelimiter(delimiter: string): this {
    if (delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
      throw new SdkError(`CsvSourceBatchOp.setFieldDelimiter(${JSON.stringify(delimiter)}): the delimiter must be non-empty and hold no quote or line break.`, {
        operator: this.operatorName,
        parameter: 'fieldDelimiter',
      });
    }
    this.fieldDelimiter = delimiter;
    this.loaded = undefined;
    return this;
  }

  /** Alink's ignoreFirstLine (default false): with a schemaStr, skip the file's first line (a header). */
  setIgnoreFirstLine(value: boolean): this {
    this.ignoreFirstLine = value;
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
      if (!this.schemaStr && this.fieldDelimiter === ',') return readCsv(fs.createReadStream(path));
      const records = await this.records(path);
      if (this.schemaStr) return tableOf(this.operatorName, records, parseSchemaStr(this.schemaStr), `CsvSourceBatchOp ${path}`);
      const [names = [], ...rows] = records;
      if (names.length === 0) throw new SdkError(`CsvSourceBatchOp: ${path} is empty; without a schemaStr its first line must name the columns.`, { operator: this.operatorName, parameter: 'filePath' });
      const schema = inferSchema(names, names.map((_, j) => rows.map((r) => r[j] ?? '')));
      return tableOf(this.operatorName, rows, schema, `CsvSourceBatchOp ${path}`);
    })();
    return this.loaded;
  }

  /** The file's lines as fields (quotes as in RFC 4180), the first left out when ignoreFirstLine. */
  private async records(path: string): Promise<string[][]> {
    const parser = fs.createReadStream(path).pipe(
      parse({ bom: true, delimiter: this.fieldDelimiter, skip_empty_lines: true, relax_column_count: true, from_line: this.ignoreFirstLine && this.schemaStr ? 2 : 1 }),
    );
    const out: string[][] = [];
    try {
      for await (const record of parser) out.push(record as string[]);
    } catch (error) {
      throw new SdkError(`CsvSourceBatchOp: ${path} cannot be parsed: ${(error as Error).message}`, { operator: this.operatorName, parameter: 'filePath' });
    }
    return out;
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
