import type { Experiment, Run } from '../../../types/contracts';
import { Icon } from '../../../ui/Icon';
import { runDuration, runPercent } from '../../runs/utils/runState';

export interface ToolbarEditing {
  canUndo: boolean;
  canRedo: boolean;
  canCopy: boolean;
  canPaste: boolean;
  canDelete: boolean;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  deleteSelected: () => void;
  fitView: () => void;
  autoLayout: () => void;
  minimap: boolean;
  toggleMinimap: () => void;
}

/** The designer's top bar: the experiment's name and save state, editing tools, run state, Save and Run. */
export function ConsoleToolbar({ experiment, saving, dirty, editing, run, running, selected, onRename, onSave, onRun, onRunFrom, onCancel }: {
  experiment?: Experiment;
  saving: boolean;
  dirty: boolean;
  editing: ToolbarEditing;
  run?: Run;
  running: boolean;
  selected?: { id: string; label: string };
  onRename: (name: string) => void;
  onSave: () => void;
  onRun: () => void;
  onRunFrom: (nodeId: string) => void;
  onCancel: () => void;
}) {
  return (
    <div className="toolbar" data-testid="toolbar">
      <div className="experiment-title">
        <input
          key={experiment?.id + (experiment?.name ?? '')}
          defaultValue={experiment?.name ?? ''}
          onBlur={(e) => experiment && e.target.value.trim() && e.target.value.trim() !== experiment.name && onRename(e.target.value.trim())}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
          aria-label="Experiment name"
          data-testid="experiment-name"
        />
        <span className={`save-state ${dirty ? 'dirty' : ''}`} data-testid="save-state">
          {saving ? 'Saving…' : dirty ? 'Unsaved changes · draft kept' : experiment ? `Saved · v${experiment.version}` : ''}
        </span>
      </div>
      <div className="toolbar-group">
        <button className="icon-btn" onClick={editing.undo} disabled={!editing.canUndo} title="Undo (Ctrl+Z)" data-testid="undo"><Icon name="undo" /></button>
        <button className="icon-btn" onClick={editing.redo} disabled={!editing.canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo"><Icon name="redo" /></button>
        <span className="sep" />
        <button className="icon-btn" onClick={editing.copy} disabled={!editing.canCopy} title="Copy (Ctrl+C)" data-testid="copy"><Icon name="copy" /></button>
        <button className="icon-btn" onClick={editing.paste} disabled={!editing.canPaste} title="Paste (Ctrl+V)" data-testid="paste"><Icon name="paste" /></button>
        <button className="icon-btn" onClick={editing.deleteSelected} disabled={!editing.canDelete} title="Delete (Del)" data-testid="delete"><Icon name="trash" /></button>
        <span className="sep" />
        <button className="icon-btn" onClick={editing.fitView} title="Fit view (Shift+1)" data-testid="fit-view"><Icon name="fit" /></button>
        <button className="icon-btn" onClick={editing.autoLayout} title="Auto-layout" data-testid="auto-layout"><Icon name="layout" /></button>
        <button className={`icon-btn ${editing.minimap ? 'active' : ''}`} onClick={editing.toggleMinimap} aria-pressed={editing.minimap} title={editing.minimap ? 'Hide the minimap' : 'Show the minimap'} data-testid="toggle-minimap"><Icon name="map" /></button>
      </div>
      <div className="toolbar-group right">
        {run && (
          <span className={`run-state pill pill-${run.status}`} data-testid="run-state" data-status={run.status}>
            {run.status === 'running' || run.status === 'queued' ? `Running ${runPercent(run)} %` : `Last run ${run.status}`} · {runDuration(run)}
          </span>
        )}
        <button className="btn" onClick={onSave} disabled={!experiment || saving} title="Save (Ctrl+S)" data-testid="save">Save</button>
        {running ? (
          <button className="btn btn-danger" onClick={onCancel} data-testid="cancel-run"><Icon name="stop" size={14} /> Stop</button>
        ) : (
          <>
            {selected && (
              <button className="btn" onClick={() => onRunFrom(selected.id)} title={`Run ${selected.label} and everything after it`} data-testid="run-from-selected"><Icon name="play" size={14} /> Run from here</button>
            )}
            <button className="btn btn-primary" onClick={onRun} disabled={!experiment} data-testid="run"><Icon name="play" size={14} /> Run</button>
          </>
        )}
      </div>
    </div>
  );
}
