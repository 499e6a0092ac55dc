import { useEffect } from 'react';
import type { Graph } from '../../../types/contracts';

/**
 * Every change is kept as a local draft until saved (written 600 ms after the last change), and leaving the page
 * with unsaved changes asks first (the draft is kept anyway).
 */
export function useDraftKeeping(experimentId: string | undefined, graphJson: string, dirty: boolean, storeDraft: (graph: Graph) => void) {
  useEffect(() => {
    if (!experimentId) return;
    const t = setTimeout(() => storeDraft(JSON.parse(graphJson) as Graph), 600);
    return () => clearTimeout(t);
  }, [graphJson, experimentId, storeDraft]);

  useEffect(() => {
    const h = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, [dirty]);
}
