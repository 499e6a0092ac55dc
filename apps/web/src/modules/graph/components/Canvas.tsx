import { useCallback, useMemo, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection, type Edge, type FinalConnectionState, type IsValidConnection,
} from '@xyflow/react';
import type { ComponentDescription } from '../../../types/contracts';
import type { Designer } from '../hooks/useDesigner';
import type { DesignerNode } from '../types';
import { validateConnection } from '../utils/connection';
import { portOf } from '../utils/ports';
import { PALETTE_DRAG_TYPE } from '../../palette/utils/filterPalette';
import { useDesignerLookup } from '../states/designerContext';
import { fitViewOptions } from '../utils/viewport';
import { nodeTypes } from './ComponentNode';

export interface CanvasProps {
  designer: Designer;
  descriptions: ReadonlyMap<string, ComponentDescription>;
  onDropComponent: (componentId: string, position: { x: number; y: number }) => void;
  onConnectionRefused: (reason: string) => void;
  onNodeContextMenu: (node: DesignerNode, at: { x: number; y: number }) => void;
  onNodeDoubleClick: (node: DesignerNode) => void;
  onPaneClick: () => void;
  minimap: boolean;
}

const minimapColor = (n: DesignerNode) => (n.data.componentId.startsWith('read') ? '#0ea5e9' : '#6366f1');

/** The React Flow canvas: drop from the palette, typed connections with hints, delete key, minimap. */
export function Canvas({ designer, descriptions, onDropComponent, onConnectionRefused, onNodeContextMenu, onNodeDoubleClick, onPaneClick, minimap }: CanvasProps) {
  const { screenToFlowPosition } = useReactFlow();
  const { runNodes } = useDesignerLookup();

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    event.preventDefault();
    const componentId = event.dataTransfer.getData(PALETTE_DRAG_TYPE) || event.dataTransfer.getData('text/plain');
    if (!componentId || !descriptions.has(componentId)) return;
    const p = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    // centre the node under the pointer
    onDropComponent(componentId, { x: Math.round(p.x - 110), y: Math.round(p.y - 32) });
  }, [screenToFlowPosition, descriptions, onDropComponent]);

  const isValidConnection: IsValidConnection = useCallback(
    (c) => validateConnection(c, designer.current.current.nodes, designer.current.current.edges, descriptions).ok,
    [designer.current, descriptions],
  );

  const onConnectEnd = useCallback((_e: MouseEvent | TouchEvent, s: FinalConnectionState) => {
    if (s.isValid || !s.toHandle || !s.fromHandle) return;
    const from = s.fromHandle;
    const to = s.toHandle;
    const attempt = from.type === 'source'
      ? { source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id }
      : { source: to.nodeId, sourceHandle: to.id, target: from.nodeId, targetHandle: from.id };
    if (from.type === to.type) {
      onConnectionRefused(from.type === 'source' ? 'Connect an output (bottom) to an input (top).' : 'Connect an input (top) from an output (bottom).');
      return;
    }
    const v = validateConnection(attempt, designer.current.current.nodes, designer.current.current.edges, descriptions);
    if (!v.ok) onConnectionRefused(v.reason);
  }, [designer.current, descriptions, onConnectionRefused]);

  const styledEdges: Edge[] = useMemo(() => designer.edges.map((e) => {
    const source = designer.nodes.find((n) => n.id === e.source);
    const type = source ? descriptions.get(source.data.componentId)?.outputs[portOf(e.sourceHandle)]?.type : undefined;
    return { ...e, className: `edge-${type ?? 'table'}`, animated: runNodes[e.target]?.status === 'running' };
  }), [designer.edges, designer.nodes, descriptions, runNodes]);

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<DesignerNode, Edge>
        nodes={designer.nodes}
        edges={styledEdges}
        nodeTypes={nodeTypes}
        onNodesChange={designer.onNodesChange}
        onEdgesChange={designer.onEdgesChange}
        onConnect={(c: Connection) => designer.connect(c)}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={designer.onNodeDragStart}
        onNodeContextMenu={(e: ReactMouseEvent, n) => { e.preventDefault(); onNodeContextMenu(n, { x: e.clientX, y: e.clientY }); }}
        onNodeDoubleClick={(_e: ReactMouseEvent, n) => onNodeDoubleClick(n)}
        onPaneClick={onPaneClick}
        zoomOnDoubleClick={false}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        defaultEdgeOptions={{ type: 'smoothstep' }}
        connectionRadius={28}
        minZoom={0.2}
        maxZoom={2}
        fitView
        fitViewOptions={fitViewOptions(minimap)}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#cbd5e1" />
        {minimap && <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={2} data-testid="minimap" />}
        <Controls showInteractive={false} />
      </ReactFlow>
      {designer.nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <div className="canvas-empty-title">Drag a component here</div>
          <div className="muted">Start with <b>Read Dataset</b> from the palette, then add <b>GMM Training</b> and connect them.</div>
        </div>
      )}
    </div>
  );
}
