import { Icon } from '../../../ui/Icon';

export interface NodeMenuAt {
  nodeId: string;
  x: number;
  y: number;
}

/** Right-click menu of a canvas node: run from it, run it alone, copy, delete. */
export function NodeContextMenu({ at, onRunFrom, onRunOnly, onCopy, onDelete, onClose }: {
  at: NodeMenuAt;
  onRunFrom: () => void;
  onRunOnly: () => void;
  onCopy: () => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  const then = (f: () => void) => () => {
    onClose();
    f();
  };
  return (
    <div className="context-menu" style={{ left: at.x, top: at.y }} data-testid="node-menu" onMouseLeave={onClose}>
      <button onClick={then(onRunFrom)} data-testid="menu-run-from"><Icon name="play" size={14} /> Run from here</button>
      <button onClick={then(onRunOnly)} data-testid="menu-run-only"><Icon name="play" size={14} /> Run this node only</button>
      <button onClick={then(onCopy)} data-testid="menu-copy"><Icon name="copy" size={14} /> Copy</button>
      <button className="danger" onClick={then(onDelete)} data-testid="menu-delete"><Icon name="trash" size={14} /> Delete</button>
    </div>
  );
}
