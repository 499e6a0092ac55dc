import type { DesignerNode } from '../types';
import { makeEdge } from './convert';
import { countCrossings, layoutGraph, NODE_HEIGHT, NODE_WIDTH, type PortCounts } from './layout';

const node = (id: string): DesignerNode => ({ id, type: 'component', position: { x: 0, y: 0 }, data: { componentId: 'x', label: id, params: {} } });

describe('layoutGraph (dagre, top to bottom)', () => {
  const nodes = ['read', 'train', 'predict'].map(node);
  const edges = [makeEdge('read', 0, 'train', 0), makeEdge('train', 0, 'predict', 0), makeEdge('read', 0, 'predict', 1)];
  const laid = layoutGraph(nodes, edges);
  const at = (id: string) => laid.find((n) => n.id === id)!.position;

  it('puts every node below the nodes that feed it', () => {
    expect(at('train').y).toBeGreaterThanOrEqual(at('read').y + NODE_HEIGHT);
    expect(at('predict').y).toBeGreaterThanOrEqual(at('train').y + NODE_HEIGHT);
  });

  it('keeps nodes of one rank apart and returns new objects', () => {
    const wide = layoutGraph(['r', 'a', 'b'].map(node), [makeEdge('r', 0, 'a', 0), makeEdge('r', 0, 'b', 0)]);
    const [a, b] = ['a', 'b'].map((id) => wide.find((n) => n.id === id)!.position);
    expect(a.y).toBe(b.y);
    expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(laid[0]).not.toBe(nodes[0]);
    expect(nodes[0].position).toEqual({ x: 0, y: 0 });
  });
});

describe('auto-layout of the sample graphs: no crossings', () => {
  // the components' ports: Read Dataset 0/1, Standardization 1/2 (table, model), GMM Training 2/1 (data, initial
  // model), GMM Prediction 2/1 (model, data), Clustering Model Evaluation 1/1
  const ports: Record<string, { inputs: number; outputs: number }> = {
    read: { inputs: 0, outputs: 1 },
    standardize: { inputs: 1, outputs: 2 },
    train: { inputs: 2, outputs: 1 },
    predict: { inputs: 2, outputs: 1 },
    evaluate: { inputs: 1, outputs: 1 },
  };
  const portsOf: PortCounts = (n) => ports[n.id];
  const blobs = {
    nodes: ['read', 'train', 'predict'].map(node),
    edges: [makeEdge('read', 0, 'train', 0), makeEdge('train', 0, 'predict', 0), makeEdge('read', 0, 'predict', 1)],
  };
  const faithful = {
    nodes: ['read', 'standardize', 'train', 'predict', 'evaluate'].map(node),
    edges: [
      makeEdge('read', 0, 'standardize', 0),
      makeEdge('standardize', 1, 'train', 0),
      makeEdge('train', 0, 'predict', 0),
      makeEdge('standardize', 1, 'predict', 1),
      makeEdge('predict', 0, 'evaluate', 0),
    ],
  };

  it.each([['GMM on three blobs', blobs], ['Old Faithful: standardize, cluster, evaluate', faithful]])('%s', (_name, g) => {
    const laid = layoutGraph(g.nodes, g.edges, 'TB', portsOf);
    expect(countCrossings(laid, g.edges, portsOf)).toBe(0);
    // still layered: every edge points down
    for (const e of g.edges) expect(laid.find((n) => n.id === e.target)!.position.y).toBeGreaterThan(laid.find((n) => n.id === e.source)!.position.y);
  });

  it('counts crossing edges and an edge running behind a node', () => {
    const at = (id: string, x: number, y: number): DesignerNode => ({ ...node(id), position: { x, y } });
    // the stacked layout of issue 18: Read Dataset → GMM Prediction runs behind GMM Training
    const stacked = [at('read', 0, 0), at('train', 0, 150), at('predict', 0, 300)];
    expect(countCrossings(stacked, blobs.edges, portsOf)).toBeGreaterThan(0);
    // two inputs fed from the wrong sides cross
    const swapped = [at('read', 300, 0), at('train', 0, 150), at('predict', 150, 300)];
    const crossingEdges = [makeEdge('read', 0, 'predict', 0), makeEdge('train', 0, 'predict', 1)];
    expect(countCrossings(swapped, crossingEdges, portsOf)).toBe(1);
    expect(countCrossings(swapped, [makeEdge('read', 0, 'predict', 1), makeEdge('train', 0, 'predict', 0)], portsOf)).toBe(0);
  });
});
