import { useCallback, useMemo, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { ComponentDescription, Dataset, Graph, TabDescription } from '../types/contracts';
import { ConsoleToolbar } from '../modules/console/components/ConsoleToolbar';
import { useConsoleCommands } from '../modules/console/hooks/useConsoleCommands';
import { ExperimentList } from '../modules/experiments/components/ExperimentList';
import { ExperimentOverview } from '../modules/experiments/components/ExperimentOverview';
import { useDraftKeeping } from '../modules/experiments/hooks/useDraftKeeping';
import { useExperiments } from '../modules/experiments/hooks/useExperiments';
import { Canvas } from '../modules/graph/components/Canvas';
import { NodeContextMenu, type NodeMenuAt } from '../modules/graph/components/NodeContextMenu';
import { useDesigner } from '../modules/graph/hooks/useDesigner';
import { useDesignerShortcuts } from '../modules/graph/hooks/useDesignerShortcuts';
import { useGraphConfiguration } from '../modules/graph/hooks/useGraphConfiguration';
import { DesignerContext, type DesignerLookup } from '../modules/graph/states/designerContext';
import { fromGraph } from '../modules/graph/utils/convert';
import { Inspector } from '../modules/inspector/components/Inspector';
import { useEstimate } from '../modules/inspector/hooks/useEstimate';
import { Palette } from '../modules/palette/components/Palette';
import { RunDock, type DockTab } from '../modules/runs/components/RunDock';
import { useRun } from '../modules/runs/hooks/useRun';
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
  useDraftKeeping(experiment?.id, graphJson, dirty, experiments.storeDraft);

  const { configuration, inputSchemasOf, errors } = useGraphConfiguration(Boolean(experiment), graph, designer.nodes, designer.edges, descriptions);
  const lookup: DesignerLookup = useMemo(() => ({ descriptions, errors, runNodes: runs.run?.nodes ?? {} }), [descriptions, errors, runs.run]);

  const selectedNodes = designer.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const selectedDescription = selected ? descriptions.get(selected.data.componentId) : undefined;
  const estimate = useEstimate(selected && { id: selected.id, componentId: selected.data.componentId, params: selected.data.params }, selectedDescription, configuration);
  const nodeLabel = (id: string) => designer.nodes.find((n) => n.id === id)?.data.label ?? id;

  const commands = useConsoleCommands({
    designer, experiments, runs, descriptions, errors, graph, dirty, toast,
    onRunStarted: useCallback(() => {
      setDockOpen(true);
      setDock((d) => (d === 'history' ? 'results' : d));
    }, []),
  });
  const saveQuietly = () => void commands.save().catch(() => undefined);
  useDesignerShortcuts(visible, { save: saveQuietly, undo: designer.undo, redo: designer.redo, copy: commands.copy, paste: () => designer.paste() });

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
            fitView: commands.fitView, autoLayout: commands.autoLayout,
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
          <aside className="sidebar">
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
              />
            )}
          </aside>

          <main className="center">
            <Canvas
              designer={designer}
              descriptions={descriptions}
              onDropComponent={(id, p) => commands.addComponent(id, p)}
              onConnectionRefused={(reason) => toast(reason, 'warning')}
              onNodeContextMenu={(node, at) => setMenu({ nodeId: node.id, ...at })}
              onPaneClick={() => setMenu(undefined)}
            />
            {dockOpen ? (
              <RunDock
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

          <aside className="inspector-pane">
            {selected && selectedDescription ? (
              <Inspector
                key={selected.id}
                tabs={tabs}
                nodeId={selected.id}
                label={selected.data.label}
                description={selectedDescription}
                params={selected.data.params}
                inputSchemas={inputSchemasOf(selected.id)}
                errors={errors.get(selected.id) ?? []}
                datasets={datasets}
                estimate={estimate.value}
                estimateLoading={estimate.loading}
                estimateError={estimate.error}
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
