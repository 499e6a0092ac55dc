import { useEffect, useState } from 'react';
import type { TablePage } from '../../../types/contracts';
import { formatNumber, formatNumberList } from '../../../utils/format';

/** A paged, read-only table fed by any `(offset, limit) → TablePage` loader (run outputs, dataset previews). */
export function DataTable({ load, pageSize = 50, testId = 'data-table', deps = [] }: { load: (offset: number, limit: number) => Promise<TablePage>; pageSize?: number; testId?: string; deps?: unknown[] }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<TablePage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);

  useEffect(() => setOffset(0), deps);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    load(offset, pageSize).then(
      (p) => {
        if (cancelled) return;
        setPage(p);
        setError(undefined);
        setLoading(false);
      },
      (e: Error) => {
        if (cancelled) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [offset, pageSize, ...deps]);

  if (error) return <div className="error-box" data-testid={`${testId}-error`}>{error}</div>;
  if (!page) return <div className="muted pad">Loading…</div>;
  const last = Math.max(0, Math.ceil(page.total / pageSize) - 1);
  const current = Math.floor(offset / pageSize);
  return (
    <div className={`data-table ${loading ? 'is-loading' : ''}`} data-testid={testId}>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th className="row-num">#</th>
              {page.columns.map((c) => (
                <th key={c.name} title={`${c.name}: ${c.type}${c.vectorSize ? ` (${c.vectorSize})` : ''}`}>
                  {c.name} <span className="col-type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r, i) => (
              <tr key={offset + i}>
                <td className="row-num">{offset + i + 1}</td>
                {r.map((v, j) => (
                  <td key={j} className={typeof v === 'number' ? 'num' : ''} title={String(v)}>{formatCell(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <span data-testid={`${testId}-range`}>
          {page.total === 0 ? 'No rows' : `Rows ${(offset + 1).toLocaleString('en-US')}–${Math.min(offset + pageSize, page.total).toLocaleString('en-US')} of ${page.total.toLocaleString('en-US')}`}
        </span>
        <button className="btn btn-small" disabled={current === 0} onClick={() => setOffset(0)} aria-label="First page">«</button>
        <button className="btn btn-small" disabled={current === 0} onClick={() => setOffset(offset - pageSize)} data-testid={`${testId}-prev`}>‹ Prev</button>
        <span className="muted">Page {current + 1} / {last + 1}</span>
        <button className="btn btn-small" disabled={current >= last} onClick={() => setOffset(offset + pageSize)} data-testid={`${testId}-next`}>Next ›</button>
        <button className="btn btn-small" disabled={current >= last} onClick={() => setOffset(last * pageSize)} aria-label="Last page">»</button>
      </div>
    </div>
  );
}

/** A cell as people read it; the full value stays in the cell's tooltip. */
function formatCell(v: string | number): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatNumber(v, 6);
  return formatNumberList(v) ?? v;
}
