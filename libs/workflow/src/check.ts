import { resolveParams, type PortSchema } from '@mixflow/component-sdk';
import type { ComponentLookup, Graph, GraphConfiguration } from './types';

/**
 * The components' asynchronous checks (ComponentDefinition.check: user SQL compiled against the input schemas) of
 * `nodeIds`, on the schemas configureGraph found; their errors join the nodes' configuration errors. A node whose
 * configure reported errors, or with a connected input whose schema is not known before running, is not checked
 * (its problems show when it runs).
 */
export async function checkGraph(
  graph: Graph,
  registry: ComponentLookup,
  configuration: GraphConfiguration,
  nodeIds: readonly string[] = graph.nodes.map((n) => n.id),
): Promise<GraphConfiguration> {
  for (const nodeId of nodeIds) {
    const node = graph.nodes.find((n) => n.id === nodeId);
    const config = configuration.nodes[nodeId];
    if (!node || !config || config.errors.length > 0 || !registry.has(node.componentId)) continue;
    const definition = registry.get(node.componentId);
    if (!definition.check) continue;
    const incoming = graph.edges.filter((e) => e.target === nodeId);
    const inputs = definition.description.inputs.map((_, port) => {
      const edge = incoming.find((e) => e.targetPort === port);
      return edge ? (configuration.nodes[edge.source]?.outputs[edge.sourcePort] ?? null) : undefined;
    });
    if (inputs.some((s) => s === null)) continue;
    const { params } = resolveParams(definition.description, node.params ?? {});
    try {
      config.errors.push(...(await definition.check(params, inputs as (PortSchema | undefined)[])));
    } catch (err) {
      config.errors.push({ message: `check failed: ${(err as Error).message}` });
    }
  }
  return configuration;
}
