import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../../api/client';
import type { ComponentDescription, ConfigureResponse, FieldError, Graph, PortSchema, TableSchema } from '../../../types/contracts';
import { mergeErrors, validateParams } from '../../inspector/utils/params';
import type { DesignerEdge, DesignerNode } from '../types';
import { unconnectedInputs } from '../utils/connection';
import { portOf } from '../utils/ports';

/**
 * What the server's configure pass says about the graph (upstream schemas for the column pickers, server-side
 * validation, estimates), merged with the console's own checks into one list of problems per node.
 */
export function useGraphConfiguration(
  active: boolean,
  /** the graph without its layout, as JSON (useGraphStructure): dragging a node does not re-configure */
  structureKey: string,
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  descriptions: ReadonlyMap<string, ComponentDescription>,
  /** changes when the stored datasets do (one uploaded or deleted): what a Read Dataset node reads changed with it */
  datasetsKey = '',
) {
  const [configuration, setConfiguration] = useState<ConfigureResponse | undefined>();
  const seq = useRef(0);
  useEffect(() => {
    if (!active) return;
    const mine = ++seq.current;
    const t = setTimeout(() => {
      api.configure(JSON.parse(structureKey) as Graph).then(
        (r) => mine === seq.current && setConfiguration(r),
        () => undefined,
      );
    }, 200);
    return () => clearTimeout(t);
  }, [structureKey, active, datasetsKey]);

  /** What configure says arrives on each input port of the node (undefined while unknown). */
  const inputPortsOf = useCallback((nodeId: string): (PortSchema | undefined)[] => {
    const node = nodes.find((n) => n.id === nodeId);
    const d = node && descriptions.get(node.data.componentId);
    if (!d) return [];
    return d.inputs.map((_, port) => {
      const e = edges.find((x) => x.target === nodeId && portOf(x.targetHandle) === port);
      return (e && configuration?.nodes[e.source]?.outputs[portOf(e.sourceHandle)]) || undefined;
    });
  }, [nodes, edges, descriptions, configuration]);

  const inputSchemasOf = useCallback(
    (nodeId: string): (TableSchema | undefined)[] => inputPortsOf(nodeId).map((out) => (out && out.type === 'table' ? out.schema : undefined)),
    [inputPortsOf],
  );

  const errors = useMemo(() => {
    const m = new Map<string, FieldError[]>();
    for (const n of nodes) {
      const d = descriptions.get(n.data.componentId);
      const client = d
        ? [...unconnectedInputs(n.id, d, edges), ...validateParams(d, n.data.params, inputSchemasOf(n.id))]
        : [{ message: `Unknown component ${n.data.componentId}; is its plugin installed?` }];
      const server = [
        ...(configuration?.nodes[n.id]?.errors ?? []),
        ...(configuration?.errors.filter((e) => e.nodeId === n.id).map((e) => ({ message: e.message })) ?? []),
      ];
      const all = mergeErrors(client, server);
      if (all.length) m.set(n.id, all);
    }
    return m;
  }, [nodes, edges, descriptions, configuration, inputSchemasOf]);

  return { configuration, inputPortsOf, inputSchemasOf, errors };
}
