import type { Graph } from '../../../types/contracts';

/** An unsaved canvas kept in localStorage, tied to the experiment version it started from. */
export interface Draft {
  experimentId: string;
  baseVersion: number;
  graph: Graph;
  savedAt: string;
}

const draftKey = (id: string) => `mixflow.draft.${id}`;
const LAST_KEY = 'mixflow.lastExperiment';

export function saveDraft(storage: Storage, d: Draft): void {
  try {
    storage.setItem(draftKey(d.experimentId), JSON.stringify(d));
  } catch {
    // storage full or disabled: drafts are a convenience, saving to the server still works
  }
}

export function loadDraft(storage: Storage, experimentId: string): Draft | undefined {
  try {
    const raw = storage.getItem(draftKey(experimentId));
    if (!raw) return undefined;
    const d = JSON.parse(raw) as Draft;
    return d && d.experimentId === experimentId && Array.isArray(d.graph?.nodes) ? d : undefined;
  } catch {
    return undefined;
  }
}

export function clearDraft(storage: Storage, experimentId: string): void {
  storage.removeItem(draftKey(experimentId));
}

/** A draft is offered back only if it was made on the version the server still has and differs from it. */
export function restorableDraft(d: Draft | undefined, serverVersion: number, serverGraph: Graph): Draft | undefined {
  if (!d || d.baseVersion !== serverVersion) return undefined;
  return JSON.stringify(d.graph) === JSON.stringify(serverGraph) ? undefined : d;
}

export const lastExperiment = {
  get: (storage: Storage) => storage.getItem(LAST_KEY) ?? undefined,
  set: (storage: Storage, id: string) => storage.setItem(LAST_KEY, id),
};
