import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository, type FindOptionsSelect } from 'typeorm';
import type { ComponentRegistry, ModelPayload, ModelPortSchema, ModelScore, Params, SampledRow } from '@mixflow/component-sdk';
import { badRequest } from '../common/api-error.filter';
import { COMPONENT_REGISTRY } from '../registry/tokens';
import type { ModelRef } from '../serving/protocol';
import type { ModelDetailDto, ModelSummaryDto, SampleDto, ScoreDto } from './dto/model.dto';
import { ModelEntity } from './entities/model.entity';

/** Servable models kept in memory (a 10-dimension, k = 8 GMM payload is a few kB). */
const SERVABLE_CACHE = 64;

/** The columns a model's summary reads: all but the payload. */
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

export function toModelSummary(e: Omit<ModelEntity, 'model'>): ModelSummaryDto {
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
 * its codec's business: the registry finds the codec by modelType; an unknown type is a 400.
 */
@Injectable()
export class ModelsService {
  /**
   * Servable models by id, so a prediction does not read and parse the model row again: a stored model never
   * changes, and remove() drops its entry. The oldest entries go past SERVABLE_CACHE.
   */
  private readonly servables = new Map<string, ModelRef>();
  /** checks that may refuse a model's removal (a deployment serving it) */
  private readonly removalGuards: ((id: string) => Promise<void>)[] = [];

  constructor(
    @InjectRepository(ModelEntity) private readonly repo: Repository<ModelEntity>,
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
  ) {}

  async create(
    model: ModelPayload,
    o: { name: string; experimentId?: string; runId?: string; nodeId?: string; parentModelId?: string },
  ): Promise<ModelSummaryDto> {
    const entity = this.repo.create({
      id: randomUUID(),
      name: o.name,
      modelType: model.modelType,
      summary: this.registry.modelCodec(model.modelType).summary(model),
      model,
      experimentId: o.experimentId ?? null,
      runId: o.runId ?? null,
      nodeId: o.nodeId ?? null,
      parentModelId: o.parentModelId ?? null,
      createdAt: new Date().toISOString(),
    });
    await this.repo.insert(entity);
    return toModelSummary(entity);
  }

  /** Imports a model file: its codec (by modelType, or by the file format's type) validates it strictly, off this thread where it can. */
  async import(json: unknown, name?: string): Promise<ModelSummaryDto> {
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw badRequest('send the model file (the JSON of GET /api/models/:id/export) as the body or as multipart field "file"', { field: 'file' });
    }
    const codec = this.registry.modelCodecOf(json);
    const model = codec.importFile ? await codec.importFile(json) : codec.fromJSON(json);
    return this.create(model, { name: name ?? `imported ${codec.label} (${codec.summary(model).text})` });
  }

  /** Every model's summary; the payloads (a wide full-covariance model is hundreds of MB of JSON) are not read. */
  async list(): Promise<ModelSummaryDto[]> {
    const rows = await this.repo.find({ select: SUMMARY_COLUMNS, order: { createdAt: 'DESC' } });
    return rows.map(toModelSummary);
  }

  async get(id: string): Promise<ModelEntity> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw new NotFoundException({ statusCode: 404, message: `model '${id}' does not exist; GET /api/models lists them`, error: 'Not Found' });
    return m;
  }

  async detail(id: string): Promise<ModelDetailDto> {
    const m = await this.get(id);
    return { ...toModelSummary(m), model: this.toFile(payloadOf(m)) as Record<string, unknown> };
  }

  /** The model file (its codec's export format) and its type, for the export route. */
  async file(id: string): Promise<{ name: string; modelType: string; file: unknown }> {
    const m = await this.get(id);
    const model = payloadOf(m);
    return { name: m.name, modelType: model.modelType, file: this.toFile(model) };
  }

  /** The model payload, as a model port carries it. */
  async getJson(id: string): Promise<ModelPayload> {
    return payloadOf(await this.get(id));
  }

  /** A model payload as its type's file (what users see of a model). */
  toFile(model: ModelPayload): unknown {
    return this.registry.modelCodec(model.modelType).toJSON(model);
  }

  /** `guard` runs before a model is removed and may refuse it by throwing (e.g. a 409 naming what uses the model). */
  guardRemoval(guard: (id: string) => Promise<void>): void {
    this.removalGuards.push(guard);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    for (const guard of this.removalGuards) await guard(id);
    this.servables.delete(id);
    await this.repo.delete({ id });
  }

  /**
   * A stored model as the serving threads take it (a 404 when it does not exist), read once and then kept
   * (see servables). Models never change, so the id is its key.
   */
  async servable(id: string): Promise<ModelRef> {
    const known = this.servables.get(id);
    if (known) return known;
    const model: ModelRef = { key: id, payload: await this.getJson(id) };
    this.servables.set(id, model);
    if (this.servables.size > SERVABLE_CACHE) this.servables.delete(this.servables.keys().next().value as string);
    return model;
  }

  /** The model as the model list shows it (a 404 when it does not exist). */
  async summary(id: string): Promise<ModelSummaryDto> {
    return toModelSummary(await this.get(id));
  }

  /** What a servable model reads (its type, dimensions, feature columns), from its codec. */
  portSchema(model: ModelRef): ModelPortSchema {
    const payload = model.payload!;
    return this.registry.modelCodec(payload.modelType).portSchema(payload);
  }

  /** The model's mean log-likelihood, BIC and AIC on the rows; an error names the 1-based row. */
  async score(id: string, dto: ScoreDto): Promise<ModelScore> {
    const model = (await this.servable(id)).payload!; // the parsed model kept for serving: no SQLite read per request
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
    const model = (await this.servable(id)).payload!; // the parsed model kept for serving: no SQLite read per request
    const codec = this.registry.modelCodec(model.modelType);
    if (!codec.sample) throw badRequest(`a ${codec.label} model (modelType "${model.modelType}") cannot generate rows`, { field: 'modelType' });
    return codec.sample(model, dto.n, dto.seed ?? 0);
  }
}

/** The stored payload; rows stored before model types existed hold a file without modelType (the row's column says). */
function payloadOf(m: ModelEntity): ModelPayload {
  return { ...m.model, modelType: (m.model as Partial<ModelPayload>).modelType ?? m.modelType };
}
