import type { Graph } from '../../../types/contracts';

/**
 * The nodes a run will execute: every node, only one (`onlyNode`), or one and everything downstream of it
 * (`fromNode`; upstream results come from the previous run). Used to check only what is about to run.
 */
export function nodesToRun(graph: Graph, o: { fromNode?: string; onlyNode?: string } = {}): Set<string> {
  if (o.onlyNode) return new Set([o.onlyNode]);
  if (!o.fromNode) return new Set(graph.nodes.map((n) => n.id));
  const out = new Set<string>();
  const stack = [o.fromNode];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const e of graph.edges) if (e.source === id) stack.push(e.target);
  }
  return out;
}
