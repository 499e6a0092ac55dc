import { useCallback } from 'react';
import { useReactFlow } from '@xyflow/react';
import { ApiError } from '../../../api/client';
import type { ToastKind } from '../../../app/toasts';
import type { ComponentDescription, FieldError, Graph } from '../../../types/contracts';
import type { useExperiments } from '../../experiments/hooks/useExperiments';
import type { useDesigner } from '../../graph/hooks/useDesigner';
import { nodesToRun } from '../../graph/utils/runScope';
import { fitViewOptions } from '../../graph/utils/viewport';
import { defaultParams } from '../../inspector/utils/params';
import type { useRun } from '../../runs/hooks/useRun';

export interface RunScope {
  fromNode?: string;
  onlyNode?: string;
}

/**
 * What the toolbar, the palette, the context menu and the keyboard ask the designer to do: add a component,
 * save, run (after checking the nodes in the run's scope), fit the view, auto-layout.
 */
export function useConsoleCommands({ designer, experiments, runs, descriptions, errors, graph, dirty, minimap, toast, onRunStarted }: {
  designer: ReturnType<typeof useDesigner>;
  experiments: ReturnType<typeof useExperiments>;
  runs: ReturnType<typeof useRun>;
  descriptions: ReadonlyMap<string, ComponentDescription>;
  errors: ReadonlyMap<string, FieldError[]>;
  graph: Graph;
  dirty: boolean;
  /** whether the minimap is shown: fit view leaves room for it */
  minimap: boolean;
  toast: (message: string, kind?: ToastKind) => void;
  onRunStarted: () => void;
}) {
  const rf = useReactFlow();
  const experiment = experiments.current;

  const addComponent = useCallback((componentId: string, position?: { x: number; y: number }) => {
    const d = descriptions.get(componentId);
    if (!d) return;
    const at = position ?? (() => {
      // the centre of the visible canvas, staggered so repeated clicks do not stack nodes exactly
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
      const node = ae.details?.nodeId ? designer.nodes.find((n) => n.id === ae.details?.nodeId)?.data.label ?? ae.details.nodeId : undefined;
      toast(`Not saved: ${ae.message}${node ? ` (node ${node})` : ''}`, 'error');
      throw err;
    }
  }, [experiment, experiments, graph, toast, designer.nodes]);

  const selectOnly = useCallback((nodeId: string) => {
    designer.onNodesChange(designer.nodes.map((n) => ({ type: 'select', id: n.id, selected: n.id === nodeId })));
  }, [designer]);

  const run = useCallback(async (scope: RunScope = {}) => {
    if (!experiment) return;
    if (!designer.nodes.length) {
      toast('The canvas is empty: drag components from the palette first.', 'warning');
      return;
    }
    const inScope = nodesToRun(graph, scope);
    const firstProblem = [...errors.entries()].find(([id]) => inScope.has(id));
    if (firstProblem) {
      const [nodeId, errs] = firstProblem;
      const node = designer.nodes.find((n) => n.id === nodeId);
      toast(`Fix ${node?.data.label ?? nodeId} before running: ${errs[0].message}`, 'warning');
      selectOnly(nodeId);
      return;
    }
    try {
      if (dirty) await save(true);
      await runs.start(scope);
      onRunStarted();
    } catch (err) {
      // a refused save has already said why
      if (!(err instanceof ApiError && err.status === 400 && dirty)) toast(`Could not start the run: ${(err as Error).message}`, 'error');
    }
  }, [experiment, designer.nodes, errors, graph, dirty, save, runs, toast, selectOnly, onRunStarted]);

  const fitView = useCallback(() => void rf.fitView(fitViewOptions(minimap, 250)), [rf, minimap]);
  const autoLayout = useCallback(() => {
    designer.autoLayout((n) => {
      const d = descriptions.get(n.data.componentId);
      return { inputs: d?.inputs.length ?? 1, outputs: d?.outputs.length ?? 1 };
    });
    setTimeout(fitView, 30);
  }, [designer, descriptions, fitView]);

  const copy = useCallback(() => {
    const n = designer.copy();
    if (n) toast(`Copied ${n} node${n > 1 ? 's' : ''}.`);
  }, [designer, toast]);

  const selectAll = useCallback(() => {
    designer.onNodesChange(designer.nodes.map((n) => ({ type: 'select', id: n.id, selected: true })));
  }, [designer]);

  /** F2: the selected node's name in the inspector, ready to type over. */
  const rename = useCallback(() => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="inspector-label"]');
    input?.focus();
    input?.select();
  }, []);

  return { addComponent, save, run, fitView, autoLayout, copy, selectOnly, selectAll, rename };
}
