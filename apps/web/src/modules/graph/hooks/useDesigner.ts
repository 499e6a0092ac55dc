import { useCallback, useMemo, useRef, useState } from 'react';
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { Graph, Params } from '../../../types/contracts';
import type { DesignerEdge, DesignerNode, GraphSnapshot } from '../types';
import { cleanSnapshot, makeEdge, nextNodeId, toGraph } from '../utils/convert';
import { emptyHistory, record, redo as redoHistory, undo as undoHistory, type History } from '../utils/history';
import { copySelection, pasteClipboard } from '../utils/clipboard';
import { layoutGraph, type PortCounts } from '../utils/layout';
import { portOf } from '../utils/ports';

/**
 * The canvas state and every edit the user can make on it, each recorded for undo/redo.
 * React Flow's transient changes (selection, dimensions, drag frames) are applied but not recorded;
 * a drag is recorded once, at its start.
 */
export function useDesigner() {
  const [nodes, setNodes] = useState<DesignerNode[]>([]);
  const [edges, setEdges] = useState<DesignerEdge[]>([]);
  const [history, setHistory] = useState<History<GraphSnapshot>>(emptyHistory);
  const current = useRef<GraphSnapshot>({ nodes, edges });
  current.current = { nodes, edges };
  const clipboard = useRef<GraphSnapshot | undefined>(undefined);
  const [clipboardSize, setClipboardSize] = useState(0);

  const remember = useCallback((mergeKey?: string) => {
    const before = cleanSnapshot(current.current.nodes, current.current.edges);
    setHistory((h) => record(h, before, { mergeKey, now: Date.now() }));
  }, []);

  const apply = useCallback((s: GraphSnapshot) => {
    current.current = s;
    setNodes(s.nodes);
    setEdges(s.edges);
  }, []);

  /** Replaces everything (opening an experiment): history starts over. */
  const reset = useCallback((s: GraphSnapshot) => {
    apply(s);
    setHistory(emptyHistory());
  }, [apply]);

  const onNodesChange = useCallback((changes: NodeChange<DesignerNode>[]) => {
    // one undo step for a node and its edges, which React Flow removes in two calls
    if (changes.some((c) => c.type === 'remove')) remember('delete');
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, [remember]);

  const onEdgesChange = useCallback((changes: EdgeChange<DesignerEdge>[]) => {
    if (changes.some((c) => c.type === 'remove')) remember('delete');
    setEdges((es) => applyEdgeChanges(changes, es));
  }, [remember]);

  const onNodeDragStart = useCallback(() => remember(), [remember]);

  const connect = useCallback((c: Connection) => {
    if (!c.source || !c.target) return;
    remember();
    setEdges((es) => addEdge(makeEdge(c.source, portOf(c.sourceHandle), c.target, portOf(c.targetHandle)), es));
  }, [remember]);

  const addNode = useCallback((componentId: string, label: string, params: Params, position: { x: number; y: number }) => {
    remember();
    const id = nextNodeId(componentId, current.current.nodes.map((n) => n.id));
    const node: DesignerNode = { id, type: 'component', position, selected: true, data: { componentId, label, params } };
    apply({ nodes: [...current.current.nodes.map((n) => ({ ...n, selected: false })), node], edges: current.current.edges });
    return id;
  }, [remember, apply]);

  const updateNodeData = useCallback((id: string, patch: Partial<DesignerNode['data']>, mergeKey?: string) => {
    remember(mergeKey ? `${id}:${mergeKey}` : undefined);
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)));
  }, [remember]);

  /** Deletes the given nodes (default: the selection), their edges and any selected edge. */
  const deleteSelected = useCallback((ids?: string[]) => {
    const { nodes: ns, edges: es } = current.current;
    const gone = new Set(ids ?? ns.filter((n) => n.selected).map((n) => n.id));
    const edgeGone = (e: DesignerEdge) => e.selected || gone.has(e.source) || gone.has(e.target);
    if (!gone.size && !es.some(edgeGone)) return;
    remember();
    apply({ nodes: ns.filter((n) => !gone.has(n.id)), edges: es.filter((e) => !edgeGone(e)) });
  }, [remember, apply]);

  const copy = useCallback(() => {
    const selected = new Set(current.current.nodes.filter((n) => n.selected).map((n) => n.id));
    if (!selected.size) return 0;
    clipboard.current = copySelection(current.current, selected);
    setClipboardSize(selected.size);
    return selected.size;
  }, []);

  const paste = useCallback(() => {
    if (!clipboard.current?.nodes.length) return 0;
    remember();
    apply(pasteClipboard(current.current, clipboard.current));
    // the next paste lands a further step away
    clipboard.current = { ...clipboard.current, nodes: clipboard.current.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 40 } })) };
    return clipboard.current.nodes.length;
  }, [remember, apply]);

  /** `ports`: each node's handle counts (its component's ports), so the layout sees where edges really leave and enter */
  const autoLayout = useCallback((ports?: PortCounts) => {
    remember();
    apply({ nodes: layoutGraph(current.current.nodes, current.current.edges, 'TB', ports), edges: current.current.edges });
  }, [remember, apply]);

  const undo = useCallback(() => {
    const r = undoHistory(history, cleanSnapshot(current.current.nodes, current.current.edges));
    if (!r) return;
    setHistory(r.history);
    apply(r.state);
  }, [history, apply]);

  const redo = useCallback(() => {
    const r = redoHistory(history, cleanSnapshot(current.current.nodes, current.current.edges));
    if (!r) return;
    setHistory(r.history);
    apply(r.state);
  }, [history, apply]);

  const graph: Graph = useMemo(() => toGraph(nodes, edges), [nodes, edges]);

  return {
    nodes, edges, graph, current,
    onNodesChange, onEdgesChange, onNodeDragStart, connect, addNode, updateNodeData, deleteSelected,
    copy, paste, clipboardSize, autoLayout, undo, redo, reset,
    canUndo: history.past.length > 0, canRedo: history.future.length > 0,
  };
}

export type Designer = ReturnType<typeof useDesigner>;
