import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { resolveParams, type ComponentRegistry, type ViewDataContext } from '@mixflow/component-sdk';
import type { Graph } from '@mixflow/workflow';
import { badRequest } from '../common/api-error.filter';
import { ExperimentsService } from '../experiments/experiments.service';
import { COMPONENT_REGISTRY } from '../registry/tokens';
import type { RunEntity } from './entities/run.entity';
import { RunOutputsService } from './run-outputs.service';
import { RunStoreService } from './run-store.service';

/**
 * The data of a node's result views whose source is a provider of the component (`{ data: name }`): the API
 * finds the node as it ran and hands the component its stored inputs and outputs; what to compute is the
 * component's business.
 */
@Injectable()
export class RunViewsService {
  constructor(
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
    private readonly store: RunStoreService,
    private readonly outputs: RunOutputsService,
    private readonly experiments: ExperimentsService,
  ) {}

  async data(runId: string, nodeId: string, viewId: string, limit: number, item?: number): Promise<unknown> {
    const run = await this.store.find(runId);
    const graph = await this.graphOf(run);
    const node = graph.nodes.find((n) => n.id === nodeId);
    if (!node) throw new NotFoundException({ statusCode: 404, message: `node '${nodeId}' is not in the graph run '${runId}' ran`, error: 'Not Found', details: { nodeId } });
    const definition = this.registry.get(node.componentId);
    const views = definition.description.views ?? [];
    const view = views.find((v) => v.id === viewId);
    if (!view) {
      throw new NotFoundException({
        statusCode: 404,
        message: `node '${nodeId}' (${definition.description.displayName}) has no view '${viewId}'; its views are ${views.map((v) => v.id).join(', ') || '(none)'}`,
        error: 'Not Found',
        details: { nodeId },
      });
    }
    if (!('data' in view.source) || !definition.viewData) {
      throw badRequest(`view '${viewId}' of node '${nodeId}' draws the node's ${'output' in view.source ? 'output' : 'metrics'}; read them from the run`, { nodeId });
    }
    const state = run.nodes[nodeId];
    if (state?.status !== 'succeeded') {
      throw badRequest(`node '${nodeId}' did not succeed in run '${runId}' (status ${state?.status ?? 'not run'}); its views show a node that ran`, { nodeId });
    }
    const context: ViewDataContext = {
      runId,
      nodeId,
      params: resolveParams(definition.description, node.params).params,
      metrics: state.metrics,
      limit,
      ...(item !== undefined ? { item } : {}),
      input: (port) => this.outputs.input(run, graph, nodeId, port),
      output: (port) => this.outputs.load(run.id, this.outputs.find(run, nodeId, port)),
    };
    return definition.viewData(view.source.data, context);
  }

  /** The graph as the run ran it (its experiment version), or the current one when that version is gone. */
  private async graphOf(run: RunEntity): Promise<Graph> {
    const version = await this.experiments.getVersion(run.experimentId, run.experimentVersion);
    return version?.graph ?? (await this.experiments.get(run.experimentId)).graph;
  }
}
