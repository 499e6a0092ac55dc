import { render, screen, waitFor } from '@testing-library/react';
import { api } from '../../../api/client';
import type { ComponentDescription, Run, RunNodeState, ViewDescription } from '../../../types/contracts';
import type { CandidateResult } from '../types';
import { CandidateScatter, GmmSelectionChartView } from './SelectionChart';

const candidate = (covarianceType: CandidateResult['covarianceType'], k: number, bic: number, degenerate?: string): CandidateResult => ({
  k,
  covarianceType,
  bic,
  aic: bic - 2,
  logLikelihood: -bic / 2,
  meanLogLikelihood: -bic / 200,
  parameters: 5 * k,
  iterations: 7,
  converged: true,
  seconds: 0.01,
  ...(degenerate ? { degenerate } : {}),
});

const view: ViewDescription = { id: 'criterion', kind: 'gmm.selection-chart', title: 'Criterion', source: { metrics: ['candidates', 'bestIndex', 'criterion'] } };
const description = { id: 'gmm-model-selection', views: [view], outputs: [] } as unknown as ComponentDescription;
const run = { id: 'r1', nodes: {} } as unknown as Run;

function state(metrics: Record<string, unknown>): RunNodeState {
  return { status: 'succeeded', progress: 1, metrics, outputs: [] };
}

describe('GmmSelectionChartView', () => {
  it('says lower is better and shows the best candidate first, with its figures', () => {
    const candidates = [candidate('tied', 1, 300), candidate('tied', 2, 250), candidate('diag', 1, 320), candidate('diag', 2, 200, 'component 0 covers 1.00 rows')];
    render(<GmmSelectionChartView run={run} nodeId="n1" state={state({ candidates, bestIndex: 1, criterion: 'bic' })} description={description} view={view} />);
    expect(screen.getByTestId('selection-chart')).toHaveTextContent('BIC against k, one line per covariance type — lower is better');
    expect(screen.getByTestId('selection-detail')).toHaveTextContent('tied, k = 2 — best: BIC 250');
  });

  it('says when the run recorded no candidates', () => {
    render(<GmmSelectionChartView run={run} nodeId="n1" state={state({})} description={description} view={view} />);
    expect(screen.getByText('This run recorded no candidates.')).toBeInTheDocument();
  });

  it("a non-best candidate's scatter asks the view for that candidate (item) and draws its model; without a kept model it says why", async () => {
    const model = { type: 'mixflow.gmm', version: 1, covarianceType: 'spherical', dims: 2, k: 1, weights: [1], means: [[0, 0]], covariances: [1] };
    const viewData = jest.spyOn(api, 'viewData').mockResolvedValue({ dims: 2, featureNames: ['x', 'y'], points: [[0, 0], [1, 1]], labels: [0, 0], model });
    const scatter: ViewDescription = { id: 'scatter', kind: 'gmm.scatter', title: 'Clusters', source: { data: 'training-sample' } };
    const kept = state({ candidateModels: [null, model] });
    render(<CandidateScatter run={run} nodeId="n1" state={kept} description={description} view={scatter} index={1} isBest={false} failed={false} />);
    await waitFor(() => expect(viewData).toHaveBeenCalledWith('r1', 'n1', 'scatter', 2000, 1));
    viewData.mockRestore();
    render(<CandidateScatter run={run} nodeId="n1" state={state({})} description={description} view={scatter} index={1} isBest={false} failed={false} />);
    expect(screen.getByTestId('candidate-no-scatter')).toHaveTextContent("The run kept only the best candidate's model");
  });
});
