import { useEffect, useState } from 'react';
import { api } from '../../../api/client';
import type { ComponentDescription, ModelOutput, Run, TrainingSample } from '../../../types/contracts';
import { DataTable } from './DataTable';
import { LikelihoodChart } from './LikelihoodChart';
import { ModelView } from './ModelView';
import { ScatterPlot } from './ScatterPlot';

type View = 'scatter' | 'likelihood' | 'model' | 'table' | 'metrics';

/** What one node of a run produced: charts and the model for training nodes, paged tables for table outputs. */
export function ResultsPanel({ run, nodeId, label, description }: { run?: Run; nodeId?: string; label?: string; description?: ComponentDescription }) {
  const state = run && nodeId ? run.nodes[nodeId] : undefined;
  const modelPort = description?.outputs.findIndex((o) => o.type === 'model') ?? -1;
  const tablePorts = description?.outputs.map((o, i) => (o.type === 'table' ? i : -1)).filter((i) => i >= 0) ?? [];
  const isTraining = modelPort >= 0 && description?.inputs.every((i) => i.type === 'table');
  const views: { id: View; label: string }[] = [
    ...(isTraining ? [{ id: 'scatter' as const, label: 'Scatter plot' }, { id: 'likelihood' as const, label: 'Log-likelihood' }] : []),
    ...(modelPort >= 0 ? [{ id: 'model' as const, label: 'Model' }] : []),
    ...(tablePorts.length ? [{ id: 'table' as const, label: 'Output table' }] : []),
    { id: 'metrics', label: 'Metrics' },
  ];
  const [view, setView] = useState<View>(views[0].id);
  const [tablePort, setTablePort] = useState(tablePorts[0] ?? 0);
  useEffect(() => {
    setView(views[0].id);
    setTablePort(tablePorts[0] ?? 0);
  }, [nodeId, description?.id]);

  if (!nodeId) return <div className="empty-hint" data-testid="results-empty">Select a node to see its results.</div>;
  if (!run) return <div className="empty-hint" data-testid="results-empty">Run the experiment to see results of {label}.</div>;
  if (!state) return <div className="empty-hint" data-testid="results-empty">{label} was not part of this run.</div>;
  if (state.status === 'failed') return <div className="error-box" data-testid="results-error"><b>{label} failed.</b> {state.error ?? state.message}</div>;
  if (state.status !== 'succeeded') {
    return <div className="empty-hint" data-testid="results-empty">{label} is {state.status}{state.status === 'running' ? ` (${Math.round(state.progress * 100)} %)` : ''}; results appear when it succeeds.</div>;
  }
  const active = views.some((v) => v.id === view) ? view : views[0].id;
  return (
    <div className="results" data-testid="results-panel" data-node-id={nodeId}>
      <div className="subtabs">
        {views.map((v) => (
          <button key={v.id} className={`subtab ${active === v.id ? 'active' : ''}`} onClick={() => setView(v.id)} data-testid={`results-view-${v.id}`}>{v.label}</button>
        ))}
        {active === 'table' && tablePorts.length > 1 && (
          <select value={tablePort} onChange={(e) => setTablePort(Number(e.target.value))}>
            {tablePorts.map((p) => <option key={p} value={p}>{description?.outputs[p].label}</option>)}
          </select>
        )}
      </div>
      <div className="results-body">
        {active === 'scatter' && <TrainingScatter runId={run.id} nodeId={nodeId} port={modelPort} />}
        {active === 'likelihood' && <Likelihood history={(state.metrics.logLikelihoodHistory as number[] | undefined) ?? []} />}
        {active === 'model' && <ModelLoader runId={run.id} nodeId={nodeId} port={modelPort} />}
        {active === 'table' && (
          <DataTable key={`${run.id}/${nodeId}/${tablePort}`} testId="output-table" load={(o, l) => api.tableOutput(run.id, nodeId, tablePort, o, l)} deps={[run.id, nodeId, tablePort]} />
        )}
        {active === 'metrics' && <Metrics metrics={state.metrics} />}
      </div>
    </div>
  );
}

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: string } {
  const [r, setR] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let cancelled = false;
    setR({});
    load().then((data) => !cancelled && setR({ data }), (e: Error) => !cancelled && setR({ error: e.message }));
    return () => {
      cancelled = true;
    };
  }, deps);
  return r;
}

function TrainingScatter({ runId, nodeId, port }: { runId: string; nodeId: string; port: number }) {
  const r = useLoad(() => Promise.all([api.modelOutput(runId, nodeId, port), api.sample(runId, nodeId, 2000)]), [runId, nodeId, port]);
  if (r.error) return <div className="error-box">{r.error}</div>;
  if (!r.data) return <div className="muted pad">Loading the sample…</div>;
  const [m, sample]: [ModelOutput, TrainingSample] = r.data;
  if (m.model.dims < 2) return <div className="empty-hint">The model is one-dimensional; the scatter plot needs two or more dimensions.</div>;
  return <ScatterPlot model={m.model} sample={sample} />;
}

function ModelLoader({ runId, nodeId, port }: { runId: string; nodeId: string; port: number }) {
  const r = useLoad(() => api.modelOutput(runId, nodeId, port), [runId, nodeId, port]);
  if (r.error) return <div className="error-box">{r.error}</div>;
  if (!r.data) return <div className="muted pad">Loading the model…</div>;
  return <ModelView model={r.data.model} modelId={r.data.modelId} />;
}

function Likelihood({ history }: { history: number[] }) {
  if (!history.length) return <div className="empty-hint">This run recorded no log-likelihood history.</div>;
  return <LikelihoodChart history={history} />;
}

function Metrics({ metrics }: { metrics: Record<string, unknown> }) {
  const entries = Object.entries(metrics).filter(([k]) => k !== 'logLikelihoodHistory' && k !== 'estimate');
  if (!entries.length) return <div className="empty-hint">No metrics recorded.</div>;
  return (
    <dl className="metrics" data-testid="metrics">
      {entries.map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd className="mono">{typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(4)) : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd></div>
      ))}
    </dl>
  );
}
