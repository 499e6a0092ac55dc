import { Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository, type FindOptionsSelect } from 'typeorm';
import {
  decodeModel,
  isEncodedModel,
  type ComponentRegistry,
  type EncodedModel,
  type ModelPayload,
  type ModelPortSchema,
  type ModelScore,
  type Params,
  type SampledRow,
} from '@mixflow/component-sdk';
import { badRequest } from '../common/api-error.filter';
import type { DownloadFile } from '../common/file-download';
import { COMPONENT_REGISTRY } from '../registry/tokens';
import type { ModelRef } from '../serving/protocol';
import type { ModelSummaryDto, SampleDto, ScoreDto } from './dto/model.dto';
import { ModelEntity } from './entities/model.entity';
import { ModelFilesService } from './model-files.service';
import { encodeOnThread, importOnThread, onModelThread, type ImportedModel } from './model-threads';

/** Servable models kept in memory (a 10-dimension, k = 8 GMM payload is a few kB). */
const SERVABLE_CACHE = 64;

/** The columns a model's summary reads: all but the payload and where it is. */
const SUMMARY_COLUMNS: FindOptionsSelect<ModelEntity> = {
  id: true,
  name: true,
  modelType: true,
  summary: true,
  experimentId: true,
  runId: true,
  nodeId: true,
  parentModelId: true,
  createdAt: true,
};

type ModelRow = Omit<ModelEntity, 'model'>;

export function toModelSummary(e: Omit<ModelEntity, 'model' | 'file' | 'header'>): ModelSummaryDto {
  const lineage: ModelSummaryDto['lineage'] = {};
  if (e.experimentId) lineage.experimentId = e.experimentId;
  if (e.runId) lineage.runId = e.runId;
  if (e.nodeId) lineage.nodeId = e.nodeId;
  if (e.parentModelId) lineage.parentModelId = e.parentModelId;
  const { text, fields } = e.summary;
  return { ...fields, id: e.id, name: e.name, modelType: e.modelType, description: text, fields, createdAt: e.createdAt, lineage };
}

/**
 * Stored models of every plugin's model type. What a model is (its validation, file, figures, prediction) is
 * its codec's business: the registry finds the codec by modelType; an unknown type is a 400. A payload is a file
 * (ModelFilesService) that the API's thread writes, reads and streams as bytes: parsing, checking and encoding
 * run on driver threads, and a model type whose codec takes encoded payloads gets them unparsed.
 */
@Injectable()
export class ModelsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Models');
  /**
   * Servable models by id, so a prediction does not read the model's file again: a stored model never
   * changes, and remove() drops its entry. The oldest entries go past SERVABLE_CACHE.
   */
  private readonly servables = new Map<string, ModelRef>();
  /** checks that may refuse a model's removal (a deployment serving it) */
  private readonly removalGuards: ((id: string) => Promise<void>)[] = [];

  constructor(
    @InjectRepository(ModelEntity) private readonly repo: Repository<ModelEntity>,
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
    private readonly files: ModelFilesService,
  ) {}

  /**
   * At start: payloads that rows of an older version hold in SQLite move to files (each written, then its row
   * updated: a crash in between leaves the payload where it was), and files no row names (a crash between a
   * file's write and its row) are removed. Both are logged.
   */
  async onApplicationBootstrap(): Promise<void> {
    const stored = await this.repo.find({ select: { id: true, modelType: true }, where: { file: IsNull() } });
    let moved = 0;
    for (const { id, modelType } of stored) {
      const rows = (await this.repo.query('SELECT "model" FROM "models" WHERE "id" = ?', [id])) as { model: string | null }[];
      const text = rows[0]?.model;
      if (typeof text !== 'string') continue;
      const file = await this.files.write(Buffer.from(text, 'utf8'));
      try {
        const header = await this.files.describe(file, modelType);
        await this.repo.update({ id }, { file, header, model: null });
        moved++;
      } catch (err) {
        await this.files.remove(file);
        this.logger.warn(`model ${id}: its payload stays in SQLite, it cannot be read: ${(err as Error).message}`);
      }
    }
    if (moved > 0) this.logger.log(`moved the payloads of ${moved} model(s) from SQLite to files under models/`);
    const named = await this.repo.find({ select: { file: true } });
    const orphans = await this.files.removeOrphans(new Set(named.flatMap((m) => (m.file ? [m.file] : []))));
    if (orphans.length > 0) {
      this.logger.warn(`removed ${orphans.length} file(s) under models/ that no model records (left by a crash): ${orphans.slice(0, 20).join(', ')}${orphans.length > 20 ? ', …' : ''}`);
    }
  }

  /** Stores a model: its payload encoded (on a thread unless it comes encoded), written to its file, then its row. */
  async create(
    model: ModelPayload,
    o: { name: string; experimentId?: string; runId?: string; nodeId?: string; parentModelId?: string },
  ): Promise<ModelSummaryDto> {
    const encoded = isEncodedModel(model) ? model : await onModelThread<EncodedModel>(encodeOnThread.name, model);
    const file = await this.files.write(encoded.encoded.json);
    const entity = this.repo.create({
      id: randomUUID(),
      name: o.name,
      modelType: encoded.modelType,
      summary: encoded.encoded.summary,
      file,
      header: { version: encoded.version, portSchema: encoded.encoded.portSchema, ...(encoded.encoded.head ? { head: encoded.encoded.head } : {}) },
      model: null,
      experimentId: o.experimentId ?? null,
      runId: o.runId ?? null,
      nodeId: o.nodeId ?? null,
      parentModelId: o.parentModelId ?? null,
      createdAt: new Date().toISOString(),
    });
    try {
      await this.repo.insert(entity);
    } catch (err) {
      await this.files.remove(file);
      throw err;
    }
    return toModelSummary(entity);
  }

  /**
   * Imports a model file held in `file` (the request's bytes, streamed there): parsed, depth-checked and validated
   * strictly by its codec (by modelType, or by the file format's type) on a thread.
   */
  async import(file: string, name?: string): Promise<ModelSummaryDto> {
    const imported = await onModelThread<ImportedModel>(importOnThread.name, { file });
    return this.create(imported.model, { name: name ?? `imported ${imported.label} (${imported.model.encoded.summary.text})` });
  }

  /** Every model's summary; the payloads (a wide full-covariance model is hundreds of MB of JSON) are not read. */
  async list(): Promise<ModelSummaryDto[]> {
    const rows = await this.repo.find({ select: SUMMARY_COLUMNS, order: { createdAt: 'DESC' } });
    return rows.map(toModelSummary);
  }

  /** A model's row without its payload; a 404 when it does not exist. */
  async get(id: string): Promise<ModelRow> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw new NotFoundException({ statusCode: 404, message: `model '${id}' does not exist; GET /api/models lists them`, error: 'Not Found' });
    return m;
  }

  /**
   * The model payload, as a model port carries it: encoded (its file's bytes, unparsed) when its codec takes
   * that, else parsed. A row an older version stored whose payload could not be moved to a file is read from SQLite.
   */
  async payload(id: string): Promise<ModelPayload> {
    const m = await this.get(id);
    if (!m.file || !m.header) return this.payloadInSqlite(m);
    const encoded = await this.files.read(m.file, m.modelType, m.summary, m.header);
    return this.registry.modelCodec(m.modelType).encoded ? encoded : decodeModel(encoded);
  }

  private async payloadInSqlite(m: ModelRow): Promise<ModelPayload> {
    const row = await this.repo.findOne({ select: { id: true, model: true }, where: { id: m.id } });
    const model = row?.model as Partial<ModelPayload> | null | undefined;
    if (!model) throw new Error(`model '${m.id}' has neither a payload file nor a stored payload`);
    return { ...model, modelType: model.modelType ?? m.modelType } as ModelPayload;
  }

  /** The model file (its codec's export format), written on a thread to a temporary file, to stream; and the model's name and type. */
  async exportFile(id: string): Promise<{ name: string; modelType: string; file: DownloadFile }> {
    const m = await this.get(id);
    if (m.file) return { name: m.name, modelType: m.modelType, file: await this.files.exportFile(m.file, m.modelType) };
    // a payload left in SQLite (it could not be moved): small or unreadable, exported as before
    const model = await this.payloadInSqlite(m);
    const json = JSON.stringify(this.registry.modelCodec(model.modelType).toJSON(model), null, 2);
    return { name: m.name, modelType: m.modelType, file: await this.files.temporary(json) };
  }

  /** One model's summary and its model file (GET /api/models/:id streams the two as one JSON object). */
  async detail(id: string): Promise<{ summary: ModelSummaryDto; file: DownloadFile }> {
    const { file } = await this.exportFile(id);
    return { summary: toModelSummary(await this.get(id)), file };
  }

  /** `guard` runs before a model is removed and may refuse it by throwing (e.g. a 409 naming what uses the model). */
  guardRemoval(guard: (id: string) => Promise<void>): void {
    this.removalGuards.push(guard);
  }

  /** The row goes first: a crash before the file's removal leaves an orphan file, which the next start removes. */
  async remove(id: string): Promise<void> {
    const m = await this.get(id);
    for (const guard of this.removalGuards) await guard(id);
    this.servables.delete(id);
    await this.repo.delete({ id });
    if (m.file) await this.files.remove(m.file);
  }

  /**
   * A stored model as the serving threads take it (a 404 when it does not exist), read once and then kept
   * (see servables). Models never change, so the id is its key.
   */
  async servable(id: string): Promise<ModelRef> {
    const known = this.servables.get(id);
    if (known) return known;
    const model: ModelRef = { key: id, payload: await this.payload(id) };
    this.servables.set(id, model);
    if (this.servables.size > SERVABLE_CACHE) this.servables.delete(this.servables.keys().next().value as string);
    return model;
  }

  /** The model as the model list shows it (a 404 when it does not exist). */
  async summary(id: string): Promise<ModelSummaryDto> {
    return toModelSummary(await this.get(id));
  }

  /** What a servable model reads (its type, dimensions, feature columns), from its codec (or as stored with its payload). */
  portSchema(model: ModelRef): ModelPortSchema {
    const payload = model.payload!;
    return isEncodedModel(payload) ? payload.encoded.portSchema : this.registry.modelCodec(payload.modelType).portSchema(payload);
  }

  /** The model's mean log-likelihood, BIC and AIC on the rows; an error names the 1-based row. */
  async score(id: string, dto: ScoreDto): Promise<ModelScore> {
    const model = (await this.servable(id)).payload!; // the model kept for serving: its file is not read per request
    const codec = this.registry.modelCodec(model.modelType);
    if (!codec.score) throw badRequest(`a ${codec.label} model (modelType "${model.modelType}") cannot be scored: its plugin has no likelihood`, { field: 'modelType' });
    const params: Params = {};
    if (dto.vectorCol) params.vectorCol = dto.vectorCol;
    if (dto.featureCols?.length) params.featureCols = dto.featureCols;
    if (dto.missingValues) params.missingValues = dto.missingValues;
    return codec.score(model, dto.rows, params);
  }

  /** `n` rows drawn from the model with the seed (default 0). */
  async sample(id: string, dto: SampleDto): Promise<SampledRow[]> {
    const model = (await this.servable(id)).payload!; // the model kept for serving: its file is not read per request
    const codec = this.registry.modelCodec(model.modelType);
    if (!codec.sample) throw badRequest(`a ${codec.label} model (modelType "${model.modelType}") cannot generate rows`, { field: 'modelType' });
    return codec.sample(model, dto.n, dto.seed ?? 0);
  }
}
