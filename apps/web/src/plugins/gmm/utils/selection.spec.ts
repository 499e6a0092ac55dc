import type { CandidateResult } from '../types';
import { selectionSeries } from './selection';

const row = (covarianceType: CandidateResult['covarianceType'], k: number, bic: number | null, extra: Partial<CandidateResult> = {}): CandidateResult => ({
  k,
  covarianceType,
  bic,
  aic: bic === null ? null : bic - 1,
  logLikelihood: bic === null ? null : -bic / 2,
  meanLogLikelihood: null,
  parameters: k * 3,
  iterations: 5,
  converged: true,
  seconds: 0.1,
  ...extra,
});

describe('selectionSeries', () => {
  const candidates = [
    row('tied', 1, 30),
    row('tied', 2, 20),
    row('tied', 3, 25),
    row('diag', 1, 40),
    row('diag', 2, 10, { degenerate: 'component 1 covers 1.00 rows' }),
    row('diag', 3, null, { error: 'ill-defined empirical covariance' }),
  ];

  it('gives one line per covariance type in grid order, k ascending, the chosen candidate and why others cannot be chosen', () => {
    const s = selectionSeries(candidates, 'bic', 1);
    expect(s.types).toEqual(['tied', 'diag']);
    expect(s.rows).toEqual([
      { k: 1, tied: 30, diag: 40 },
      { k: 2, tied: 20, diag: 10 },
      { k: 3, tied: 25, diag: null },
    ]);
    expect(s.best).toEqual({ covarianceType: 'tied', k: 2 });
    expect(s.excluded).toEqual({ 'diag:2': 'degenerate: component 1 covers 1.00 rows', 'diag:3': 'failed: ill-defined empirical covariance' });
  });

  it('plots the criterion the run chose by', () => {
    expect(selectionSeries(candidates, 'aic').rows[0]).toEqual({ k: 1, tied: 29, diag: 39 });
    expect(selectionSeries(candidates, 'aic').best).toBeUndefined();
  });
});
