import { useState } from 'react';
import type { Deployment, ModelSummary } from '../../../types/contracts';

/** A latency in milliseconds as the table shows it: a dash before the first request. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** A model as a select shows it: its name, and its description unless the name says it already. */
export function modelLabel(m: ModelSummary): string {
  return m.name.includes(m.description) ? m.name : `${m.name} (${m.description})`;
}

interface Props {
  deployments: Deployment[];
  models: ModelSummary[];
  onSwap: (name: string, modelId: string) => void;
  onDelete: (name: string) => void;
}

/** One row per deployment: its model (a select swaps it), the counters since the server started, and Delete. */
export function DeploymentsTable({ deployments, models, onSwap, onDelete }: Props) {
  if (deployments.length === 0) return <div className="empty-hint small" data-testid="deployments-empty">No deployments yet: deploy a model below to give it a prediction endpoint.</div>;
  return (
    <div className="data-table">
      <div className="table-scroll">
        <table data-testid="deployments">
          <thead>
            <tr>{['name', 'model', 'rows', 'requests', 'errors', 'p50', 'p99', ''].map((h) => <th key={h}>{h}</th>)}</tr>
          </thead>
          <tbody>
            {deployments.map((d) => (
              <tr key={d.name} data-testid={`deployment-${d.name}`}>
                <td>
                  <b>{d.name}</b>
                  <div className="muted small mono" title="POST here with JSON, NDJSON or CSV">/api/deployments/{d.name}/predict</div>
                </td>
                <td>
                  <select
                    className="input"
                    aria-label={`model of ${d.name}`}
                    value={d.modelId}
                    onChange={(e) => onSwap(d.name, e.target.value)}
                    title={`${d.modelName} (${d.modelDescription}); choose another model of the same inputs to swap it in`}
                  >
                    {!models.some((m) => m.id === d.modelId) && <option value={d.modelId}>{d.modelName}</option>}
                    {models.map((m) => <option key={m.id} value={m.id}>{modelLabel(m)}</option>)}
                  </select>
                </td>
                <td className="num">{d.counters.rows.toLocaleString('en-US')}</td>
                <td className="num">{d.counters.requests.toLocaleString('en-US')}</td>
                <td className="num">{d.counters.errors.toLocaleString('en-US')}</td>
                <td className="num">{formatLatency(d.counters.p50Ms)}</td>
                <td className="num">{formatLatency(d.counters.p99Ms)}</td>
                <td><button className="btn btn-danger btn-small" onClick={() => onDelete(d.name)}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Name a deployment and pick its model. */
export function DeployForm({ models, onCreate }: { models: ModelSummary[]; onCreate: (name: string, modelId: string) => void }) {
  const [name, setName] = useState('');
  const [modelId, setModelId] = useState('');
  const chosen = modelId || models[0]?.id || '';
  return (
    <form
      className="deploy-form"
      data-testid="deploy-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() && chosen) onCreate(name.trim(), chosen);
        setName('');
      }}
    >
      <input className="input" placeholder="deployment name, e.g. clusters" aria-label="deployment name" value={name} onChange={(e) => setName(e.target.value)} />
      <select className="input" aria-label="model to deploy" value={chosen} onChange={(e) => setModelId(e.target.value)}>
        {models.map((m) => <option key={m.id} value={m.id}>{modelLabel(m)}</option>)}
      </select>
      <button className="btn btn-primary btn-small" type="submit" disabled={!name.trim() || !chosen}>Deploy</button>
    </form>
  );
}
