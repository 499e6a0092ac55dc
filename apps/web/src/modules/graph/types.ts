import type { Edge, Node } from '@xyflow/react';
import type { Params } from '../../types/contracts';

/** What a canvas node carries; everything else (description, errors, run state) is looked up by id. */
export type DesignerNodeData = { componentId: string; label: string; params: Params };
export type DesignerNode = Node<DesignerNodeData, 'component'>;
export type DesignerEdge = Edge;

/** The part of the canvas that undo/redo, copy/paste and saving care about. */
export interface GraphSnapshot {
  nodes: DesignerNode[];
  edges: DesignerEdge[];
}
