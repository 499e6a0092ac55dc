import type { DesignerNode } from '../types';
import { fromGraph, makeEdge, nextNodeId, toGraph } from './convert';
import { copySelection, pasteClipboard } from './clipboard';

const node = (id: string, componentId: string, x = 0): DesignerNode => ({ id, type: 'component', position: { x, y: 0 }, data: { componentId, label: id, params: { k: 3 } } });

describe('copy and paste', () => {
  const nodes = [node('gmm-train-1', 'gmm-train'), node('gmm-predict-1', 'gmm-predict', 100), node('read-dataset-1', 'read-dataset')];
  const edges = [makeEdge('gmm-train-1', 0, 'gmm-predict-1', 0), makeEdge('read-dataset-1', 0, 'gmm-train-1', 0)];

  it('copies the selected nodes with only the edges between them', () => {
    const clip = copySelection({ nodes, edges }, new Set(['gmm-train-1', 'gmm-predict-1']));
    expect(clip.nodes.map((n) => n.id)).toEqual(['gmm-train-1', 'gmm-predict-1']);
    expect(clip.edges).toHaveLength(1);
  });

  it('pastes with fresh ids, shifted positions, rewired edges and only the pasted nodes selected', () => {
    const clip = copySelection({ nodes, edges }, new Set(['gmm-train-1', 'gmm-predict-1']));
    const out = pasteClipboard({ nodes, edges }, clip, { x: 40, y: 40 });
    expect(out.nodes.map((n) => n.id)).toEqual(['gmm-train-1', 'gmm-predict-1', 'read-dataset-1', 'gmm-train-2', 'gmm-predict-2']);
    expect(out.nodes.find((n) => n.id === 'gmm-predict-2')!.position).toEqual({ x: 140, y: 40 });
    expect(out.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['gmm-train-2', 'gmm-predict-2']);
    const pastedEdge = out.edges[out.edges.length - 1];
    expect([pastedEdge.source, pastedEdge.target]).toEqual(['gmm-train-2', 'gmm-predict-2']);
    // the copy's params are its own
    out.nodes[3].data.params.k = 9;
    expect(nodes[0].data.params.k).toBe(3);
  });

  it('nextNodeId fills the first free number', () => {
    expect(nextNodeId('gmm-train', ['gmm-train-1', 'gmm-train-3'])).toBe('gmm-train-2');
  });

  it('toGraph and fromGraph round-trip ports and params', () => {
    const g = toGraph(nodes, [makeEdge('read-dataset-1', 0, 'gmm-predict-1', 1)]);
    expect(g.edges[0]).toMatchObject({ source: 'read-dataset-1', sourcePort: 0, target: 'gmm-predict-1', targetPort: 1 });
    const back = fromGraph(g);
    expect(toGraph(back.nodes, back.edges)).toEqual(g);
  });
});
