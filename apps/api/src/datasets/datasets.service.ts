import { Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Repository } from 'typeorm';
import { ComponentError, type ComponentEnv, missingDatasetPhrase, nameProblem, PROTOTYPE_KEYS } from '@mixflow/component-sdk';
import {
  csvToParquet,
  csvBatchesToParquet,
  fileToParquet,
  parquetPage,
  parquetStats,
  parquetToCsv,
  readParquetRows,
  readParquetTable,
  writeParquet,
  type ColumnarFormat,
  type StoreEngineOptions,
} from '@mixflow/data-engine';
import { binaryColumnarStore, readCsv, rowsOf, scanCsv, Table, TableError, type TableSchema } from '@mixflow/table';
import { badRequest } from '../common/api-error.filter';
import { nameFromFile } from '../common/text';
import { MIXFLOW_CONFIG, type MixflowConfig } from '../config/configuration';
import { StorageService } from '../storage/storage.service';
import type { DatasetDto, DeletedDatasetDto, TablePageDto } from './dto/dataset.dto';
import { DatasetEntity } from './entities/dataset.entity';
import { DeletedDatasetEntity } from './entities/deleted-dataset.entity';

export function toDatasetDto(e: DatasetEntity): DatasetDto {
  return {
    id: e.id,
    name: e.name,
    schema: e.schema,
    rowCount: e.rowCount,
    bytes: e.bytes,
    builtIn: e.builtIn,
    createdAt: e.createdAt,
    ...(e.stats ? { stats: e.stats } : {}),
  };
}

/** The upload formats, by the file name's extension (it chooses a reader, never a path); CSV otherwise. */
const UPLOAD_EXTENSION = /\.(csv|parquet|jsonl|ndjson|json)$/i;
type UploadFormat = 'csv' | ColumnarFormat;

function formatOf(originalName: string): UploadFormat {
  const ext = UPLOAD_EXTENSION.exec(originalName)?.[1].toLowerCase();
  return ext === 'parquet' ? 'parquet' : ext === 'jsonl' || ext === 'ndjson' || ext === 'json' ? 'jsonl' : 'csv';
}

const FORMAT_WORDS: Record<UploadFormat, string> = { csv: 'CSV', parquet: 'Parquet file', jsonl: 'JSON-lines file' };

/** An error of the data engine or the table library that describes the user's file (a 400), not a server fault. */
function isInputError(err: unknown): boolean {
  const name = (err as Error | undefined)?.name;
  return name === 'TableError' || name === 'SqlError';
}

/**
 * What is wrong with an uploaded file, in words: a DuckDB error without the position in the server's own SQL, the
 * temporary file's name as "the file".
 */
function inputProblem(err: unknown, tempFile: string): string {
  const e = err as Error & { detail?: string };
  const text = e.name === 'SqlError' && e.detail ? e.detail : e.message;
  const name = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?:file )?'?(?:${name(tempFile)}|${name(path.basename(tempFile))})'?`, 'g'), 'the file');
}

/** A 400 for a file without columns or with a column named like a JavaScript prototype key. */
function checkColumnNames(names: readonly string[], what: string, format: UploadFormat): void {
  if (names.length === 0) {
    throw badRequest(format === 'csv' ? `${what} has no header row; the first line must name the columns` : `${what} has no columns`, { field: 'file' });
  }
  const reserved = names.find((n) => PROTOTYPE_KEYS.has(n));
  if (reserved) {
    throw badRequest(`${what} names a column "${reserved}", a reserved name (a JavaScript prototype key); rename that column`, { column: reserved });
  }
}

/** A stored dataset's Parquet file name: `<id>.parquet`. */
const parquetName = (id: string) => `${id}.parquet`;

/**
 * Datasets are Parquet files in <data>/datasets (`<id>.parquet`) referenced by a row with their schema and
 * per-column statistics. Uploads (CSV, Parquet, JSON lines) stream to a temporary file and DuckDB converts them
 * (libs/data-engine), so a file is never held whole in memory (a CSV with Alink vector columns is read by libs/table
 * a batch of rows at a time). Runs read the Parquet a data chunk
 * at a time; previews and pages are SQL. Datasets stored by earlier versions (CSV, with or without the `.cols`
 * columnar form) are converted on the first start after the upgrade (logged; the old files are removed only once
 * the Parquet is in place and recorded). Schemas are also kept in memory, because components' configure() asks
 * for them synchronously (ComponentEnv.datasetSchema).
 */
@Injectable()
export class DatasetsService implements OnModuleInit {
  private readonly byId = new Map<string, DatasetEntity>();
  /** the names deleted datasets had, by id (the deleted_datasets table) */
  private readonly deletedNames = new Map<string, string>();
  private readonly logger = new Logger(DatasetsService.name);

  constructor(
    @InjectRepository(DatasetEntity) private readonly repo: Repository<DatasetEntity>,
    @InjectRepository(DeletedDatasetEntity) private readonly deleted: Repository<DeletedDatasetEntity>,
    private readonly storage: StorageService,
    @Inject(ConfigService) config: ConfigService,
  ) {
    const { trainingMemoryMb } = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG);
    if (trainingMemoryMb !== undefined) this.env.trainingMemoryMb = trainingMemoryMb;
  }

  /** DuckDB's limits for the data folder's work: 256 MB of memory, spilling under tmp/. */
  private get engineOptions(): StoreEngineOptions {
    return { memoryLimit: '256MB', tempDirectory: this.storage.tempPath('.duckdb') };
  }

  async onModuleInit(): Promise<void> {
    for (const d of await this.repo.find()) this.byId.set(d.id, d);
    for (const d of await this.deleted.find()) this.deletedNames.set(d.id, d.name);
    for (const d of [...this.byId.values()]) {
      if (!d.fileName.endsWith('.parquet')) await this.convertLegacy(d);
    }
  }

  /**
   * A dataset an earlier version stored as CSV (with its `.cols` form when it has one) becomes `<id>.parquet`:
   * the table is read as it was stored, written as Parquet under tmp/, its statistics computed, moved into place
   * and recorded; only then are the old files removed. A failure is logged and leaves the dataset as it was.
   */
  private async convertLegacy(d: DatasetEntity): Promise<void> {
    const csv = this.storage.datasetFile(d.fileName);
    const columnar = this.storage.datasetFile(`${d.fileName.replace(/\.csv$/i, '')}.cols`);
    const temp = this.storage.tempPath('.parquet');
    const destination = this.storage.datasetFile(parquetName(d.id));
    try {
      const fromColumnar = fs.existsSync(columnar);
      const table = fromColumnar ? await binaryColumnarStore.read(columnar) : await readCsv(csv, { schema: d.schema });
      await writeParquet(table, temp, this.engineOptions);
      const stats = await parquetStats(temp, d.schema, this.engineOptions);
      await this.storage.moveIntoPlace(temp, destination);
      const oldFile = d.fileName;
      await this.repo.update({ id: d.id }, { fileName: parquetName(d.id), stats });
      Object.assign(d, { fileName: parquetName(d.id), stats });
      await this.storage.remove(this.storage.datasetFile(oldFile));
      await this.storage.remove(columnar);
      this.logger.log(
        `dataset '${d.id}' (${d.name}) converted to Parquet on the first start after the upgrade: ${table.rowCount} rows from its ${fromColumnar ? 'columnar form' : 'CSV'}; the old files were removed`,
      );
    } catch (err) {
      await this.storage.remove(temp);
      this.logger.error(`dataset '${d.id}' (${d.name}) could not be converted to Parquet and stays as it was: ${(err as Error).message}`);
    }
  }

  /** the save in progress (saveDataset): saves run one at a time */
  private saving: Promise<unknown> = Promise.resolve();

  /** What components see of the stored datasets. */
  readonly env: ComponentEnv = {
    datasetSchema: (id) => {
      const d = this.byId.get(id);
      return d ? { schema: d.schema, rowCount: d.rowCount, bytes: d.bytes } : undefined;
    },
    loadDataset: (id, onRows) => this.loadTable(id, onRows),
    deletedDatasetName: (id) => this.deletedNames.get(id),
    // a dataset whose conversion to Parquet failed at start is read whole (undefined: the caller loads it)
    readDatasetRows: async (id, columns, onBatch, signal) => {
      const d = this.byId.get(id) ?? (await this.get(id));
      if (!d.fileName.endsWith('.parquet')) return undefined;
      return readParquetRows(this.fileOf(d), columns, onBatch, { ...this.engineOptions, signal });
    },
    tempFile: (suffix) => this.storage.tempPath(suffix),
    saveDataset: async (name, table, options) => {
      const problem = nameProblem(name);
      if (problem) throw new ComponentError(`the dataset name ${problem}`, { parameter: 'datasetName' });
      // one save at a time, so two runs overwriting one name replace it one after the other
      const save = this.saving.then(async () => {
        const existing = options?.overwrite ? await this.repo.findOne({ where: { name, builtIn: false }, order: { createdAt: 'DESC' } }) : null;
        if (existing) return { saved: await this.replaceWithTable(existing, table), replaced: true };
        return { saved: await this.createFromTable({ name, table, builtIn: false }), replaced: false };
      });
      this.saving = save.catch(() => undefined);
      const { saved, replaced } = await save;
      this.logger.log(`${replaced ? 'replaced the rows of' : 'saved'} dataset '${saved.name}' (${saved.id}): ${saved.rowCount} rows from a run`);
      return { id: saved.id, name: saved.name, rowCount: saved.rowCount, replaced };
    },
  };

  async list(): Promise<DatasetDto[]> {
    return (await this.repo.find({ order: { builtIn: 'DESC', createdAt: 'DESC' } })).map(toDatasetDto);
  }

  async get(id: string): Promise<DatasetEntity> {
    const d = await this.repo.findOneBy({ id });
    if (!d) {
      const message = this.deletedNames.has(id) ? `${missingDatasetPhrase(id, this.env)} no longer exists` : `dataset '${id}' does not exist`;
      throw new NotFoundException({ statusCode: 404, message: `${message}; GET /api/datasets lists them`, error: 'Not Found' });
    }
    return d;
  }

  /** The stored file of a dataset, the Parquet once converted. */
  private fileOf(d: DatasetEntity): string {
    return this.storage.datasetFile(d.fileName);
  }

  /** The dataset as a table that says where it came from (Table.origin), read from its Parquet a chunk at a time. */
  async loadTable(id: string, onRows?: (rows: number) => void): Promise<Table> {
    const d = this.byId.get(id) ?? (await this.get(id));
    const table = d.fileName.endsWith('.parquet')
      ? await readParquetTable(this.fileOf(d), d.schema, { ...this.engineOptions, rowCount: d.rowCount, ...(onRows ? { onRows } : {}) })
      : await readCsv(this.fileOf(d), { schema: d.schema }); // a dataset whose conversion failed at start
    return { ...table, origin: { datasetId: d.id } };
  }

  /**
   * Converts the uploaded temporary file (CSV, Parquet or JSON lines, by its name's extension) to Parquet under
   * tmp/, computes its statistics, moves it into place and records it. A file that cannot be read is a 400 naming
   * the problem; on any error every temporary file is removed and nothing is recorded.
   */
  async createFromUpload(tempFile: string, originalName: string, name?: string): Promise<DatasetDto> {
    // the file name is the client's: it names the dataset (cleaned, cut to 200 characters) and picks the reader, never a path
    const format = formatOf(originalName);
    const displayName = nameFromFile(originalName, UPLOAD_EXTENSION) || 'dataset';
    const what = `the ${FORMAT_WORDS[format]} '${displayName}'`;
    const parquet = this.storage.tempPath('.parquet');
    try {
      const { schema, rowCount } = await this.convertUpload(tempFile, format, parquet, what);
      const stats = await parquetStats(parquet, schema, this.engineOptions);
      const bytes = (await fs.promises.stat(tempFile)).size;
      const id = randomUUID();
      const destination = this.storage.datasetFile(parquetName(id));
      await this.storage.moveIntoPlace(parquet, destination);
      return await this.record({ id, name: name ?? displayName, schema, rowCount, stats, bytes, fileName: parquetName(id), builtIn: false }, destination);
    } catch (err) {
      if (isInputError(err)) throw badRequest(`${what} cannot be read: ${inputProblem(err, tempFile)}`, { ...(err as TableError).details });
      throw err;
    } finally {
      await this.storage.remove(tempFile);
      await this.storage.remove(parquet);
    }
  }

  /**
   * CSV: streaming passes infer the types (libs/table's scanCsv, the checks and types of readCsv, vector columns
   * included), then DuckDB casts the text to them; a CSV with vector columns, or that DuckDB counts differently, is
   * read again by libs/table a batch of rows at a time (csvBatchesToParquet), never whole. Parquet and JSON lines:
   * DuckDB reads and converts them.
   */
  private async convertUpload(source: string, format: UploadFormat, parquet: string, what: string): Promise<{ schema: TableSchema; rowCount: number }> {
    if (format !== 'csv') {
      const converted = await fileToParquet(source, format, parquet, this.engineOptions);
      checkColumnNames(converted.schema.columns.map((c) => c.name), what, format);
      return converted;
    }
    const scan = await scanCsv(source);
    checkColumnNames(scan.names, what, format);
    if (!scan.schema.columns.some((c) => c.type === 'vector')) {
      const written = await csvToParquet(source, scan, parquet, this.engineOptions).catch((err: unknown) => {
        this.logger.warn(`${what}: DuckDB could not convert it (${(err as Error).message}); reading it in batches instead`);
        return -1;
      });
      if (written === scan.rowCount) return { schema: scan.schema, rowCount: scan.rowCount };
      if (written >= 0) this.logger.warn(`${what}: DuckDB read ${written} rows where the CSV has ${scan.rowCount}; reading it in batches instead`);
    }
    const rowCount = await csvBatchesToParquet(source, scan, parquet, this.engineOptions);
    return { schema: scan.schema, rowCount };
  }

  /** Stores a table the server made (built-in samples). */
  async createFromTable(o: { id?: string; name: string; table: Table; builtIn: boolean }): Promise<DatasetDto> {
    const id = o.id ?? randomUUID();
    const stored = await this.storeTable(o.table, parquetName(id));
    return this.record({ id, name: o.name, builtIn: o.builtIn, ...stored.fields }, stored.destination);
  }

  /**
   * Writes `table` as the dataset file `fileName` (Parquet under tmp/, its statistics, then moved into place); what a
   * dataset record keeps of it. On an error nothing is left.
   */
  private async storeTable(table: Table, fileName: string) {
    const temp = this.storage.tempPath('.parquet');
    const destination = this.storage.datasetFile(fileName);
    try {
      await writeParquet(table, temp, this.engineOptions);
      const stats = await parquetStats(temp, table.schema, this.engineOptions);
      await this.storage.moveIntoPlace(temp, destination);
      const bytes = (await fs.promises.stat(destination)).size;
      return { destination, fields: { schema: table.schema, rowCount: table.rowCount, stats, bytes, fileName } };
    } finally {
      await this.storage.remove(temp);
    }
  }

  /**
   * Gives dataset `d` the rows of `table`, keeping its id and name: the new Parquet goes to a new file (a reader of
   * the old one is not cut off mid-read), the record then points to it and the old file is removed. On any error the
   * dataset stays as it was.
   */
  private async replaceWithTable(d: DatasetEntity, table: Table): Promise<DatasetDto> {
    const { destination, fields } = await this.storeTable(table, `${d.id}.${randomUUID().slice(0, 8)}.parquet`);
    const updated = await this.repo.update({ id: d.id }, fields).catch(async (err: unknown) => {
      await this.storage.remove(destination);
      throw err;
    });
    if (!updated.affected) {
      await this.storage.remove(destination);
      throw new ComponentError(`dataset "${d.name}" was deleted while this run replaced its rows; run again to save it as a new dataset`, { parameter: 'datasetName' });
    }
    const entity = Object.assign(this.byId.get(d.id) ?? d, fields);
    this.byId.set(d.id, entity);
    await this.storage.remove(this.storage.datasetFile(d.fileName));
    return toDatasetDto(entity);
  }

  private async record(
    o: { id: string; name: string; schema: TableSchema; rowCount: number; stats: DatasetEntity['stats']; bytes: number; fileName: string; builtIn: boolean },
    destination: string,
  ): Promise<DatasetDto> {
    const entity = this.repo.create({
      id: o.id,
      name: o.name,
      schema: o.schema,
      rowCount: o.rowCount,
      stats: o.stats,
      bytes: o.bytes,
      builtIn: o.builtIn,
      fileName: o.fileName,
      createdAt: new Date().toISOString(),
    });
    try {
      await this.repo.insert(entity);
    } catch (err) {
      await this.storage.remove(destination);
      throw err;
    }
    this.byId.set(entity.id, entity);
    return toDatasetDto(entity);
  }

  /** A page of rows, by SQL over the Parquet (LIMIT/OFFSET); `total` is the row count recorded at upload. */
  async preview(id: string, offset: number, limit: number): Promise<TablePageDto> {
    const d = this.byId.get(id) ?? (await this.get(id));
    if (!d.fileName.endsWith('.parquet')) {
      const table = await this.loadTable(id);
      const rows = rowsOf(table, offset, limit);
      return { columns: d.schema.columns, rows, total: d.rowCount };
    }
    const rows = await parquetPage(this.fileOf(d), d.schema, offset, limit, this.engineOptions);
    return { columns: d.schema.columns, rows, total: d.rowCount };
  }

  /**
   * The dataset as a file to stream: its Parquet as stored, or CSV written by DuckDB to a temporary file (removed by
   * `done` once sent). The name is the dataset's, made safe for a header.
   */
  async download(id: string, format: 'csv' | 'parquet'): Promise<{ path: string; fileName: string; done: () => Promise<void> }> {
    const d = this.byId.get(id) ?? (await this.get(id));
    const safe = d.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'dataset';
    if (format === 'parquet' || !d.fileName.endsWith('.parquet')) {
      if (format === 'parquet' && !d.fileName.endsWith('.parquet')) {
        throw badRequest(`dataset '${id}' is not stored as Parquet yet (its conversion failed at start; see the server log); download it as CSV`);
      }
      return { path: this.fileOf(d), fileName: `${safe}.${format}`, done: async () => undefined };
    }
    const temp = this.storage.tempPath('.csv');
    try {
      await parquetToCsv(this.fileOf(d), d.schema, temp, this.engineOptions);
    } catch (err) {
      await this.storage.remove(temp);
      throw err;
    }
    return { path: temp, fileName: `${safe}.csv`, done: () => this.storage.remove(temp) };
  }

  /**
   * Deletes the dataset's row and file, keeping its name in deleted_datasets (in the same transaction), so graphs
   * that still read it say which dataset that was.
   */
  async remove(id: string): Promise<void> {
    const d = await this.get(id);
    await this.repo.manager.transaction(async (m) => {
      await m.delete(DatasetEntity, { id });
      await m.save(DeletedDatasetEntity, { id, name: d.name, deletedAt: new Date().toISOString() });
    });
    this.byId.delete(id);
    this.deletedNames.set(id, d.name);
    await this.storage.remove(this.storage.datasetFile(d.fileName));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  async listDeleted(): Promise<DeletedDatasetDto[]> {
    return (await this.deleted.find({ order: { deletedAt: 'DESC' } })).map((d) => ({ id: d.id, name: d.name, deletedAt: d.deletedAt }));
  }

  /** The name a deleted dataset had, or undefined (never stored, or still stored). */
  deletedName(id: string): string | undefined {
    return this.deletedNames.get(id);
  }
}
