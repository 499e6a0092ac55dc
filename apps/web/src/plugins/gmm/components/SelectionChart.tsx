import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResultViewProps } from '../../../modules/results/types';
import { formatNumber } from '../../../utils/format';
import type { CandidateResult, CovarianceType } from '../types';
import { clusterColor } from '../utils/palette';
import { candidateKey, selectionSeries } from '../utils/selection';
import { GmmScatterView } from './GmmViews';

interface DotProps {
  cx?: number;
  cy?: number;
  value?: number | null;
  payload?: { k: number };
}

/** 'gmm.selection-chart': GMM Model Selection's criterion against k, one line per covariance type, best marked. */
export function GmmSelectionChartView(p: ResultViewProps) {
  const { state, description } = p;
  const candidates = state.metrics.candidates as CandidateResult[] | undefined;
  const criterion = (state.metrics.criterion as 'bic' | 'aic' | undefined) ?? 'bic';
  const bestIndex = state.metrics.bestIndex as number | undefined;
  const [picked, setPicked] = useState<string | undefined>();
  if (!Array.isArray(candidates) || candidates.length === 0) return <div className="empty-hint">This run recorded no candidates.</div>;
  const series = selectionSeries(candidates, criterion, bestIndex);
  const name = criterion.toUpperCase();
  const bestKey = series.best ? candidateKey(series.best) : undefined;
  const chosen = candidates.find((c) => candidateKey(c) === (picked ?? bestKey));
  const scatter = description.views?.find((v) => v.kind === 'gmm.scatter');

  const dot = (type: CovarianceType, color: string) =>
    function CandidateDot({ cx, cy, value, payload }: DotProps) {
      if (cx === undefined || cy === undefined || value === null || value === undefined || !payload) return <g />;
      const key = candidateKey({ covarianceType: type, k: payload.k });
      const excluded = series.excluded[key];
      const isBest = key === bestKey;
      return (
        <g
          data-testid={`candidate-${type}-${payload.k}`}
          data-best={isBest ? 'true' : undefined}
          data-excluded={excluded ? 'true' : undefined}
          style={{ cursor: 'pointer' }}
          onClick={() => setPicked(key)}
        >
          <title>{`${type}, k = ${payload.k}: ${name} ${formatNumber(value, 6)}${isBest ? ' (best)' : ''}${excluded ? ` (${excluded})` : ''}`}</title>
          {isBest && <circle cx={cx} cy={cy} r={9} fill="none" stroke="#111827" strokeWidth={2} />}
          <circle cx={cx} cy={cy} r={4} fill={excluded ? '#fff' : color} stroke={color} strokeWidth={2} />
        </g>
      );
    };

  return (
    <div className="selection-chart" data-testid="selection-chart">
      <div className="chart-caption">
        {name} against k, one line per covariance type — lower is better (scikit-learn's sign; mclust reports the negative). Hollow
        points are degenerate candidates, which are never chosen; the ringed point is the best. Click a point for its figures.
      </div>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={series.rows} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="k" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} label={{ value: 'k', position: 'insideBottom', offset: -10, fontSize: 12 }} />
          <YAxis domain={['auto', 'auto']} width={72} tickFormatter={(v: number) => formatNumber(v, 5)} />
          <Tooltip formatter={(v) => formatNumber(Number(v), 6)} labelFormatter={(l) => `k = ${l}`} />
          <Legend verticalAlign="top" height={24} />
          {series.types.map((type, i) => (
            <Line key={type} dataKey={type} name={type} stroke={clusterColor(i)} strokeWidth={2} connectNulls={false} isAnimationActive={false} dot={dot(type, clusterColor(i))} activeDot={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
      {chosen && (
        <div className="selection-detail" data-testid="selection-detail">
          <strong>
            {chosen.covarianceType}, k = {chosen.k}
            {candidateKey(chosen) === bestKey ? ' — best' : ''}
          </strong>
          : {name} {chosen[criterion] === null ? '—' : formatNumber(chosen[criterion] as number, 8)}, log-likelihood{' '}
          {chosen.logLikelihood === null ? '—' : formatNumber(chosen.logLikelihood, 8)}, {chosen.parameters} parameters
          {chosen.iterations !== null ? `, ${chosen.iterations} iterations${chosen.converged ? '' : ' (not converged)'}` : ''}
          {series.excluded[candidateKey(chosen)] ? <div className="muted">{series.excluded[candidateKey(chosen)]}</div> : null}
          {scatter ? <CandidateScatter {...p} view={scatter} index={candidates.indexOf(chosen)} isBest={candidateKey(chosen) === bestKey} failed={Boolean(chosen.error)} /> : null}
        </div>
      )}
    </div>
  );
}

/**
 * The scatter of candidate `index`: the best one's from the node's model output; another's from the model the run
 * kept for it (metric candidateModels), which the view data returns for the view's item.
 */
export function CandidateScatter(p: ResultViewProps & { index: number; isBest: boolean; failed: boolean }) {
  const { index, isBest, failed, ...view } = p;
  const kept = p.state.metrics.candidateModels as (object | null)[] | undefined;
  if (isBest) return <GmmScatterView {...view} />;
  if (kept?.[index]) return <GmmScatterView {...view} item={index} />;
  return (
    <div className="muted" data-testid="candidate-no-scatter">
      {failed
        ? 'This candidate failed, so it has no model to show.'
        : "The run kept only the best candidate's model (the candidates' models were too large to keep); its scatter is shown when the best point is picked."}
    </div>
  );
}
