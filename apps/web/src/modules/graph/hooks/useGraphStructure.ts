import { useMemo } from 'react';
import type { Graph } from '../../../types/contracts';

/**
 * The graph without what only the canvas shows: positions are 0, labels empty. It is all that configure's answer
 * and a run's results depend on.
 */
export function withoutLayout(graph: Graph): Graph {
  return { nodes: graph.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 }, label: '' })), edges: graph.edges };
}

/**
 * `graph` without its layout (and that as JSON, `key`), the same objects for as long as only positions and labels
 * change: what hangs on them (the configure request, which nodes' results are stale) is not redone on every frame
 * of a drag.
 */
export function useGraphStructure(graph: Graph): { structure: Graph; key: string } {
  const key = useMemo(() => JSON.stringify(withoutLayout(graph)), [graph]);
  return useMemo(() => ({ structure: JSON.parse(key) as Graph, key }), [key]);
}
