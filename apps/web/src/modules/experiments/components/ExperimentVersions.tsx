import { useEffect, useMemo, useState } from 'react';
import { Background, BackgroundVariant, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { api } from '../../../api/client';
import type { ComponentDescription, ExperimentVersion, ExperimentVersionDetail } from '../../../types/contracts';
import { nodeTypes } from '../../graph/components/ComponentNode';
import { DesignerContext } from '../../graph/states/designerContext';
import { fromGraph } from '../../graph/utils/convert';
import { relativeTime } from './ExperimentList';
import { Modal } from '../../../ui/Modal';

export interface ExperimentVersionsProps {
  experimentId: string;
  currentVersion: number;
  descriptions: ReadonlyMap<string, ComponentDescription>;
  onRestore: (version: number) => void;
  notify: (m: string, kind?: 'info' | 'success' | 'error' | 'warning') => void;
}

/**
 * Versions and sharing, as n8n has them: the saved versions (open any read-only, restore one as the newest),
 * the experiment as a JSON file, and its SDK code.
 */
export function ExperimentVersions({ experimentId, currentVersion, descriptions, onRestore, notify }: ExperimentVersionsProps) {
  const [versions, setVersions] = useState<ExperimentVersion[]>([]);
  const [viewing, setViewing] = useState<ExperimentVersionDetail | undefined>();
  const [code, setCode] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    api.experimentVersions(experimentId).then((v) => !cancelled && setVersions(v), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [experimentId, currentVersion]);

  const view = (version: number) =>
    void api.experimentVersion(experimentId, version).then(setViewing, (e: Error) => notify(`Could not open version ${version}: ${e.message}`, 'error'));
  const showCode = () => void api.experimentSdkCode(experimentId).then((r) => setCode(r.code), (e: Error) => notify(`No SDK code: ${e.message}`, 'error'));
  const copy = (text: string) =>
    navigator.clipboard.writeText(text).then(() => notify('SDK code copied.', 'success'), () => notify('The browser refused the clipboard: select the code and copy it.', 'warning'));

  return (
    <div className="versions" data-testid="versions">
      <div className="row versions-share">
        <a className="btn btn-small" href={api.experimentExportUrl(experimentId)} download data-testid="experiment-export">Export JSON</a>
        <button className="btn btn-small" onClick={showCode} data-testid="experiment-sdk-code">SDK code</button>
      </div>
      <h4>Versions</h4>
      <ul className="version-list">
        {versions.map((v) => (
          <li key={v.version} data-testid={`version-${v.version}`} className={v.version === currentVersion ? 'current' : ''}>
            <span>v{v.version}{v.version === currentVersion ? ' (current)' : ''} · {relativeTime(v.savedAt)}</span>
            <button className="btn btn-small" onClick={() => view(v.version)} data-testid={`version-view-${v.version}`}>View</button>
          </li>
        ))}
      </ul>
      {viewing && (
        <Modal
          wide
          title={`${viewing.name} · version ${viewing.version}`}
          subtitle={`read-only, saved ${new Date(viewing.savedAt).toLocaleString()}`}
          onClose={() => setViewing(undefined)}
          testId="version-preview"
          actions={
            <>
              {viewing.version !== currentVersion && (
                <button className="btn btn-primary btn-small" data-testid="version-restore"
                  onClick={() => { onRestore(viewing.version); setViewing(undefined); }}>Restore as a new version</button>
              )}
              <button className="btn btn-small" onClick={() => setViewing(undefined)} data-testid="version-close">Close</button>
            </>
          }
        >
          <VersionCanvas version={viewing} descriptions={descriptions} />
        </Modal>
      )}
      {code !== undefined && (
        <Modal
          wide
          title="SDK code"
          subtitle="builds this experiment with @mixflow/sdk"
          onClose={() => setCode(undefined)}
          actions={
            <>
              <button className="btn btn-primary btn-small" onClick={() => void copy(code)} data-testid="sdk-code-copy">Copy</button>
              <button className="btn btn-small" onClick={() => setCode(undefined)}>Close</button>
            </>
          }
        >
          <pre className="code-block" data-testid="sdk-code">{code}</pre>
        </Modal>
      )}
    </div>
  );
}

/** An old version on a canvas of its own: nothing can be moved, connected, deleted or edited. */
function VersionCanvas({ version, descriptions }: { version: ExperimentVersionDetail; descriptions: ReadonlyMap<string, ComponentDescription> }) {
  const snapshot = useMemo(() => fromGraph(version.graph, (id) => descriptions.get(id)?.displayName ?? id), [version, descriptions]);
  const lookup = useMemo(() => ({ descriptions, errors: new Map(), runNodes: {}, stale: new Set<string>() }), [descriptions]);
  return (
    <DesignerContext.Provider value={lookup}>
      <ReactFlowProvider>
        <div className="version-canvas" data-testid="version-canvas">
          <ReactFlow nodes={snapshot.nodes} edges={snapshot.edges} nodeTypes={nodeTypes} nodesDraggable={false} nodesConnectable={false}
            elementsSelectable={false} deleteKeyCode={null} defaultEdgeOptions={{ type: 'smoothstep' }} fitView proOptions={{ hideAttribution: true }}>
            <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#cbd5e1" />
          </ReactFlow>
        </div>
      </ReactFlowProvider>
    </DesignerContext.Provider>
  );
}
