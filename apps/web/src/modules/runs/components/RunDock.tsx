import { useState } from 'react';
import type { ComponentDescription, Run, RunLog } from '../../../types/contracts';
import { Icon } from '../../../ui/Icon';
import { ResultsPanel } from '../../results/components/ResultsPanel';
import { LogsPanel } from './LogsPanel';
import { RunHistory } from './RunHistory';

export type DockTab = 'results' | 'logs' | 'history';

/** The panel under the canvas: the selected node's results, the run's logs, the experiment's run history. */
export function RunDock({ height, tab, onTab, run, history, logs, selected, labelOf, onShowRun, onHide }: {
  /** the dock's height in px (the splitter above it sets it); maximised, it takes most of the column */
  height: number;
  tab: DockTab;
  onTab: (t: DockTab) => void;
  run?: Run;
  history: readonly Run[];
  logs: readonly RunLog[];
  selected?: { id: string; label: string; description?: ComponentDescription };
  labelOf: (nodeId: string) => string;
  onShowRun: (run: Run) => void;
  onHide: () => void;
}) {
  const [tall, setTall] = useState(false);
  return (
    <section className={`dock ${tall ? 'tall' : ''}`} style={tall ? undefined : { height }} data-testid="dock">
      <div className="dock-tabs">
        {(['results', 'logs', 'history'] as const).map((t) => (
          <button key={t} className={tab === t ? 'active' : ''} onClick={() => onTab(t)} data-testid={`dock-${t}`}>
            {t === 'results' ? `Results${selected ? ` · ${selected.label}` : ''}` : t === 'logs' ? `Logs (${logs.length})` : `Run history (${history.length})`}
          </button>
        ))}
        <span className="grow" />
        <button className="icon-btn" onClick={() => setTall((x) => !x)} title={tall ? 'Restore' : 'Maximise'} data-testid="dock-maximise"><Icon name={tall ? 'down' : 'up'} /></button>
        <button className="icon-btn" onClick={onHide} title="Hide" data-testid="dock-hide"><Icon name="close" /></button>
      </div>
      <div className="dock-body">
        {tab === 'results' && <NodeResults run={run} history={history} selected={selected} />}
        {tab === 'logs' && <LogsPanel logs={logs} labelOf={labelOf} selectedNodeId={selected?.id} runStatus={run?.status} />}
        {tab === 'history' && <RunHistory runs={history} currentId={run?.id} onShow={onShowRun} />}
      </div>
    </section>
  );
}

/**
 * The selected node's results. A node left out of the shown run (run from / only one node) shows the results of
 * the run that last produced them.
 */
function NodeResults({ run, history, selected }: { run?: Run; history: readonly Run[]; selected?: { id: string; label: string; description?: ComponentDescription } }) {
  const own = selected && run?.nodes[selected.id] ? run : undefined;
  const earlier = selected && !own ? history.find((r) => r.nodes[selected.id]?.status === 'succeeded') : undefined;
  return (
    <>
      {earlier && (
        <div className="results-note" data-testid="results-from-earlier-run">
          {selected?.label} was not part of the shown run; these are its results from an earlier run ({new Date(earlier.createdAt).toLocaleString()}).
        </div>
      )}
      <ResultsPanel run={own ?? earlier ?? run} nodeId={selected?.id} label={selected?.label} description={selected?.description} />
    </>
  );
}
