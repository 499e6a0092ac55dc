import type { NodeStatus, Run, RunEvent, RunNodeState } from '../../../types/contracts';

const TERMINAL: readonly string[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];
export const isTerminal = (status: string) => TERMINAL.includes(status);

const emptyNode = (): RunNodeState => ({ status: 'queued', progress: 0, metrics: {}, outputs: [] });

/** Folds one server-sent event into a run (pure; the logs are kept elsewhere). */
export function applyRunEvent(run: Run, e: RunEvent): Run {
  switch (e.type) {
    case 'node': {
      const prev = run.nodes[e.nodeId] ?? emptyNode();
      // a late progress event never drags a finished node back
      if (isTerminal(prev.status) && !isTerminal(e.status)) return run;
      const progress = e.status === 'succeeded' ? 1 : Math.max(0, Math.min(1, e.progress ?? prev.progress));
      return { ...run, status: run.status === 'queued' ? 'running' : run.status, nodes: { ...run.nodes, [e.nodeId]: { ...prev, status: e.status, progress, message: e.message ?? prev.message } } };
    }
    case 'metric': {
      const prev = run.nodes[e.nodeId] ?? emptyNode();
      return { ...run, nodes: { ...run.nodes, [e.nodeId]: { ...prev, metrics: { ...prev.metrics, [e.name]: e.value } } } };
    }
    case 'run':
      return { ...run, status: e.status, error: e.error ?? run.error };
    default:
      return run;
  }
}

/** Merges a fetched run over the live one: the fetched one wins for anything that has moved further. */
export function mergeRun(live: Run | undefined, fetched: Run): Run {
  if (!live || live.id !== fetched.id) return fetched;
  const rank = (s: NodeStatus) => (isTerminal(s) ? 2 : s === 'running' ? 1 : 0);
  const nodes = { ...fetched.nodes };
  for (const [id, n] of Object.entries(live.nodes)) {
    const f = fetched.nodes[id];
    if (!f || rank(n.status) > rank(f.status)) nodes[id] = { ...f, ...n, metrics: { ...f?.metrics, ...n.metrics }, outputs: f?.outputs ?? n.outputs };
  }
  const status = isTerminal(live.status) && !isTerminal(fetched.status) ? live.status : fetched.status;
  return { ...fetched, status, nodes };
}

export function runDuration(run: Pick<Run, 'startedAt' | 'finishedAt' | 'createdAt'>, now = Date.now()): string {
  const start = Date.parse(run.startedAt ?? run.createdAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return '';
  const s = Math.max(0, (end - start) / 1000);
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** The run's overall progress in [0, 1]: the mean of its nodes' progress, a succeeded node counting as done. */
export function runProgress(run: Pick<Run, 'nodes'>): number {
  const nodes = Object.values(run.nodes);
  return nodes.length ? nodes.reduce((s, n) => s + (n.status === 'succeeded' ? 1 : n.progress), 0) / nodes.length : 0;
}

/** The run's progress in whole percents, rounded down: a run still going never reads 100 % (0.995 is 99). */
export function runPercent(run: Pick<Run, 'nodes'>): number {
  return Math.floor(runProgress(run) * 100 + 1e-9);
}

/**
 * The node whose results to open when a run ends: the first node that failed, else the last node of the run
 * that succeeded, "last" meaning no other succeeded node of the run reads from it (the graph's end).
 */
export function nodeToOpenAfterRun(run: Pick<Run, 'nodes'>, edges: readonly { source: string; target: string }[]): string | undefined {
  const ids = Object.keys(run.nodes);
  const failed = ids.find((id) => run.nodes[id].status === 'failed');
  if (failed) return failed;
  const succeeded = new Set(ids.filter((id) => run.nodes[id].status === 'succeeded'));
  const ends = [...succeeded].filter((id) => !edges.some((e) => e.source === id && succeeded.has(e.target)));
  return ends[ends.length - 1];
}
