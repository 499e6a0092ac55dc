import type { ComponentDescription } from '../../../types/contracts';
import type { DesignerEdge, DesignerNode } from '../types';
import { portOf } from './ports';

export interface ConnectionAttempt {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
  targetHandle?: string | null;
}

export type ConnectionVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether a new edge may be drawn: ports exist, types match (a model port only connects to a model port),
 * the input is still free and the edge closes no cycle. The reason is shown to the user as a hint.
 */
export function validateConnection(
  c: ConnectionAttempt,
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  descriptions: ReadonlyMap<string, ComponentDescription>,
): ConnectionVerdict {
  if (!c.source || !c.target) return { ok: false, reason: 'Drop the connection on an input port of another node.' };
  if (c.source === c.target) return { ok: false, reason: 'A node cannot feed itself.' };
  const sourceNode = nodes.find((n) => n.id === c.source);
  const targetNode = nodes.find((n) => n.id === c.target);
  if (!sourceNode || !targetNode) return { ok: false, reason: 'That node no longer exists.' };
  const sd = descriptions.get(sourceNode.data.componentId);
  const td = descriptions.get(targetNode.data.componentId);
  if (!sd || !td) return { ok: false, reason: `Unknown component ${!sd ? sourceNode.data.componentId : targetNode.data.componentId}.` };
  const sp = portOf(c.sourceHandle);
  const tp = portOf(c.targetHandle);
  const out = sd.outputs[sp];
  const inp = td.inputs[tp];
  if (!out) return { ok: false, reason: `${sourceNode.data.label} has no output port ${sp}.` };
  if (!inp) return { ok: false, reason: `${targetNode.data.label} has no input port ${tp}.` };
  if (out.type !== inp.type) {
    return {
      ok: false,
      reason:
        `${sd.displayName}'s “${out.label}” output is a ${out.type}; ${td.displayName}'s “${inp.label}” input takes a ${inp.type}. ` +
        `A ${out.type} port only connects to a ${out.type} port.`,
    };
  }
  const taken = edges.find((e) => e.target === c.target && portOf(e.targetHandle) === tp);
  if (taken) {
    return { ok: false, reason: `${targetNode.data.label}'s “${inp.label}” input is already connected; delete that edge first.` };
  }
  if (reaches(c.target, c.source, edges)) {
    return { ok: false, reason: `Connecting ${sourceNode.data.label} → ${targetNode.data.label} would make a cycle.` };
  }
  return { ok: true };
}

/** Whether `to` is reachable from `from` along edges. */
function reaches(from: string, to: string, edges: readonly DesignerEdge[]): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

/** One error per required input port of a node that nothing feeds yet; the node cannot run until each is connected. */
export function unconnectedInputs(nodeId: string, d: ComponentDescription, edges: readonly DesignerEdge[]): { port: number; message: string }[] {
  return d.inputs.flatMap((input, port) =>
    input.optional || edges.some((e) => e.target === nodeId && portOf(e.targetHandle) === port)
      ? []
      : [{ port, message: `Connect a ${input.type} to the “${input.label}” input (port ${port}).` }],
  );
}
