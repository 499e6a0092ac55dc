import type { Graph } from '../../../types/contracts';
import type { DesignerEdge, DesignerNode, GraphSnapshot } from '../types';
import { inHandle, outHandle, portOf } from './ports';

/** Canvas state → the API's Graph (positions rounded, UI-only fields dropped). */
export function toGraph(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[]): Graph {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      componentId: n.data.componentId,
      label: n.data.label,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      params: n.data.params,
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: portOf(e.sourceHandle),
      target: e.target,
      targetPort: portOf(e.targetHandle),
    })),
  };
}

/** The API's Graph → canvas state. `labelOf` names nodes saved without a label. */
export function fromGraph(graph: Graph, labelOf: (componentId: string) => string = (id) => id): GraphSnapshot {
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: 'component',
      position: { ...n.position },
      data: { componentId: n.componentId, label: n.label ?? labelOf(n.componentId), params: { ...n.params } },
    })),
    edges: graph.edges.map((e) => makeEdge(e.source, e.sourcePort, e.target, e.targetPort, e.id)),
  };
}

export function makeEdge(source: string, sourcePort: number, target: string, targetPort: number, id?: string): DesignerEdge {
  return {
    id: id ?? `e-${source}-${sourcePort}-${target}-${targetPort}`,
    source,
    sourceHandle: outHandle(sourcePort),
    target,
    targetHandle: inHandle(targetPort),
  };
}

/** A new node id that no existing node uses: `<component>-<n>`. */
export function nextNodeId(componentId: string, existing: Iterable<string>): string {
  const taken = new Set(existing);
  let n = 1;
  while (taken.has(`${componentId}-${n}`)) n++;
  return `${componentId}-${n}`;
}

/** Strips React Flow's transient fields so snapshots compare by content. */
export function cleanSnapshot(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[]): GraphSnapshot {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: 'component', position: { ...n.position }, data: n.data })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle })),
  };
}

export function sameGraph(a: Graph, b: Graph): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
