import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ComponentRegistry, PortValue } from '@mixflow/component-sdk';
import type { ExecutionEngine } from '@mixflow/executor';
import {
  checkGraph,
  Graph,
  GraphError,
  GraphValidationError,
  runWorkflow,
  selectNodes,
  topologicalOrder,
  validateGraph,
  WorkflowEvent,
} from '@mixflow/workflow';
import { badRequest } from '../common/api-error.filter';
import { withoutPaths } from '../common/paths';
import { DatasetsService } from '../datasets/datasets.service';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ExperimentsService } from '../experiments/experiments.service';
import { COMPONENT_REGISTRY, EXECUTION_ENGINE } from '../registry/tokens';
import type { RunDto, RunLogDto, StartRunDto } from './dto/run.dto';
import type { RunEntity, RunNodeState } from './entities/run.entity';
import { resourceShortfalls } from './resource-guard';
import { RunEventsService } from './run-events.service';
import { RunOutputsService } from './run-outputs.service';
import { markInterrupted, RunStoreService, toRunDto } from './run-store.service';

interface LiveRun {
  entity: RunEntity;
  controller: AbortController;
  done: Promise<void>;
  stopReason?: 'cancel' | 'shutdown';
  lastProgressWrite: number;
}

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'skipped', 'cancelled', 'interrupted']);
const PROGRESS_WRITE_MS = 250;

/**
 * The life of a run: checks and starts it in the background (runWorkflow on the configured engine), follows its
 * nodes, cancels it, and stops it at shutdown. A run that was in flight when the server stopped is marked
 * interrupted, at shutdown and again at the next start (for crashes). State goes to RunStoreService, events to
 * RunEventsService, outputs to RunOutputsService.
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private readonly live = new Map<string, LiveRun>();

  constructor(
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
    @Inject(EXECUTION_ENGINE) private readonly engine: ExecutionEngine,
    private readonly store: RunStoreService,
    private readonly events: RunEventsService,
    private readonly outputs: RunOutputsService,
    private readonly experiments: ExperimentsService,
    private readonly datasets: DatasetsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stale = await this.store.interruptStale();
    if (stale > 0) this.logger.warn(`marked ${stale} run(s) interrupted: they were in flight when the server stopped`);
    const orphans = await this.outputs.removeOrphans(await this.store.recordedOutputFiles());
    if (orphans.length > 0) {
      this.logger.warn(`removed ${orphans.length} file(s) under runs/ that no run records (left by a crash): ${orphans.slice(0, 20).join(', ')}${orphans.length > 20 ? ', …' : ''}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.live.values()];
    for (const run of runs) {
      run.stopReason = 'shutdown';
      run.controller.abort(new Error('the server is shutting down'));
    }
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), new Promise((r) => setTimeout(r, 10_000))]);
    await this.store.flush();
  }

  async start(experimentId: string, dto: StartRunDto): Promise<RunDto> {
    if (dto.fromNode && dto.onlyNode) throw badRequest('give fromNode or onlyNode, not both', { field: 'onlyNode' });
    const experiment = await this.experiments.get(experimentId);
    const graph: Graph = experiment.graph;
    if (graph.nodes.length === 0) throw badRequest(`experiment '${experiment.name}' has no nodes; add some before running it`);
    const structural = validateGraph(graph, this.registry, this.datasets.env);
    if (structural.length > 0) throw new GraphValidationError(structural);
    const selected = selectNodes(graph, topologicalOrder(graph), dto);
    await this.preflight(graph, selected, dto);
    const cached = await this.outputs.cachedFor(experimentId, graph, dto);

    const nodes: Record<string, RunNodeState> = {};
    for (const id of selected) nodes[id] = { status: 'queued', progress: 0, metrics: {}, outputs: [] };
    const entity = this.store.create({
      id: randomUUID(),
      experimentId,
      experimentVersion: experiment.version,
      status: 'queued',
      engine: this.engine.kind,
      fromNode: dto.fromNode ?? null,
      onlyNode: dto.onlyNode ?? null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
      nodes,
    });
    // the experiment may have been deleted while the run was prepared: never store a run that points at nothing
    await this.store.insert(entity, async (m) => {
      if (!(await m.existsBy(ExperimentEntity, { id: experimentId }))) await this.experiments.get(experimentId);
    });
    const live: LiveRun = { entity, controller: new AbortController(), done: Promise.resolve(), lastProgressWrite: 0 };
    this.live.set(entity.id, live);
    this.store.track(entity);
    this.events.open(entity.id);
    live.done = this.execute(live, graph, dto, cached);
    return toRunDto(entity);
  }

  /**
   * configure() of every node about to run, on the stored schemas: a problem it can see before any data is read
   * (a missing column, k above the row count, an unknown dataset) is a 400 naming the node, not a failed run.
   */
  private async preflight(graph: Graph, selected: string[], dto: StartRunDto): Promise<void> {
    const configured = await checkGraph(graph, this.registry, this.datasets.env, selected);
    const errors: GraphError[] = [];
    for (const nodeId of selected) {
      const node = graph.nodes.find((n) => n.id === nodeId)!;
      const name = this.registry.get(node.componentId).description.displayName;
      for (const e of configured.nodes[nodeId]?.errors ?? []) {
        errors.push({ nodeId, ...(e.parameter ? { parameter: e.parameter } : {}), message: `node '${nodeId}' (${name}): ${e.message}` });
      }
    }
    if (errors.length > 0) throw new GraphValidationError(errors);
    const short = dto.runAnyway ? [] : resourceShortfalls(graph, selected, configured, this.registry);
    if (short.length > 0) {
      const first = short[0];
      throw badRequest(short.map((x) => x.message).join('; '), { nodeId: first.nodeId, parameter: first.parameter }, short.map((x) => ({ ...x })));
    }
  }

  private async execute(live: LiveRun, graph: Graph, dto: StartRunDto, cached: Record<string, PortValue[]>): Promise<void> {
    const run = live.entity;
    run.status = 'running';
    run.startedAt = new Date().toISOString();
    void this.store.save(run);
    try {
      const result = await runWorkflow(graph, this.registry, {
        engine: this.engine,
        env: this.datasets.env,
        signal: live.controller.signal,
        fromNode: dto.fromNode,
        onlyNode: dto.onlyNode,
        cached,
        onEvent: (e) => this.onWorkflowEvent(live, e),
        onNodeSucceeded: async (nodeId, outputs) => {
          run.nodes[nodeId].outputs = await this.outputs.save(run, graph, nodeId, outputs);
        },
      });
      run.status = result.status;
      const failed = Object.entries(result.nodes).find(([, n]) => n.status === 'failed');
      if (failed) run.error = withoutPaths(`node '${failed[0]}' failed: ${failed[1].error}`);
      if (result.status === 'cancelled') run.error = 'cancelled';
    } catch (err) {
      run.status = 'failed';
      run.error = withoutPaths((err as Error).message);
      // the log says why too, so a run that failed before any node started does not show an empty log
      this.appendLog(run.id, { time: new Date().toISOString(), level: 'error', message: `the run failed: ${run.error}` });
      for (const node of Object.values(run.nodes)) if (!TERMINAL.has(node.status)) node.status = 'skipped';
    }
    if (live.stopReason === 'shutdown') markInterrupted(run);
    run.finishedAt ??= new Date().toISOString();
    await this.store.save(run);
    this.events.emit(run.id, { type: 'run', status: run.status, ...(run.error ? { error: run.error } : {}) });
    this.events.close(run.id);
    this.store.release(run.id);
    this.live.delete(run.id);
  }

  /** A log line goes to the live stream and to the stored log alike. */
  private appendLog(runId: string, log: RunLogDto): void {
    this.events.emit(runId, { type: 'log', ...log });
    void this.store.appendLog(runId, log);
  }

  private onWorkflowEvent(live: LiveRun, e: WorkflowEvent): void {
    const run = live.entity;
    if (e.type === 'node') {
      const node = run.nodes[e.nodeId];
      if (!node) return;
      const changed = node.status !== e.status;
      node.status = e.status;
      node.progress = e.progress;
      if (e.message !== undefined) node.message = withoutPaths(e.message);
      if (e.error !== undefined) node.error = withoutPaths(e.error);
      if (e.details !== undefined) node.details = { ...e.details };
      if (e.status === 'running' && !node.startedAt) node.startedAt = new Date().toISOString();
      if (TERMINAL.has(e.status)) node.finishedAt = new Date().toISOString();
      this.events.emit(run.id, { type: 'node', nodeId: e.nodeId, status: e.status, progress: e.progress, ...(node.message !== undefined && e.message !== undefined ? { message: node.message } : {}) });
      const now = Date.now();
      if (changed || now - live.lastProgressWrite > PROGRESS_WRITE_MS) {
        live.lastProgressWrite = now;
        void this.store.save(run);
      }
    } else if (e.type === 'log') {
      this.appendLog(run.id, { time: e.time, ...(e.nodeId ? { nodeId: e.nodeId } : {}), level: e.level, message: withoutPaths(e.message) });
    } else {
      const node = run.nodes[e.nodeId];
      if (node) node.metrics[e.name] = e.value;
      this.events.emit(run.id, { type: 'metric', nodeId: e.nodeId, name: e.name, value: e.value });
    }
  }

  async get(id: string): Promise<RunDto> {
    return toRunDto(await this.store.find(id));
  }

  async listForExperiment(experimentId: string): Promise<RunDto[]> {
    await this.experiments.get(experimentId);
    return (await this.store.runsOf(experimentId)).map(toRunDto);
  }

  async getLogs(id: string): Promise<RunLogDto[]> {
    await this.store.find(id);
    return this.store.logs(id);
  }

  async cancel(id: string): Promise<RunDto> {
    const live = this.live.get(id);
    if (!live) return this.get(id);
    live.stopReason = 'cancel';
    live.controller.abort(new Error('cancelled by the user'));
    await live.done;
    return toRunDto(live.entity);
  }
}
