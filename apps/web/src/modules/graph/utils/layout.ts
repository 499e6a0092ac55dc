import dagre from '@dagrejs/dagre';
import type { DesignerEdge, DesignerNode } from '../types';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 64;

/**
 * Top-to-bottom layered layout (dagre), as PAI Designer draws pipelines. Returns new nodes with new positions;
 * positions are the top-left corner React Flow expects.
 */
export function layoutGraph(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], direction: 'TB' | 'LR' = 'TB'): DesignerNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: direction, nodesep: 60, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? NODE_WIDTH, height: n.measured?.height ?? NODE_HEIGHT });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? NODE_WIDTH;
    const h = n.measured?.height ?? NODE_HEIGHT;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
}
