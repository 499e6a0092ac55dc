import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  MessageEvent,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { In, Repository } from 'typeorm';
import { from, Observable, Subject, takeWhile } from 'rxjs';
import type { ComponentRegistry, PortValue } from '@mixflow/component-sdk';
import type { ExecutionEngine } from '@mixflow/executor';
import { GaussianMixture } from '@mixflow/gmm';
import { predictionFeatures } from '@mixflow/plugin-gmm';
import { extractFeatures, readCsv, writeCsvAtomic } from '@mixflow/table';
import {
  configureGraph,
  Graph,
  GraphError,
  GraphValidationError,
  requiredCachedNodes,
  runWorkflow,
  selectNodes,
  topologicalOrder,
  validateGraph,
  WorkflowEvent,
} from '@mixflow/workflow';
import { badRequest } from '../common/api-error.filter';
import { readCsvPage } from '../common/csv-page';
import { DatasetsService } from '../datasets/datasets.service';
import type { TablePageDto } from '../datasets/dto/dataset.dto';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ExperimentsService } from '../experiments/experiments.service';
import { ModelsService } from '../models/models.service';
import { COMPONENT_REGISTRY, EXECUTION_ENGINE } from '../registry/tokens';
import { StorageService } from '../storage/storage.service';
import type { RunDto, RunLogDto, StartRunDto, TrainingSampleDto } from './dto/run.dto';
import { RunLogEntity } from './entities/run-log.entity';
import { RunEntity, RunNodeState, RunStatus, StoredRunOutput } from './entities/run.entity';

/** The server-sent events of docs/rest-api.md. */
export type RunEvent =
  | { type: 'node'; nodeId: string; status: string; progress: number; message?: string }
  | { type: 'log'; nodeId?: string; level: string; message: string; time: string }
  | { type: 'metric'; nodeId: string; name: string; value: unknown }
  | { type: 'run'; status: RunStatus; error?: string };

interface LiveRun {
  entity: RunEntity;
  controller: AbortController;
  events: Subject<RunEvent>;
  done: Promise<void>;
  stopReason?: 'cancel' | 'shutdown';
  lastProgressWrite: number;
  /** log events emitted so far; their rows are the run's first ones in run_logs (written in order) */
  logsEmitted: number;
}

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'skipped', 'cancelled', 'interrupted']);
const PROGRESS_WRITE_MS = 250;

export function toRunDto(e: RunEntity): RunDto {
  const nodes: RunDto['nodes'] = {};
  for (const [id, n] of Object.entries(e.nodes)) {
    nodes[id] = { ...n, outputs: n.outputs.map(({ file: _file, ...o }) => o) };
  }
  return {
    id: e.id,
    experimentId: e.experimentId,
    experimentVersion: e.experimentVersion,
    status: e.status,
    engine: e.engine,
    ...(e.fromNode ? { fromNode: e.fromNode } : {}),
    ...(e.onlyNode ? { onlyNode: e.onlyNode } : {}),
    createdAt: e.createdAt,
    ...(e.startedAt ? { startedAt: e.startedAt } : {}),
    ...(e.finishedAt ? { finishedAt: e.finishedAt } : {}),
    ...(e.error ? { error: e.error } : {}),
    nodes,
  };
}

/**
 * Runs execute in the background (runWorkflow on the configured engine). Their state lives in memory while
 * they run and is written through to SQLite; events go to SSE subscribers; table outputs are written as CSV
 * files under <data>/runs/<runId>/<outputId>.csv and models as rows. A run that was in flight when the server stopped is
 * marked interrupted, at shutdown and again at the next start (for crashes).
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private readonly live = new Map<string, LiveRun>();
  /** DB writes of one run, in order */
  private writes = new Map<string, Promise<unknown>>();

  constructor(
    @InjectRepository(RunEntity) private readonly repo: Repository<RunEntity>,
    @InjectRepository(RunLogEntity) private readonly logs: Repository<RunLogEntity>,
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
    @Inject(EXECUTION_ENGINE) private readonly engine: ExecutionEngine,
    private readonly experiments: ExperimentsService,
    private readonly datasets: DatasetsService,
    private readonly models: ModelsService,
    private readonly storage: StorageService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stale = await this.repo.find({ where: { status: In(['queued', 'running']) } });
    for (const run of stale) {
      this.markInterrupted(run);
      await this.repo.save(run);
    }
    if (stale.length > 0) this.logger.warn(`marked ${stale.length} run(s) interrupted: they were in flight when the server stopped`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.live.values()];
    for (const run of runs) {
      run.stopReason = 'shutdown';
      run.controller.abort(new Error('the server is shutting down'));
    }
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), new Promise((r) => setTimeout(r, 10_000))]);
    await Promise.allSettled([...this.writes.values()]);
  }

  private markInterrupted(run: RunEntity): void {
    run.status = 'interrupted';
    run.error = 'the server stopped while this run was in flight; start it again';
    run.finishedAt = new Date().toISOString();
    for (const node of Object.values(run.nodes)) {
      if (node.status === 'queued' || node.status === 'running' || node.status === 'cancelled') {
        node.status = 'interrupted';
        node.message = 'interrupted: the server stopped';
        node.finishedAt ??= run.finishedAt;
      }
    }
  }

  private write(runId: string, work: () => Promise<unknown>): Promise<unknown> {
    const next = (this.writes.get(runId) ?? Promise.resolve()).then(work).catch((err) => {
      this.logger.error(`run ${runId}: could not store state: ${(err as Error).message}`);
    });
    this.writes.set(runId, next);
    return next;
  }

  private persist(live: LiveRun): Promise<unknown> {
    const e = live.entity;
    const snapshot = { status: e.status, startedAt: e.startedAt, finishedAt: e.finishedAt, error: e.error, nodes: JSON.parse(JSON.stringify(e.nodes)) };
    return this.write(e.id, () => this.repo.update({ id: e.id }, snapshot));
  }

  async start(experimentId: string, dto: StartRunDto): Promise<RunDto> {
    if (dto.fromNode && dto.onlyNode) throw badRequest('give fromNode or onlyNode, not both', { field: 'onlyNode' });
    const experiment = await this.experiments.get(experimentId);
    const graph: Graph = experiment.graph;
    if (graph.nodes.length === 0) throw badRequest(`experiment '${experiment.name}' has no nodes; add some before running it`);
    const structural = validateGraph(graph, this.registry, this.datasets.env);
    if (structural.length > 0) throw new GraphValidationError(structural);
    const selected = selectNodes(graph, topologicalOrder(graph), dto);
    this.preflight(graph, selected);
    const cached = await this.loadCachedOutputs(experimentId, graph, dto);

    const now = new Date().toISOString();
    const nodes: Record<string, RunNodeState> = {};
    for (const id of selected) nodes[id] = { status: 'queued', progress: 0, metrics: {}, outputs: [] };
    const entity = this.repo.create({
      id: randomUUID(),
      experimentId,
      experimentVersion: experiment.version,
      status: 'queued',
      engine: this.engine.kind,
      fromNode: dto.fromNode ?? null,
      onlyNode: dto.onlyNode ?? null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      error: null,
      nodes,
    });
    // the experiment may have been deleted while the run was prepared: never store a run that points at nothing
    await this.repo.manager.transaction(async (m) => {
      if (!(await m.existsBy(ExperimentEntity, { id: experimentId }))) await this.experiments.get(experimentId);
      await m.save(entity);
    });
    const live: LiveRun = {
      entity,
      controller: new AbortController(),
      events: new Subject<RunEvent>(),
      done: Promise.resolve(),
      lastProgressWrite: 0,
      logsEmitted: 0,
    };
    this.live.set(entity.id, live);
    live.done = this.execute(live, graph, dto, cached);
    return toRunDto(entity);
  }

  /**
   * configure() of every node about to run, on the stored schemas: a problem it can see before any data is read
   * (a missing column, k above the row count, an unknown dataset) is a 400 naming the node, not a failed run.
   */
  private preflight(graph: Graph, selected: string[]): void {
    const configured = configureGraph(graph, this.registry, this.datasets.env);
    const errors: GraphError[] = [];
    for (const nodeId of selected) {
      const node = graph.nodes.find((n) => n.id === nodeId)!;
      const name = this.registry.get(node.componentId).description.displayName;
      for (const e of configured.nodes[nodeId]?.errors ?? []) {
        errors.push({ nodeId, ...(e.parameter ? { parameter: e.parameter } : {}), message: `node '${nodeId}' (${name}): ${e.message}` });
      }
    }
    if (errors.length > 0) throw new GraphValidationError(errors);
  }

  /** Outputs of the latest earlier run of each upstream node a partial run needs; 400 when one never ran. */
  private async loadCachedOutputs(experimentId: string, graph: Graph, dto: StartRunDto): Promise<Record<string, PortValue[]>> {
    if (!dto.fromNode && !dto.onlyNode) return {};
    const needed = requiredCachedNodes(graph, dto);
    if (needed.length === 0) return {};
    const runs = await this.repo.find({ where: { experimentId }, order: { createdAt: 'DESC' } });
    const cached: Record<string, PortValue[]> = {};
    for (const nodeId of needed) {
      const run = runs.find((r) => r.nodes[nodeId]?.status === 'succeeded');
      if (!run) {
        throw badRequest(`node '${nodeId}' has no stored outputs yet; run the whole graph (or from '${nodeId}') first`, { nodeId });
      }
      cached[nodeId] = await Promise.all(run.nodes[nodeId].outputs.map((o) => this.loadOutput(run.id, o)));
    }
    return cached;
  }

  private async loadOutput(runId: string, o: StoredRunOutput): Promise<PortValue> {
    if (o.type === 'model') return { type: 'model', model: await this.models.getJson(o.modelId!) };
    return { type: 'table', table: await readCsv(this.storage.runFile(runId, o.file!), { schema: o.schema }) };
  }

  private async execute(live: LiveRun, graph: Graph, dto: StartRunDto, cached: Record<string, PortValue[]>): Promise<void> {
    const run = live.entity;
    const emit = (e: RunEvent) => live.events.next(e);
    run.status = 'running';
    run.startedAt = new Date().toISOString();
    void this.persist(live);
    try {
      const result = await runWorkflow(graph, this.registry, {
        engine: this.engine,
        env: this.datasets.env,
        signal: live.controller.signal,
        fromNode: dto.fromNode,
        onlyNode: dto.onlyNode,
        cached,
        onEvent: (e) => this.onWorkflowEvent(live, e, emit),
        onNodeSucceeded: async (nodeId, outputs) => {
          run.nodes[nodeId].outputs = await this.storeOutputs(run, graph, nodeId, outputs);
        },
      });
      run.status = result.status;
      const failed = Object.entries(result.nodes).find(([, n]) => n.status === 'failed');
      if (failed) run.error = `node '${failed[0]}' failed: ${failed[1].error}`;
      if (result.status === 'cancelled') run.error = 'cancelled';
    } catch (err) {
      run.status = 'failed';
      run.error = (err as Error).message;
      for (const node of Object.values(run.nodes)) if (!TERMINAL.has(node.status)) node.status = 'skipped';
    }
    if (live.stopReason === 'shutdown') this.markInterrupted(run);
    run.finishedAt ??= new Date().toISOString();
    await this.persist(live);
    emit({ type: 'run', status: run.status, ...(run.error ? { error: run.error } : {}) });
    live.events.complete();
    this.live.delete(run.id);
  }

  private onWorkflowEvent(live: LiveRun, e: WorkflowEvent, emit: (e: RunEvent) => void): void {
    const run = live.entity;
    if (e.type === 'node') {
      const node = run.nodes[e.nodeId];
      if (!node) return;
      const changed = node.status !== e.status;
      node.status = e.status;
      node.progress = e.progress;
      if (e.message !== undefined) node.message = e.message;
      if (e.error !== undefined) node.error = e.error;
      if (e.details !== undefined) node.details = { ...e.details };
      if (e.status === 'running' && !node.startedAt) node.startedAt = new Date().toISOString();
      if (TERMINAL.has(e.status)) node.finishedAt = new Date().toISOString();
      emit({ type: 'node', nodeId: e.nodeId, status: e.status, progress: e.progress, ...(e.message !== undefined ? { message: e.message } : {}) });
      const now = Date.now();
      if (changed || now - live.lastProgressWrite > PROGRESS_WRITE_MS) {
        live.lastProgressWrite = now;
        void this.persist(live);
      }
    } else if (e.type === 'log') {
      live.logsEmitted++;
      emit({ type: 'log', nodeId: e.nodeId, level: e.level, message: e.message, time: e.time });
      void this.write(run.id, () => this.logs.insert({ runId: run.id, time: e.time, nodeId: e.nodeId, level: e.level, message: e.message }));
    } else {
      const node = run.nodes[e.nodeId];
      if (node) node.metrics[e.name] = e.value;
      emit({ type: 'metric', nodeId: e.nodeId, name: e.name, value: e.value });
    }
  }

  private async storeOutputs(run: RunEntity, graph: Graph, nodeId: string, outputs: PortValue[]): Promise<StoredRunOutput[]> {
    const node = graph.nodes.find((n) => n.id === nodeId)!;
    const stored: StoredRunOutput[] = [];
    await fs.promises.mkdir(this.storage.runDir(run.id), { recursive: true });
    for (const [port, value] of outputs.entries()) {
      if (value.type === 'table') {
        // named by the server, never by the node id: no string of the request reaches a file path
        const file = `${randomUUID()}.csv`;
        await writeCsvAtomic(value.table, this.storage.runFile(run.id, file));
        stored.push({ port, type: 'table', rowCount: value.table.rowCount, schema: value.table.schema, file });
      } else {
        const model = await this.models.create(value.model, {
          name: `${node.label ?? node.componentId} (${nodeId})`,
          experimentId: run.experimentId,
          runId: run.id,
          nodeId,
        });
        stored.push({ port, type: 'model', modelId: model.id });
      }
    }
    return stored;
  }

  private async entity(id: string): Promise<RunEntity> {
    const live = this.live.get(id);
    if (live) return live.entity;
    const run = await this.repo.findOneBy({ id });
    if (!run) throw new NotFoundException({ statusCode: 404, message: `run '${id}' does not exist`, error: 'Not Found' });
    return run;
  }

  async get(id: string): Promise<RunDto> {
    return toRunDto(await this.entity(id));
  }

  async listForExperiment(experimentId: string): Promise<RunDto[]> {
    await this.experiments.get(experimentId);
    const rows = await this.repo.find({ where: { experimentId }, order: { createdAt: 'DESC' } });
    return rows.map((r) => toRunDto(this.live.get(r.id)?.entity ?? r));
  }

  async getLogs(id: string): Promise<RunLogDto[]> {
    await this.entity(id);
    return this.storedLogs(id);
  }

  /** The run's stored logs in order (the first `take` of them); waits for the writes queued so far. */
  private async storedLogs(id: string, take?: number): Promise<RunLogDto[]> {
    await this.writes.get(id);
    const rows = await this.logs.find({ where: { runId: id }, order: { id: 'ASC' }, ...(take !== undefined ? { take } : {}) });
    return rows.map((l) => ({ time: l.time, ...(l.nodeId ? { nodeId: l.nodeId } : {}), level: l.level, message: l.message }));
  }

  async cancel(id: string): Promise<RunDto> {
    const live = this.live.get(id);
    if (!live) return this.get(id);
    live.stopReason = 'cancel';
    live.controller.abort(new Error('cancelled by the user'));
    await live.done;
    return toRunDto(live.entity);
  }

  /**
   * The current state of every node and its metrics so far, then the logs stored so far (as `log` events), then
   * live events until the run ends (then the stream closes). A console that connects late sees every log once
   * and the latest value of every metric.
   */
  async events(id: string): Promise<Observable<MessageEvent>> {
    const run = await this.entity(id);
    // node states, then each node's metrics so far: a metric is a latest value, so sending one again is harmless
    const snapshot = (r: RunEntity): RunEvent[] => [
      ...Object.entries(r.nodes).map(([nodeId, n]): RunEvent => ({ type: 'node', nodeId, status: n.status, progress: n.progress, ...(n.message ? { message: n.message } : {}) })),
      ...Object.entries(r.nodes).flatMap(([nodeId, n]) =>
        Object.entries(n.metrics ?? {}).map(([name, value]): RunEvent => ({ type: 'metric', nodeId, name, value })),
      ),
    ];
    const toLogEvent = (l: RunLogDto): RunEvent => ({ type: 'log', ...l });
    const live = this.live.get(id);
    const toMessage = (e: RunEvent): MessageEvent => ({ data: e });
    if (!live) {
      const logs = await this.storedLogs(id);
      const end: RunEvent = { type: 'run', status: run.status, ...(run.error ? { error: run.error } : {}) };
      return from([...snapshot(run), ...logs.map(toLogEvent), end].map(toMessage));
    }
    return new Observable<MessageEvent>((subscriber) => {
      // subscribe first and hold live events back until the snapshot and the stored logs are out, so nothing
      // between them is lost; the logs emitted before this point are exactly the run's first stored ones
      const buffered: RunEvent[] = [];
      let replaying = true;
      let ended = false;
      let closed = false;
      const sub = live.events.pipe(takeWhile((e) => e.type !== 'run', true)).subscribe({
        next: (e) => (replaying ? buffered.push(e) : subscriber.next(toMessage(e))),
        complete: () => {
          ended = true;
          if (!replaying) subscriber.complete();
        },
      });
      for (const e of snapshot(live.entity)) subscriber.next(toMessage(e));
      const logsBefore = live.logsEmitted;
      const stored = logsBefore > 0 ? this.storedLogs(id, logsBefore) : Promise.resolve([]);
      stored
        .catch((err: Error) => {
          this.logger.warn(`run ${id}: could not replay the stored logs: ${err.message}`);
          return [];
        })
        .then((logs) => {
          if (closed) return;
          for (const l of logs) subscriber.next(toMessage(toLogEvent(l)));
          replaying = false;
          for (const e of buffered) subscriber.next(toMessage(e));
          if (ended) subscriber.complete();
        });
      return () => {
        closed = true;
        sub.unsubscribe();
      };
    });
  }

  private async nodeOutput(runId: string, nodeId: string, port: number): Promise<{ run: RunEntity; output: StoredRunOutput }> {
    const run = await this.entity(runId);
    const node = run.nodes[nodeId];
    if (!node) throw new NotFoundException({ statusCode: 404, message: `run '${runId}' did not run node '${nodeId}'`, error: 'Not Found', details: { nodeId } });
    const output = node.outputs.find((o) => o.port === port);
    if (!output) {
      throw new NotFoundException({
        statusCode: 404,
        message: `node '${nodeId}' has no stored output ${port} in run '${runId}' (status ${node.status})`,
        error: 'Not Found',
        details: { nodeId, port },
      });
    }
    return { run, output };
  }

  async outputPage(runId: string, nodeId: string, port: number, offset: number, limit: number): Promise<TablePageDto | { modelId: string; model: unknown }> {
    const { output } = await this.nodeOutput(runId, nodeId, port);
    if (output.type === 'model') return { modelId: output.modelId!, model: await this.models.getJson(output.modelId!) };
    // only as far as the page goes; `total` is the row count stored with the output
    const { rows } = await readCsvPage(this.storage.runFile(runId, output.file!), output.schema!, offset, limit);
    return { columns: output.schema!.columns, rows, total: output.rowCount! };
  }

  /** A deterministic, evenly spread sample of a training node's input rows with their predicted cluster. */
  async trainingSample(runId: string, nodeId: string, limit: number): Promise<TrainingSampleDto> {
    const run = await this.entity(runId);
    const version = await this.experiments.getVersion(run.experimentId, run.experimentVersion);
    const graph = version?.graph ?? (await this.experiments.get(run.experimentId)).graph;
    const node = graph.nodes.find((n) => n.id === nodeId);
    if (!node) throw new NotFoundException({ statusCode: 404, message: `node '${nodeId}' is not in the graph run '${runId}' ran`, error: 'Not Found', details: { nodeId } });
    const modelOutput = run.nodes[nodeId]?.outputs.find((o) => o.type === 'model');
    if (!modelOutput) throw badRequest(`node '${nodeId}' has no trained model in run '${runId}'; the sample is for GMM Training nodes that succeeded`, { nodeId });
    const edge = graph.edges.find((e) => e.target === nodeId && e.targetPort === 0);
    if (!edge) throw badRequest(`node '${nodeId}' has no input table`, { nodeId });
    // the input was stored by this run, or (a partial run) by the latest earlier one that ran its source node
    const storesInput = (r: RunEntity) => r.nodes[edge.source]?.outputs.some((o) => o.port === edge.sourcePort);
    const source = storesInput(run)
      ? run
      : (await this.repo.find({ where: { experimentId: run.experimentId }, order: { createdAt: 'DESC' } })).find(storesInput);
    if (!source) throw badRequest(`the input of node '${nodeId}' is no longer stored; run the graph again`, { nodeId });
    const tableOutput = source.nodes[edge.source].outputs.find((o) => o.port === edge.sourcePort)!;
    const table = await readCsv(this.storage.runFile(source.id, tableOutput.file!), { schema: tableOutput.schema });
    const modelJson = await this.models.getJson(modelOutput.modelId!);
    // the columns the node trained on, chosen as the GMM components choose them
    const { vectorCol, featureCols } = predictionFeatures(node.params, modelJson);
    const data = extractFeatures(table, vectorCol ? { vectorCol } : { featureCols });
    const n = Math.min(limit, data.rows);
    const points: number[][] = [];
    const picked = new Float64Array(n * data.cols);
    for (let i = 0; i < n; i++) {
      const row = Math.floor((i * data.rows) / n);
      const values = Array.from(data.data.subarray(row * data.cols, (row + 1) * data.cols));
      points.push(values);
      picked.set(values, i * data.cols);
    }
    const labels = GaussianMixture.fromJSON(modelJson).predict({ data: picked, rows: n, cols: data.cols });
    const featureNames = featureCols ?? modelJson.featureNames ?? Array.from({ length: data.cols }, (_, j) => `${vectorCol ?? 'x'}[${j}]`);
    return { dims: data.cols, featureNames, points, labels: Array.from(labels) };
  }
}
