import { useState } from 'react';
import type { ExperimentSummary } from '../../../types/contracts';
import { Icon } from '../../../ui/Icon';
import { ConfirmDialog } from '../../../ui/Modal';

export interface ExperimentListProps {
  experiments: readonly ExperimentSummary[];
  currentId?: string;
  onOpen: (id: string) => void;
  onCreate: (name: string) => void;
  onRename: (id: string, name: string) => void;
  onDuplicate: (id: string) => void;
  onDelete: (id: string) => void;
  /** an exported experiment file (Export JSON) to import as a new experiment */
  onImport: (file: File) => void;
}

/** Every experiment, most recently updated first, with open / create / rename / duplicate / delete. */
export function ExperimentList(p: ExperimentListProps) {
  const [editing, setEditing] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [filter, setFilter] = useState('');
  /** the experiment the delete dialog asks about */
  const [deleting, setDeleting] = useState<ExperimentSummary | undefined>();
  const shown = p.experiments.filter((e) => e.name.toLowerCase().includes(filter.toLowerCase()));

  const commitRename = (id: string) => {
    const n = name.trim();
    if (n) p.onRename(id, n);
    setEditing(undefined);
  };
  const commitCreate = () => {
    const n = newName.trim();
    if (n) p.onCreate(n);
    setCreating(false);
    setNewName('');
  };

  return (
    <div className="experiment-list" data-testid="experiment-list">
      <div className="search-box row">
        <input type="search" placeholder="Filter experiments" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter experiments" />
        <button className="btn btn-primary btn-small" onClick={() => setCreating(true)} data-testid="experiment-new">+ New</button>
        <label className="btn btn-small" title="Import an experiment exported as JSON" data-testid="experiment-import">
          Import
          <input type="file" accept=".json,application/json" hidden data-testid="experiment-import-file"
            onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) p.onImport(f); }} />
        </label>
      </div>
      {creating && (
        <form className="experiment-create" onSubmit={(e) => { e.preventDefault(); commitCreate(); }}>
          <input autoFocus placeholder="Experiment name" value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="experiment-new-name"
            onKeyDown={(e) => e.key === 'Escape' && setCreating(false)} />
          <button className="btn btn-primary btn-small" type="submit" disabled={!newName.trim()} data-testid="experiment-create">Create</button>
        </form>
      )}
      <ul>
        {shown.map((e) => (
          <li key={e.id} className={`experiment-item ${e.id === p.currentId ? 'current' : ''}`} data-testid={`experiment-${e.id}`}>
            {editing === e.id ? (
              <form className="rename" onSubmit={(ev) => { ev.preventDefault(); commitRename(e.id); }}>
                <input autoFocus value={name} onChange={(ev) => setName(ev.target.value)} onBlur={() => commitRename(e.id)}
                  onKeyDown={(ev) => ev.key === 'Escape' && setEditing(undefined)} data-testid="experiment-rename-input" />
              </form>
            ) : (
              <button className="experiment-open" onClick={() => p.onOpen(e.id)} title="Open">
                <span className="experiment-name">{e.name}</span>
                <span className="experiment-meta">{e.nodeCount} nodes · v{e.version} · {relativeTime(e.updatedAt)}</span>
              </button>
            )}
            <span className="experiment-actions">
              <button className="icon-btn" title="Rename" onClick={() => { setEditing(e.id); setName(e.name); }} data-testid={`experiment-rename-${e.id}`}><Icon name="pencil" size={14} /></button>
              <button className="icon-btn" title="Duplicate" onClick={() => p.onDuplicate(e.id)} data-testid={`experiment-duplicate-${e.id}`}><Icon name="duplicate" size={14} /></button>
              <button className="icon-btn danger" title="Delete"
                onClick={() => setDeleting(e)} data-testid={`experiment-delete-${e.id}`}><Icon name="trash" size={14} /></button>
            </span>
          </li>
        ))}
      </ul>
      {shown.length === 0 && <div className="empty-hint">{p.experiments.length ? 'No experiment matches.' : 'No experiments yet.'}</div>}
      {deleting && (
        <ConfirmDialog
          title={`Delete experiment “${deleting.name}”?`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => { p.onDelete(deleting.id); setDeleting(undefined); }}
          testId="experiment-delete"
        >
          <p>Its {deleting.version === 1 ? 'version' : `${deleting.version} versions`}, runs, run logs and outputs are removed. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function relativeTime(iso: string, now = Date.now()): string {
  const s = (now - Date.parse(iso)) / 1000;
  if (!Number.isFinite(s)) return '';
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}
