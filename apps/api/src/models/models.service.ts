import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import type { Params } from '@mixflow/component-sdk';
import { GaussianMixture, GmmModelJson } from '@mixflow/gmm';
import { createStreamPredictor, StreamPredictor } from '@mixflow/plugin-gmm';
import { badRequest } from '../common/api-error.filter';
import type { ModelDetailDto, ModelSummaryDto, PredictDto } from './dto/model.dto';
import { ModelEntity } from './entities/model.entity';

export function toModelSummary(e: ModelEntity): ModelSummaryDto {
  const lineage: ModelSummaryDto['lineage'] = {};
  if (e.experimentId) lineage.experimentId = e.experimentId;
  if (e.runId) lineage.runId = e.runId;
  if (e.nodeId) lineage.nodeId = e.nodeId;
  if (e.parentModelId) lineage.parentModelId = e.parentModelId;
  return { id: e.id, name: e.name, k: e.k, dims: e.dims, covarianceType: e.covarianceType, createdAt: e.createdAt, lineage };
}

export type PredictOptions = Omit<PredictDto, 'rows'>;

@Injectable()
export class ModelsService {
  constructor(@InjectRepository(ModelEntity) private readonly repo: Repository<ModelEntity>) {}

  /** Checks the model file strictly (the engine's fromJSON); a GmmInputError names the field. */
  validateModel(json: unknown): GmmModelJson {
    return GaussianMixture.fromJSON(json).toJSON();
  }

  async create(
    model: GmmModelJson,
    o: { name: string; experimentId?: string; runId?: string; nodeId?: string; parentModelId?: string },
  ): Promise<ModelSummaryDto> {
    const entity = this.repo.create({
      id: randomUUID(),
      name: o.name,
      k: model.k,
      dims: model.dims,
      covarianceType: model.covarianceType,
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

  async import(json: unknown, name?: string): Promise<ModelSummaryDto> {
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw badRequest('send the model file (the JSON of GET /api/models/:id/export) as the body or as multipart field "file"', { field: 'file' });
    }
    const model = this.validateModel(json);
    return this.create(model, { name: name ?? `imported GMM (k=${model.k}, ${model.dims}-D)` });
  }

  async list(): Promise<ModelSummaryDto[]> {
    return (await this.repo.find({ order: { createdAt: 'DESC' } })).map(toModelSummary);
  }

  async get(id: string): Promise<ModelEntity> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw new NotFoundException({ statusCode: 404, message: `model '${id}' does not exist; GET /api/models lists them`, error: 'Not Found' });
    return m;
  }

  async detail(id: string): Promise<ModelDetailDto> {
    const m = await this.get(id);
    return { ...toModelSummary(m), model: m.model as unknown as Record<string, unknown> };
  }

  async getJson(id: string): Promise<GmmModelJson> {
    return (await this.get(id)).model;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.repo.delete({ id });
  }

  /** A GMM Prediction (stream) predictor over a stored model; bad parameters are a 400 naming the parameter. */
  async predictor(id: string, o: PredictOptions): Promise<StreamPredictor> {
    const model = await this.getJson(id);
    const params: Params = { predictionCol: o.predictionCol ?? 'prediction' };
    if (o.vectorCol) params.vectorCol = o.vectorCol;
    if (o.featureCols?.length) params.featureCols = o.featureCols;
    if (o.predictionDetailCol) params.predictionDetailCol = o.predictionDetailCol;
    return createStreamPredictor(params, model);
  }

  /** Predicts every row; an error names the 1-based row. */
  async predictRows(id: string, dto: PredictDto): Promise<Record<string, unknown>[]> {
    const predictor = await this.predictor(id, dto);
    return dto.rows.map((row, i) => predictRow(predictor, row, i + 1));
  }
}

export function predictRow(predictor: StreamPredictor, row: Record<string, unknown>, rowNumber: number): Record<string, unknown> {
  try {
    return predictor.predict(row);
  } catch (err) {
    const details = (err as { details?: Record<string, unknown> }).details ?? {};
    throw badRequest(`row ${rowNumber}: ${(err as Error).message}`, { ...details, row: rowNumber });
  }
}
