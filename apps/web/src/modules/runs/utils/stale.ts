import type { Graph } from '../../../types/contracts';

/** What decides a node's result: its component, its parameters (in any key order) and where its inputs come from. */
function nodeKey(graph: Graph, nodeId: string): string | undefined {
  const n = graph.nodes.find((x) => x.id === nodeId);
  if (!n) return undefined;
  const params = Object.keys(n.params).filter((k) => n.params[k] !== undefined).sort().map((k) => [k, n.params[k]]);
  const inputs = graph.edges
    .filter((e) => e.target === nodeId)
    .map((e) => `${e.targetPort}<${e.source}:${e.sourcePort}`)
    .sort();
  return JSON.stringify([n.componentId, params, inputs]);
}

/**
 * The nodes of `current` whose results in a run of `ran` no longer match the canvas: the node's component,
 * parameters or inputs changed since, or a node upstream of it did (its input would differ). Positions and
 * labels do not count. Nodes that were not in `ran` have no results and are not stale.
 */
export function staleNodes(ran: Graph, current: Graph): Set<string> {
  const stale = new Set<string>();
  const ranIds = new Set(ran.nodes.map((n) => n.id));
  const changed = (id: string) => nodeKey(ran, id) !== nodeKey(current, id);
  const seeds = current.nodes.filter((n) => ranIds.has(n.id) && changed(n.id)).map((n) => n.id);
  const queue = [...seeds];
  while (queue.length) {
    const id = queue.shift()!;
    if (stale.has(id)) continue;
    stale.add(id);
    for (const e of current.edges) if (e.source === id && !stale.has(e.target)) queue.push(e.target);
  }
  for (const id of [...stale]) if (!ranIds.has(id)) stale.delete(id);
  return stale;
}
