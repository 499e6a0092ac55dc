import { resolveParams } from '@mixflow/component-sdk';
import type { ComponentEnv, InputStats, Params, PortSchema } from '@mixflow/component-sdk';
import type { TableSchema } from '@mixflow/table';
import { validateGraph } from './graph';
import type { ComponentLookup, Graph, GraphConfiguration, NodeConfiguration } from './types';

const BYTES_PER_NUMBER = 8;

/** Rough in-memory bytes of a table with this schema: 8 per number, 8 per vector element, 16 per string. */
function tableBytes(schema: TableSchema, rows: number): number {
  let perRow = 0;
  for (const c of schema.columns) {
    if (c.type === 'vector') perRow += (c.vectorSize ?? 1) * BYTES_PER_NUMBER;
    else if (c.type === 'string') perRow += 16;
    else perRow += BYTES_PER_NUMBER;
  }
  return perRow * rows;
}

/**
 * What the resource estimator needs to know of one input: rows and bytes of a table (dims from the node's
 * vectorCol / featureCols), or dims, k and size of a model.
 */
export function inputStatsOf(schema: PortSchema | undefined, params: Params): InputStats {
  if (!schema) return {};
  if (schema.type === 'model') {
    const stats: InputStats = { dims: schema.dims, k: schema.k };
    if (schema.dims !== undefined && schema.k !== undefined) {
      const d = schema.dims;
      stats.modelBytes = schema.k * (1 + d + d * d) * BYTES_PER_NUMBER;
    }
    return stats;
  }
  const stats: InputStats = {};
  if (schema.rowCount !== undefined) {
    stats.rows = schema.rowCount;
    stats.bytes = tableBytes(schema.schema, schema.rowCount);
  }
  const vectorCol = typeof params.vectorCol === 'string' ? params.vectorCol : undefined;
  const column = vectorCol ? schema.schema.columns.find((c) => c.name === vectorCol) : undefined;
  if (column?.type === 'vector' && column.vectorSize !== undefined) stats.dims = column.vectorSize;
  else if (Array.isArray(params.featureCols) && params.featureCols.length > 0) stats.dims = params.featureCols.length;
  return stats;
}

/**
 * Runs every node's `configure` in topological order, feeding each the output schemas of its upstream nodes,
 * and estimates resources from the inferred input statistics. Never touches data. Nodes on a cycle or with an
 * unknown component get no configuration; the structural errors come back in `errors`. `known` holds output schemas
 * found out by the components' checks (checkGraph): they stand in for the outputs configure leaves unknown.
 */
export function configureGraph(
  graph: Graph,
  registry: ComponentLookup,
  env?: ComponentEnv,
  known?: ReadonlyMap<string, readonly (PortSchema | undefined)[]>,
): GraphConfiguration {
  const errors = validateGraph(graph, registry, env).filter((e) => e.parameter === undefined);
  const nodes: Record<string, NodeConfiguration> = {};
  const outputs = new Map<string, (PortSchema | undefined)[]>();
  const remaining = new Map(graph.nodes.map((n) => [n.id, n]));
  // repeat passes instead of a strict order so the nodes off a cycle still get configured
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const node of [...remaining.values()]) {
      const incoming = graph.edges.filter((e) => e.target === node.id);
      if (incoming.some((e) => remaining.has(e.source) && e.source !== node.id)) continue;
      if (incoming.some((e) => e.source === node.id)) continue;
      remaining.delete(node.id);
      progressed = true;
      if (!registry.has(node.componentId)) continue;
      const definition = registry.get(node.componentId);
      const description = definition.description;
      const inputs: (PortSchema | undefined)[] = description.inputs.map((_, port) => {
        const edge = incoming.find((e) => e.targetPort === port);
        if (!edge) return undefined;
        const schema = outputs.get(edge.source)?.[edge.sourcePort];
        return schema && schema.type === description.inputs[port].type ? schema : undefined;
      });
      const resolved = resolveParams(description, node.params ?? {});
      const config: NodeConfiguration = { outputs: [], errors: [...resolved.errors], inputStats: [] };
      let nodeOutputs: (PortSchema | undefined)[] = description.outputs.map(() => undefined);
      try {
        const result = definition.configure(resolved.params, inputs, env);
        nodeOutputs = description.outputs.map((_, i) => result.outputs[i] ?? known?.get(node.id)?.[i]);
        for (const e of result.errors) {
          if (!config.errors.some((x) => x.parameter === e.parameter && x.message === e.message)) config.errors.push(e);
        }
      } catch (err) {
        config.errors.push({ message: `configure failed: ${(err as Error).message}` });
      }
      config.outputs = nodeOutputs.map((o) => o ?? null);
      config.inputStats = inputs.map((s) => inputStatsOf(s, resolved.params));
      if (definition.estimate) {
        try {
          config.estimate = definition.estimate(resolved.params, config.inputStats);
        } catch {
          // an estimate needs inputs that are not known yet; the console shows none
        }
      }
      outputs.set(node.id, nodeOutputs);
      nodes[node.id] = config;
    }
  }
  return { nodes, errors };
}
