import type { ResultViewProps } from '../../../modules/results/types';
import { formatNumber } from '../../../utils/format';

/** The figures of Clustering Model Evaluation, with what each one means and which way is better. */
const SCALARS: readonly { name: string; label: string; hint: string }[] = [
  { name: 'count', label: 'Rows', hint: 'rows evaluated' },
  { name: 'k', label: 'Clusters (k)', hint: 'distinct predictions' },
  { name: 'silhouetteCoefficient', label: 'Silhouette coefficient', hint: 'in [−1, 1]; higher is better' },
  { name: 'vrc', label: 'VRC (Calinski–Harabasz)', hint: 'higher is better' },
  { name: 'db', label: 'DB (Davies–Bouldin)', hint: 'lower is better' },
  { name: 'ssb', label: 'SSB', hint: 'between-cluster sum of squares' },
  { name: 'ssw', label: 'SSW', hint: 'within-cluster sum of squares' },
  { name: 'cp', label: 'CP (compactness)', hint: 'mean distance to the centroid; lower is better' },
  { name: 'sp', label: 'SP (separation)', hint: 'mean distance between centroids; higher is better' },
  { name: 'nmi', label: 'NMI', hint: 'agreement with the labels, in [0, 1]' },
  { name: 'ari', label: 'ARI', hint: 'agreement with the labels, 1 is perfect, 0 is chance' },
  { name: 'ri', label: 'RI (Rand index)', hint: 'pairs on which clusters and labels agree' },
  { name: 'purity', label: 'Purity', hint: 'rows in their cluster’s most common label' },
];

const numbers = (v: unknown): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** Where the silhouette coefficient came from: every row, or a seeded sample. */
function silhouetteNote(m: Record<string, unknown>): string | undefined {
  if (typeof m.silhouetteRows !== 'number' || typeof m.count !== 'number') return undefined;
  return m.silhouetteExact ? `exact, on all ${formatNumber(m.count)} rows` : `on a seeded sample of ${formatNumber(m.silhouetteRows)} of ${formatNumber(m.count)} rows`;
}

/** 'eval.cluster-metrics': the scalar metrics, the cluster sizes and, with a label column, the confusion matrix. */
export function ClusterMetricsView({ state }: ResultViewProps) {
  const m = state.metrics;
  const rows = SCALARS.filter((s) => typeof m[s.name] === 'number');
  if (!rows.length) return <div className="empty-hint">This run recorded no evaluation.</div>;
  const clusters = strings(m.clusterArray) ?? [];
  const sizes = numbers(m.countArray) ?? [];
  const labels = strings(m.labelArray);
  const confusion = Array.isArray(m.confusionMatrix) ? (m.confusionMatrix as number[][]) : undefined;
  const note = silhouetteNote(m);
  const total = sizes.reduce((a, b) => a + b, 0);
  return (
    <div className="pad eval-metrics" data-testid="cluster-metrics">
      <table className="metrics-table">
        <tbody>
          {rows.map((s) => (
            <tr key={s.name} data-testid={`metric-${s.name}`}>
              <th>{s.label}</th>
              <td className="mono" title={String(m[s.name])}>{formatNumber(m[s.name] as number, 6)}</td>
              <td className="muted">{s.name === 'silhouetteCoefficient' && note ? `${s.hint}; ${note}` : s.hint}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {clusters.length > 0 && (
        <>
          <h4>Cluster sizes</h4>
          <table className="metrics-table" data-testid="cluster-sizes">
            <tbody>
              {clusters.map((c, i) => (
                <tr key={c}>
                  <th>{c}</th>
                  <td className="mono">{formatNumber(sizes[i] ?? 0)}</td>
                  <td className="muted">{total ? `${((100 * (sizes[i] ?? 0)) / total).toFixed(1)}%` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {labels && confusion && (
        <>
          <h4>Confusion matrix (rows: clusters, columns: labels)</h4>
          <table className="metrics-table" data-testid="confusion-matrix">
            <thead>
              <tr>
                <th />
                {labels.map((l) => (
                  <th key={l}>{l}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {confusion.map((row, i) => (
                <tr key={clusters[i] ?? i}>
                  <th>{clusters[i] ?? i}</th>
                  {row.map((v, j) => (
                    <td key={j} className="mono">{formatNumber(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
