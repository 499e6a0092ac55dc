import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { DesignerNode } from '../types';
import { useDesignerLookup } from '../states/designerContext';
import { inHandle, outHandle } from '../utils/ports';
import { ComponentIcon } from './ComponentIcon';

const statusLabel: Record<string, string> = {
  queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', skipped: 'Skipped', cancelled: 'Cancelled', interrupted: 'Interrupted',
};

/** Port offsets along the node's edge: evenly spread, as PAI draws them. */
const spread = (i: number, n: number) => `${((i + 1) * 100) / (n + 1)}%`;

function ComponentNodeView({ id, data, selected }: NodeProps<DesignerNode>) {
  const { descriptions, errors, runNodes, stale: staleIds } = useDesignerLookup();
  const d = descriptions.get(data.componentId);
  const problems = errors.get(id) ?? [];
  const run = runNodes[id];
  const status = run?.status;
  // results of an earlier graph: not shown as a success (and never beside a "!"), but as out of date
  const stale = Boolean(status) && status !== 'running' && status !== 'queued' && staleIds.has(id);
  const showStatus = status && !stale && !(problems.length > 0 && status !== 'running' && status !== 'queued');
  return (
    <div
      className={`flow-node ${selected ? 'is-selected' : ''} ${status && !stale ? `status-${status}` : ''} ${stale ? 'is-stale' : ''} ${problems.length ? 'has-errors' : ''}`}
      data-testid={`node-${id}`}
      data-status={status ?? 'idle'}
      data-stale={stale || undefined}
      data-invalid={problems.length > 0 || undefined}
    >
      {d?.inputs.map((p, i) => (
        <Handle
          key={`in-${i}`}
          id={inHandle(i)}
          type="target"
          position={Position.Top}
          className={`port port-${p.type}`}
          style={{ left: spread(i, d.inputs.length) }}
          title={`${p.label} (${p.type} input)`}
          data-testid={`handle-${id}-in-${i}`}
        />
      ))}
      <div className="flow-node-icon"><ComponentIcon name={d?.icon} category={d?.category} /></div>
      <div className="flow-node-body">
        <div className="flow-node-label" title={data.label}>{data.label}</div>
        <div className="flow-node-sub">{d ? (d.displayName === data.label ? d.category : d.displayName) : `Unknown component ${data.componentId}`}</div>
      </div>
      <div className="flow-node-badges">
        {problems.length > 0 && (
          <span className="badge badge-warning" data-testid={`node-warning-${id}`} title={problems.map((p) => p.message).join('\n')}>!</span>
        )}
        {stale && !problems.length && (
          <span className="badge badge-stale" data-testid={`node-stale-${id}`} title="Out of date: this node or one upstream changed since the shown run. Run again to refresh its results.">↻</span>
        )}
        {showStatus && (
          <span className={`badge badge-status badge-${status}`} data-testid={`node-status-${id}`} title={run?.error ?? run?.message ?? statusLabel[status]}>
            {status === 'succeeded' ? '✓' : status === 'failed' ? '✕' : status === 'running' ? <span className="spinner" /> : status === 'queued' ? '…' : '–'}
          </span>
        )}
      </div>
      {status === 'running' || (status === 'succeeded' && run.progress < 1) ? (
        <div className="flow-node-progress" data-testid={`node-progress-${id}`}>
          <div style={{ width: `${Math.round((run?.progress ?? 0) * 100)}%` }} />
        </div>
      ) : null}
      {d?.outputs.map((p, i) => (
        <Handle
          key={`out-${i}`}
          id={outHandle(i)}
          type="source"
          position={Position.Bottom}
          className={`port port-${p.type}`}
          style={{ left: spread(i, d.outputs.length) }}
          title={`${p.label} (${p.type} output)`}
          data-testid={`handle-${id}-out-${i}`}
        />
      ))}
    </div>
  );
}

export const ComponentNode = memo(ComponentNodeView);

/** Defined once, outside any component, so React Flow never remounts nodes. */
export const nodeTypes = { component: ComponentNode };
