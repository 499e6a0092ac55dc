/** From operators to the workflow graph the canvas saves (docs/rest-api.md), deterministically. */
import type { Graph, GraphEdge, GraphNode } from '@mixflow/workflow';
import { checkLinked, isSource, outputOrigin, type OperatorNode as Operator, type SourceOperator } from './node';

export interface BuiltGraph {
  graph: Graph;
  nodeIdOf: Map<Operator, string>;
  operatorOf: Map<string, Operator>;
  sources: SourceOperator[];
}

/** Layout of the canvas: one column per depth, one row per node in that column. */
const COLUMN_WIDTH = 260;
const ROW_HEIGHT = 140;
const MARGIN = 60;

/**
 * The graph of `target` and everything upstream, in a depth-first order over the input ports; node ids are
 * `<componentId>-<n>` in that order, so the same operators always give the same graph.
 */
export function buildGraph(target: Operator, datasetIdOf: (source: SourceOperator) => string): BuiltGraph {
  const order: Operator[] = [];
  const seen = new Set<Operator>();
  // a side output is an edge from its operator's output port, not a node
  const visit = (linked: Operator) => {
    const op = outputOrigin(linked).operator;
    if (seen.has(op)) return;
    seen.add(op);
    checkLinked(op);
    for (const input of op.inputs) if (input) visit(input);
    order.push(op);
  };
  visit(target);

  const nodeIdOf = new Map<Operator, string>();
  const operatorOf = new Map<string, Operator>();
  const counts = new Map<string, number>();
  const depth = new Map<Operator, number>();
  const perDepth = new Map<number, number>();
  const nodes: GraphNode[] = [];
  for (const op of order) {
    const { componentId, params } = op.graphNode(datasetIdOf);
    const n = (counts.get(componentId) ?? 0) + 1;
    counts.set(componentId, n);
    const id = `${componentId}-${n}`;
    nodeIdOf.set(op, id);
    operatorOf.set(id, op);
    const d = Math.max(-1, ...op.inputs.filter((i): i is Operator => !!i).map((i) => depth.get(outputOrigin(i).operator) ?? 0)) + 1;
    depth.set(op, d);
    const row = perDepth.get(d) ?? 0;
    perDepth.set(d, row + 1);
    nodes.push({ id, componentId, position: { x: MARGIN + d * COLUMN_WIDTH, y: MARGIN + row * ROW_HEIGHT }, params });
  }
  const edges: GraphEdge[] = [];
  for (const op of order) {
    op.inputs.forEach((input, port) => {
      if (!input) return;
      const origin = outputOrigin(input);
      const source = nodeIdOf.get(origin.operator)!;
      const target = nodeIdOf.get(op)!;
      edges.push({ id: `e-${source}-${origin.port}-${target}-${port}`, source, sourcePort: origin.port, target, targetPort: port });
    });
  }
  return { graph: { nodes, edges }, nodeIdOf, operatorOf, sources: order.filter(isSource) };
}
