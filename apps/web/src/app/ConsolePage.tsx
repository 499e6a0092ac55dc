import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { api, ApiError } from '../api/client';
import type { ComponentDescription, ConfigureResponse, Dataset, FieldError, Graph, ResourceEstimate, TableSchema } from '../types/contracts';
import { Canvas } from '../modules/graph/components/Canvas';
import { useDesigner } from '../modules/graph/hooks/useDesigner';
import { DesignerContext, type DesignerLookup } from '../modules/graph/states/designerContext';
import { fromGraph } from '../modules/graph/utils/convert';
import { portOf } from '../modules/graph/utils/ports';
import { nodesToRun } from '../modules/graph/utils/runScope';
import { unconnectedInputs } from '../modules/graph/utils/connection';
import type { DesignerNode } from '../modules/graph/types';
import { Palette } from '../modules/palette/components/Palette';
import { Inspector } from '../modules/inspector/components/Inspector';
import { defaultParams, mergeErrors, validateParams } from '../modules/inspector/utils/params';
import { resourceParameters } from '../modules/inspector/utils/execution';
import { ExperimentList } from '../modules/experiments/components/ExperimentList';
import { useExperiments } from '../modules/experiments/hooks/useExperiments';
import { useRun } from '../modules/runs/hooks/useRun';
import { LogsPanel } from '../modules/runs/components/LogsPanel';
import { RunHistory } from '../modules/runs/components/RunHistory';
import { runDuration } from '../modules/runs/utils/runState';
import { ResultsPanel } from '../modules/results/components/ResultsPanel';
import { useToast } from './toasts';
import { Icon } from '../ui/Icon';

type SideTab = 'components' | 'experiments';
type DockTab = 'results' | 'logs' | 'history';

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** The designer: palette and experiments, canvas, inspector, and the run dock. */
export function ConsolePage({ components, datasets, visible }: { components: ComponentDescription[]; datasets: Dataset[]; visible: boolean }) {
  const toast = useToast();
  const rf = useReactFlow();
  const designer = useDesigner();
  const descriptions = useMemo(() => new Map(components.map((c) => [c.id, c])), [components]);
  const labelOf = useCallback((componentId: string) => descriptions.get(componentId)?.displayName ?? componentId, [descriptions]);

  const [side, setSide] = useState<SideTab>('components');
  const [dock, setDock] = useState<DockTab>('results');
  const [dockOpen, setDockOpen] = useState(true);
  const [dockTall, setDockTall] = useState(false);
  const [menu, setMenu] = useState<{ node: DesignerNode; x: number; y: number } | undefined>();

  const experiments = useExperiments(
    useCallback((graph: Graph) => {
      designer.reset(fromGraph(graph, labelOf));
      // fitView on an empty canvas would stay queued and jump to the first dropped node; reset instead
      if (graph.nodes.length) setTimeout(() => void rf.fitView({ padding: 0.25, maxZoom: 1.1, duration: 200 }), 60);
      else void rf.setViewport({ x: 0, y: 0, zoom: 1 });
    }, [designer.reset, labelOf, rf]),
    toast,
  );
  const experiment = experiments.current;
  const runs = useRun(experiment?.id);

  const graph = designer.graph;
  const graphJson = useMemo(() => JSON.stringify(graph), [graph]);
  const dirty = Boolean(experiment) && graphJson !== experiments.savedGraph;

  // drafts: every change is kept locally until saved
  useEffect(() => {
    if (!experiment) return;
    const t = setTimeout(() => experiments.storeDraft(JSON.parse(graphJson) as Graph), 600);
    return () => clearTimeout(t);
  }, [graphJson, experiment, experiments.storeDraft]);

  // configure: upstream schemas for column pickers, server-side validation, estimates
  const [configuration, setConfiguration] = useState<ConfigureResponse | undefined>();
  const configureSeq = useRef(0);
  const configureGraph = useMemo(() => JSON.stringify({ nodes: graph.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 }, label: '' })), edges: graph.edges }), [graph]);
  useEffect(() => {
    if (!experiment) return;
    const seq = ++configureSeq.current;
    const t = setTimeout(() => {
      api.configure(JSON.parse(configureGraph) as Graph).then(
        (r) => seq === configureSeq.current && setConfiguration(r),
        () => undefined,
      );
    }, 200);
    return () => clearTimeout(t);
  }, [configureGraph, experiment]);

  const inputSchemasOf = useCallback((nodeId: string): (TableSchema | undefined)[] => {
    const node = designer.nodes.find((n) => n.id === nodeId);
    const d = node && descriptions.get(node.data.componentId);
    if (!d) return [];
    return d.inputs.map((_, port) => {
      const e = designer.edges.find((x) => x.target === nodeId && portOf(x.targetHandle) === port);
      const out = e && configuration?.nodes[e.source]?.outputs[portOf(e.sourceHandle)];
      return out && out.type === 'table' ? out.schema : undefined;
    });
  }, [designer.nodes, designer.edges, descriptions, configuration]);

  const errors = useMemo(() => {
    const m = new Map<string, FieldError[]>();
    for (const n of designer.nodes) {
      const d = descriptions.get(n.data.componentId);
      const client = d
        ? [...unconnectedInputs(n.id, d, designer.edges), ...validateParams(d, n.data.params, inputSchemasOf(n.id))]
        : [{ message: `Unknown component ${n.data.componentId}; is its plugin installed?` }];
      const server = [
        ...(configuration?.nodes[n.id]?.errors ?? []),
        ...(configuration?.errors.filter((e) => e.nodeId === n.id).map((e) => ({ message: e.message })) ?? []),
      ];
      const all = mergeErrors(client, server);
      if (all.length) m.set(n.id, all);
    }
    return m;
  }, [designer.nodes, designer.edges, descriptions, configuration, inputSchemasOf]);

  const lookup: DesignerLookup = useMemo(() => ({ descriptions, errors, runNodes: runs.run?.nodes ?? {} }), [descriptions, errors, runs.run]);

  const selectedNodes = designer.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const selectedDescription = selected ? descriptions.get(selected.data.componentId) : undefined;

  // live resource estimate for the selected node
  const [estimate, setEstimate] = useState<{ nodeId: string; value?: ResourceEstimate; loading: boolean; error?: string }>();
  const estimateKey = selected && selectedDescription && (resourceParameters(selectedDescription).workers || resourceParameters(selectedDescription).memory)
    ? JSON.stringify([selected.id, selected.data.componentId, selected.data.params, configuration?.nodes[selected.id]?.inputStats ?? null])
    : undefined;
  useEffect(() => {
    if (!estimateKey) return;
    const [nodeId, componentId, params, inputStats] = JSON.parse(estimateKey);
    if (!inputStats) {
      setEstimate({ nodeId, loading: true });
      return;
    }
    setEstimate((e) => ({ nodeId, value: e && e.nodeId === nodeId ? e.value : undefined, loading: true }));
    let cancelled = false;
    const t = setTimeout(() => {
      api.estimate(componentId, params, inputStats).then(
        (value) => !cancelled && setEstimate({ nodeId, value, loading: false }),
        (err: Error) => !cancelled && setEstimate({ nodeId, value: configuration?.nodes[nodeId]?.estimate, loading: false, error: err.message }),
      );
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [estimateKey]);

  // ---- actions ----
  const addComponent = useCallback((componentId: string, position?: { x: number; y: number }) => {
    const d = descriptions.get(componentId);
    if (!d) return;
    const at = position ?? (() => {
      const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      const p = rf.screenToFlowPosition({ x: (el?.left ?? 0) + (el?.width ?? 600) / 2, y: (el?.top ?? 0) + (el?.height ?? 400) / 2 });
      return { x: p.x - 110 + (designer.nodes.length % 4) * 20, y: p.y - 32 + (designer.nodes.length % 4) * 20 };
    })();
    designer.addNode(componentId, d.displayName, defaultParams(d), at);
  }, [descriptions, designer, rf]);

  const save = useCallback(async (quiet = false) => {
    if (!experiment) return;
    try {
      const e = await experiments.save(graph);
      if (!quiet && e) toast(`Saved “${e.name}” as version ${e.version}.`, 'success');
      return e;
    } catch (err) {
      const ae = err as ApiError;
      toast(`Not saved: ${ae.message}${ae.details?.nodeId ? ` (node ${ae.details.nodeId})` : ''}`, 'error');
      throw err;
    }
  }, [experiment, experiments, graph, toast]);

  const run = useCallback(async (o: { fromNode?: string; onlyNode?: string } = {}) => {
    setMenu(undefined);
    if (!experiment) return;
    if (!designer.nodes.length) {
      toast('The canvas is empty: drag components from the palette first.', 'warning');
      return;
    }
    const scope = nodesToRun(graph, o);
    const firstProblem = [...errors.entries()].find(([id]) => scope.has(id));
    if (firstProblem) {
      const [nodeId, errs] = firstProblem;
      const node = designer.nodes.find((n) => n.id === nodeId);
      toast(`Fix ${node?.data.label ?? nodeId} before running: ${errs[0].message}`, 'warning');
      designer.onNodesChange(designer.nodes.map((n) => ({ type: 'select', id: n.id, selected: n.id === nodeId })));
      return;
    }
    try {
      if (dirty) await save(true);
      await runs.start(o);
      setDockOpen(true);
      setDock((d) => (d === 'history' ? 'results' : d));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 400 && dirty)) toast(`Could not start the run: ${(err as Error).message}`, 'error');
    }
  }, [experiment, designer, errors, graph, dirty, save, runs, toast]);

  const fitView = useCallback(() => rf.fitView({ padding: 0.25, maxZoom: 1.1, duration: 250 }), [rf]);
  const autoLayout = useCallback(() => {
    designer.autoLayout();
    setTimeout(fitView, 30);
  }, [designer, fitView]);

  // keyboard: Ctrl+S save, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, Ctrl+C / Ctrl+V (Delete is React Flow's)
  useEffect(() => {
    if (!visible) return;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        void save().catch(() => undefined);
        return;
      }
      if (isTyping(e.target)) return;
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); designer.undo(); }
      else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); designer.redo(); }
      else if (k === 'c') { const n = designer.copy(); if (n) toast(`Copied ${n} node${n > 1 ? 's' : ''}.`); }
      else if (k === 'v') { designer.paste(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [visible, save, designer, toast]);

  // warn before leaving with unsaved changes (the draft is kept anyway)
  useEffect(() => {
    const h = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, [dirty]);

  const runState = runs.run;
  const nodeLabel = (id: string) => designer.nodes.find((n) => n.id === id)?.data.label ?? id;
  const runNodeStates = runState ? Object.values(runState.nodes) : [];
  const runProgress = runNodeStates.length ? runNodeStates.reduce((s, n) => s + (n.status === 'succeeded' ? 1 : n.progress), 0) / runNodeStates.length : 0;

  if (experiments.error && !experiment) {
    return (
      <div className="page-error" data-testid="console-error">
        <h2>The console cannot reach the Mixflow server</h2>
        <p>{experiments.error}</p>
        <button className="btn btn-primary" onClick={() => window.location.reload()}>Try again</button>
      </div>
    );
  }

  return (
    <DesignerContext.Provider value={lookup}>
      <div className="console" data-testid="console" style={visible ? undefined : { display: 'none' }}>
        <div className="toolbar" data-testid="toolbar">
          <div className="experiment-title">
            <input
              key={experiment?.id + (experiment?.name ?? '')}
              defaultValue={experiment?.name ?? ''}
              onBlur={(e) => experiment && e.target.value.trim() && e.target.value.trim() !== experiment.name && void experiments.rename(experiment.id, e.target.value.trim())}
              onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
              aria-label="Experiment name"
              data-testid="experiment-name"
            />
            <span className={`save-state ${dirty ? 'dirty' : ''}`} data-testid="save-state">
              {experiments.saving ? 'Saving…' : dirty ? 'Unsaved changes · draft kept' : experiment ? `Saved · v${experiment.version}` : ''}
            </span>
          </div>
          <div className="toolbar-group">
            <button className="icon-btn" onClick={designer.undo} disabled={!designer.canUndo} title="Undo (Ctrl+Z)" data-testid="undo"><Icon name="undo" /></button>
            <button className="icon-btn" onClick={designer.redo} disabled={!designer.canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo"><Icon name="redo" /></button>
            <span className="sep" />
            <button className="icon-btn" onClick={() => { const n = designer.copy(); if (n) toast(`Copied ${n} node${n > 1 ? 's' : ''}.`); }} disabled={!selectedNodes.length} title="Copy (Ctrl+C)" data-testid="copy"><Icon name="copy" /></button>
            <button className="icon-btn" onClick={() => designer.paste()} disabled={!designer.clipboardSize} title="Paste (Ctrl+V)" data-testid="paste"><Icon name="paste" /></button>
            <button className="icon-btn" onClick={() => designer.deleteSelected()} disabled={!selectedNodes.length && !designer.edges.some((e) => e.selected)} title="Delete (Del)" data-testid="delete"><Icon name="trash" /></button>
            <span className="sep" />
            <button className="icon-btn" onClick={fitView} title="Fit view" data-testid="fit-view"><Icon name="fit" /></button>
            <button className="icon-btn" onClick={autoLayout} title="Auto-layout" data-testid="auto-layout"><Icon name="layout" /></button>
          </div>
          <div className="toolbar-group right">
            {runState && (
              <span className={`run-state pill pill-${runState.status}`} data-testid="run-state" data-status={runState.status}>
                {runState.status === 'running' || runState.status === 'queued' ? `Running ${Math.round(runProgress * 100)} %` : `Last run ${runState.status}`} · {runDuration(runState)}
              </span>
            )}
            <button className="btn" onClick={() => void save().catch(() => undefined)} disabled={!experiment || experiments.saving} title="Save (Ctrl+S)" data-testid="save">Save</button>
            {runs.running ? (
              <button className="btn btn-danger" onClick={() => void runs.cancel()} data-testid="cancel-run"><Icon name="stop" size={14} /> Stop</button>
            ) : (
              <>
                {selected && (
                  <button className="btn" onClick={() => void run({ fromNode: selected.id })} title={`Run ${selected.data.label} and everything after it`} data-testid="run-from-selected"><Icon name="play" size={14} /> Run from here</button>
                )}
                <button className="btn btn-primary" onClick={() => void run()} disabled={!experiment} data-testid="run"><Icon name="play" size={14} /> Run</button>
              </>
            )}
          </div>
        </div>

        <div className="workspace">
          <aside className="sidebar">
            <div className="side-tabs">
              <button className={side === 'components' ? 'active' : ''} onClick={() => setSide('components')} data-testid="side-components">Components</button>
              <button className={side === 'experiments' ? 'active' : ''} onClick={() => { setSide('experiments'); void experiments.refresh(); }} data-testid="side-experiments">Experiments</button>
            </div>
            {side === 'components' ? (
              <Palette components={components} onAdd={(id) => addComponent(id)} />
            ) : (
              <ExperimentList
                experiments={experiments.list}
                currentId={experiment?.id}
                onOpen={(id) => void experiments.open(id)}
                onCreate={(n) => void experiments.create(n).catch((e: Error) => toast(e.message, 'error'))}
                onRename={(id, n) => void experiments.rename(id, n).catch((e: Error) => toast(e.message, 'error'))}
                onDuplicate={(id) => void experiments.duplicate(id).catch((e: Error) => toast(e.message, 'error'))}
                onDelete={(id) => void experiments.remove(id).catch((e: Error) => toast(e.message, 'error'))}
              />
            )}
          </aside>

          <main className="center">
            <Canvas
              designer={designer}
              descriptions={descriptions}
              onDropComponent={(id, p) => addComponent(id, p)}
              onConnectionRefused={(reason) => toast(reason, 'warning')}
              onNodeContextMenu={(node, at) => setMenu({ node, ...at })}
              onPaneClick={() => setMenu(undefined)}
            />
            {dockOpen ? (
              <section className={`dock ${dockTall ? 'tall' : ''}`} data-testid="dock">
                <div className="dock-tabs">
                  {(['results', 'logs', 'history'] as const).map((t) => (
                    <button key={t} className={dock === t ? 'active' : ''} onClick={() => setDock(t)} data-testid={`dock-${t}`}>
                      {t === 'results' ? `Results${selected ? ` · ${selected.data.label}` : ''}` : t === 'logs' ? `Logs (${runs.logs.length})` : `Run history (${runs.history.length})`}
                    </button>
                  ))}
                  <span className="grow" />
                  <button className="icon-btn" onClick={() => setDockTall((x) => !x)} title={dockTall ? 'Restore' : 'Maximise'} data-testid="dock-maximise"><Icon name={dockTall ? 'down' : 'up'} /></button>
                  <button className="icon-btn" onClick={() => setDockOpen(false)} title="Hide"><Icon name="close" /></button>
                </div>
                <div className="dock-body">
                  {dock === 'results' && (() => {
                    // a node left out of the shown run (run from / only one node) shows the results of the run that last produced them
                    const own = selected && runState?.nodes[selected.id] ? runState : undefined;
                    const earlier = selected && !own ? runs.history.find((r) => r.nodes[selected.id]?.status === 'succeeded') : undefined;
                    return (
                      <>
                        {earlier && (
                          <div className="results-note" data-testid="results-from-earlier-run">
                            {selected?.data.label} was not part of the shown run; these are its results from an earlier run ({new Date(earlier.createdAt).toLocaleString()}).
                          </div>
                        )}
                        <ResultsPanel run={own ?? earlier ?? runState} nodeId={selected?.id} label={selected?.data.label} description={selectedDescription} />
                      </>
                    );
                  })()}
                  {dock === 'logs' && <LogsPanel logs={runs.logs} labelOf={nodeLabel} nodeFilter={selected?.id} />}
                  {dock === 'history' && <RunHistory runs={runs.history} currentId={runState?.id} onShow={(r) => void runs.show(r)} />}
                </div>
              </section>
            ) : (
              <button className="dock-reopen btn btn-small" onClick={() => setDockOpen(true)} data-testid="dock-open">Results · Logs · History ▴</button>
            )}
          </main>

          <aside className="inspector-pane">
            {selected && selectedDescription ? (
              <Inspector
                key={selected.id}
                nodeId={selected.id}
                label={selected.data.label}
                description={selectedDescription}
                params={selected.data.params}
                inputSchemas={inputSchemasOf(selected.id)}
                errors={errors.get(selected.id) ?? []}
                datasets={datasets}
                estimate={estimate?.nodeId === selected.id ? estimate.value ?? configuration?.nodes[selected.id]?.estimate : configuration?.nodes[selected.id]?.estimate}
                estimateLoading={estimate?.nodeId === selected.id && estimate.loading}
                estimateError={estimate?.nodeId === selected.id ? estimate.error : undefined}
                onParamsChange={(params, changed) => designer.updateNodeData(selected.id, { params }, `param:${changed}`)}
                onLabelChange={(label) => designer.updateNodeData(selected.id, { label }, 'label')}
              />
            ) : (
              <ExperimentOverview
                nodes={designer.nodes.length}
                edges={designer.edges.length}
                problems={[...errors.entries()].map(([id, es]) => `${nodeLabel(id)}: ${es[0].message}`)}
                selectedCount={selectedNodes.length}
              />
            )}
          </aside>
        </div>

        {menu && (
          <div className="context-menu" style={{ left: menu.x, top: menu.y }} data-testid="node-menu" onMouseLeave={() => setMenu(undefined)}>
            <button onClick={() => void run({ fromNode: menu.node.id })} data-testid="menu-run-from"><Icon name="play" size={14} /> Run from here</button>
            <button onClick={() => void run({ onlyNode: menu.node.id })} data-testid="menu-run-only"><Icon name="play" size={14} /> Run this node only</button>
            <button onClick={() => { designer.onNodesChange(designer.nodes.map((n) => ({ type: 'select', id: n.id, selected: n.id === menu.node.id }))); setTimeout(() => designer.copy(), 0); setMenu(undefined); }}><Icon name="copy" size={14} /> Copy</button>
            <button className="danger" onClick={() => { designer.deleteSelected([menu.node.id]); setMenu(undefined); }}><Icon name="trash" size={14} /> Delete</button>
          </div>
        )}
      </div>
    </DesignerContext.Provider>
  );
}

function ExperimentOverview({ nodes, edges, problems, selectedCount }: { nodes: number; edges: number; problems: string[]; selectedCount: number }) {
  return (
    <div className="overview" data-testid="overview">
      <h3>{selectedCount > 1 ? `${selectedCount} nodes selected` : 'Experiment'}</h3>
      <p className="muted">{nodes} nodes · {edges} connections</p>
      {problems.length > 0 ? (
        <div className="node-errors">
          <b>{problems.length} node{problems.length > 1 ? 's need' : ' needs'} attention</b>
          {problems.map((p) => <div key={p}>⚠ {p}</div>)}
        </div>
      ) : nodes > 0 ? (
        <p className="ok-text">✓ Every node is configured. Press <b>Run</b>.</p>
      ) : null}
      <h4>Tips</h4>
      <ul className="tips">
        <li>Select a node to edit its <b>Field Setting</b>, <b>Parameter Setting</b> and <b>Execution Tuning</b>.</li>
        <li>Drag from an output (bottom) to an input (top). Blue ports carry tables, purple ports models.</li>
        <li>Right-click a node to run from it. <kbd>Ctrl</kbd>+<kbd>S</kbd> saves, <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes, <kbd>Del</kbd> deletes, <kbd>Ctrl</kbd>+<kbd>C</kbd>/<kbd>V</kbd> copy and paste.</li>
      </ul>
    </div>
  );
}
