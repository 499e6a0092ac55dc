import type { ComponentDefinition, ComponentEnv, ModelPayload, Params, PortValue } from '@mixflow/component-sdk';
import type { ExecutionEngine } from '@mixflow/executor';
import { unloadedTable, type Table } from '@mixflow/table';
import { configureGraph, GraphValidationError, runWorkflow, topologicalOrder, validateGraph, requiredCachedNodes } from './index';
import type { ComponentLookup, Graph, WorkflowEvent } from './index';

// A tiny registry: a table source, a "train" (table → model), a "predict" (model + table → table),
// a component that always fails with a located error, and one that waits until it is aborted.
const table = (n: number): Table => ({
  schema: { columns: [{ name: 'x', type: 'double' }] },
  rowCount: n,
  columns: [Float64Array.from({ length: n }, (_, i) => i)],
});

const source: ComponentDefinition = {
  description: {
    id: 'source', displayName: 'Source', category: 'Data', version: 1, description: '', icon: 'db',
    inputs: [], outputs: [{ name: 'data', label: 'Data', type: 'table' }],
    parameters: [{ name: 'rows', label: 'Rows', tab: 'parameter', type: 'int', required: true, min: 1, help: '' }],
  },
  configure: (p) => ({ outputs: [{ type: 'table', schema: table(0).schema, rowCount: p.rows as number }], errors: [] }),
  execute: async (c) => ({ outputs: [{ type: 'table', table: table(c.params.rows as number) }] }),
};
const train: ComponentDefinition = {
  description: {
    id: 'train', displayName: 'Train', category: 'Clustering', version: 1, description: '', icon: 'demo',
    inputs: [{ name: 'data', label: 'Data', type: 'table' }], outputs: [{ name: 'model', label: 'Model', type: 'model' }],
    parameters: [{ name: 'k', label: 'k', tab: 'parameter', type: 'int', default: 2, min: 1, help: '' }],
  },
  configure: (p, inputs) => ({
    outputs: [inputs[0] ? { type: 'model', modelType: 'demo', k: p.k as number, dims: 1 } : undefined],
    errors: inputs[0] ? [] : [{ port: 0, message: 'connect a table' }],
  }),
  estimate: (_p, inputs) => ({ formulaMemoryMb: inputs[0].rows ?? -1, formula: 'rows', recommendedMemoryMb: 1024, recommendedWorkers: 1, warnings: [] }),
  execute: async (c) => {
    c.progress(0.5, 'half');
    c.log('info', `training on ${(c.inputs[0] as { table: Table }).table.rowCount} rows`);
    c.metric('iterations', 3);
    return { outputs: [{ type: 'model', model: { modelType: 'demo', version: 1, k: c.params.k as number } as ModelPayload }] };
  },
};
const predict: ComponentDefinition = {
  description: {
    id: 'predict', displayName: 'Predict', category: 'Clustering', version: 1, description: '', icon: 'demo',
    inputs: [{ name: 'model', label: 'Model', type: 'model' }, { name: 'data', label: 'Data', type: 'table' }],
    outputs: [{ name: 'out', label: 'Output', type: 'table' }], parameters: [],
  },
  configure: (_p, inputs) => ({ outputs: [inputs[1]], errors: [] }),
  execute: async (c) => ({ outputs: [c.inputs[1]] }),
};
class LocatedError extends Error {
  details = { parameter: 'k', row: 7 };
}
const failing: ComponentDefinition = {
  ...train,
  description: { ...train.description, id: 'failing' },
  execute: async () => {
    throw new LocatedError('row 7: k is larger than the number of rows');
  },
};
const waiting: ComponentDefinition = {
  ...train,
  description: { ...train.description, id: 'waiting' },
  execute: (c) =>
    new Promise((_, reject) => {
      c.progress(0.1);
      c.signal.addEventListener('abort', () => reject(new Error('aborted')));
    }),
};

function lookup(defs: ComponentDefinition[]): ComponentLookup {
  const map = new Map(defs.map((d) => [d.description.id, d]));
  return { has: (id) => map.has(id), get: (id) => { const d = map.get(id); if (!d) throw new Error(`unknown ${id}`); return d; } };
}
const registry = lookup([source, train, predict, failing, waiting]);
const engine = { kind: 'inline' } as unknown as ExecutionEngine;
const env: ComponentEnv = { datasetSchema: () => undefined, loadDataset: async () => table(1) };

const node = (id: string, componentId: string, params: Params = {}) => ({ id, componentId, position: { x: 0, y: 0 }, params });
const edge = (id: string, source: string, sourcePort: number, target: string, targetPort: number) => ({ id, source, sourcePort, target, targetPort });

/** src → tr → pr, src → pr (port 1) */
function pipeline(trainComponent = 'train'): Graph {
  return {
    nodes: [node('pr', 'predict'), node('tr', trainComponent, { k: 3 }), node('src', 'source', { rows: 10 })],
    edges: [edge('e1', 'src', 0, 'tr', 0), edge('e2', 'tr', 0, 'pr', 0), edge('e3', 'src', 0, 'pr', 1)],
  };
}

describe('validateGraph', () => {
  it('accepts a well-formed pipeline', () => {
    expect(validateGraph(pipeline(), registry)).toEqual([]);
  });

  it('names the node with an unknown component', () => {
    const g = pipeline();
    g.nodes.push(node('zz', 'no-such-thing'));
    const errors = validateGraph(g, registry);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'zz' });
    expect(errors[0].message).toContain("unknown component 'no-such-thing'");
  });

  it('names the node and parameter of a missing required parameter', () => {
    const g = pipeline();
    g.nodes[2].params = {};
    const errors = validateGraph(g, registry);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ nodeId: 'src', parameter: 'rows' });
  });

  it('rejects a model output wired into a table input, naming the edge', () => {
    const g = pipeline();
    g.edges[2] = edge('bad', 'tr', 0, 'pr', 1);
    const errors = validateGraph(g, registry);
    expect(errors.find((e) => e.edgeId === 'bad')?.message).toMatch(/is a model but input 'Data' of node 'pr'.*takes a table/);
  });

  it('rejects port indexes out of range and two edges into one input', () => {
    const g = pipeline();
    g.edges.push(edge('e4', 'src', 1, 'tr', 0), edge('e5', 'src', 0, 'tr', 0));
    const errors = validateGraph(g, registry);
    expect(errors.find((e) => e.edgeId === 'e4')?.message).toContain('has no output port 1');
    expect(errors.find((e) => e.edgeId === 'e5')?.message).toContain("already has edge 'e1'");
  });

  it('names the nodes on a cycle', () => {
    const g: Graph = {
      nodes: [node('a', 'predict'), node('b', 'predict'), node('m', 'train')],
      edges: [edge('ab', 'a', 0, 'b', 1), edge('ba', 'b', 0, 'a', 1)],
    };
    const errors = validateGraph(g, registry);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/cycle through nodes '(a|b)' → '(a|b)' → '(a|b)'/);
    expect(() => topologicalOrder(g)).toThrow(GraphValidationError);
  });
});

describe('topologicalOrder', () => {
  it('puts upstream nodes first whatever the listing order', () => {
    expect(topologicalOrder(pipeline())).toEqual(['src', 'tr', 'pr']);
  });
});

describe('configureGraph', () => {
  it('propagates schemas downstream and estimates from the input statistics', () => {
    const result = configureGraph(pipeline(), registry);
    expect(result.errors).toEqual([]);
    expect(result.nodes.tr.outputs[0]).toMatchObject({ type: 'model', k: 3 });
    expect(result.nodes.tr.inputStats[0].rows).toBe(10);
    expect(result.nodes.tr.estimate?.formulaMemoryMb).toBe(10);
    expect(result.nodes.pr.outputs[0]).toMatchObject({ type: 'table', rowCount: 10 });
  });

  it('reports a disconnected input as null output and a field error', () => {
    const g: Graph = { nodes: [node('tr', 'train')], edges: [] };
    const result = configureGraph(g, registry);
    expect(result.nodes.tr.outputs).toEqual([null]);
    expect(result.nodes.tr.errors[0]).toMatchObject({ port: 0 });
  });
});

describe('runWorkflow', () => {
  it('runs every node in order and reports events', async () => {
    const events: WorkflowEvent[] = [];
    const stored: string[] = [];
    const result = await runWorkflow(pipeline(), registry, {
      engine, env, onEvent: (e) => events.push(e), onNodeSucceeded: (id) => { stored.push(id); },
    });
    expect(result.status).toBe('succeeded');
    expect(stored).toEqual(['src', 'tr', 'pr']);
    expect((result.outputs.pr[0] as { table: Table }).table.rowCount).toBe(10);
    const trStatuses = events.filter((e) => e.type === 'node' && e.nodeId === 'tr').map((e) => (e as { status: string }).status);
    expect(trStatuses).toEqual(['queued', 'running', 'running', 'succeeded']);
    expect(events).toContainEqual({ type: 'metric', nodeId: 'tr', name: 'iterations', value: 3 });
    expect(events.some((e) => e.type === 'log' && e.message === 'training on 10 rows')).toBe(true);
  });

  it('loads an unloaded stored table once for ports that do not read stored rows, and passes it as it is to one that does', async () => {
    const seen: Record<string, boolean> = {};
    const storedSource: ComponentDefinition = {
      ...source,
      description: { ...source.description, id: 'stored' },
      execute: async () => ({ outputs: [{ type: 'table', table: unloadedTable(table(0).schema, 10, 'ds') }] }),
    };
    const reader: ComponentDefinition = {
      ...train,
      description: { ...train.description, id: 'reader', inputs: [{ name: 'data', label: 'Data', type: 'table', readsStoredRows: true }] },
      execute: async (c) => {
        seen.reader = (c.inputs[0] as { table: Table }).table.unloaded === true;
        return train.execute(c);
      },
    };
    let loads = 0;
    const counting: ComponentEnv = { ...env, loadDataset: async () => (loads++, table(10)) };
    const graph: Graph = {
      nodes: [node('src', 'stored', { rows: 10 }), node('tr', 'reader', { k: 3 }), node('pr', 'predict'), node('pr2', 'predict')],
      edges: [edge('e1', 'src', 0, 'tr', 0), edge('e2', 'tr', 0, 'pr', 0), edge('e3', 'src', 0, 'pr', 1), edge('e4', 'tr', 0, 'pr2', 0), edge('e5', 'src', 0, 'pr2', 1)],
    };
    const result = await runWorkflow(graph, lookup([storedSource, reader, predict]), { engine, env: counting });
    expect(result.status).toBe('succeeded');
    expect(seen.reader).toBe(true);
    expect(loads).toBe(1);
    expect((result.outputs.pr2[0] as { table: Table }).table.columns[0]).toHaveLength(10);
  });

  it('logs when each node starts and finishes, with its time, and why a node failed or was skipped', async () => {
    const logsOf = async (g: Graph) => {
      const events: WorkflowEvent[] = [];
      await runWorkflow(g, registry, { engine, env, onEvent: (e) => events.push(e) });
      return events.flatMap((e) => (e.type === 'log' ? [`${e.nodeId} ${e.level} ${e.message.replace(/\d+\.\d\d s/, 'T s')}`] : []));
    };
    const ok = await logsOf(pipeline());
    expect(ok.filter((l) => !l.includes('training on'))).toEqual([
      'src info Source started', 'src info Source finished in T s',
      'tr info Train started', 'tr info Train finished in T s',
      'pr info Predict started', 'pr info Predict finished in T s',
    ]);
    const failed = await logsOf(pipeline('failing'));
    expect(failed.find((l) => l.startsWith('tr error'))).toMatch(/^tr error Train failed after T s: .*larger than the number of rows/);
    expect(failed.find((l) => l.startsWith('pr '))).toMatch(/^pr warn Predict skipped: skipped because upstream node 'tr' failed/);
  });

  it('fails the node with the error location and skips its downstream, saying why', async () => {
    const result = await runWorkflow(pipeline('failing'), registry, { engine, env });
    expect(result.status).toBe('failed');
    expect(result.nodes.src.status).toBe('succeeded');
    expect(result.nodes.tr).toMatchObject({ status: 'failed', details: { nodeId: 'tr', parameter: 'k', row: 7 } });
    expect(result.nodes.tr.error).toContain('larger than the number of rows');
    expect(result.nodes.pr.status).toBe('skipped');
  });

  it('cancels the running node and the ones after it on abort', async () => {
    const controller = new AbortController();
    const events: WorkflowEvent[] = [];
    const promise = runWorkflow(pipeline('waiting'), registry, {
      engine, env, signal: controller.signal,
      onEvent: (e) => { events.push(e); if (e.type === 'node' && e.nodeId === 'tr' && e.status === 'running') setTimeout(() => controller.abort(), 5); },
    });
    const result = await promise;
    expect(result.status).toBe('cancelled');
    expect(result.nodes.tr.status).toBe('cancelled');
    expect(result.nodes.pr.status).toBe('cancelled');
    expect(result.nodes.src.status).toBe('succeeded');
  });

  it('runs from a node with cached upstream outputs, and only one node', async () => {
    const cachedModel: PortValue = { type: 'model', model: { modelType: 'demo', version: 1, k: 9 } as ModelPayload };
    expect(requiredCachedNodes(pipeline(), { fromNode: 'tr' })).toEqual(['src']);
    const from = await runWorkflow(pipeline(), registry, { engine, env, fromNode: 'tr', cached: { src: [{ type: 'table', table: table(4) }] } });
    expect(Object.keys(from.nodes).sort()).toEqual(['pr', 'tr']);
    expect((from.outputs.pr[0] as { table: Table }).table.rowCount).toBe(4);
    const only = await runWorkflow(pipeline(), registry, { engine, env, onlyNode: 'pr', cached: { src: [{ type: 'table', table: table(2) }], tr: [cachedModel] } });
    expect(Object.keys(only.nodes)).toEqual(['pr']);
    expect(only.status).toBe('succeeded');
    const missing = await runWorkflow(pipeline(), registry, { engine, env, onlyNode: 'pr', cached: {} });
    expect(missing.nodes.pr.status).toBe('failed');
    expect(missing.nodes.pr.error).toContain("upstream node 'tr'");
  });

  it('refuses to start an invalid graph', async () => {
    const g = pipeline();
    g.nodes.push(node('x', 'nope'));
    await expect(runWorkflow(g, registry, { engine, env })).rejects.toThrow(GraphValidationError);
  });
});
