import type { GraphSnapshot } from '../types';
import { nextNodeId } from './convert';

/** The selected nodes and the edges between them: what Ctrl+C copies. */
export function copySelection(s: GraphSnapshot, selectedIds: ReadonlySet<string>): GraphSnapshot {
  return {
    nodes: s.nodes.filter((n) => selectedIds.has(n.id)).map((n) => ({ ...n, selected: false, data: structuredCloneData(n.data) })),
    edges: s.edges.filter((e) => selectedIds.has(e.source) && selectedIds.has(e.target)),
  };
}

/**
 * Pastes a clipboard into a graph: fresh ids, positions shifted by `offset`, internal edges rewired,
 * the pasted nodes selected (and nothing else) so they can be dragged at once.
 */
export function pasteClipboard(current: GraphSnapshot, clip: GraphSnapshot, offset = { x: 40, y: 40 }): GraphSnapshot {
  const ids = new Set(current.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const pasted = clip.nodes.map((n) => {
    const id = nextNodeId(n.data.componentId, ids);
    ids.add(id);
    rename.set(n.id, id);
    return { ...n, id, selected: true, position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, data: structuredCloneData(n.data) };
  });
  const pastedEdges = clip.edges.map((e) => ({
    ...e,
    id: `e-${rename.get(e.source)}-${e.sourceHandle}-${rename.get(e.target)}-${e.targetHandle}`,
    source: rename.get(e.source)!,
    target: rename.get(e.target)!,
    selected: false,
  }));
  return {
    nodes: [...current.nodes.map((n) => ({ ...n, selected: false })), ...pasted],
    edges: [...current.edges, ...pastedEdges],
  };
}

function structuredCloneData<T>(d: T): T {
  return JSON.parse(JSON.stringify(d)) as T;
}
