import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../api/client';
import type { ColumnStats, Dataset, ExperimentSummary } from '../../../types/contracts';
import { ConfirmDialog } from '../../../ui/Modal';
import { DataTable } from '../../results/components/DataTable';
import { formatBytes, uploadDataset } from '../utils/upload';

/** A statistic as the table shows it: numbers to 6 significant digits, none as a dash. */
function formatStat(v: number | string | undefined): string {
  if (v === undefined) return '–';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toPrecision(6)).toString();
}

/** The statistics the server computed at upload: one row per column. */
export function ColumnStatsTable({ stats }: { stats: ColumnStats[] }) {
  return (
    <table className="data-table stats-table" data-testid="dataset-stats">
      <thead>
        <tr>{['column', 'count', 'missing', 'min', 'max', 'mean', 'std', '≈ distinct'].map((h) => <th key={h}>{h}</th>)}</tr>
      </thead>
      <tbody>
        {stats.map((s) => (
          <tr key={s.name}>
            <td><b>{s.name}</b></td>
            {[s.count, s.missing, s.min, s.max, s.mean, s.std, s.distinct].map((v, i) => <td key={i} className="mono">{formatStat(v)}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Datasets: upload a CSV with a progress bar, browse stored and sample datasets, see schema and preview. */
export function DatasetsPage({ onChanged }: { onChanged?: () => void }) {
  const [datasets, setDatasets] = useState<Dataset[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [upload, setUpload] = useState<{ name: string; fraction: number; phase: 'uploading' | 'processing' | 'done' | 'failed'; error?: string } | undefined>();
  const [name, setName] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragOver, setDragOver] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const list = await api.datasets();
      setDatasets(list);
      setError(undefined);
      setSelected((s) => s ?? list[0]?.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const start = async (file: File) => {
    setUpload({ name: file.name, fraction: 0, phase: 'uploading' });
    try {
      const d = await uploadDataset(file, name.trim() || undefined, (fraction) =>
        setUpload((u) => (u && u.phase !== 'done' ? { ...u, fraction, phase: fraction >= 1 ? 'processing' : 'uploading' } : u)));
      setUpload({ name: file.name, fraction: 1, phase: 'done' });
      setName('');
      await refresh();
      setSelected(d.id);
      onChanged?.();
      setTimeout(() => setUpload((u) => (u && u.phase === 'done' ? undefined : u)), 4000);
    } catch (e) {
      setUpload({ name: file.name, fraction: 0, phase: 'failed', error: (e as Error).message });
    }
  };

  const current = datasets.find((d) => d.id === selected);
  /** the dataset the delete dialog asks about, with the experiments that read it */
  const [deleting, setDeleting] = useState<{ dataset: Dataset; usedBy: ExperimentSummary[] } | undefined>();
  const askToRemove = async (d: Dataset) => {
    try {
      setDeleting({ dataset: d, usedBy: await api.experimentsUsingDataset(d.id) });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const remove = async (d: Dataset) => {
    setDeleting(undefined);
    try {
      await api.deleteDataset(d.id);
      setSelected(undefined);
      await refresh();
      onChanged?.();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="datasets-page" data-testid="datasets-page">
      <aside className="datasets-side">
        <div
          className={`dropzone ${dragOver ? 'over' : ''}`}
          onDragOver={(e) => { e.preventDefault(); setDragOver(true); }}
          onDragLeave={() => setDragOver(false)}
          onDrop={(e) => { e.preventDefault(); setDragOver(false); const f = e.dataTransfer.files[0]; if (f) void start(f); }}
        >
          <div className="dropzone-title">Upload a CSV, Parquet or JSON lines</div>
          <div className="muted small">CSV: a header row, then one row per line; vector columns hold Alink strings (“1.0 2.0”). Stored as Parquet.</div>
          <input className="input" placeholder="Name (optional)" title="Defaults to the file name" value={name} onChange={(e) => setName(e.target.value)} data-testid="dataset-name" />
          <input ref={fileInput} type="file" accept=".csv,text/csv,.parquet,.jsonl,.ndjson,.json" hidden data-testid="dataset-file"
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void start(f); e.target.value = ''; }} />
          <button className="btn btn-primary" onClick={() => fileInput.current?.click()} disabled={upload?.phase === 'uploading' || upload?.phase === 'processing'} data-testid="dataset-upload">
            Choose file…
          </button>
          <span className="muted small">or drop it here</span>
          {upload && (
            <div className="upload-status" data-testid="upload-status" data-phase={upload.phase}>
              <div className="small">
                {upload.phase === 'failed' ? `✕ ${upload.name}` : upload.phase === 'done' ? `✓ ${upload.name} uploaded` : upload.phase === 'processing'
                  ? `Reading ${upload.name} on the server…` : `Uploading ${upload.name}… ${Math.round(upload.fraction * 100)} %`}
              </div>
              <div className="progress" role="progressbar" aria-valuenow={Math.round(upload.fraction * 100)} aria-valuemin={0} aria-valuemax={100} data-testid="upload-progress">
                <div style={{ width: `${Math.round(upload.fraction * 100)}%` }} className={upload.error ? 'failed' : ''} />
              </div>
              {upload.error && <div className="field-error">{upload.error}</div>}
            </div>
          )}
        </div>
        {error && <div className="error-box">{error}</div>}
        <ul className="dataset-list" data-testid="dataset-list">
          {datasets.map((d) => (
            <li key={d.id} className={d.id === selected ? 'current' : ''} onClick={() => setSelected(d.id)} data-testid={`dataset-${d.id}`}>
              <div className="dataset-name">{d.name} {d.builtIn && <span className="pill">sample</span>}</div>
              <div className="muted small">{d.rowCount.toLocaleString('en-US')} rows · {d.schema.columns.length} columns{d.bytes ? ` · ${formatBytes(d.bytes)}` : ''}</div>
            </li>
          ))}
        </ul>
      </aside>
      <section className="dataset-detail">
        {!current ? (
          <div className="empty-hint">Upload a CSV or pick a dataset to see its schema and preview.</div>
        ) : (
          <>
            <header className="dataset-header">
              <div>
                <h2>{current.name}</h2>
                <div className="muted small">id <span className="mono">{current.id}</span> · {current.rowCount.toLocaleString('en-US')} rows{current.bytes ? ` · ${formatBytes(current.bytes)}` : ''} · {new Date(current.createdAt).toLocaleString()}</div>
              </div>
              {!current.builtIn && <button className="btn btn-danger btn-small" onClick={() => void askToRemove(current)} data-testid="dataset-delete">Delete</button>}
            </header>
            <h3>Schema</h3>
            <div className="schema" data-testid="dataset-schema">
              {current.schema.columns.map((c) => (
                <span key={c.name} className="schema-col"><b>{c.name}</b> <span className={`type type-${c.type}`}>{c.type}{c.vectorSize ? `(${c.vectorSize})` : ''}</span></span>
              ))}
            </div>
            {current.stats && current.stats.length > 0 && (
              <>
                <h3>Column statistics</h3>
                <ColumnStatsTable stats={current.stats} />
              </>
            )}
            <h3>Preview</h3>
            <DataTable key={current.id} testId="dataset-preview" load={(o, l) => api.datasetPreview(current.id, o, l)} deps={[current.id]} />
          </>
        )}
      </section>
      {deleting && <DeleteDatasetDialog {...deleting} onCancel={() => setDeleting(undefined)} onConfirm={() => void remove(deleting.dataset)} />}
    </div>
  );
}

/** Asks before deleting a dataset, naming the experiments whose Read Dataset nodes would lose it. */
function DeleteDatasetDialog({ dataset, usedBy, onCancel, onConfirm }: { dataset: Dataset; usedBy: ExperimentSummary[]; onCancel: () => void; onConfirm: () => void }) {
  return (
    <ConfirmDialog title={`Delete dataset “${dataset.name}”?`} confirmLabel="Delete" onCancel={onCancel} onConfirm={onConfirm} testId="dataset-delete">
      {usedBy.length === 0 ? (
        <p data-testid="dataset-delete-unused">No experiment reads it. The file and its statistics are removed.</p>
      ) : (
        <>
          <p>
            {usedBy.length === 1 ? 'This experiment reads it' : `These ${usedBy.length} experiments read it`}. Read Dataset nodes that point
            at it will show it as deleted until another dataset is chosen:
          </p>
          <ul className="delete-used-by" data-testid="dataset-delete-used-by">
            {usedBy.map((e) => <li key={e.id}>{e.name}</li>)}
          </ul>
        </>
      )}
    </ConfirmDialog>
  );
}
