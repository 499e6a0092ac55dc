import { api } from '../../../api/client';
import type { GmmModelJson } from '../types';
import { formatNumber } from '../../../utils/format';
import { componentCovariance } from '../utils/geometry';
import { clusterColor } from '../utils/palette';

const f = (v: number) => formatNumber(v, 4);

/** Weights, means and covariances of a trained mixture; large matrices are truncated to 6 × 6. */
export function ModelCards({ model, modelId }: { model: GmmModelJson; modelId?: string }) {
  const shown = Math.min(model.dims, 6);
  const names = model.featureNames ?? Array.from({ length: model.dims }, (_, j) => `x${j}`);
  return (
    <div className="model-view" data-testid="model-view">
      <div className="model-meta">
        <span><b>k</b> {model.k}</span>
        <span><b>dims</b> {model.dims}</span>
        <span><b>covariance</b> {model.covarianceType}</span>
        {model.vectorCol && <span><b>vector column</b> {model.vectorCol}</span>}
        {model.training && (
          <>
            <span><b>iterations</b> {model.training.iterations}{model.training.converged ? ' (converged)' : ' (not converged)'}</span>
            <span><b>BIC</b> {f(model.training.bic)}</span>
            <span><b>AIC</b> {f(model.training.aic)}</span>
          </>
        )}
        {modelId && <a className="btn btn-small" href={api.modelExportUrl(modelId)} download>Export JSON</a>}
      </div>
      <div className="model-components">
        {model.means.map((mu, i) => {
          const cov = componentCovariance(model, i);
          return (
            <div key={i} className="model-component" data-testid={`model-component-${i}`}>
              <div className="model-component-title">
                <span className="swatch" style={{ background: clusterColor(i) }} /> Cluster {i}
                <span className="weight-bar" title={`weight ${model.weights[i]}`}>
                  <span style={{ width: `${Math.round(model.weights[i] * 100)}%`, background: clusterColor(i) }} />
                </span>
                <span className="mono">w = {f(model.weights[i])}</span>
              </div>
              <table className="matrix">
                <thead>
                  <tr><th /> {names.slice(0, shown).map((n) => <th key={n}>{n}</th>)}{model.dims > shown && <th>…</th>}</tr>
                </thead>
                <tbody>
                  <tr className="mean-row"><th>mean</th>{mu.slice(0, shown).map((v, j) => <td key={j}>{f(v)}</td>)}{model.dims > shown && <td>…</td>}</tr>
                  {cov.slice(0, shown).map((row, r) => (
                    <tr key={r}><th>{r === 0 ? 'Σ' : ''}</th>{row.slice(0, shown).map((v, j) => <td key={j}>{f(v)}</td>)}{model.dims > shown && <td>…</td>}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        })}
      </div>
    </div>
  );
}
