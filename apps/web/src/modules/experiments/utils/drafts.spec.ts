import type { Graph } from '../../../types/contracts';
import { clearDraft, loadDraft, restorableDraft, saveDraft } from './drafts';

const g = (n: number): Graph => ({ nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, componentId: 'read-dataset', position: { x: 0, y: 0 }, params: {} })), edges: [] });

describe('drafts', () => {
  beforeEach(() => localStorage.clear());

  it('round-trips through storage per experiment and clears', () => {
    saveDraft(localStorage, { experimentId: 'e1', baseVersion: 3, graph: g(2), savedAt: 't' });
    expect(loadDraft(localStorage, 'e1')?.graph.nodes).toHaveLength(2);
    expect(loadDraft(localStorage, 'e2')).toBeUndefined();
    clearDraft(localStorage, 'e1');
    expect(loadDraft(localStorage, 'e1')).toBeUndefined();
  });

  it('offers a draft back only for the version it was made on and only if it differs', () => {
    const d = { experimentId: 'e1', baseVersion: 3, graph: g(2), savedAt: 't' };
    expect(restorableDraft(d, 3, g(1))).toBe(d);
    expect(restorableDraft(d, 4, g(1))).toBeUndefined();
    expect(restorableDraft(d, 3, g(2))).toBeUndefined();
  });

  it('ignores corrupt entries', () => {
    localStorage.setItem('mixflow.draft.e1', '{not json');
    expect(loadDraft(localStorage, 'e1')).toBeUndefined();
  });
});
