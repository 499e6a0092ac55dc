import { resolveParams } from '@mixflow/component-sdk';
import type { ComponentEnv, ResolveOptions } from '@mixflow/component-sdk';
import type { ComponentLookup, Graph, GraphEdge, GraphError } from './types';

/** Raised by topologicalOrder / runWorkflow when the graph cannot be ordered or run at all. */
export class GraphValidationError extends Error {
  constructor(readonly errors: GraphError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphValidationError';
  }
}

/** Edges into each node, by target port. */
export function incomingEdges(graph: Graph, nodeId: string): GraphEdge[] {
  return graph.edges.filter((e) => e.target === nodeId);
}

/**
 * Kahn's algorithm, stable in the order nodes appear in graph.nodes. Nodes on a cycle (or downstream of one)
 * are left out of `order` and returned in `blocked`.
 */
function kahn(graph: Graph): { order: string[]; blocked: string[] } {
  const ids = graph.nodes.map((n) => n.id);
  const known = new Set(ids);
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of graph.edges) {
    if (!known.has(e.source) || !known.has(e.target)) continue;
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
    next.get(e.source)!.push(e.target);
  }
  const order: string[] = [];
  const ready = ids.filter((id) => indegree.get(id) === 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id)!) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
    // keep the stable order: ready nodes in graph order
    ready.sort((a, b) => ids.indexOf(a) - ids.indexOf(b));
  }
  const placed = new Set(order);
  return { order, blocked: ids.filter((id) => !placed.has(id)) };
}

/** One cycle among the blocked nodes, as a list of node ids ending where it started. */
function findCycle(graph: Graph, among: Set<string>): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (among.has(e.source) && among.has(e.target)) {
      next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const t of next.get(id) ?? []) {
      if (state.get(t) === 'open') return [...stack.slice(stack.indexOf(t)), t];
      if (!state.has(t)) {
        const found = visit(t);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of among) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}

function cycleErrors(graph: Graph, blocked: string[]): GraphError[] {
  if (blocked.length === 0) return [];
  const cycle = findCycle(graph, new Set(blocked)) ?? blocked;
  return [
    {
      nodeId: cycle[0],
      message: `the graph has a cycle through nodes ${cycle.map((id) => `'${id}'`).join(' → ')}; remove one of its edges`,
    },
  ];
}

/** Node ids in execution order (upstream first). Throws GraphValidationError naming a node on a cycle. */
export function topologicalOrder(graph: Graph): string[] {
  const { order, blocked } = kahn(graph);
  if (blocked.length > 0) throw new GraphValidationError(cycleErrors(graph, blocked));
  return order;
}

/** Nodes in `order` that are `start` or downstream of it. */
export function downstreamOf(graph: Graph, start: string): Set<string> {
  const out = new Set([start]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of graph.edges) {
      if (out.has(e.source) && !out.has(e.target)) {
        out.add(e.target);
        grew = true;
      }
    }
  }
  return out;
}

const nodeName = (graph: Graph, id: string): string => {
  const node = graph.nodes.find((n) => n.id === id);
  return node?.label ? `'${id}' (${node.label})` : `'${id}'`;
};

/**
 * Everything that makes a graph unsavable: duplicate ids, unknown components, parameter errors (missing
 * required, out of range, wrong type, via resolveParams), edges to unknown nodes, port indexes out of range,
 * a table port wired to a model port, two edges into one input, and cycles. Each error names the node or edge.
 * `options.strict`: parameter values must already have their JSON type (the REST API), see resolveParams.
 */
export function validateGraph(graph: Graph, registry: ComponentLookup, _env?: ComponentEnv, options: ResolveOptions = {}): GraphError[] {
  const errors: GraphError[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    if (seen.has(node.id)) {
      errors.push({ nodeId: node.id, message: `node id '${node.id}' is used twice; node ids must be unique` });
      continue;
    }
    seen.add(node.id);
    if (!registry.has(node.componentId)) {
      errors.push({
        nodeId: node.id,
        message: `node ${nodeName(graph, node.id)} uses unknown component '${node.componentId}'; pick one listed by GET /api/components`,
      });
      continue;
    }
    const description = registry.get(node.componentId).description;
    for (const fe of resolveParams(description, node.params ?? {}, options).errors) {
      errors.push({
        nodeId: node.id,
        parameter: fe.parameter,
        message: `node ${nodeName(graph, node.id)} (${description.displayName}): ${fe.message}`,
      });
    }
  }

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edgeIds = new Set<string>();
  const taken = new Map<string, string>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) {
      errors.push({ edgeId: edge.id, message: `edge id '${edge.id}' is used twice; edge ids must be unique` });
    }
    edgeIds.add(edge.id);
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      errors.push({ edgeId: edge.id, message: `edge '${edge.id}' refers to node '${missing}', which is not in the graph` });
      continue;
    }
    if (edge.source === edge.target) {
      errors.push({
        edgeId: edge.id,
        nodeId: edge.source,
        message: `edge '${edge.id}' connects node '${edge.source}' to itself; the graph has a cycle through nodes '${edge.source}' → '${edge.source}'`,
      });
      continue;
    }
    if (!registry.has(source.componentId) || !registry.has(target.componentId)) continue;
    const out = registry.get(source.componentId).description;
    const inp = registry.get(target.componentId).description;
    const sourcePort = out.outputs[edge.sourcePort];
    const targetPort = inp.inputs[edge.targetPort];
    if (!Number.isInteger(edge.sourcePort) || !sourcePort) {
      errors.push({
        edgeId: edge.id,
        nodeId: source.id,
        port: edge.sourcePort,
        message: `edge '${edge.id}': node '${source.id}' (${out.displayName}) has no output port ${edge.sourcePort}; it has ${out.outputs.length} (0-based)`,
      });
      continue;
    }
    if (!Number.isInteger(edge.targetPort) || !targetPort) {
      errors.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: edge.targetPort,
        message: `edge '${edge.id}': node '${target.id}' (${inp.displayName}) has no input port ${edge.targetPort}; it has ${inp.inputs.length} (0-based)`,
      });
      continue;
    }
    if (sourcePort.type !== targetPort.type) {
      errors.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: edge.targetPort,
        message: `edge '${edge.id}': output '${sourcePort.label}' of node '${source.id}' is a ${sourcePort.type} but input '${targetPort.label}' of node '${target.id}' (${inp.displayName}) takes a ${targetPort.type}`,
      });
      continue;
    }
    const key = `${edge.target}#${edge.targetPort}`;
    const other = taken.get(key);
    if (other !== undefined) {
      errors.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: edge.targetPort,
        message: `input '${targetPort.label}' of node '${target.id}' already has edge '${other}'; an input takes one edge — remove one`,
      });
      continue;
    }
    taken.set(key, edge.id);
  }

  const { blocked } = kahn({ nodes: graph.nodes.filter((n, i, all) => all.findIndex((m) => m.id === n.id) === i), edges: graph.edges.filter((e) => e.source !== e.target) });
  errors.push(...cycleErrors(graph, blocked));
  return errors;
}
