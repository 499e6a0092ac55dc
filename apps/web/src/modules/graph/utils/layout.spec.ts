import type { DesignerNode } from '../types';
import { makeEdge } from './convert';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout';

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
