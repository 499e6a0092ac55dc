import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { api } from '../../../api/client';
import type { Deployment, ModelSummary } from '../../../types/contracts';
import { DeploymentsTable, formatLatency, modelLabel } from './DeploymentsTable';
import { ModelsPage } from './ModelsPage';

const models: ModelSummary[] = [
  { id: 'm1', name: 'blobs k8', modelType: 'gmm', description: 'k=8, 10-D', fields: {}, lineage: {}, createdAt: '2026-01-01T00:00:00Z' },
  { id: 'm2', name: 'blobs k8 retrained', modelType: 'gmm', description: 'k=8, 10-D', fields: {}, lineage: {}, createdAt: '2026-01-02T00:00:00Z' },
];
const deployment = (counters: Partial<Deployment['counters']> = {}, modelId = 'm1'): Deployment => ({
  name: 'clusters',
  modelId,
  modelName: modelId === 'm1' ? 'blobs k8' : 'blobs k8 retrained',
  modelDescription: 'k=8, 10-D',
  createdAt: '2026-01-03T00:00:00Z',
  updatedAt: '2026-01-03T00:00:00Z',
  counters: { rows: 0, requests: 0, errors: 0, p50Ms: null, p99Ms: null, since: '2026-01-03T00:00:00Z', ...counters },
});

function cells(): string[][] {
  return within(screen.getByTestId('deployments'))
    .getAllByRole('row')
    .map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.querySelector('select') ? (c.querySelector('select') as HTMLSelectElement).value : c.textContent ?? ''));
}

describe('DeploymentsTable', () => {
  it('shows each deployment’s endpoint, model and counters (latencies to 0.1 ms under 10 ms, a dash before the first request)', () => {
    render(<DeploymentsTable deployments={[deployment({ rows: 123456, requests: 42, errors: 3, p50Ms: 4.26, p99Ms: 812.4 })]} models={models} onSwap={jest.fn()} onDelete={jest.fn()} />);
    expect(cells()).toEqual([
      ['name', 'model', 'rows', 'requests', 'errors', 'p50', 'p99', ''],
      ['clusters/api/deployments/clusters/predict', 'm1', '123,456', '42', '3', '4.3 ms', '812 ms', 'Delete'],
    ]);
    expect(formatLatency(null)).toBe('–');
    expect(modelLabel(models[0])).toBe('blobs k8 (k=8, 10-D)');
    expect(modelLabel({ ...models[0], name: 'imported GMM (k=8, 10-D)' })).toBe('imported GMM (k=8, 10-D)');
  });

  it('swaps the model when another is chosen, and deletes', () => {
    const onSwap = jest.fn();
    const onDelete = jest.fn();
    render(<DeploymentsTable deployments={[deployment()]} models={models} onSwap={onSwap} onDelete={onDelete} />);
    fireEvent.change(screen.getByLabelText('model of clusters'), { target: { value: 'm2' } });
    expect(onSwap).toHaveBeenCalledWith('clusters', 'm2');
    fireEvent.click(screen.getByText('Delete'));
    expect(onDelete).toHaveBeenCalledWith('clusters');
  });
});

describe('ModelsPage', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('lists models and deployments, deploys a model, and reads the counters again while open', async () => {
    jest.useFakeTimers();
    let served = [deployment({ rows: 10, requests: 1, p50Ms: 2, p99Ms: 2 })];
    jest.spyOn(api, 'models').mockImplementation(async () => models);
    jest.spyOn(api, 'deployments').mockImplementation(async () => served);
    const create = jest.spyOn(api, 'createDeployment').mockImplementation(async (name, modelId) => ({ ...deployment({}, modelId), name }));
    render(<ModelsPage />);
    await act(async () => undefined);
    expect(within(screen.getByTestId('model-list')).getAllByRole('row')).toHaveLength(3);
    expect(cells()[1].slice(2, 5)).toEqual(['10', '1', '0']);

    served = [deployment({ rows: 5010, requests: 7, errors: 1, p50Ms: 3, p99Ms: 40 })];
    await act(async () => {
      jest.advanceTimersByTime(3000);
    });
    expect(cells()[1].slice(2, 7)).toEqual(['5,010', '7', '1', '3.0 ms', '40 ms']);

    fireEvent.change(screen.getByLabelText('deployment name'), { target: { value: 'second' } });
    fireEvent.change(screen.getByLabelText('model to deploy'), { target: { value: 'm2' } });
    await act(async () => {
      fireEvent.submit(screen.getByTestId('deploy-form'));
    });
    expect(create).toHaveBeenCalledWith('second', 'm2');
  });

  it('shows the server’s message when a swap is refused', async () => {
    jest.spyOn(api, 'models').mockImplementation(async () => models);
    jest.spyOn(api, 'deployments').mockImplementation(async () => [deployment()]);
    jest.spyOn(api, 'swapDeployment').mockRejectedValue(new Error("model 'm2' cannot replace model 'm1' in deployment 'clusters': its dimensions differ"));
    render(<ModelsPage />);
    await act(async () => undefined);
    await act(async () => {
      fireEvent.change(screen.getByLabelText('model of clusters'), { target: { value: 'm2' } });
    });
    expect(screen.getByTestId('models-error').textContent).toMatch(/dimensions differ/);
  });
});
