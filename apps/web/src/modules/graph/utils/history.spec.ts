import { emptyHistory, record, redo, undo } from './history';

describe('undo/redo history', () => {
  it('undoes and redoes in order', () => {
    let h = emptyHistory<string>();
    h = record(h, 'A', { now: 0 }); // A → B
    h = record(h, 'B', { now: 10_000 }); // B → C
    const u1 = undo(h, 'C')!;
    expect(u1.state).toBe('B');
    const u2 = undo(u1.history, u1.state)!;
    expect(u2.state).toBe('A');
    expect(undo(u2.history, u2.state)).toBeUndefined();
    const r1 = redo(u2.history, u2.state)!;
    expect(r1.state).toBe('B');
    const r2 = redo(r1.history, r1.state)!;
    expect(r2.state).toBe('C');
    expect(redo(r2.history, r2.state)).toBeUndefined();
  });

  it('a new change after an undo drops the redo branch', () => {
    let h = record(emptyHistory<string>(), 'A', { now: 0 });
    const u = undo(h, 'B')!;
    h = record(u.history, 'A', { now: 5000 }); // A → X
    expect(h.future).toEqual([]);
    expect(redo(h, 'X')).toBeUndefined();
    expect(undo(h, 'X')!.state).toBe('A');
  });

  it('merges quick edits of the same field into one step, but not edits of different fields or slow ones', () => {
    let h = emptyHistory<string>();
    h = record(h, 'k=', { mergeKey: 'k', now: 0 });
    h = record(h, 'k=1', { mergeKey: 'k', now: 300 });
    expect(h.past).toEqual(['k=']);
    h = record(h, 'k=12', { mergeKey: 'eps', now: 600 });
    expect(h.past).toEqual(['k=', 'k=12']);
    h = record(h, 'later', { mergeKey: 'eps', now: 60_000 });
    expect(h.past).toHaveLength(3);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < 5; i++) h = record(h, i, { now: i * 10_000, limit: 3 });
    expect(h.past).toEqual([2, 3, 4]);
  });
});
