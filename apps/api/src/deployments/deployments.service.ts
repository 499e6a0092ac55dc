import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ModelPortSchema } from '@mixflow/component-sdk';
import { badRequest } from '../common/api-error.filter';
import { ModelsService } from '../models/models.service';
import type { RowTag } from '../serving/formats';
import type { ModelRef } from '../serving/protocol';
import { DeploymentCounters } from './deployment-counters';
import { inputMismatch } from './model-inputs';
import type { CreateDeploymentDto, DeploymentDto } from './dto/deployment.dto';
import { DeploymentEntity } from './entities/deployment.entity';

/** What a deployment serves now: replaced whole by a swap, so a batch reads one model and its tag together. */
export interface Serving {
  model: ModelRef;
  /** every answered row names the model that predicted it */
  tag: RowTag & { modelId: string };
  modelName: string;
  modelDescription: string;
  schema: ModelPortSchema;
}

/** A deployment as the server holds it while it runs. */
export interface LiveDeployment {
  readonly name: string;
  current: Serving;
  readonly counters: DeploymentCounters;
  createdAt: string;
  updatedAt: string;
}

/**
 * Deployments (PAI-EAS's idea): a named endpoint serving a stored model. The row is stored; what it serves and its
 * counters are held here. A swap replaces `current` in one assignment after the row is saved: stream batches and
 * requests read `current` when they start, so each row is predicted by exactly one model and names it.
 */
@Injectable()
export class DeploymentsService {
  private readonly live = new Map<string, LiveDeployment>();
  /** per deployment, the swap or delete in progress: they run one at a time */
  private readonly changing = new Map<string, Promise<unknown>>();

  constructor(
    @InjectRepository(DeploymentEntity) private readonly repo: Repository<DeploymentEntity>,
    private readonly models: ModelsService,
  ) {
    models.guardRemoval(async (modelId) => {
      const serving = await this.repo.findBy({ modelId });
      if (serving.length) {
        throw new ConflictException({
          statusCode: 409,
          message: `model '${modelId}' is served by deployment ${serving.map((d) => `'${d.name}'`).join(', ')}: swap the deployment to another model (PUT /api/deployments/:name) or delete it first`,
          error: 'Conflict',
        });
      }
    });
  }

  private async serving(modelId: string): Promise<Serving> {
    const model = await this.models.servable(modelId);
    const summary = await this.models.summary(modelId);
    return { model, tag: { modelId }, modelName: summary.name, modelDescription: summary.description, schema: this.models.portSchema(model) };
  }

  private notFound(name: string): NotFoundException {
    return new NotFoundException({ statusCode: 404, message: `deployment '${name}' does not exist; GET /api/deployments lists them`, error: 'Not Found' });
  }

  /** The deployment as it serves (loaded from its row the first time): a 404 when there is none. */
  async get(name: string): Promise<LiveDeployment> {
    const known = this.live.get(name);
    if (known) return known;
    const row = await this.repo.findOneBy({ name });
    if (!row) throw this.notFound(name);
    const current = await this.serving(row.modelId);
    const again = this.live.get(name); // another request may have loaded it meanwhile
    if (again) return again;
    const live: LiveDeployment = { name, current, counters: new DeploymentCounters(), createdAt: row.createdAt, updatedAt: row.updatedAt };
    this.live.set(name, live);
    return live;
  }

  async create(dto: CreateDeploymentDto): Promise<DeploymentDto> {
    const current = await this.serving(dto.modelId);
    const now = new Date().toISOString();
    const exists = await this.repo.existsBy({ name: dto.name });
    if (exists) {
      throw new ConflictException({ statusCode: 409, message: `deployment '${dto.name}' exists: swap its model with PUT /api/deployments/${dto.name}, or choose another name`, error: 'Conflict' });
    }
    await this.repo.insert({ name: dto.name, modelId: dto.modelId, createdAt: now, updatedAt: now });
    const live: LiveDeployment = { name: dto.name, current, counters: new DeploymentCounters(), createdAt: now, updatedAt: now };
    this.live.set(dto.name, live);
    return toDto(live);
  }

  async list(): Promise<DeploymentDto[]> {
    const rows = await this.repo.find({ order: { createdAt: 'ASC' } });
    return Promise.all(rows.map(async (row) => toDto(await this.get(row.name))));
  }

  async detail(name: string): Promise<DeploymentDto> {
    return toDto(await this.get(name));
  }

  /**
   * Serves `modelId` from now on. A model of another type, dimension or features is a 400 naming the difference
   * (the current model keeps serving); an unknown model is a 404.
   */
  swap(name: string, modelId: string): Promise<DeploymentDto> {
    return this.oneAtATime(name, async () => {
      const live = await this.get(name);
      const next = await this.serving(modelId);
      const mismatch = inputMismatch(live.current.schema, next.schema);
      if (mismatch) {
        throw badRequest(
          `model '${modelId}' cannot replace model '${live.current.tag.modelId}' in deployment '${name}': its ${mismatch.what} differ (${mismatch.next}, where the deployment's model has ${mismatch.current}); the current model keeps serving`,
          { field: 'modelId' },
        );
      }
      const updatedAt = new Date().toISOString();
      await this.repo.update({ name }, { modelId, updatedAt });
      live.current = next;
      live.updatedAt = updatedAt;
      return toDto(live);
    });
  }

  remove(name: string): Promise<void> {
    return this.oneAtATime(name, async () => {
      const result = await this.repo.delete({ name });
      if (!result.affected) throw this.notFound(name);
      this.live.delete(name);
    });
  }

  private oneAtATime<T>(name: string, change: () => Promise<T>): Promise<T> {
    const before = this.changing.get(name) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(change);
    this.changing.set(name, next);
    void next.finally(() => this.changing.get(name) === next && this.changing.delete(name)).catch(() => undefined);
    return next;
  }
}

function toDto(live: LiveDeployment): DeploymentDto {
  return {
    name: live.name,
    modelId: live.current.tag.modelId,
    modelName: live.current.modelName,
    modelDescription: live.current.modelDescription,
    createdAt: live.createdAt,
    updatedAt: live.updatedAt,
    counters: live.counters.toJSON(),
  };
}
