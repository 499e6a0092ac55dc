import type { Run } from '../../../types/contracts';
import { runDuration } from '../utils/runState';

/** The experiment's runs, newest first; clicking one shows its node states and results on the canvas. */
export function RunHistory({ runs, currentId, onShow }: { runs: readonly Run[]; currentId?: string; onShow: (r: Run) => void }) {
  if (!runs.length) return <div className="empty-hint">No runs yet. Press Run to start one.</div>;
  return (
    <table className="run-history" data-testid="run-history">
      <thead><tr><th>Started</th><th>Status</th><th>Version</th><th>Engine</th><th>Duration</th><th>Nodes</th></tr></thead>
      <tbody>
        {runs.map((r) => {
          const states = Object.values(r.nodes);
          return (
            <tr key={r.id} className={r.id === currentId ? 'current' : ''} onClick={() => onShow(r)} data-testid={`run-row-${r.id}`}>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td><span className={`pill pill-${r.status}`}>{r.status}</span>{r.error && <span className="muted small" title={r.error}> {r.error.slice(0, 60)}</span>}</td>
              <td>v{r.experimentVersion}</td>
              <td>{r.engine}</td>
              <td>{runDuration(r)}</td>
              <td>{states.filter((s) => s.status === 'succeeded').length}/{states.length} succeeded</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
