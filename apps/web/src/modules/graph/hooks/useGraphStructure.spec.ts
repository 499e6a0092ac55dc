import { renderHook } from '@testing-library/react';
import type { Graph } from '../../../types/contracts';
import { useGraphStructure, withoutLayout } from './useGraphStructure';

const graph: Graph = {
  nodes: [
    { id: 'read', componentId: 'read-dataset', label: 'Read', position: { x: 10, y: 20 }, params: { datasetId: 'a' } },
    { id: 'train', componentId: 'gmm-train', label: 'Train', position: { x: 10, y: 120 }, params: { k: 3 } },
  ],
  edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
};
const moved = (g: Graph, x: number): Graph => ({ ...g, nodes: g.nodes.map((n) => ({ ...n, position: { x, y: n.position.y }, label: `${n.label} ${x}` })) });

describe('withoutLayout', () => {
  it('zeroes the positions and empties the labels, and keeps everything else', () => {
    expect(withoutLayout(graph)).toEqual({
      nodes: [
        { id: 'read', componentId: 'read-dataset', label: '', position: { x: 0, y: 0 }, params: { datasetId: 'a' } },
        { id: 'train', componentId: 'gmm-train', label: '', position: { x: 0, y: 0 }, params: { k: 3 } },
      ],
      edges: graph.edges,
    });
  });
});

describe('useGraphStructure', () => {
  it('gives the same structure while only positions and labels change (every frame of a drag), a new one when a parameter or an edge does', () => {
    const { result, rerender } = renderHook((g: Graph) => useGraphStructure(g), { initialProps: graph });
    const first = result.current;
    for (const x of [11, 12, 13]) {
      rerender(moved(graph, x));
      expect(result.current).toBe(first);
    }
    rerender({ ...graph, nodes: [graph.nodes[0], { ...graph.nodes[1], params: { k: 4 } }] });
    expect(result.current).not.toBe(first);
    expect(result.current.structure.nodes[1].params).toEqual({ k: 4 });
    const second = result.current;
    rerender({ ...graph, nodes: [graph.nodes[0], { ...graph.nodes[1], params: { k: 4 } }], edges: [] });
    expect(result.current).not.toBe(second);
    expect(result.current.key).toBe(JSON.stringify(result.current.structure));
  });
});
