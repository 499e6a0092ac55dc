import type { Graph } from '@mixflow/workflow';

/**
 * Every non-empty string of a parameter that names a stored dataset (its name ends in `datasetId`, the rule the
 * console's dataset picker follows), with its node. Write Dataset's `datasetName` is a new dataset's name, not a reference.
 */
export function datasetParams(graph: Graph): { nodeId: string; value: string }[] {
  const out: { nodeId: string; value: string }[] = [];
  for (const n of graph.nodes) {
    for (const [param, value] of Object.entries(n.params ?? {})) {
      if (/datasetId$/i.test(param) && typeof value === 'string' && value !== '') out.push({ nodeId: n.id, value });
    }
  }
  return out;
}
