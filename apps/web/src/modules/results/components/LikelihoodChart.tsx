import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** Mean per-row log-likelihood after each EM iteration. */
export function LikelihoodChart({ history }: { history: readonly number[] }) {
  const data = history.map((ll, i) => ({ iteration: i + 1, ll }));
  // enough decimals that neighbouring ticks differ even when EM has nearly converged
  const range = Math.max(...history) - Math.min(...history);
  const digits = Math.min(8, Math.max(2, Math.ceil(-Math.log10(range || 1)) + 2));
  return (
    <div className="ll-chart" data-testid="ll-chart" data-iterations={history.length}>
      <div className="chart-caption">Log-likelihood per iteration ({history.length} iterations, final {history.at(-1)?.toFixed(4) ?? '—'})</div>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="iteration" type="number" domain={[1, Math.max(2, history.length)]} allowDecimals={false}
            label={{ value: 'iteration', position: 'insideBottom', offset: -10, fontSize: 12 }} />
          <YAxis domain={['auto', 'auto']} width={24 + digits * 8} tickFormatter={(v: number) => v.toFixed(digits)} />
          <Tooltip formatter={(v) => Number(v).toFixed(6)} labelFormatter={(l) => `iteration ${l}`} />
          <Line type="monotone" dataKey="ll" name="mean log-likelihood" stroke="#4f46e5" strokeWidth={2} dot={history.length <= 40} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
