import type { ResultViewProps } from '../types';
import { metricLabel } from '../utils/views';
import { SeriesChart } from './SeriesChart';

/** 'chart-line': a metric that is a series of numbers, one point per step. */
export function LineChartView({ state, view }: ResultViewProps) {
  const name = 'metrics' in view.source ? view.source.metrics[0] : undefined;
  const values = name ? state.metrics[name] : undefined;
  if (!Array.isArray(values) || !values.length) return <div className="empty-hint">This run recorded no {view.title.toLowerCase()}.</div>;
  return <SeriesChart values={values as number[]} caption={view.title} xLabel="step" seriesLabel={metricLabel(name!)} />;
}
