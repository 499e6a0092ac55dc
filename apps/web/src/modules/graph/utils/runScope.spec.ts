import type { Graph } from '../../../types/contracts';
import { nodesToRun } from './runScope';

const graph: Graph = {
  nodes: ['read', 'train', 'predict', 'other'].map((id) => ({ id, componentId: 'x', position: { x: 0, y: 0 }, params: {} })),
  edges: [
    { id: 'a', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 },
    { id: 'b', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
    { id: 'c', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
  ],
};

describe('nodesToRun', () => {
  it('is every node for a full run, one node for onlyNode, and the node plus its descendants for fromNode', () => {
    expect([...nodesToRun(graph)].sort()).toEqual(['other', 'predict', 'read', 'train']);
    expect([...nodesToRun(graph, { onlyNode: 'train' })]).toEqual(['train']);
    expect([...nodesToRun(graph, { fromNode: 'train' })].sort()).toEqual(['predict', 'train']);
    expect([...nodesToRun(graph, { fromNode: 'read' })].sort()).toEqual(['predict', 'read', 'train']);
  });
});
