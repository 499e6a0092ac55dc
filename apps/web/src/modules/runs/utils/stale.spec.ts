import type { Graph } from '../../../types/contracts';
import { staleNodes } from './stale';

const ran: Graph = {
  nodes: [
    { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: 'a' } },
    { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { vectorCol: 'features', k: 3 } },
    { id: 'predict', componentId: 'gmm-predict', position: { x: 0, y: 200 }, params: { predictionCol: 'p' } },
  ],
  edges: [
    { id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 },
    { id: 'e2', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
    { id: 'e3', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
  ],
};
const edit = (f: (g: Graph) => void): Graph => {
  const g = structuredClone(ran);
  f(g);
  return g;
};

describe('staleNodes', () => {
  it('finds nothing stale when only positions, labels or key order changed', () => {
    expect(staleNodes(ran, edit((g) => {
      g.nodes[0].position = { x: 50, y: 50 };
      g.nodes[1].label = 'Renamed';
      g.nodes[1].params = { k: 3, vectorCol: 'features' };
    }))).toEqual(new Set());
  });

  it('marks a node whose parameters changed and everything downstream of it', () => {
    expect(staleNodes(ran, edit((g) => void (g.nodes[1].params.k = 4)))).toEqual(new Set(['train', 'predict']));
    expect(staleNodes(ran, edit((g) => void (g.nodes[0].params.datasetId = 'b')))).toEqual(new Set(['read', 'train', 'predict']));
    expect(staleNodes(ran, edit((g) => void (g.nodes[2].params.predictionCol = 'q')))).toEqual(new Set(['predict']));
  });

  it('marks a node whose inputs were reconnected, and ignores nodes that never ran', () => {
    const rewired = edit((g) => {
      g.edges = g.edges.filter((e) => e.id !== 'e3');
      g.nodes.push({ id: 'read2', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: 'c' } });
      g.edges.push({ id: 'e4', source: 'read2', sourcePort: 0, target: 'predict', targetPort: 1 });
    });
    expect(staleNodes(ran, rewired)).toEqual(new Set(['predict']));
  });
});
