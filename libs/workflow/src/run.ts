import { resolveParams } from '@mixflow/component-sdk';
import type { ComponentEnv, PortValue } from '@mixflow/component-sdk';
import type { ExecutionEngine } from '@mixflow/executor';
import { downstreamOf, GraphValidationError, topologicalOrder, validateGraph } from './graph';
import type {
  ComponentLookup,
  ErrorDetails,
  Graph,
  WorkflowEvent,
  WorkflowNodeResult,
  WorkflowNodeStatus,
  WorkflowResult,
} from './types';

export interface RunWorkflowOptions {
  engine: ExecutionEngine;
  env: ComponentEnv;
  signal?: AbortSignal;
  onEvent?: (event: WorkflowEvent) => void;
  /** awaited after a node succeeds and before its downstream nodes start (the API stores outputs here) */
  onNodeSucceeded?: (nodeId: string, outputs: PortValue[]) => Promise<void> | void;
  /** run this node and everything downstream of it; upstream inputs come from `cached` */
  fromNode?: string;
  /** run only this node; its inputs come from `cached` */
  onlyNode?: string;
  /** outputs of earlier runs, by node id, for the nodes this run does not execute */
  cached?: Record<string, PortValue[]>;
}

const DETAIL_KEYS = ['nodeId', 'parameter', 'column', 'row', 'field', 'port'] as const;

/** The location fields of a ComponentError / an engine's input error / TableError, whatever class threw it. */
export function errorDetails(err: unknown): ErrorDetails | undefined {
  const details = (err as { details?: Record<string, unknown> } | null)?.details;
  if (!details || typeof details !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) if (details[key] !== undefined) out[key] = details[key];
  return Object.keys(out).length > 0 ? (out as ErrorDetails) : undefined;
}

/** Which nodes a run executes, in order. Throws when fromNode / onlyNode is not in the graph. */
export function selectNodes(graph: Graph, order: string[], o: { fromNode?: string; onlyNode?: string }): string[] {
  const pick = o.onlyNode ?? o.fromNode;
  if (pick !== undefined && !graph.nodes.some((n) => n.id === pick)) {
    throw new GraphValidationError([
      { nodeId: pick, message: `node '${pick}' is not in the graph; ${o.onlyNode ? 'onlyNode' : 'fromNode'} must name one of its nodes` },
    ]);
  }
  if (o.onlyNode !== undefined) return [o.onlyNode];
  if (o.fromNode !== undefined) {
    const selected = downstreamOf(graph, o.fromNode);
    return order.filter((id) => selected.has(id));
  }
  return order;
}

/** The upstream nodes whose outputs a partial run takes from `cached`. */
export function requiredCachedNodes(graph: Graph, o: { fromNode?: string; onlyNode?: string }): string[] {
  const order = topologicalOrder(graph);
  const selected = new Set(selectNodes(graph, order, o));
  const needed = new Set<string>();
  for (const e of graph.edges) if (selected.has(e.target) && !selected.has(e.source)) needed.add(e.source);
  return order.filter((id) => needed.has(id));
}

/**
 * Executes the graph in topological order. Every executed node goes queued → running → succeeded | failed;
 * nodes downstream of a failure are skipped (with the reason), and after an abort the running node and the
 * ones not started yet are cancelled. Structural errors (validateGraph) throw GraphValidationError before
 * anything runs.
 */
export async function runWorkflow(graph: Graph, registry: ComponentLookup, o: RunWorkflowOptions): Promise<WorkflowResult> {
  const structural = validateGraph(graph, registry, o.env);
  if (structural.length > 0) throw new GraphValidationError(structural);
  const order = topologicalOrder(graph);
  const selected = selectNodes(graph, order, o);
  const emit = (e: WorkflowEvent): void => {
    try {
      o.onEvent?.(e);
    } catch {
      // a listener's failure must not change the run
    }
  };
  const nodes: Record<string, WorkflowNodeResult> = {};
  const outputs: Record<string, PortValue[]> = {};
  const setStatus = (
    nodeId: string,
    status: WorkflowNodeStatus,
    extra: { progress?: number; message?: string; error?: string; details?: ErrorDetails } = {},
  ): void => {
    nodes[nodeId] = { status, ...(extra.error ? { error: extra.error } : {}), ...(extra.details ? { details: extra.details } : {}) };
    const progress = extra.progress ?? (status === 'succeeded' ? 1 : 0);
    emit({ type: 'node', nodeId, status, progress, ...extra });
  };
  for (const id of selected) setStatus(id, 'queued');

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // a node's start, end and time in the run's log, so a run (a failed one too) tells its own story
  const log = (nodeId: string, level: 'info' | 'warn' | 'error', message: string): void =>
    emit({ type: 'log', nodeId, level, message, time: new Date().toISOString() });
  const nameOf = (nodeId: string): string => {
    const n = byId.get(nodeId);
    return n?.label || (n && registry.has(n.componentId) ? registry.get(n.componentId).description.displayName : nodeId);
  };
  const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(2)} s`;
  const selectedSet = new Set(selected);
  for (const nodeId of selected) {
    const node = byId.get(nodeId)!;
    const definition = registry.get(node.componentId);
    const description = definition.description;
    if (o.signal?.aborted) {
      setStatus(nodeId, 'cancelled', { message: 'the run was cancelled before this node started' });
      log(nodeId, 'warn', `${nameOf(nodeId)} cancelled before it started`);
      continue;
    }
    // inputs, or the reason this node cannot run
    const inputs: PortValue[] = [];
    let blocked: { status: 'skipped' | 'failed'; message: string } | undefined;
    /**
     * A stored dataset whose rows are not loaded (Read Dataset on a host that reads rows in batches) goes as it is to
     * a port that reads stored rows; any other port gets it loaded, once: the loaded table replaces it upstream, so a
     * second consumer shares it.
     */
    const loadFor = async (spec: { readsStoredRows?: boolean }, value: PortValue, keep: (loaded: PortValue) => void): Promise<PortValue> => {
      if (value.type !== 'table' || !value.table.unloaded || spec.readsStoredRows) return value;
      const loaded: PortValue = { type: 'table', table: await o.env.loadDataset(value.table.origin!.datasetId) };
      keep(loaded);
      return loaded;
    };
    for (let port = 0; port < description.inputs.length && !blocked; port++) {
      const spec = description.inputs[port];
      const edge = graph.edges.find((e) => e.target === nodeId && e.targetPort === port);
      if (!edge) {
        if (spec.optional) continue;
        blocked = { status: 'failed', message: `input ${port} (${spec.label}) of node '${nodeId}' is not connected; connect it to a ${spec.type} output` };
        break;
      }
      if (selectedSet.has(edge.source)) {
        const upstream = nodes[edge.source];
        if (upstream?.status !== 'succeeded') {
          blocked = { status: 'skipped', message: `skipped because upstream node '${edge.source}' ${upstream?.status === 'cancelled' ? 'was cancelled' : upstream?.status ?? 'did not run'}` };
          break;
        }
        try {
          inputs.push(await loadFor(spec, outputs[edge.source][edge.sourcePort], (loaded) => (outputs[edge.source][edge.sourcePort] = loaded)));
        } catch (err) {
          blocked = { status: 'failed', message: `could not load the table on input ${port} (${spec.label}): ${err instanceof Error ? err.message : String(err)}` };
          break;
        }
      } else {
        const cached = o.cached?.[edge.source]?.[edge.sourcePort];
        if (!cached) {
          blocked = { status: 'failed', message: `no stored output ${edge.sourcePort} of upstream node '${edge.source}'; run the whole graph (or from '${edge.source}') first` };
          break;
        }
        inputs.push(cached);
      }
    }
    if (blocked) {
      if (blocked.status === 'skipped') setStatus(nodeId, 'skipped', { message: blocked.message });
      else setStatus(nodeId, 'failed', { message: blocked.message, error: blocked.message, details: { nodeId } });
      log(nodeId, blocked.status === 'skipped' ? 'warn' : 'error', `${nameOf(nodeId)} ${blocked.status}: ${blocked.message}`);
      continue;
    }
    const resolved = resolveParams(description, node.params ?? {});
    if (resolved.errors.length > 0) {
      const message = resolved.errors.map((e) => e.message).join('; ');
      setStatus(nodeId, 'failed', { message, error: message, details: { nodeId, parameter: resolved.errors[0].parameter } });
      log(nodeId, 'error', `${nameOf(nodeId)} failed: ${message}`);
      continue;
    }
    const started = performance.now();
    setStatus(nodeId, 'running', { progress: 0 });
    log(nodeId, 'info', `${nameOf(nodeId)} started`);
    try {
      const result = await definition.execute({
        nodeId,
        params: resolved.params,
        inputs,
        engine: o.engine,
        env: o.env,
        signal: o.signal ?? new AbortController().signal,
        progress: (fraction, message) =>
          emit({ type: 'node', nodeId, status: 'running', progress: Math.min(1, Math.max(0, fraction)), ...(message ? { message } : {}) }),
        log: (level, message) => emit({ type: 'log', nodeId, level, message, time: new Date().toISOString() }),
        metric: (name, value) => emit({ type: 'metric', nodeId, name, value }),
      });
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
      if (result.outputs.length !== description.outputs.length) {
        throw new Error(`component '${description.id}' returned ${result.outputs.length} outputs; its description declares ${description.outputs.length}`);
      }
      await o.onNodeSucceeded?.(nodeId, result.outputs);
      outputs[nodeId] = result.outputs;
      setStatus(nodeId, 'succeeded', { progress: 1 });
      log(nodeId, 'info', `${nameOf(nodeId)} finished in ${seconds(started)}`);
    } catch (err) {
      if (o.signal?.aborted) {
        setStatus(nodeId, 'cancelled', { message: 'cancelled while running' });
        log(nodeId, 'warn', `${nameOf(nodeId)} cancelled after ${seconds(started)}`);
      } else {
        const message = err instanceof Error ? err.message : String(err);
        setStatus(nodeId, 'failed', { message, error: message, details: { nodeId, ...errorDetails(err) } });
        log(nodeId, 'error', `${nameOf(nodeId)} failed after ${seconds(started)}: ${message}`);
      }
    }
  }
  const statuses = Object.values(nodes).map((n) => n.status);
  const status = statuses.includes('cancelled') ? 'cancelled' : statuses.every((s) => s === 'succeeded') ? 'succeeded' : 'failed';
  return { status, nodes, outputs };
}
