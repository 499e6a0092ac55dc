import type { ComponentDefinition, Params, PortSchema } from '@mixflow/component-sdk';
import { checkGraph, configureGraph } from './index';
import type { ComponentLookup, Graph } from './index';

const schema = { columns: [{ name: 'x', type: 'double' as const }] };
const source: ComponentDefinition = {
  description: {
    id: 'source', displayName: 'Source', category: 'Data', version: 1, description: 'd', icon: 'db',
    inputs: [], outputs: [{ name: 'data', label: 'Data', type: 'table' }], parameters: [],
  },
  configure: () => ({ outputs: [{ type: 'table', schema }], errors: [] }),
  execute: async () => ({ outputs: [] }),
};
/** configure cannot tell its output schema; check looks at `expr` against the input's columns */
const seen: { params: Params; inputs: (PortSchema | undefined)[] }[] = [];
const query: ComponentDefinition = {
  description: {
    id: 'query', displayName: 'Query', category: 'Data', version: 1, description: 'd', icon: 'db',
    inputs: [{ name: 'data', label: 'Data', type: 'table' }], outputs: [{ name: 'data', label: 'Data', type: 'table' }],
    parameters: [{ name: 'expr', label: 'Expr', tab: 'parameter', type: 'string', default: 'x', help: 'h' }],
  },
  configure: () => ({ outputs: [undefined], errors: [] }),
  check: async (params, inputs) => {
    seen.push({ params, inputs });
    const input = inputs[0];
    const known = input?.type === 'table' ? input.schema.columns.map((c) => c.name) : [];
    return known.includes(params.expr as string) ? [] : [{ parameter: 'expr', message: `no column ${params.expr}` }];
  },
  execute: async () => ({ outputs: [] }),
};
const registry: ComponentLookup = { has: (id) => id === 'source' || id === 'query', get: (id) => (id === 'source' ? source : query) };

function graph(expr: string): Graph {
  return {
    nodes: [
      { id: 's', componentId: 'source', position: { x: 0, y: 0 }, params: {} },
      { id: 'q1', componentId: 'query', position: { x: 0, y: 0 }, params: { expr } },
      { id: 'q2', componentId: 'query', position: { x: 0, y: 0 }, params: { expr: 'y' } },
    ],
    edges: [
      { id: 'e1', source: 's', sourcePort: 0, target: 'q1', targetPort: 0 },
      { id: 'e2', source: 'q1', sourcePort: 0, target: 'q2', targetPort: 0 },
    ],
  };
}

describe('checkGraph', () => {
  beforeEach(() => (seen.length = 0));

  it('adds the errors of a component check, run on the input schemas configure found', async () => {
    const g = graph('nope');
    const configured = await checkGraph(g, registry, configureGraph(g, registry));
    expect(configured.nodes.q1.errors).toEqual([{ parameter: 'expr', message: 'no column nope' }]);
    expect(seen[0]).toEqual({ params: { expr: 'nope' }, inputs: [{ type: 'table', schema }] });
  });

  it('skips a node whose connected input has no known schema, and nodes not asked for', async () => {
    const g = graph('x');
    const configured = await checkGraph(g, registry, configureGraph(g, registry));
    // q2 reads q1, whose output is only known by running it
    expect(configured.nodes.q1.errors).toEqual([]);
    expect(configured.nodes.q2.errors).toEqual([]);
    expect(seen).toHaveLength(1);
    await checkGraph(g, registry, configureGraph(g, registry), ['s']);
    expect(seen).toHaveLength(1);
  });
});
