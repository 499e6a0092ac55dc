import { render, screen } from '@testing-library/react';
import type { ComponentDescription, Run, RunNodeState, ViewDescription } from '../../../types/contracts';
import { viewComponents } from '../../registry';
import { ClusterMetricsView } from './ClusterMetricsView';

const view: ViewDescription = { id: 'metrics', kind: 'eval.cluster-metrics', title: 'Metrics', source: { metrics: [] } };
const description = { id: 'eval-cluster', views: [view], outputs: [] } as unknown as ComponentDescription;
const run = { id: 'r1', nodes: {} } as unknown as Run;
const state = (metrics: Record<string, unknown>): RunNodeState => ({ status: 'succeeded', progress: 1, metrics, outputs: [] });

describe('ClusterMetricsView', () => {
  it('is the console’s view of the eval.cluster-metrics kind', () => {
    expect(viewComponents['eval.cluster-metrics']).toBe(ClusterMetricsView);
  });

  it('shows the figures, where the silhouette came from, the cluster sizes and the confusion matrix', () => {
    const metrics = {
      count: 120, k: 2, clusterArray: ['0', '1'], countArray: [77, 43], vrc: 67.556150546, db: 1.10154, silhouetteCoefficient: 0.348125,
      silhouetteRows: 50, silhouetteExact: false, ari: 0.53023, labelArray: ['setosa', 'versicolor', 'virginica'], confusionMatrix: [[39, 38, 0], [1, 2, 40]],
    };
    render(<ClusterMetricsView run={run} nodeId="n1" state={state(metrics)} description={description} view={view} />);
    expect(screen.getByTestId('metric-vrc')).toHaveTextContent('VRC (Calinski–Harabasz)67.5562higher is better');
    expect(screen.getByTestId('metric-silhouetteCoefficient')).toHaveTextContent('on a seeded sample of 50 of 120 rows');
    expect(screen.getByTestId('cluster-sizes')).toHaveTextContent('07764.2%');
    expect(screen.getByTestId('confusion-matrix')).toHaveTextContent('setosaversicolorvirginica');
    expect(screen.getByTestId('confusion-matrix')).toHaveTextContent('1124');
    expect(screen.queryByTestId('metric-nmi')).toBeNull();
  });

  it('says when nothing was recorded', () => {
    render(<ClusterMetricsView run={run} nodeId="n1" state={state({})} description={description} view={view} />);
    expect(screen.getByText('This run recorded no evaluation.')).toBeInTheDocument();
  });
});
