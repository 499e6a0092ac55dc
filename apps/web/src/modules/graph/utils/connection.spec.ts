import { descriptions } from '../../../test/fixtures';
import type { DesignerEdge, DesignerNode } from '../types';
import { makeEdge } from './convert';
import { unconnectedInputs, validateConnection } from './connection';

const node = (id: string, componentId: string): DesignerNode => ({ id, type: 'component', position: { x: 0, y: 0 }, data: { componentId, label: id, params: {} } });
const nodes = [node('read', 'read-dataset'), node('train', 'gmm-train'), node('predict', 'gmm-predict')];

describe('validateConnection', () => {
  it('accepts a table output into a table input and a model output into a model input', () => {
    expect(validateConnection({ source: 'read', sourceHandle: 'out-0', target: 'train', targetHandle: 'in-0' }, nodes, [], descriptions)).toEqual({ ok: true });
    expect(validateConnection({ source: 'train', sourceHandle: 'out-0', target: 'predict', targetHandle: 'in-0' }, nodes, [], descriptions)).toEqual({ ok: true });
  });

  it('refuses a table into the model port and says which ports and types clash', () => {
    const v = validateConnection({ source: 'read', sourceHandle: 'out-0', target: 'predict', targetHandle: 'in-0' }, nodes, [], descriptions);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.reason).toContain('Read Dataset');
    expect(v.reason).toContain('“GMM model” input takes a model');
    expect(v.reason).toContain('A table port only connects to a table port');
  });

  it('refuses a model into a table port', () => {
    const v = validateConnection({ source: 'train', sourceHandle: 'out-0', target: 'predict', targetHandle: 'in-1' }, nodes, [], descriptions);
    expect(v).toEqual({ ok: false, reason: expect.stringContaining('A model port only connects to a model port') });
  });

  it('refuses a second edge into an input that is already connected', () => {
    const edges: DesignerEdge[] = [makeEdge('read', 0, 'train', 0)];
    const other = [...nodes, node('read2', 'read-dataset')];
    const v = validateConnection({ source: 'read2', sourceHandle: 'out-0', target: 'train', targetHandle: 'in-0' }, other, edges, descriptions);
    expect(v).toEqual({ ok: false, reason: expect.stringContaining('already connected') });
  });

  it('refuses self-loops, cycles and ports that do not exist', () => {
    const two = [node('a', 'gmm-predict'), node('b', 'gmm-predict')];
    const t = [node('t1', 'gmm-train'), ...two];
    expect(validateConnection({ source: 't1', sourceHandle: 'out-0', target: 't1', targetHandle: 'in-0' }, t, [], descriptions).ok).toBe(false);
    // a → b exists; b → a would close a cycle
    const edges = [makeEdge('a', 0, 'b', 1)];
    const v = validateConnection({ source: 'b', sourceHandle: 'out-0', target: 'a', targetHandle: 'in-1' }, t, edges, descriptions);
    expect(v).toEqual({ ok: false, reason: expect.stringContaining('cycle') });
    expect(validateConnection({ source: 'read', sourceHandle: 'out-3', target: 'train', targetHandle: 'in-0' }, nodes, [], descriptions))
      .toEqual({ ok: false, reason: 'read has no output port 3.' });
  });
});

describe('unconnectedInputs', () => {
  it('names every input port nothing feeds yet', () => {
    const predict = descriptions.get('gmm-predict')!;
    expect(unconnectedInputs('predict', predict, [makeEdge('read', 0, 'predict', 1)])).toEqual([
      { port: 0, message: 'Connect a model to the “GMM model” input (port 0).' },
    ]);
    expect(unconnectedInputs('predict', predict, [makeEdge('read', 0, 'predict', 1), makeEdge('train', 0, 'predict', 0)])).toEqual([]);
    expect(unconnectedInputs('read', descriptions.get('read-dataset')!, [])).toEqual([]);
  });

  it('does not ask for an optional input, such as GMM Training\'s initial model', () => {
    const train = descriptions.get('gmm-train')!;
    const withInitialModel = { ...train, inputs: [train.inputs[0], { name: 'initialModel', label: 'Initial model', type: 'model' as const, optional: true }] };
    expect(unconnectedInputs('train', withInitialModel, [makeEdge('read', 0, 'train', 0)])).toEqual([]);
    expect(unconnectedInputs('train', withInitialModel, []).map((e) => e.port)).toEqual([0]);
  });
});
