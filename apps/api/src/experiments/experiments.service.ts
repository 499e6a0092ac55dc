import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import type { ComponentRegistry } from '@mixflow/component-sdk';
import { graphToSdkCode, setSdkRegistry } from '@mixflow/sdk';
import { Graph, GraphValidationError, validateGraph } from '@mixflow/workflow';
import { DatasetsService } from '../datasets/datasets.service';
import { datasetParams } from './dataset-references';
import { COMPONENT_REGISTRY } from '../registry/tokens';
import { RunLogEntity } from '../runs/entities/run-log.entity';
import { RunEntity } from '../runs/entities/run.entity';
import { StorageService } from '../storage/storage.service';
import type {
  DatasetReferenceDto, ExperimentDto, ExperimentFileDto, ExperimentSdkCodeDto, ExperimentSummaryDto, ExperimentVersionDetailDto,
  ExperimentVersionDto, ImportedExperimentDto,
} from './dto/experiment.dto';
import { ExperimentVersionEntity } from './entities/experiment-version.entity';
import { ExperimentEntity } from './entities/experiment.entity';

export const EXPERIMENT_FILE_FORMAT = 'mixflow.experiment';

function sameGraph(a: Graph, b: Graph): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function toExperimentDto(e: ExperimentEntity): ExperimentDto {
  return { id: e.id, name: e.name, version: e.version, graph: e.graph, createdAt: e.createdAt, updatedAt: e.updatedAt };
}

/** Only the fields of the contract, whatever the client sent. */
function cleanGraph(graph: Graph): Graph {
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      componentId: n.componentId,
      ...(n.label !== undefined ? { label: n.label } : {}),
      position: { x: n.position.x, y: n.position.y },
      params: { ...n.params },
    })),
    edges: graph.edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort })),
  };
}

@Injectable()
export class ExperimentsService {
  constructor(
    @InjectRepository(ExperimentEntity) private readonly repo: Repository<ExperimentEntity>,
    @InjectRepository(ExperimentVersionEntity) private readonly versions: Repository<ExperimentVersionEntity>,
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
    private readonly datasets: DatasetsService,
    private readonly dataSource: DataSource,
    private readonly storage: StorageService,
  ) {}

  /** 400 naming the node (or edge) when the graph cannot be saved. */
  validate(graph: Graph): Graph {
    const clean = cleanGraph(graph);
    // JSON: a value of the wrong type ("3" for an int) is refused, never converted and stored as sent
    const errors = validateGraph(clean, this.registry, this.datasets.env, { strict: true });
    if (errors.length > 0) throw new GraphValidationError(errors);
    return clean;
  }

  async list(datasetId?: string): Promise<ExperimentSummaryDto[]> {
    const all = await this.repo.find({ order: { updatedAt: 'DESC' } });
    const rows = datasetId === undefined ? all : all.filter((e) => datasetParams(e.graph as Graph).some((r) => r.value === datasetId));
    return rows.map((e) => ({ id: e.id, name: e.name, version: e.version, updatedAt: e.updatedAt, nodeCount: e.graph.nodes.length }));
  }

  async get(id: string): Promise<ExperimentEntity> {
    const e = await this.repo.findOneBy({ id });
    if (!e) throw new NotFoundException({ statusCode: 404, message: `experiment '${id}' does not exist`, error: 'Not Found' });
    return e;
  }

  async create(name: string, graph: Graph = { nodes: [], edges: [] }): Promise<ExperimentDto> {
    const clean = this.validate(graph);
    const now = new Date().toISOString();
    const entity = this.repo.create({ id: randomUUID(), name, version: 1, graph: clean, createdAt: now, updatedAt: now });
    await this.dataSource.transaction(async (m) => {
      await m.insert(ExperimentEntity, entity);
      await m.insert(ExperimentVersionEntity, { experimentId: entity.id, version: 1, name, graph: clean, savedAt: now });
    });
    return toExperimentDto(entity);
  }

  /**
   * Every save that changes the name or the graph is a new version, kept. Saving what is already stored (the same
   * name, the same graph) answers the current version and stores nothing.
   */
  async update(id: string, patch: { name?: string; graph?: Graph }): Promise<ExperimentDto> {
    const current = await this.get(id);
    const graph = patch.graph ? this.validate(patch.graph) : current.graph;
    if ((patch.name ?? current.name) === current.name && sameGraph(graph, cleanGraph(current.graph))) return toExperimentDto(current);
    const now = new Date().toISOString();
    const next = { ...current, name: patch.name ?? current.name, graph, version: current.version + 1, updatedAt: now };
    await this.dataSource.transaction(async (m) => {
      await m.update(ExperimentEntity, { id }, { name: next.name, graph: next.graph, version: next.version, updatedAt: now });
      await m.insert(ExperimentVersionEntity, { experimentId: id, version: next.version, name: next.name, graph, savedAt: now });
    });
    return toExperimentDto(next);
  }

  async duplicate(id: string): Promise<ExperimentDto> {
    const source = await this.get(id);
    return this.create(`${source.name} (copy)`, source.graph);
  }

  async listVersions(id: string): Promise<ExperimentVersionDto[]> {
    await this.get(id);
    const rows = await this.versions.find({ where: { experimentId: id }, order: { version: 'DESC' } });
    return rows.map((v) => ({ version: v.version, savedAt: v.savedAt }));
  }

  async getVersion(id: string, version: number): Promise<ExperimentVersionEntity | null> {
    return this.versions.findOneBy({ experimentId: id, version });
  }

  /** One saved version, whole; 404 naming the versions there are. */
  async version(id: string, version: number): Promise<ExperimentVersionDetailDto> {
    await this.get(id);
    const v = await this.getVersion(id, version);
    if (!v) {
      const known = (await this.listVersions(id)).map((x) => x.version);
      throw new NotFoundException({ statusCode: 404, message: `experiment '${id}' has no version ${version}; its versions are ${known.join(', ')}`, error: 'Not Found' });
    }
    return { version: v.version, name: v.name, graph: v.graph, savedAt: v.savedAt };
  }

  /** Restores an old version's graph as a new version (the old versions stay); the name stays the current one. */
  async restore(id: string, version: number): Promise<ExperimentDto> {
    const old = await this.version(id, version);
    return this.update(id, { graph: old.graph });
  }

  /** The datasets a graph reads: every non-empty string of a parameter named like `datasetId`, with the nodes. */
  private async datasetReferences(graph: Graph): Promise<DatasetReferenceDto[]> {
    const names = new Map((await this.datasets.list()).map((d) => [d.id, d.name]));
    const refs = new Map<string, DatasetReferenceDto>();
    for (const { nodeId, value } of datasetParams(graph)) {
      // a deleted dataset is named as it was, so an exported file still says which data it read
      const name = names.get(value) ?? this.datasets.deletedName(value);
      const ref = refs.get(value) ?? { id: value, ...(name !== undefined ? { name } : {}), nodeIds: [] };
      ref.nodeIds.push(nodeId);
      refs.set(value, ref);
    }
    return [...refs.values()];
  }

  /** The experiment as a file: its current graph, and the names of the datasets it reads. */
  async exportFile(id: string): Promise<ExperimentFileDto> {
    const e = await this.get(id);
    return { format: EXPERIMENT_FILE_FORMAT, formatVersion: 1, name: e.name, graph: e.graph, datasets: await this.datasetReferences(e.graph) };
  }

  /**
   * Imports an exported experiment as a new one (version 1). The graph is validated as on save; datasets it reads
   * that this server does not have are listed by the name they had where the file was exported, so the console
   * can say which ones to upload (the Read Dataset nodes then report them until one is chosen).
   */
  async importFile(file: ExperimentFileDto): Promise<ImportedExperimentDto> {
    const experiment = await this.create(file.name, file.graph as Graph);
    const exportedNames = new Map((file.datasets ?? []).map((d) => [d.id, d.name]));
    const missingDatasets = (await this.datasetReferences(experiment.graph as Graph))
      .filter((r) => !this.datasets.has(r.id))
      .map((r) => {
        const name = exportedNames.get(r.id) ?? r.name;
        return { id: r.id, ...(name !== undefined ? { name } : {}), nodeIds: r.nodeIds };
      });
    return { experiment, missingDatasets };
  }

  /** The experiment's current graph as @mixflow/sdk code that builds it again. */
  async sdkCode(id: string): Promise<ExperimentSdkCodeDto> {
    const e = await this.get(id);
    setSdkRegistry(this.registry);
    return { code: graphToSdkCode(e.graph) };
  }

  /**
   * Deletes the experiment with its versions, runs and run logs in one transaction, then the runs' output files
   * (a file left behind by a failed removal is harmless; a row pointing at nothing is not). Models its runs
   * trained stay, with their lineage. 409 while one of its runs is queued or running.
   */
  async remove(id: string): Promise<void> {
    const runIds = await this.dataSource.transaction(async (m) => {
      if (!(await m.findOneBy(ExperimentEntity, { id }))) {
        throw new NotFoundException({ statusCode: 404, message: `experiment '${id}' does not exist`, error: 'Not Found' });
      }
      const runs = await m.find(RunEntity, { where: { experimentId: id }, select: { id: true, status: true } });
      const active = runs.find((r) => r.status === 'queued' || r.status === 'running');
      if (active) {
        throw new ConflictException({
          statusCode: 409,
          message: `experiment '${id}' has a ${active.status} run '${active.id}'; cancel it first (POST /api/runs/${active.id}/cancel), then delete the experiment`,
          error: 'Conflict',
        });
      }
      const ids = runs.map((r) => r.id);
      if (ids.length > 0) await m.delete(RunLogEntity, { runId: In(ids) });
      await m.delete(RunEntity, { experimentId: id });
      await m.delete(ExperimentVersionEntity, { experimentId: id });
      await m.delete(ExperimentEntity, { id });
      return ids;
    });
    for (const runId of runIds) await this.storage.remove(this.storage.runDir(runId));
  }
}
