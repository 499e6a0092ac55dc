import { resolveParams, type CheckResult, type ComponentEnv, type PortSchema } from '@mixflow/component-sdk';
import { configureGraph } from './configure';
import type { ComponentLookup, Graph, GraphConfiguration } from './types';

/**
 * configureGraph, then the components' asynchronous checks (ComponentDefinition.check: user SQL compiled against the
 * input schemas) of `nodeIds`; their errors join the nodes' configuration errors. A node whose configure reported
 * errors, or with a connected input whose schema is not known before running, is not checked (its problems show when
 * it runs). Output schemas a check finds out (a SQL result's columns) are fed downstream: the graph is configured
 * again on them and checked again, until nothing new is learnt, so the nodes after a SQL Script see its columns.
 * A node is checked again only when its inputs changed: a SQL Script's SQL is compiled once per call, not once a pass.
 */
export async function checkGraph(
  graph: Graph,
  registry: ComponentLookup,
  env?: ComponentEnv,
  nodeIds: readonly string[] = graph.nodes.map((n) => n.id),
): Promise<GraphConfiguration> {
  const known = new Map<string, (PortSchema | undefined)[]>();
  const checked = new Map<string, CheckedNode>();
  // each pass learns the outputs of at least one more node, or is the last
  for (let pass = 0; ; pass++) {
    const configuration = configureGraph(graph, registry, env, known);
    const found = await checkNodes(graph, registry, configuration, nodeIds, checked);
    let learnt = false;
    for (const [nodeId, outputs] of found) {
      const key = JSON.stringify(outputs);
      if (JSON.stringify(known.get(nodeId)) === key) continue;
      known.set(nodeId, outputs);
      learnt = true;
    }
    if (!learnt || pass >= graph.nodes.length) return configuration;
  }
}

/** A node's check on the inputs it was given (as JSON): what it said. */
interface CheckedNode {
  inputs: string;
  result: CheckResult;
}

/**
 * Runs the checks of `nodeIds` on `configuration` (their errors are added to it); returns the outputs they found.
 * `checked` keeps each node's last check: on the same inputs its result is reused.
 */
async function checkNodes(
  graph: Graph,
  registry: ComponentLookup,
  configuration: GraphConfiguration,
  nodeIds: readonly string[],
  checked: Map<string, CheckedNode>,
): Promise<Map<string, (PortSchema | undefined)[]>> {
  const found = new Map<string, (PortSchema | undefined)[]>();
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
    const key = JSON.stringify(inputs);
    let result = checked.get(nodeId)?.inputs === key ? checked.get(nodeId)!.result : undefined;
    if (!result) {
      const { params } = resolveParams(definition.description, node.params ?? {});
      try {
        result = await definition.check(params, inputs as (PortSchema | undefined)[]);
      } catch (err) {
        result = { errors: [{ message: `check failed: ${(err as Error).message}` }] };
      }
      checked.set(nodeId, { inputs: key, result });
    }
    const { errors, outputs } = result;
    if (errors.length === 0 && outputs?.some((o, i) => o !== undefined && !config.outputs[i])) found.set(nodeId, outputs);
    config.errors.push(...errors);
  }
  return found;
}
