import { useCallback, useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { api } from '../api/client';
import type { ComponentsResponse, Dataset } from '../types/contracts';
import { ConsolePage } from './ConsolePage';
import { DatasetsPage } from '../modules/datasets/components/DatasetsPage';
import { ModelsPage } from '../modules/models/components/ModelsPage';
import { rememberDatasetNames } from '../modules/datasets/utils/knownNames';
import { ToastProvider } from './toasts';

type Page = 'designer' | 'datasets' | 'models';
const pageFromHash = (): Page =>
  window.location.hash.startsWith('#/datasets') ? 'datasets' : window.location.hash.startsWith('#/models') ? 'models' : 'designer';

/** The shell: header and navigation; the designer stays mounted so its canvas and history survive page switches. */
export function App() {
  const [page, setPage] = useState<Page>(pageFromHash);
  const [catalog, setCatalog] = useState<ComponentsResponse | undefined>();
  const [datasets, setDatasets] = useState<Dataset[]>([]);
  const [health, setHealth] = useState<{ engine?: string; version?: string; ok: boolean } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const loadDatasets = useCallback(
    () =>
      // the server's names of deleted datasets first, so a Read Dataset node still pointing at one shows its name
      // in any browser; the listed datasets' current names after them
      Promise.all([api.datasets(), api.deletedDatasets().catch(() => [])]).then(([list, deleted]) => {
        rememberDatasetNames([...[...deleted].reverse(), ...list]);
        setDatasets(list);
      }, () => undefined),
    [],
  );
  useEffect(() => {
    api.components().then(setCatalog, (e: Error) => setError(e.message));
    void loadDatasets();
    api.health().then((h) => setHealth({ ...h, ok: true }), () => setHealth({ ok: false }));
  }, [loadDatasets]);

  const go = (p: Page) => {
    window.location.hash = p === 'designer' ? '#/' : `#/${p}`;
    if (p === 'designer') void loadDatasets();
  };

  return (
    <ToastProvider>
      <div className="app">
        <header className="app-header">
          <div className="brand">
            <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden><circle cx="5.5" cy="8" r="4.2" fill="#818cf8" /><circle cx="10.5" cy="8" r="4.2" fill="#2dd4bf" fillOpacity=".85" /></svg>
            <span>Mixflow</span> <span className="brand-sub">Designer</span>
          </div>
          <nav>
            <button className={page === 'designer' ? 'active' : ''} onClick={() => go('designer')} data-testid="nav-designer">Experiments</button>
            <button className={page === 'datasets' ? 'active' : ''} onClick={() => go('datasets')} data-testid="nav-datasets">Datasets</button>
            <button className={page === 'models' ? 'active' : ''} onClick={() => go('models')} data-testid="nav-models">Models</button>
          </nav>
          <span className="grow" />
          {health && (
            <span className={`health ${health.ok ? 'ok' : 'down'}`} data-testid="health" title={health.ok ? `server ${health.version ?? ''}` : 'server unreachable'}>
              <span className="dot" /> {health.ok ? `${health.engine ?? 'local'} engine` : 'offline'}
            </span>
          )}
        </header>
        {error ? (
          <div className="page-error" data-testid="console-error">
            <h2>The console cannot reach the Mixflow server</h2>
            <p>{error}</p>
            <button className="btn btn-primary" onClick={() => window.location.reload()}>Try again</button>
          </div>
        ) : !catalog ? (
          <div className="page-loading"><span className="spinner" /> Loading components…</div>
        ) : (
          <ReactFlowProvider>
            <ConsolePage components={catalog.components} tabs={catalog.tabs} datasets={datasets} visible={page === 'designer'} />
            {page === 'datasets' && <DatasetsPage onChanged={loadDatasets} />}
            {page === 'models' && <ModelsPage />}
          </ReactFlowProvider>
        )}
      </div>
    </ToastProvider>
  );
}
