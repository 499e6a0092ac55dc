import { useCallback, useEffect, useState } from 'react';
import { api } from '../../../api/client';
import type { Deployment, ModelSummary } from '../../../types/contracts';
import { ConfirmDialog } from '../../../ui/Modal';
import { DeployForm, DeploymentsTable } from './DeploymentsTable';

/** How often the counters are read again while the page is open. */
const REFRESH_MS = 3000;

/** Models: the stored models, and the deployments serving them with their counters (refreshed while open). */
export function ModelsPage() {
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [deployments, setDeployments] = useState<Deployment[]>([]);
  const [error, setError] = useState<string | undefined>();
  /** the deployment the delete dialog asks about */
  const [deleting, setDeleting] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    try {
      const [m, d] = await Promise.all([api.models(), api.deployments()]);
      setModels(m);
      setDeployments(d);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void api.deployments().then(setDeployments, () => undefined), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const act = (change: Promise<unknown>) =>
    change.then(
      () => {
        setError(undefined);
        return refresh();
      },
      (e: Error) => setError(e.message),
    );

  return (
    <div className="models-page" data-testid="models-page">
      <h2>Deployments</h2>
      {error && <div className="error-box" data-testid="models-error">{error}</div>}
      <DeploymentsTable
        deployments={deployments}
        models={models}
        onSwap={(name, modelId) => void act(api.swapDeployment(name, modelId))}
        onDelete={setDeleting}
      />
      {models.length > 0 && <DeployForm models={models} onCreate={(name, modelId) => void act(api.createDeployment(name, modelId))} />}
      <h2>Models</h2>
      {models.length === 0 ? (
        <div className="empty-hint small">No stored models: run a training experiment, or import a model file (POST /api/models/import).</div>
      ) : (
        <div className="data-table">
          <div className="table-scroll">
            <table data-testid="model-list">
              <thead>
                <tr>{['name', 'type', 'model', 'created', ''].map((h) => <th key={h}>{h}</th>)}</tr>
              </thead>
              <tbody>
                {models.map((m) => (
                  <tr key={m.id}>
                    <td><b>{m.name}</b><div className="muted small mono">{m.id}</div></td>
                    <td>{m.modelType}</td>
                    <td>{m.description}</td>
                    <td>{new Date(m.createdAt).toLocaleString()}</td>
                    <td><a className="btn btn-small" href={api.modelExportUrl(m.id)} download>Export</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {deleting !== undefined && (
        <ConfirmDialog
          title={`Delete deployment “${deleting}”?`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => { void act(api.deleteDeployment(deleting)); setDeleting(undefined); }}
          testId="deployment-delete"
        >
          <p>Its endpoint /api/deployments/{deleting}/predict stops answering; the model stays stored.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
