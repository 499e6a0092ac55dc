import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { ComponentDescription, Dataset, Graph, TabDescription } from '../types/contracts';
import { ConsoleToolbar } from '../modules/console/components/ConsoleToolbar';
import { useConsoleCommands } from '../modules/console/hooks/useConsoleCommands';
import { usePanelSizes } from '../modules/console/hooks/usePanelSizes';
import { ExperimentList } from '../modules/experiments/components/ExperimentList';
import { ExperimentOverview } from '../modules/experiments/components/ExperimentOverview';
import { ExperimentVersions } from '../modules/experiments/components/ExperimentVersions';
import { api } from '../api/client';
import { useDraftKeeping } from '../modules/experiments/hooks/useDraftKeeping';
import { useExperiments } from '../modules/experiments/hooks/useExperiments';
import { Canvas } from '../modules/graph/components/Canvas';
import { NodeContextMenu, type NodeMenuAt } from '../modules/graph/components/NodeContextMenu';
import { useDesigner } from '../modules/graph/hooks/useDesigner';
import { useDesignerShortcuts } from '../modules/graph/hooks/useDesignerShortcuts';
import { useMinimapPreference } from '../modules/graph/hooks/useMinimapPreference';
import { useGraphConfiguration } from '../modules/graph/hooks/useGraphConfiguration';
import { useGraphStructure } from '../modules/graph/hooks/useGraphStructure';
import { DesignerContext, type DesignerLookup } from '../modules/graph/states/designerContext';
import { fromGraph } from '../modules/graph/utils/convert';
import { fitViewOptions } from '../modules/graph/utils/viewport';
import { Inspector } from '../modules/inspector/components/Inspector';
import { useEstimate } from '../modules/inspector/hooks/useEstimate';
import { inputColumnStats } from '../modules/inspector/utils/columnStats';
import { Palette } from '../modules/palette/components/Palette';
import { RunDock, type DockTab } from '../modules/runs/components/RunDock';
import { useRun } from '../modules/runs/hooks/useRun';
import { useRanGraph } from '../modules/runs/hooks/useRanGraph';
import { nodeToOpenAfterRun } from '../modules/runs/utils/runState';
import { staleNodes } from '../modules/runs/utils/stale';
import { useToast } from './toasts';

type SideTab = 'components' | 'experiments';

/** The designer: palette and experiments, canvas, inspector, and the run dock. */
export function ConsolePage({ components, tabs, datasets, visible }: { components: ComponentDescription[]; tabs: readonly TabDescription[]; datasets: Dataset[]; visible: boolean }) {
  const toast = useToast();
  const rf = useReactFlow();
  const designer = useDesigner();
  const descriptions = useMemo(() => new Map(components.map((c) => [c.id, c])), [components]);
  const labelOf = useCallback((componentId: string) => descriptions.get(componentId)?.displayName ?? componentId, [descriptions]);

  const [side, setSide] = useState<SideTab>('components');
  const [dock, setDock] = useState<DockTab>('results');
  const [dockOpen, setDockOpen] = useState(true);
  const [menu, setMenu] = useState<NodeMenuAt | undefined>();
  const [minimap, toggleMinimap] = useMinimapPreference();
  const panels = usePanelSizes();
  const minimapRef = useRef(minimap);
  minimapRef.current = minimap;

  const experiments = useExperiments(
    useCallback((graph: Graph) => {
      designer.reset(fromGraph(graph, labelOf));
      // fitView on an empty canvas would stay queued and jump to the first dropped node; reset instead
      if (graph.nodes.length) setTimeout(() => void rf.fitView(fitViewOptions(minimapRef.current, 200)), 60);
      else void rf.setViewport({ x: 0, y: 0, zoom: 1 });
    }, [designer.reset, labelOf, rf]),
    toast,
  );
  const experiment = experiments.current;
  const runs = useRun(experiment?.id);

  const graph = designer.graph;
  const graphJson = useMemo(() => JSON.stringify(graph), [graph]);
  const dirty = Boolean(experiment) && graphJson !== experiments.savedGraph;
  useDraftKeeping(experiment?.id, graphJson, dirty, experiments.storeDraft);

  const datasetsKey = useMemo(() => datasets.map((d) => d.id).join(','), [datasets]);
  const { structure, key: structureKey } = useGraphStructure(graph);
  const { configuration, inputPortsOf, inputSchemasOf, errors } = useGraphConfiguration(Boolean(experiment), structureKey, designer.nodes, designer.edges, descriptions, datasetsKey);
  const ranGraph = useRanGraph(runs.run);
  // positions and labels do not make a result stale: not recomputed while a node is dragged
  const stale = useMemo(() => (ranGraph ? staleNodes(ranGraph, structure) : new Set<string>()), [ranGraph, structure]);
  const lookup: DesignerLookup = useMemo(() => ({ descriptions, errors, runNodes: runs.run?.nodes ?? {}, stale }), [descriptions, errors, runs.run, stale]);

  const selectedNodes = designer.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const selectedDescription = selected ? descriptions.get(selected.data.componentId) : undefined;
  const estimate = useEstimate(selected && { id: selected.id, componentId: selected.data.componentId, params: selected.data.params }, selectedDescription, configuration);
  const nodeLabel = (id: string) => designer.nodes.find((n) => n.id === id)?.data.label ?? id;

  const openWhenDone = useRef(false);
  const commands = useConsoleCommands({
    designer, experiments, runs, descriptions, errors, graph, dirty, minimap, toast,
    onRunStarted: useCallback(() => {
      setDockOpen(true);
      setDock((d) => (d === 'history' ? 'results' : d));
      openWhenDone.current = true;
    }, []),
  });

  // a run started here opens its results when it ends: the node that failed, else the end of the graph
  // (unless the user has picked a node meanwhile and the run went well)
  const finished = runs.run && !runs.running ? runs.run : undefined;
  useEffect(() => {
    if (!finished || !openWhenDone.current) return;
    openWhenDone.current = false;
    const target = nodeToOpenAfterRun(finished, graph.edges);
    if (!target || (selected && finished.status === 'succeeded')) return;
    commands.selectOnly(target);
    setDockOpen(true);
    setDock('results');
  }, [finished?.id, finished?.status]);
  /** An exported experiment file becomes a new experiment; datasets this server lacks are named. */
  const importExperimentFile = async (file: File) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      throw new Error('it is not JSON; choose a file from “Export JSON”');
    }
    const { experiment: e, missingDatasets } = await api.importExperiment(parsed);
    await experiments.refresh();
    await experiments.open(e.id);
    if (missingDatasets.length) {
      const names = missingDatasets.map((d) => `“${d.name ?? d.id}”`).join(', ');
      toast(`Imported “${e.name}”. This server lacks the dataset${missingDatasets.length > 1 ? 's' : ''} ${names}: upload ${missingDatasets.length > 1 ? 'them' : 'it'} and choose ${missingDatasets.length > 1 ? 'them' : 'it'} in Read Dataset.`, 'warning');
    } else toast(`Imported “${e.name}”.`, 'success');
  };
  const saveQuietly = () => void commands.save().catch(() => undefined);
  useDesignerShortcuts(visible, {
    save: saveQuietly, undo: designer.undo, redo: designer.redo, copy: commands.copy, paste: () => designer.paste(),
    fitView: commands.fitView, selectAll: commands.selectAll, rename: commands.rename,
  });

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
        <ConsoleToolbar
          experiment={experiment}
          saving={experiments.saving}
          dirty={dirty}
          editing={{
            canUndo: designer.canUndo, canRedo: designer.canRedo, canCopy: selectedNodes.length > 0, canPaste: designer.clipboardSize > 0,
            canDelete: selectedNodes.length > 0 || designer.edges.some((e) => e.selected),
            undo: designer.undo, redo: designer.redo, copy: commands.copy, paste: () => designer.paste(), deleteSelected: () => designer.deleteSelected(),
            fitView: commands.fitView, autoLayout: commands.autoLayout, minimap, toggleMinimap,
          }}
          run={runs.run}
          running={runs.running}
          selected={selected && { id: selected.id, label: selected.data.label }}
          onRename={(name) => experiment && void experiments.rename(experiment.id, name)}
          onSave={saveQuietly}
          onRun={() => void commands.run()}
          onRunFrom={(nodeId) => void commands.run({ fromNode: nodeId })}
          onCancel={() => void runs.cancel()}
        />

        <div className="workspace">
          <aside className="sidebar" style={{ width: panels.sizes.sidebar }}>
            <div className="side-tabs">
              <button className={side === 'components' ? 'active' : ''} onClick={() => setSide('components')} data-testid="side-components">Components</button>
              <button className={side === 'experiments' ? 'active' : ''} onClick={() => { setSide('experiments'); void experiments.refresh(); }} data-testid="side-experiments">Experiments</button>
            </div>
            {side === 'components' ? (
              <Palette components={components} onAdd={(id) => commands.addComponent(id)} />
            ) : (
              <ExperimentList
                experiments={experiments.list}
                currentId={experiment?.id}
                onOpen={(id) => void experiments.open(id)}
                onCreate={(n) => void experiments.create(n).catch((e: Error) => toast(e.message, 'error'))}
                onRename={(id, n) => void experiments.rename(id, n).catch((e: Error) => toast(e.message, 'error'))}
                onDuplicate={(id) => void experiments.duplicate(id).catch((e: Error) => toast(e.message, 'error'))}
                onDelete={(id) => void experiments.remove(id).catch((e: Error) => toast(e.message, 'error'))}
                onImport={(file) => void importExperimentFile(file).catch((e: Error) => toast(`Could not import ${file.name}: ${e.message}`, 'error'))}
              />
            )}
          </aside>
          <div className="splitter splitter-x" onPointerDown={panels.startResize('sidebar', 1)} onDoubleClick={() => panels.reset('sidebar')} title="Drag to resize; double-click to restore" data-testid="splitter-sidebar" />

          <main className="center">
            <Canvas
              designer={designer}
              descriptions={descriptions}
              onDropComponent={(id, p) => commands.addComponent(id, p)}
              onConnectionRefused={(reason) => toast(reason, 'warning')}
              onNodeContextMenu={(node, at) => {
                // right-click acts on the node it opened on: select it first, as file managers do
                if (!node.selected) commands.selectOnly(node.id);
                setMenu({ nodeId: node.id, ...at });
              }}
              onNodeDoubleClick={(node) => {
                commands.selectOnly(node.id);
                setTimeout(() => document.querySelector<HTMLElement>('[data-testid="inspector"] [role="tab"][aria-selected="true"]')?.focus(), 0);
              }}
              onPaneClick={() => setMenu(undefined)}
              minimap={minimap}
            />
            {dockOpen && <div className="splitter splitter-y" onPointerDown={panels.startResize('dock', 1)} onDoubleClick={() => panels.reset('dock')} title="Drag to resize; double-click to restore" data-testid="splitter-dock" />}
            {dockOpen ? (
              <RunDock
                height={panels.sizes.dock}
                tab={dock}
                onTab={setDock}
                run={runs.run}
                history={runs.history}
                logs={runs.logs}
                selected={selected && { id: selected.id, label: selected.data.label, description: selectedDescription }}
                labelOf={nodeLabel}
                onShowRun={(r) => void runs.show(r)}
                onHide={() => setDockOpen(false)}
              />
            ) : (
              <button className="dock-reopen btn btn-small" onClick={() => setDockOpen(true)} data-testid="dock-open">Results · Logs · History ▴</button>
            )}
          </main>
          <div className="splitter splitter-x" onPointerDown={panels.startResize('inspector', -1)} onDoubleClick={() => panels.reset('inspector')} title="Drag to resize; double-click to restore" data-testid="splitter-inspector" />

          <aside className="inspector-pane" style={{ width: panels.sizes.inspector }}>
            {selected && selectedDescription ? (
              <Inspector
                key={selected.id}
                tabs={tabs}
                nodeId={selected.id}
                label={selected.data.label}
                description={selectedDescription}
                params={selected.data.params}
                inputSchemas={inputSchemasOf(selected.id)}
                inputStats={inputColumnStats(inputPortsOf(selected.id), datasets)}
                errors={errors.get(selected.id) ?? []}
                datasets={datasets}
                estimate={estimate.value}
                estimateLoading={estimate.loading}
                estimateError={estimate.error}
                onParamsChange={(params, changed) => designer.updateNodeData(selected.id, { params }, `param:${changed}`)}
                onLabelChange={(label) => designer.updateNodeData(selected.id, { label }, 'label')}
              />
            ) : (
              <>
                <ExperimentOverview
                  nodes={designer.nodes.length}
                  edges={designer.edges.length}
                  problems={[...errors.entries()].map(([id, es]) => `${nodeLabel(id)}: ${es[0].message}`)}
                  selectedCount={selectedNodes.length}
                />
                {experiment && (
                  <ExperimentVersions experimentId={experiment.id} currentVersion={experiment.version} descriptions={descriptions} notify={toast}
                    onRestore={(v) => void api.restoreVersion(experiment.id, v).then(async (e) => {
                      await experiments.open(e.id);
                      toast(`Restored version ${v} as version ${e.version}.`, 'success');
                    }, (err: Error) => toast(err.message, 'error'))} />
                )}
              </>
            )}
          </aside>
        </div>

        {menu && (
          <NodeContextMenu
            at={menu}
            onClose={() => setMenu(undefined)}
            onRunFrom={() => void commands.run({ fromNode: menu.nodeId })}
            onRunOnly={() => void commands.run({ onlyNode: menu.nodeId })}
            onCopy={() => {
              commands.selectOnly(menu.nodeId);
              setTimeout(commands.copy, 0);
            }}
            onDelete={() => designer.deleteSelected([menu.nodeId])}
          />
        )}
      </div>
    </DesignerContext.Provider>
  );
}
