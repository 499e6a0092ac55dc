import { useEffect, useState } from 'react';
import { viewComponents } from '../../../plugins/registry';
import type { ComponentDescription, Run } from '../../../types/contracts';
import { useDesignerLookup } from '../../graph/states/designerContext';
import { viewsOf } from '../utils/views';

/** What one node of a run produced, as the views its component declares (charts, models, paged tables, metrics). */
export function ResultsPanel({ run, nodeId, label, description }: { run?: Run; nodeId?: string; label?: string; description?: ComponentDescription }) {
  const state = run && nodeId ? run.nodes[nodeId] : undefined;
  const { stale } = useDesignerLookup();
  const views = description ? viewsOf(description) : [];
  const [viewId, setViewId] = useState(views[0]?.id);
  useEffect(() => setViewId(views[0]?.id), [nodeId, description?.id]);

  if (!nodeId || !description) return <div className="empty-hint" data-testid="results-empty">Select a node to see its results.</div>;
  if (!run) return <div className="empty-hint" data-testid="results-empty">Run the experiment to see results of {label}.</div>;
  if (!state) return <div className="empty-hint" data-testid="results-empty">{label} was not part of this run.</div>;
  if (state.status === 'failed') return <div className="error-box" data-testid="results-error"><b>{label} failed.</b> {state.error ?? state.message}</div>;
  if (state.status !== 'succeeded') {
    return <div className="empty-hint" data-testid="results-empty">{label} is {state.status}{state.status === 'running' ? ` (${Math.round(state.progress * 100)} %)` : ''}; results appear when it succeeds.</div>;
  }
  const view = views.find((v) => v.id === viewId) ?? views[0];
  const View = view && viewComponents[view.kind];
  return (
    <div className="results" data-testid="results-panel" data-node-id={nodeId}>
      {stale.has(nodeId) && (
        <div className="results-stale" data-testid="results-stale">
          Out of date: {label} or a node before it changed since this run. These are the old results; run again to refresh them.
        </div>
      )}
      <div className="subtabs">
        {views.map((v) => (
          <button key={v.id} className={`subtab ${view?.id === v.id ? 'active' : ''}`} onClick={() => setViewId(v.id)} data-testid={`results-view-${v.id}`}>{v.title}</button>
        ))}
      </div>
      <div className="results-body">
        {view && View && <View key={`${run.id}/${nodeId}/${view.id}`} run={run} nodeId={nodeId} state={state} description={description} view={view} />}
        {view && !View && (
          <div className="empty-hint" data-testid="results-unknown-view">
            The view “{view.title}” is of kind <span className="mono">{view.kind}</span>, which this console cannot draw: is the plugin’s web part installed?
          </div>
        )}
      </div>
    </div>
  );
}
