import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../../../utils/format';

/** One numeric series against its step (1, 2, …): EM curves, loss curves, any per-iteration metric. */
export function SeriesChart({ values, caption, xLabel, seriesLabel, testId = 'series-chart' }: {
  values: readonly number[];
  caption: string;
  xLabel: string;
  seriesLabel: string;
  testId?: string;
}) {
  const data = values.map((v, i) => ({ step: i + 1, v }));
  // enough decimals that neighbouring ticks differ even when the series has nearly flattened
  const range = Math.max(...values) - Math.min(...values);
  const digits = Math.min(8, Math.max(2, Math.ceil(-Math.log10(range || 1)) + 2));
  return (
    <div className="ll-chart" data-testid={testId} data-points={values.length}>
      <div className="chart-caption">{caption}</div>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="step" type="number" domain={[1, Math.max(2, values.length)]} allowDecimals={false}
            label={{ value: xLabel, position: 'insideBottom', offset: -10, fontSize: 12 }} />
          <YAxis domain={['auto', 'auto']} width={24 + digits * 8} tickFormatter={(v: number) => v.toFixed(digits)} />
          <Tooltip formatter={(v) => formatNumber(Number(v), 6)} labelFormatter={(l) => `${xLabel} ${l}`} />
          <Line type="monotone" dataKey="v" name={seriesLabel} stroke="#4f46e5" strokeWidth={2} dot={values.length <= 40} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
