import { Injectable, NotFoundException, StreamableFile } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { missingDatasetPhrase, type PortValue } from '@mixflow/component-sdk';
import { readCsv, readCsvPage, writeCsvAtomic } from '@mixflow/table';
import { requiredCachedNodes, type Graph } from '@mixflow/workflow';
import { badRequest } from '../common/api-error.filter';
import { jsonWithFile } from '../common/file-download';
import { DatasetsService } from '../datasets/datasets.service';
import type { TablePageDto } from '../datasets/dto/dataset.dto';
import { ModelsService } from '../models/models.service';
import { StorageService } from '../storage/storage.service';
import type { ModelOutputDto, StartRunDto } from './dto/run.dto';
import type { RunEntity, StoredRunOutput } from './entities/run.entity';
import { RunStoreService } from './run-store.service';

/**
 * What the nodes of a run wrote: table outputs as CSV files under <data>/runs/<runId>/<outputId>.csv, models as stored
 * models (ModelsService: a row and a payload file). A table that is a stored dataset as it was read (Read Dataset's output) is not copied: the output
 * references the dataset. Stores them as nodes succeed, reads them back (pages, earlier runs' outputs for partial runs,
 * a node's inputs for its views).
 */
@Injectable()
export class RunOutputsService {
  constructor(
    private readonly store: RunStoreService,
    private readonly models: ModelsService,
    private readonly storage: StorageService,
    private readonly datasets: DatasetsService,
  ) {}

  async save(run: RunEntity, graph: Graph, nodeId: string, outputs: PortValue[]): Promise<StoredRunOutput[]> {
    const node = graph.nodes.find((n) => n.id === nodeId)!;
    const stored: StoredRunOutput[] = [];
    await fs.promises.mkdir(this.storage.runDir(run.id), { recursive: true });
    for (const [port, value] of outputs.entries()) {
      if (value.type === 'table' && value.table.origin && this.datasets.has(value.table.origin.datasetId)) {
        const { datasetId } = value.table.origin;
        stored.push({ port, type: 'table', rowCount: value.table.rowCount, schema: value.table.schema, datasetId });
      } else if (value.type === 'table') {
        // named by the server, never by the node id: no string of the request reaches a file path
        const file = `${randomUUID()}.csv`;
        await writeCsvAtomic(value.table, this.storage.runFile(run.id, file));
        stored.push({ port, type: 'table', rowCount: value.table.rowCount, schema: value.table.schema, file });
      } else {
        // a model trained from another (a warm start on a model input) names it as its parent
        const parentModelId = graph.edges
          .filter((e) => e.target === nodeId)
          .map((e) => run.nodes[e.source]?.outputs?.find((o) => o.port === e.sourcePort && o.type === 'model')?.modelId)
          .find((id) => id !== undefined);
        const model = await this.models.create(value.model, {
          name: `${node.label ?? node.componentId} (${nodeId})`,
          experimentId: run.experimentId,
          runId: run.id,
          nodeId,
          ...(parentModelId ? { parentModelId } : {}),
        });
        stored.push({ port, type: 'model', modelId: model.id });
      }
    }
    return stored;
  }

  load(runId: string, o: StoredRunOutput): Promise<PortValue> {
    if (o.type === 'model') return this.models.payload(o.modelId!).then((model): PortValue => ({ type: 'model', model }));
    if (o.datasetId) return this.dataset(o.datasetId).then((table): PortValue => ({ type: 'table', table }));
    return readCsv(this.storage.runFile(runId, o.file!), { schema: o.schema }).then((table): PortValue => ({ type: 'table', table }));
  }

  /** The dataset an output references; a 400 saying to run again when it was deleted since. */
  private async dataset(datasetId: string) {
    this.requireDataset(datasetId);
    return this.datasets.loadTable(datasetId);
  }

  /** A 400 saying to run again when the dataset an output references was deleted since. */
  private requireDataset(datasetId: string): void {
    if (!this.datasets.has(datasetId)) {
      const what = this.datasets.deletedName(datasetId) !== undefined ? missingDatasetPhrase(datasetId, this.datasets.env) : `the dataset '${datasetId}', which has been deleted since`;
      throw badRequest(`this output was ${what}; run the graph again`, { datasetId });
    }
  }

  /** Outputs of the latest earlier run of each upstream node a partial run needs; 400 when one never ran. */
  async cachedFor(experimentId: string, graph: Graph, dto: StartRunDto): Promise<Record<string, PortValue[]>> {
    if (!dto.fromNode && !dto.onlyNode) return {};
    const needed = requiredCachedNodes(graph, dto);
    if (needed.length === 0) return {};
    const runs = await this.store.runsOf(experimentId);
    const cached: Record<string, PortValue[]> = {};
    for (const nodeId of needed) {
      const run = runs.find((r) => r.nodes[nodeId]?.status === 'succeeded');
      if (!run) {
        throw badRequest(`node '${nodeId}' has no stored outputs yet; run the whole graph (or from '${nodeId}') first`, { nodeId });
      }
      cached[nodeId] = await Promise.all(run.nodes[nodeId].outputs.map((o) => this.load(run.id, o)));
    }
    return cached;
  }

  /** A node's stored output; a 404 naming the node and port when the run did not store it. */
  find(run: RunEntity, nodeId: string, port: number): StoredRunOutput {
    // own keys only: a node id such as __proto__ must not reach Object.prototype
    const node = Object.hasOwn(run.nodes, nodeId) ? run.nodes[nodeId] : undefined;
    if (!node) throw new NotFoundException({ statusCode: 404, message: `run '${run.id}' did not run node '${nodeId}'`, error: 'Not Found', details: { nodeId } });
    const output = node.outputs.find((o) => o.port === port);
    if (!output) {
      throw new NotFoundException({
        statusCode: 404,
        message: `node '${nodeId}' has no stored output ${port} in run '${run.id}' (status ${node.status})`,
        error: 'Not Found',
        details: { nodeId, port },
      });
    }
    return output;
  }

  /** A table page, or a model output as ModelOutputDto streamed (its model file is copied as bytes, not parsed). */
  async page(runId: string, nodeId: string, port: number, offset: number, limit: number): Promise<TablePageDto | StreamableFile> {
    const output = this.find(await this.store.find(runId), nodeId, port);
    if (output.type === 'model') {
      const { modelType, file } = await this.models.exportFile(output.modelId!);
      return jsonWithFile({ modelId: output.modelId!, modelType } satisfies Omit<ModelOutputDto, 'model'>, 'model', file);
    }
    if (output.datasetId) {
      this.requireDataset(output.datasetId);
      return this.datasets.preview(output.datasetId, offset, limit);
    }
    // only as far as the page goes; `total` is the row count stored with the output
    const { rows } = await readCsvPage(this.storage.runFile(runId, output.file!), output.schema!, offset, limit);
    return { columns: output.schema!.columns, rows, total: output.rowCount! };
  }

  /**
   * The CSV file of a node's table output, to stream as a download: the run's own file, or the dataset's CSV when
   * the output is a stored dataset as it was read. A model output is a 400 pointing to the model's export.
   */
  async csvFile(runId: string, nodeId: string, port: number): Promise<{ path: string; done: () => Promise<void> }> {
    const output = this.find(await this.store.find(runId), nodeId, port);
    if (output.type === 'model') {
      throw badRequest(`output ${port} of node '${nodeId}' is a model (id ${output.modelId}), not a table: export the model instead of downloading`, { nodeId, port });
    }
    if (output.datasetId) {
      this.requireDataset(output.datasetId);
      const { path, done } = await this.datasets.download(output.datasetId, 'csv');
      return { path, done };
    }
    return { path: this.storage.runFile(runId, output.file!), done: async () => undefined };
  }

  /**
   * The value a node of this run read on an input port: stored by this run, or (a partial run) by the latest
   * earlier run of the experiment that ran the node feeding it. A 400 when it is not stored any more.
   */
  async input(run: RunEntity, graph: Graph, nodeId: string, port: number): Promise<PortValue> {
    const edge = graph.edges.find((e) => e.target === nodeId && e.targetPort === port);
    if (!edge) throw badRequest(`node '${nodeId}' has nothing connected to input ${port}`, { nodeId, port });
    const stores = (r: RunEntity) => r.nodes[edge.source]?.outputs.some((o) => o.port === edge.sourcePort);
    const source = stores(run) ? run : (await this.store.runsOf(run.experimentId)).find(stores);
    if (!source) throw badRequest(`the input ${port} of node '${nodeId}' is no longer stored; run the graph again`, { nodeId, port });
    return this.load(source.id, source.nodes[edge.source].outputs.find((o) => o.port === edge.sourcePort)!);
  }

  /**
   * At start: removes what a crash can leave under runs/ that no run records (partial `.tmp` writes, outputs written
   * before their run was stored, folders of runs that are gone) and returns their paths relative to the data folder.
   */
  async removeOrphans(recorded: Map<string, Set<string>>): Promise<string[]> {
    const runsDir = path.join(this.storage.root, 'runs');
    const removed: string[] = [];
    for (const entry of await fs.promises.readdir(runsDir, { withFileTypes: true })) {
      const files = entry.isDirectory() ? recorded.get(entry.name) : undefined;
      if (!files) {
        await this.storage.remove(path.join(runsDir, entry.name));
        removed.push(`runs/${entry.name}${entry.isDirectory() ? '/' : ''}`);
        continue;
      }
      for (const file of await fs.promises.readdir(path.join(runsDir, entry.name))) {
        if (files.has(file)) continue;
        await this.storage.remove(path.join(runsDir, entry.name, file));
        removed.push(`runs/${entry.name}/${file}`);
      }
    }
    return removed;
  }
}
