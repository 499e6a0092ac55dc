import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../api/client';
import type { Run, RunEvent, RunLog } from '../../../types/contracts';
import { applyRunEvent, isTerminal, mergeRun } from '../utils/runState';

/**
 * The run shown on the canvas (live from /api/runs/:id/events, with polling as a fallback if the stream drops),
 * its logs, and the experiment's run history.
 */
export function useRun(experimentId: string | undefined) {
  const [run, setRun] = useState<Run | undefined>();
  const [logs, setLogs] = useState<RunLog[]>([]);
  const [history, setHistory] = useState<Run[]>([]);
  const source = useRef<EventSource | undefined>(undefined);
  const poll = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  const watching = useRef<string | undefined>(undefined);

  const stop = useCallback(() => {
    source.current?.close();
    source.current = undefined;
    if (poll.current) clearInterval(poll.current);
    poll.current = undefined;
    watching.current = undefined;
  }, []);

  const refreshHistory = useCallback(async (id = experimentId) => {
    if (!id) return;
    try {
      setHistory(await api.runs(id));
    } catch {
      /* history is secondary; the toolbar shows connection problems */
    }
  }, [experimentId]);

  const finish = useCallback(async (runId: string) => {
    stop();
    try {
      const [final, finalLogs] = await Promise.all([api.run(runId), api.runLogs(runId)]);
      setRun((r) => (r && r.id !== runId ? r : mergeRun(r, final)));
      setLogs(finalLogs);
    } catch {
      /* keep what the stream delivered */
    }
    void refreshHistory();
  }, [stop, refreshHistory]);

  const startPolling = useCallback((runId: string) => {
    if (poll.current) return;
    poll.current = setInterval(async () => {
      try {
        const r = await api.run(runId);
        setRun((live) => mergeRun(live, r));
        if (isTerminal(r.status)) void finish(runId);
      } catch {
        /* try again on the next tick */
      }
    }, 1000);
  }, [finish]);

  const watch = useCallback((r: Run) => {
    stop();
    watching.current = r.id;
    if (isTerminal(r.status)) return;
    const es = new EventSource(api.runEventsUrl(r.id));
    source.current = es;
    es.onmessage = (m) => {
      let e: RunEvent;
      try {
        e = JSON.parse(m.data) as RunEvent;
      } catch {
        return;
      }
      if (e.type === 'log') setLogs((ls) => [...ls, { time: e.time, nodeId: e.nodeId, level: e.level, message: e.message }]);
      setRun((cur) => (cur && cur.id === r.id ? applyRunEvent(cur, e) : cur));
      if (e.type === 'run' && isTerminal(e.status)) void finish(r.id);
    };
    es.onerror = () => {
      // the server closes the stream after the last event; anything else falls back to polling
      if (watching.current !== r.id) return;
      es.close();
      source.current = undefined;
      startPolling(r.id);
    };
    // catch up with whatever happened before the stream opened
    api.run(r.id).then((f) => {
      setRun((cur) => mergeRun(cur, f));
      if (isTerminal(f.status)) void finish(r.id);
    }, () => undefined);
  }, [stop, finish, startPolling]);

  const start = useCallback(async (o: { fromNode?: string; onlyNode?: string } = {}) => {
    if (!experimentId) return;
    const r = await api.startRun(experimentId, o);
    setLogs([]);
    setRun(r);
    watch(r);
    void refreshHistory();
    return r;
  }, [experimentId, watch, refreshHistory]);

  const cancel = useCallback(async () => {
    if (!run) return;
    const r = await api.cancelRun(run.id);
    setRun((cur) => mergeRun(cur, r));
  }, [run]);

  /** Shows a past (or still running) run on the canvas. */
  const show = useCallback(async (r: Run) => {
    setRun(r);
    setLogs([]);
    watch(r);
    try {
      setLogs(await api.runLogs(r.id));
    } catch {
      /* no logs yet */
    }
  }, [watch]);

  // opening an experiment shows its latest run
  useEffect(() => {
    stop();
    setRun(undefined);
    setLogs([]);
    setHistory([]);
    if (!experimentId) return;
    let cancelled = false;
    api.runs(experimentId).then((runs) => {
      if (cancelled) return;
      setHistory(runs);
      if (runs[0]) void show(runs[0]);
    }, () => undefined);
    return () => {
      cancelled = true;
      stop();
    };
  }, [experimentId, stop, show]);

  return { run, logs, history, start, cancel, show, refreshHistory, running: Boolean(run && !isTerminal(run.status)) };
}
