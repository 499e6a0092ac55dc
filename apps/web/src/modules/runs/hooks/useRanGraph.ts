import { useEffect, useState } from 'react';
import { api } from '../../../api/client';
import type { Graph, Run } from '../../../types/contracts';

/** The graph a run ran: the experiment's version it records (fetched once per run). */
export function useRanGraph(run: Pick<Run, 'id' | 'experimentId' | 'experimentVersion'> | undefined): Graph | undefined {
  const [ran, setRan] = useState<{ key: string; graph: Graph } | undefined>();
  const key = run ? `${run.experimentId}@${run.experimentVersion}` : undefined;
  useEffect(() => {
    if (!run || !key || ran?.key === key) return;
    let cancelled = false;
    api.experimentVersion(run.experimentId, run.experimentVersion).then(
      (v) => !cancelled && setRan({ key, graph: v.graph }),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [key]);
  return ran && ran.key === key ? ran.graph : undefined;
}
