/**
 * Undo/redo as a pure value: `past` holds earlier states (newest last), `future` the undone ones.
 * `record` is called with the state *before* a change. Consecutive records with the same `mergeKey`
 * inside `mergeWindowMs` collapse into one step, so typing "12" in a field is one undo, not two.
 */
export interface History<T> {
  past: T[];
  future: T[];
  lastKey?: string;
  lastAt?: number;
}

export const HISTORY_LIMIT = 100;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] };
}

export function record<T>(
  h: History<T>,
  before: T,
  o: { mergeKey?: string; now?: number; mergeWindowMs?: number; limit?: number } = {},
): History<T> {
  const now = o.now ?? 0;
  const windowMs = o.mergeWindowMs ?? 1500;
  if (o.mergeKey !== undefined && h.lastKey === o.mergeKey && h.lastAt !== undefined && now - h.lastAt <= windowMs && h.past.length) {
    return { ...h, future: [], lastAt: now };
  }
  const past = [...h.past, before];
  const limit = o.limit ?? HISTORY_LIMIT;
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [], lastKey: o.mergeKey, lastAt: now };
}

/** Steps back: returns the state to show and the new history, or undefined when there is nothing to undo. */
export function undo<T>(h: History<T>, current: T): { history: History<T>; state: T } | undefined {
  if (!h.past.length) return undefined;
  const state = h.past[h.past.length - 1];
  return { state, history: { past: h.past.slice(0, -1), future: [current, ...h.future] } };
}

export function redo<T>(h: History<T>, current: T): { history: History<T>; state: T } | undefined {
  if (!h.future.length) return undefined;
  const [state, ...future] = h.future;
  return { state, history: { past: [...h.past, current], future } };
}
