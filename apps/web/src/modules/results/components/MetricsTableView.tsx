import { formatValue } from '../../../utils/format';
import type { ResultViewProps } from '../types';
import { metricLabel } from '../utils/views';

/** 'metrics-table': the listed metrics (or, when none are listed, every metric) as a two-column table, numbers to 4 significant digits. */
export function MetricsTableView({ state, view }: ResultViewProps) {
  const names = 'metrics' in view.source && view.source.metrics.length ? view.source.metrics : Object.keys(state.metrics);
  const rows = names.filter((n) => state.metrics[n] !== undefined && !(Array.isArray(state.metrics[n]) && (state.metrics[n] as unknown[]).length > 6));
  if (!rows.length) return <div className="empty-hint">No metrics recorded.</div>;
  return (
    <table className="metrics-table" data-testid="metrics">
      <tbody>
        {rows.map((n) => (
          <tr key={n} data-testid={`metric-${n}`}>
            <th>{metricLabel(n)}</th>
            <td className="mono" title={typeof state.metrics[n] === 'number' ? String(state.metrics[n]) : undefined}>{formatValue(state.metrics[n])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
