import { Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { Repository } from 'typeorm';
import { type ComponentEnv, PROTOTYPE_KEYS } from '@mixflow/component-sdk';
import { binaryColumnarStore, readCsv, readCsvPage, Table, TableError, writeCsvAtomic } from '@mixflow/table';
import { badRequest } from '../common/api-error.filter';
import { nameFromFile } from '../common/text';
import { StorageService } from '../storage/storage.service';
import type { DatasetDto, TablePageDto } from './dto/dataset.dto';
import { DatasetEntity } from './entities/dataset.entity';

export function toDatasetDto(e: DatasetEntity): DatasetDto {
  return { id: e.id, name: e.name, schema: e.schema, rowCount: e.rowCount, bytes: e.bytes, builtIn: e.builtIn, createdAt: e.createdAt };
}

/** The binary columnar file beside a dataset's CSV: the same server-made name, `.cols` for `.csv`. */
function columnarName(fileName: string): string {
  return `${fileName.replace(/\.csv$/i, '')}.cols`;
}

/**
 * Datasets are CSV files in <data>/datasets referenced by a row, each with its binary columnar form beside it
 * (libs/table's binaryColumnarStore): parsed once when it comes in, read by runs without parsing. A dataset
 * stored before that form existed is converted the first time a run reads it (logged). The CSV stays for
 * previews. Schemas are also kept in memory, because components' configure() asks for them synchronously
 * (ComponentEnv.datasetSchema).
 */
@Injectable()
export class DatasetsService implements OnModuleInit {
  private readonly byId = new Map<string, DatasetEntity>();
  private readonly logger = new Logger(DatasetsService.name);
  private readonly store = binaryColumnarStore;

  constructor(
    @InjectRepository(DatasetEntity) private readonly repo: Repository<DatasetEntity>,
    private readonly storage: StorageService,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const d of await this.repo.find()) this.byId.set(d.id, d);
  }

  /** What components see of the stored datasets. */
  readonly env: ComponentEnv = {
    datasetSchema: (id) => {
      const d = this.byId.get(id);
      return d ? { schema: d.schema, rowCount: d.rowCount, bytes: d.bytes } : undefined;
    },
    loadDataset: (id) => this.loadTable(id),
  };

  async list(): Promise<DatasetDto[]> {
    return (await this.repo.find({ order: { builtIn: 'DESC', createdAt: 'DESC' } })).map(toDatasetDto);
  }

  async get(id: string): Promise<DatasetEntity> {
    const d = await this.repo.findOneBy({ id });
    if (!d) throw new NotFoundException({ statusCode: 404, message: `dataset '${id}' does not exist; GET /api/datasets lists them`, error: 'Not Found' });
    return d;
  }

  /** The dataset as a table that says where it came from (Table.origin), from its binary columnar form. */
  async loadTable(id: string): Promise<Table> {
    const d = this.byId.get(id) ?? (await this.get(id));
    const columnar = this.storage.datasetFile(columnarName(d.fileName));
    let table: Table;
    if (fs.existsSync(columnar)) table = await this.store.read(columnar);
    else {
      table = await readCsv(this.storage.datasetFile(d.fileName), { schema: d.schema });
      await this.store.write(table, columnar);
      this.logger.log(`dataset '${d.id}' (${d.name}) had no binary columnar form yet: converted its CSV once; runs read that form from now on`);
    }
    return { ...table, origin: { datasetId: d.id } };
  }

  /**
   * Parses the uploaded temporary file (schema inference, vector dimensions), moves it into place and records
   * it. On any error the temporary file is removed and nothing is recorded.
   */
  async createFromUpload(tempFile: string, originalName: string, name?: string): Promise<DatasetDto> {
    // the file name is the client's: it names the dataset (cleaned, cut to 200 characters), never a path
    const displayName = nameFromFile(originalName, /\.csv$/i) || 'dataset';
    let table: Table;
    try {
      table = await readCsv(tempFile);
    } catch (err) {
      await this.storage.remove(tempFile);
      if (err instanceof TableError || (err as Error).name === 'TableError') {
        throw badRequest(`the CSV '${displayName}' cannot be read: ${(err as Error).message}`, { ...(err as TableError).details });
      }
      throw err;
    }
    if (table.schema.columns.length === 0) {
      await this.storage.remove(tempFile);
      throw badRequest(`the CSV '${displayName}' has no header row; the first line must name the columns`, { field: 'file' });
    }
    const reserved = table.schema.columns.find((c) => PROTOTYPE_KEYS.has(c.name));
    if (reserved) {
      await this.storage.remove(tempFile);
      throw badRequest(`the CSV '${displayName}' names a column "${reserved.name}", a reserved name (a JavaScript prototype key); rename that column`, {
        column: reserved.name,
      });
    }
    const bytes = (await fs.promises.stat(tempFile)).size;
    const id = randomUUID();
    const fileName = `${id}.csv`;
    const destination = this.storage.datasetFile(fileName);
    try {
      await this.store.write(table, this.storage.datasetFile(columnarName(fileName)));
    } catch (err) {
      await this.storage.remove(tempFile);
      throw err;
    }
    await this.storage.moveIntoPlace(tempFile, destination);
    return this.record({ id, name: name ?? displayName, table, bytes, fileName, builtIn: false }, destination);
  }

  /** Stores a table the server made (built-in samples). */
  async createFromTable(o: { id?: string; name: string; table: Table; builtIn: boolean }): Promise<DatasetDto> {
    const id = o.id ?? randomUUID();
    const fileName = `${id}.csv`;
    const destination = this.storage.datasetFile(fileName);
    await writeCsvAtomic(o.table, destination);
    await this.store.write(o.table, this.storage.datasetFile(columnarName(fileName)));
    const bytes = (await fs.promises.stat(destination)).size;
    return this.record({ id, name: o.name, table: o.table, bytes, fileName, builtIn: o.builtIn }, destination);
  }

  private async record(
    o: { id: string; name: string; table: Table; bytes: number; fileName: string; builtIn: boolean },
    destination: string,
  ): Promise<DatasetDto> {
    const entity = this.repo.create({
      id: o.id,
      name: o.name,
      schema: o.table.schema,
      rowCount: o.table.rowCount,
      bytes: o.bytes,
      builtIn: o.builtIn,
      fileName: o.fileName,
      createdAt: new Date().toISOString(),
    });
    try {
      await this.repo.insert(entity);
    } catch (err) {
      await this.storage.remove(destination);
      await this.storage.remove(this.storage.datasetFile(columnarName(o.fileName)));
      throw err;
    }
    this.byId.set(entity.id, entity);
    return toDatasetDto(entity);
  }

  /** Reads the file only as far as the page goes; `total` is the row count recorded at upload. */
  async preview(id: string, offset: number, limit: number): Promise<TablePageDto> {
    const d = this.byId.get(id) ?? (await this.get(id));
    const { rows } = await readCsvPage(this.storage.datasetFile(d.fileName), d.schema, offset, limit);
    return { columns: d.schema.columns, rows, total: d.rowCount };
  }

  async remove(id: string): Promise<void> {
    const d = await this.get(id);
    await this.repo.delete({ id });
    this.byId.delete(id);
    await this.storage.remove(this.storage.datasetFile(d.fileName));
    await this.storage.remove(this.storage.datasetFile(columnarName(d.fileName)));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }
}
