import { render, screen } from '@testing-library/react';
import type { ComponentDescription, Run, RunNodeState, ViewDescription } from '../../../types/contracts';
import type { CandidateResult } from '../types';
import { GmmSelectionChartView } from './SelectionChart';

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
});
