import { useEffect, useRef, useState } from 'react';
import type { RunLog } from '../../../types/contracts';

/** The run's log lines, newest at the bottom, following the tail unless the user scrolls up. */
export function LogsPanel({ logs, labelOf, nodeFilter }: { logs: readonly RunLog[]; labelOf: (nodeId: string) => string; nodeFilter?: string }) {
  const [onlySelected, setOnlySelected] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const shown = onlySelected && nodeFilter ? logs.filter((l) => l.nodeId === nodeFilter) : logs;
  useEffect(() => {
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [shown.length]);
  return (
    <div className="logs" data-testid="logs-panel">
      <div className="logs-toolbar">
        <label className="small"><input type="checkbox" checked={onlySelected} disabled={!nodeFilter} onChange={(e) => setOnlySelected(e.target.checked)} /> Only the selected node</label>
        <span className="muted small">{shown.length} lines</span>
      </div>
      <div className="logs-lines" ref={box}>
        {shown.length === 0 && <div className="muted pad">No log lines yet. Run the experiment to see them here.</div>}
        {shown.map((l, i) => (
          <div key={i} className={`log-line log-${l.level}`}>
            <span className="log-time">{new Date(l.time).toLocaleTimeString()}</span>
            <span className={`log-level`}>{l.level}</span>
            {l.nodeId && <span className="log-node">{labelOf(l.nodeId)}</span>}
            <span className="log-msg">{l.message}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
