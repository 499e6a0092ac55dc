import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../api/client';
import type { Experiment, ExperimentSummary, Graph } from '../../../types/contracts';
import { clearDraft, lastExperiment, loadDraft, restorableDraft, saveDraft } from '../utils/drafts';

const SAMPLE_FALLBACK_NAME = 'My first experiment';

/**
 * The experiment list and the open experiment. `load` puts a graph on the canvas (the saved one, or a restored
 * draft); the console opens the experiment last worked on, else the newest (the sample the API seeds).
 */
export function useExperiments(load: (graph: Graph, o: { restoredDraft: boolean }) => void, notify: (m: string, kind?: 'info' | 'success' | 'error' | 'warning') => void) {
  const [list, setList] = useState<ExperimentSummary[]>([]);
  const [current, setCurrent] = useState<Experiment | undefined>();
  const [savedGraph, setSavedGraph] = useState<string>('');
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const loadRef = useRef(load);
  loadRef.current = load;

  const refresh = useCallback(async () => {
    const l = await api.experiments();
    setList(l);
    return l;
  }, []);

  const open = useCallback(async (id: string) => {
    setLoading(true);
    try {
      const e = await api.experiment(id);
      const draft = restorableDraft(loadDraft(localStorage, id), e.version, e.graph);
      setCurrent(e);
      setSavedGraph(JSON.stringify(e.graph));
      loadRef.current(draft ? draft.graph : e.graph, { restoredDraft: Boolean(draft) });
      if (draft) notify(`Restored your unsaved changes to “${e.name}” from ${new Date(draft.savedAt).toLocaleTimeString()}. Press Ctrl+S to save them.`, 'info');
      lastExperiment.set(localStorage, id);
      setError(undefined);
    } catch (err) {
      notify(`Could not open the experiment: ${(err as Error).message}`, 'error');
      throw err;
    } finally {
      setLoading(false);
    }
  }, [notify]);

  // first load
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const l = await refresh();
        if (cancelled) return;
        const last = lastExperiment.get(localStorage);
        const target = l.find((e) => e.id === last) ?? l[0];
        if (target) await open(target.id);
        else {
          const e = await api.createExperiment(SAMPLE_FALLBACK_NAME, { nodes: [], edges: [] });
          await refresh();
          await open(e.id);
        }
      } catch (err) {
        if (!cancelled) {
          setError((err as Error).message);
          setLoading(false);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [refresh, open]);

  const save = useCallback(async (graph: Graph) => {
    if (!current) return;
    setSaving(true);
    try {
      const e = await api.updateExperiment(current.id, { graph });
      setCurrent(e);
      setSavedGraph(JSON.stringify(e.graph));
      clearDraft(localStorage, e.id);
      void refresh();
      return e;
    } finally {
      setSaving(false);
    }
  }, [current, refresh]);

  const storeDraft = useCallback((graph: Graph) => {
    if (!current) return;
    if (JSON.stringify(graph) === savedGraph) clearDraft(localStorage, current.id);
    else saveDraft(localStorage, { experimentId: current.id, baseVersion: current.version, graph, savedAt: new Date().toISOString() });
  }, [current, savedGraph]);

  const create = useCallback(async (name: string) => {
    const e = await api.createExperiment(name, { nodes: [], edges: [] });
    await refresh();
    await open(e.id);
    notify(`Created “${name}”. Drag components from the palette to start.`, 'success');
  }, [refresh, open, notify]);

  const rename = useCallback(async (id: string, name: string) => {
    const e = await api.updateExperiment(id, { name });
    if (current?.id === id) setCurrent((c) => (c ? { ...c, name: e.name, version: e.version } : c));
    await refresh();
  }, [current, refresh]);

  const duplicate = useCallback(async (id: string) => {
    const e = await api.duplicateExperiment(id);
    await refresh();
    await open(e.id);
    notify(`Opened the copy “${e.name}”.`, 'success');
  }, [refresh, open, notify]);

  const remove = useCallback(async (id: string) => {
    await api.deleteExperiment(id);
    clearDraft(localStorage, id);
    const l = await refresh();
    if (current?.id === id) {
      if (l[0]) await open(l[0].id);
      else await create(SAMPLE_FALLBACK_NAME);
    }
  }, [current, refresh, open, create]);

  return { list, current, savedGraph, loading, saving, error, open, save, storeDraft, create, rename, duplicate, remove, refresh };
}
