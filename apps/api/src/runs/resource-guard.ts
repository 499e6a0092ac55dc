import { resolveParams, type ComponentRegistry } from '@mixflow/component-sdk';
import type { Graph, GraphConfiguration } from '@mixflow/workflow';

/** A node whose estimate needs more memory per worker than its Execution Tuning gives it. */
export interface ResourceShortfall {
  nodeId: string;
  parameter: 'memoryPerWorkerMb';
  /** what one worker needs by the estimate (the data-aware figure when there is one, else PAI's formula) */
  neededMb: number;
  /** memoryPerWorkerMb */
  configuredMb: number;
  /** numWorkers */
  workers: number;
  message: string;
}

const mb = (n: number) => `${Math.ceil(n).toLocaleString('en-US')} MB`;

/**
 * The selected nodes whose resource estimate exceeds workers × memory per worker (the Execution Tuning parameters
 * numWorkers and memoryPerWorkerMb, PAI's names). Such a run would stall or be killed for memory part way; it is
 * refused before it starts unless the request says to run anyway.
 */
export function resourceShortfalls(graph: Graph, selected: readonly string[], configured: GraphConfiguration, registry: ComponentRegistry): ResourceShortfall[] {
  const out: ResourceShortfall[] = [];
  for (const nodeId of selected) {
    const estimate = configured.nodes[nodeId]?.estimate;
    const node = graph.nodes.find((n) => n.id === nodeId);
    if (!estimate || !node || !registry.has(node.componentId)) continue;
    const { description } = registry.get(node.componentId);
    const { params } = resolveParams(description, node.params ?? {});
    const configuredMb = params.memoryPerWorkerMb;
    const workers = typeof params.numWorkers === 'number' ? params.numWorkers : 1;
    if (typeof configuredMb !== 'number') continue;
    const neededMb = estimate.dataAwareMemoryMb ?? estimate.formulaMemoryMb;
    if (!(neededMb > configuredMb)) continue;
    out.push({
      nodeId,
      parameter: 'memoryPerWorkerMb',
      neededMb: Math.ceil(neededMb),
      configuredMb,
      workers,
      message:
        `node '${nodeId}' (${description.displayName}) needs about ${mb(neededMb)} per worker by its resource estimate ` +
        `(${mb(neededMb * workers)} on ${workers} worker${workers === 1 ? '' : 's'}), but Memory per worker is ${mb(configuredMb)} ` +
        `(${mb(configuredMb * workers)} in all): raise Memory per worker, use fewer rows, columns or components, ` +
        'or start the run with runAnyway: true',
    });
  }
  return out;
}
