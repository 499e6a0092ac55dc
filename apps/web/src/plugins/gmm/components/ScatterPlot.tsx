import { useMemo } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import type { GmmModelJson, TrainingSample } from '../types';
import { ellipsePoints, scatterGeometry, type Ellipse2D } from '../utils/geometry';
import { clusterColor } from '../utils/palette';

/** Training rows coloured by predicted cluster, with each component's 2σ covariance ellipse and mean. */
export function ScatterPlot({ model, sample }: { model: GmmModelJson; sample: TrainingSample }) {
  const geo = useMemo(() => scatterGeometry(model, sample.points, sample.featureNames), [model, sample]);
  const series = useMemo(() => {
    const byCluster = Array.from({ length: model.k }, () => [] as { x: number; y: number }[]);
    geo.points.forEach(([x, y], i) => byCluster[sample.labels[i]]?.push({ x, y }));
    return byCluster;
  }, [geo, model.k, sample.labels]);
  const bounds = useMemo(() => {
    const outline = geo.ellipses.flatMap((e) => ellipsePoints(e, 24));
    const xs = [...geo.points.map((p) => p[0]), ...outline.map((p) => p.x)];
    const ys = [...geo.points.map((p) => p[1]), ...outline.map((p) => p.y)];
    return { x: niceTicks(Math.min(...xs), Math.max(...xs)), y: niceTicks(Math.min(...ys), Math.max(...ys)) };
  }, [geo]);

  return (
    <div className="scatter" data-testid="scatter-plot" data-points={geo.points.length} data-ellipses={geo.ellipses.length}>
      <div className="chart-caption">
        {model.dims > 2
          ? `${model.dims}-D data projected onto its first two principal components (${geo.projection.labels.join(', ')})`
          : `${geo.projection.labels[0]} vs ${geo.projection.labels[1]}`}{' '}
        · {geo.points.length.toLocaleString('en-US')} sampled rows · ellipses at 2σ
      </div>
      <ResponsiveContainer width="100%" height={320}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis type="number" dataKey="x" name={geo.projection.labels[0]} domain={[bounds.x[0], bounds.x[bounds.x.length - 1]]} ticks={bounds.x} allowDataOverflow tickFormatter={fmt}
            label={{ value: geo.projection.labels[0], position: 'insideBottom', offset: -12, fontSize: 12 }} />
          <YAxis type="number" dataKey="y" name={geo.projection.labels[1]} domain={[bounds.y[0], bounds.y[bounds.y.length - 1]]} ticks={bounds.y} allowDataOverflow tickFormatter={fmt}
            label={{ value: geo.projection.labels[1], angle: -90, position: 'insideLeft', fontSize: 12 }} />
          <Tooltip cursor={{ strokeDasharray: '3 3' }} formatter={(v) => fmt(Number(v))} />
          <Legend verticalAlign="top" height={24} />
          {series.map((pts, i) => (
            <Scatter key={i} name={`Cluster ${i} (w=${model.weights[i]?.toFixed(2)})`} data={pts} fill={clusterColor(i)} fillOpacity={0.55} shape="circle" isAnimationActive={false} />
          ))}
          <EllipseLayer ellipses={geo.ellipses} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Drawn in the chart's own coordinates through recharts' axis-scale hooks. */
function EllipseLayer({ ellipses }: { ellipses: (Ellipse2D & { component: number })[] }) {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  if (!xs || !ys) return null;
  return (
    <g className="ellipses" data-testid="ellipse-layer">
      {ellipses.map((e) => {
        const pts = ellipsePoints(e, 96).map((p) => `${xs(p.x)},${ys(p.y)}`);
        return (
          <g key={e.component} data-testid={`ellipse-${e.component}`}>
            <polygon points={pts.join(' ')} fill={clusterColor(e.component)} fillOpacity={0.08} stroke={clusterColor(e.component)} strokeWidth={2} />
            <circle cx={xs(e.cx)} cy={ys(e.cy)} r={5} fill="#fff" stroke={clusterColor(e.component)} strokeWidth={2.5} />
          </g>
        );
      })}
    </g>
  );
}

/** Round tick values (1, 2 or 5 × 10ⁿ apart) covering [lo, hi]. */
function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-12) {
    lo -= 1;
    hi += 1;
  }
  const raw = (hi - lo) / (count - 1);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}
function fmt(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(Number(v.toFixed(2)));
}
