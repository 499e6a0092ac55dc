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
/** configure cannot tell its output schema; check looks at `expr` against the input's columns, and tells a one-column output named `reveal` when set */
const seen: { params: Params; inputs: (PortSchema | undefined)[] }[] = [];
const query: ComponentDefinition = {
  description: {
    id: 'query', displayName: 'Query', category: 'Data', version: 1, description: 'd', icon: 'db',
    inputs: [{ name: 'data', label: 'Data', type: 'table' }], outputs: [{ name: 'data', label: 'Data', type: 'table' }],
    parameters: [
      { name: 'expr', label: 'Expr', tab: 'parameter', type: 'string', default: 'x', help: 'h' },
      { name: 'reveal', label: 'Reveal', tab: 'parameter', type: 'string', default: '', help: 'h' },
    ],
  },
  configure: () => ({ outputs: [undefined], errors: [] }),
  check: async (params, inputs) => {
    seen.push({ params, inputs });
    const input = inputs[0];
    const known = input?.type === 'table' ? input.schema.columns.map((c) => c.name) : [];
    if (!known.includes(params.expr as string)) return { errors: [{ parameter: 'expr', message: `no column ${params.expr}` }] };
    const reveal = params.reveal as string;
    return { errors: [], ...(reveal ? { outputs: [{ type: 'table' as const, schema: { columns: [{ name: reveal, type: 'double' as const }] } }] } : {}) };
  },
  execute: async () => ({ outputs: [] }),
};
const registry: ComponentLookup = { has: (id) => id === 'source' || id === 'query', get: (id) => (id === 'source' ? source : query) };

function graph(expr: string, reveal = ''): Graph {
  return {
    nodes: [
      { id: 's', componentId: 'source', position: { x: 0, y: 0 }, params: {} },
      { id: 'q1', componentId: 'query', position: { x: 0, y: 0 }, params: { expr, reveal } },
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
    const configured = await checkGraph(g, registry);
    expect(configured.nodes.q1.errors).toEqual([{ parameter: 'expr', message: 'no column nope' }]);
    expect(seen[0]).toEqual({ params: { expr: 'nope', reveal: '' }, inputs: [{ type: 'table', schema }] });
  });

  it('skips a node whose connected input has no known schema, and nodes not asked for', async () => {
    const g = graph('x');
    const configured = await checkGraph(g, registry);
    // q2 reads q1, whose output is only known by running it
    expect(configured.nodes.q1.errors).toEqual([]);
    expect(configured.nodes.q2.errors).toEqual([]);
    expect(seen).toHaveLength(1);
    await checkGraph(g, registry, undefined, ['s']);
    expect(seen).toHaveLength(1);
  });

  it('feeds the output schemas a check found out downstream: the next node is configured and checked on them', async () => {
    const g = graph('x', 'y');
    const configured = await checkGraph(g, registry);
    const revealed = { type: 'table', schema: { columns: [{ name: 'y', type: 'double' }] } };
    expect(configured.nodes.q1.outputs).toEqual([revealed]);
    expect(configured.nodes.q2.errors).toEqual([]);
    expect(seen.filter((s) => s.params.expr === 'y').at(-1)?.inputs).toEqual([revealed]);
    // configure alone still cannot tell it
    expect(configureGraph(g, registry).nodes.q1.outputs).toEqual([null]);
    // a revealed column q2 does not use is an error on q2, before anything runs
    expect((await checkGraph(graph('x', 'z'), registry)).nodes.q2.errors).toEqual([{ parameter: 'expr', message: 'no column y' }]);
  });

  it('checks a node again only when its inputs changed (a SQL Script compiles once per call, not once a pass)', async () => {
    const configured = await checkGraph(graph('x', 'y'), registry);
    // pass 1 checks q1 and learns its output; pass 2 checks q2 on it and reuses q1's check, whose input is the same
    expect(seen.map((s) => s.params.expr)).toEqual(['x', 'y']);
    expect(configured.nodes.q1.outputs).toEqual([{ type: 'table', schema: { columns: [{ name: 'y', type: 'double' }] } }]);
    seen.length = 0;
    // q2 still gets its own error
    expect((await checkGraph(graph('x', 'z'), registry)).nodes.q2.errors).toEqual([{ parameter: 'expr', message: 'no column y' }]);
    expect(seen.map((s) => s.params.expr)).toEqual(['x', 'y']);
  });
});
