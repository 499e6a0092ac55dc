import dagre from '@dagrejs/dagre';
import type { DesignerEdge, DesignerNode } from '../types';
import { portOf } from './ports';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 64;

/** How many input and output handles a node has (its component's ports); they are spread evenly along its edges. */
export type PortCounts = (node: DesignerNode) => { inputs: number; outputs: number };

/** Without the components' descriptions: as many handles as the edges use. */
function portsFromEdges(edges: readonly DesignerEdge[]): PortCounts {
  return (node) => ({
    inputs: Math.max(1, ...edges.filter((e) => e.target === node.id).map((e) => portOf(e.targetHandle) + 1)),
    outputs: Math.max(1, ...edges.filter((e) => e.source === node.id).map((e) => portOf(e.sourceHandle) + 1)),
  });
}

const sizeOf = (n: DesignerNode) => ({ w: n.measured?.width ?? NODE_WIDTH, h: n.measured?.height ?? NODE_HEIGHT });

type Point = { x: number; y: number };
type Segment = { edge: DesignerEdge; a: Point; b: Point };

/**
 * Each edge as the canvas draws it (a smoothstep edge): down from its output handle (bottom of the source) to
 * half way, across, and down into its input handle (top of the target). Returns the three pieces.
 */
function edgePaths(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], ports: PortCounts): Segment[][] {
  return ends(nodes, edges, ports).map(({ edge, a, b }) => {
    const mid = (a.y + b.y) / 2;
    return [
      { edge, a, b: { x: a.x, y: mid } },
      { edge, a: { x: a.x, y: mid }, b: { x: b.x, y: mid } },
      { edge, a: { x: b.x, y: mid }, b },
    ];
  });
}

/** Each edge's two ends: its output handle (bottom of the source) and its input handle (top of the target). */
function ends(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], ports: PortCounts): Segment[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: Segment[] = [];
  for (const edge of edges) {
    const s = byId.get(edge.source);
    const t = byId.get(edge.target);
    if (!s || !t) continue;
    const [ss, ts] = [sizeOf(s), sizeOf(t)];
    const a = { x: s.position.x + (ss.w * (portOf(edge.sourceHandle) + 1)) / (ports(s).outputs + 1), y: s.position.y + ss.h };
    const b = { x: t.position.x + (ts.w * (portOf(edge.targetHandle) + 1)) / (ports(t).inputs + 1), y: t.position.y };
    out.push({ edge, a, b });
  }
  return out;
}

const cross = (o: Point, p: Point, q: Point) => (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x);
const anyCross = (p: Segment[], q: Segment[]) => p.some((s) => q.some((t) => intersects(s, t)));
/** Whether two segments cross at a point inside both (touching at a shared end is not a crossing). */
function intersects(s: Segment, t: Segment): boolean {
  const d1 = cross(t.a, t.b, s.a);
  const d2 = cross(t.a, t.b, s.b);
  const d3 = cross(s.a, s.b, t.a);
  const d4 = cross(s.a, s.b, t.b);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/** Whether a segment passes through a node's box (an edge running behind a node it does not connect). */
function passesThrough(s: Segment, n: DesignerNode): boolean {
  const { w, h } = sizeOf(n);
  const [x0, y0, x1, y1] = [n.position.x, n.position.y, n.position.x + w, n.position.y + h];
  const box: Segment[] = [
    { edge: s.edge, a: { x: x0, y: y0 }, b: { x: x1, y: y0 } },
    { edge: s.edge, a: { x: x1, y: y0 }, b: { x: x1, y: y1 } },
    { edge: s.edge, a: { x: x1, y: y1 }, b: { x: x0, y: y1 } },
    { edge: s.edge, a: { x: x0, y: y1 }, b: { x: x0, y: y0 } },
  ];
  const inside = (p: Point) => p.x > x0 && p.x < x1 && p.y > y0 && p.y < y1;
  return inside(s.a) || inside(s.b) || box.some((side) => intersects(s, side));
}

/**
 * Edge crossings of a laid-out graph: pairs of edges whose lines cross, plus edges that run through a node they do
 * not connect. Auto-layout keeps this at 0 for the sample graphs (layout.spec.ts).
 */
export function countCrossings(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], ports: PortCounts = portsFromEdges(edges)): number {
  const paths = edgePaths(nodes, edges, ports);
  let count = 0;
  for (let i = 0; i < paths.length; i++) for (let j = i + 1; j < paths.length; j++) if (anyCross(paths[i], paths[j])) count++;
  for (const path of paths) for (const n of nodes) if (behind(path, n)) count++;
  return count;
}

/** Whether an edge's drawn path runs through a node it does not connect. */
function behind(path: Segment[], n: DesignerNode): boolean {
  return n.id !== path[0].edge.source && n.id !== path[0].edge.target && path.some((s) => passesThrough(s, n));
}

function dagreLayout(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], direction: 'TB' | 'LR'): DesignerNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: direction, nodesep: 60, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: sizeOf(n).w, height: sizeOf(n).h });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    const { w, h } = sizeOf(n);
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
}

/** Side gap between an edge and a node it passes. */
const EDGE_CLEARANCE = 24;

/**
 * Moves a node that an edge runs behind (an edge skipping its rank) sideways, away from the edge, until the edge
 * passes beside it; kept only where that lowers the crossings. dagre reserves room for such edges but places their
 * ends at node centres, while the edges here leave and enter at the ports.
 */
function clearEdges(laid: DesignerNode[], edges: readonly DesignerEdge[], ports: PortCounts): DesignerNode[] {
  let current = laid;
  let crossings = countCrossings(current, edges, ports);
  for (let round = 0; round < 2 * edges.length && crossings > 0; round++) {
    const blocked = edgePaths(current, edges, ports).flatMap((path) => current.filter((n) => behind(path, n)).map((n) => ({ path, n })))[0];
    if (!blocked) break;
    const { path, n } = blocked;
    const { w } = sizeOf(n);
    // the node goes wholly to the side of the edge where its centre is
    const [left, right] = [Math.min(path[0].a.x, path[2].b.x), Math.max(path[0].a.x, path[2].b.x)];
    const dx = n.position.x + w / 2 < (left + right) / 2 ? left - EDGE_CLEARANCE - (n.position.x + w) : right + EDGE_CLEARANCE - n.position.x;
    const moved = current.map((m) => (m.id === n.id ? { ...m, position: { x: Math.round(m.position.x + dx), y: m.position.y } } : m));
    const after = countCrossings(moved, edges, ports);
    if (after >= crossings) break;
    current = moved;
    crossings = after;
  }
  return current;
}

/**
 * Top-to-bottom layered layout (dagre), as PAI Designer draws pipelines, aware of ports: dagre orders the nodes of
 * a rank by the order it meets them, which knows nothing of which input an edge enters, so a few insertion orders
 * are laid out, a node an edge runs behind is moved beside it (clearEdges), and the layout with the fewest
 * crossings (countCrossings) is kept; ties keep dagre's own order.
 * Returns new nodes with new positions (the top-left corner React Flow expects).
 */
export function layoutGraph(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  direction: 'TB' | 'LR' = 'TB',
  ports: PortCounts = portsFromEdges(edges),
): DesignerNode[] {
  const byTargetPort = (sign: number) => [...edges].sort((a, b) => sign * (portOf(a.targetHandle) - portOf(b.targetHandle)));
  const orders: { nodes: readonly DesignerNode[]; edges: readonly DesignerEdge[] }[] = [
    { nodes, edges },
    { nodes, edges: byTargetPort(1) },
    { nodes, edges: byTargetPort(-1) },
    { nodes: [...nodes].reverse(), edges },
    { nodes: [...nodes].reverse(), edges: byTargetPort(-1) },
  ];
  let best: DesignerNode[] | undefined;
  let fewest = Infinity;
  for (const o of orders) {
    const laid = clearEdges(dagreLayout(o.nodes, o.edges, direction), edges, ports);
    const crossings = countCrossings(laid, edges, ports);
    if (crossings < fewest) {
      fewest = crossings;
      best = laid;
    }
    if (fewest === 0) break;
  }
  // in the caller's node order
  const position = new Map(best!.map((n) => [n.id, n.position]));
  return nodes.map((n) => ({ ...n, position: position.get(n.id)! }));
}
