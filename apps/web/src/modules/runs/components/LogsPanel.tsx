import { useEffect, useRef, useState } from 'react';
import type { RunLog } from '../../../types/contracts';
import { filterLogs, type LogLevelFilter } from '../utils/logs';

/**
 * The run's log lines, newest at the bottom. Follows the tail while "Follow" is on (scrolling up turns it off,
 * back to the bottom turns it on); filters by node and by lowest level.
 */
export function LogsPanel({ logs, labelOf, selectedNodeId, runStatus }: { logs: readonly RunLog[]; labelOf: (nodeId: string) => string; selectedNodeId?: string; runStatus?: string }) {
  const [node, setNode] = useState<string>('');
  const [level, setLevel] = useState<LogLevelFilter>('info');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const shown = filterLogs(logs, { nodeId: node || undefined, level });
  const nodes = [...new Set(logs.flatMap((l) => (l.nodeId ? [l.nodeId] : [])))];
  if (selectedNodeId && !nodes.includes(selectedNodeId)) nodes.push(selectedNodeId);

  useEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [shown.length, follow]);

  return (
    <div className="logs" data-testid="logs-panel">
      <div className="logs-toolbar">
        <label className="small">
          Node{' '}
          <select value={node} onChange={(e) => setNode(e.target.value)} data-testid="logs-node">
            <option value="">All nodes</option>
            {nodes.map((id) => <option key={id} value={id}>{labelOf(id)}</option>)}
          </select>
        </label>
        <label className="small">
          Level{' '}
          <select value={level} onChange={(e) => setLevel(e.target.value as LogLevelFilter)} data-testid="logs-level">
            <option value="info">Everything</option>
            <option value="warn">Warnings and errors</option>
            <option value="error">Errors</option>
          </select>
        </label>
        <label className="small"><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="logs-follow" /> Follow</label>
        <span className="grow" />
        <span className="muted small" data-testid="logs-count">{shown.length === logs.length ? lines(logs.length) : `${lines(shown.length)} of ${logs.length}`}</span>
      </div>
      <div
        className="logs-lines"
        ref={box}
        data-testid="logs-lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          if (atBottom !== follow) setFollow(atBottom);
        }}
      >
        {logs.length === 0 && <div className="muted pad">{runStatus ? 'This run wrote no log lines.' : 'No log lines yet. Run the experiment to see them here.'}</div>}
        {logs.length > 0 && shown.length === 0 && <div className="muted pad">No line matches the filters.</div>}
        {shown.map((l, i) => (
          <div key={i} className={`log-line log-${l.level}`} data-level={l.level}>
            <span className="log-time">{new Date(l.time).toLocaleTimeString()}</span>
            <span className="log-level">{l.level}</span>
            <span className="log-node">{l.nodeId ? labelOf(l.nodeId) : 'run'}</span>
            <span className="log-msg">{l.message}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

const lines = (n: number) => `${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'}`;
