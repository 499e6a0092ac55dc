import { readFileSync } from 'fs';
import { join } from 'path';
import { GmmInputError } from './errors';
import { GaussianMixture, chooseBest, diagnoseDegenerateIn, fitGmm, matrixFromRows, selectGmm, type CandidateResult } from './index';
import type { CovarianceType, GmmModelJson } from './types';

/** mclust's selection, written by reference/make_mclust_reference.R (see its header). */
interface MclustCandidate {
  k: number;
  covarianceType: CovarianceType;
  bic: number | null;
  logLikelihood?: number;
  parameters?: number;
  weights?: number[];
  means?: number[][];
  covariances?: GmmModelJson['covariances'];
}
interface MclustDataset {
  name: string;
  rows: number;
  dims: number;
  selection: { k: number; covarianceType: CovarianceType; bic: number; parameters: number };
  candidates: MclustCandidate[];
  data: number[][];
}
const mclust: { datasets: Record<string, MclustDataset> } = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'mclust_selection.json'), 'utf8'));
/** scikit-learn's lowest-BIC fit on Old Faithful, written by reference/make_degenerate_reference.py: a collapsed component. */
const sklearn: { regCovar: number; best: { k: number; covarianceType: CovarianceType; bic: number; weights: number[]; means: number[][]; covariances: GmmModelJson['covariances'] } } =
  JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'faithful_sklearn_selection.json'), 'utf8'));

function modelJson(c: { k: number; covarianceType: CovarianceType; weights?: number[]; means?: number[][]; covariances?: GmmModelJson['covariances'] }, dims: number): GmmModelJson {
  return { type: 'mixflow.gmm', version: 1, covarianceType: c.covarianceType, dims, k: c.k, weights: c.weights!, means: c.means!, covariances: c.covariances! };
}

describe('model selection against R mclust (VVV/EEE/VVI/VII = full/tied/diag/spherical, G = 1..9)', () => {
  const cases = Object.values(mclust.datasets).flatMap((ds) => ds.candidates.filter((c) => c.bic !== null).map((c) => [ds.name, c.covarianceType, c.k, ds, c] as const));

  it('covers both bundled data sets and all 72 candidates mclust fitted', () => {
    expect(Object.keys(mclust.datasets).sort()).toEqual(['faithful', 'iris']);
    expect(cases.length).toBe(72);
  });

  // mclust's fitted parameters scored by our code: the BIC is mclust's with the sign flipped. Both sum the same log
  // densities and count the same parameters, but mclust reports the log-likelihood L of the E-step before its last
  // M-step; it stopped because that step changed L by less than tol·(1 + |L|), tol = 1e-5 (emControl), so the
  // BICs (2·L each) may differ by up to 2e-5·(1 + |L|). (Seen: at most 9.1e-6 relative, faithful tied k = 9.)
  it.each(cases)("%s, %s, k = %i: our BIC of mclust's fit is the negative of mclust's", (_n, _type, _k, ds, c) => {
    const X = matrixFromRows(ds.data);
    const model = GaussianMixture.fromJSON(modelJson(c, ds.dims));
    expect(model.nParameters()).toBe(c.parameters);
    expect(Math.abs(model.bic(X) + c.bic!)).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(c.logLikelihood!)));
  });

  // and our EM continued from there (no regularisation, as mclust) only ever improves on it
  it.each(cases)("%s, %s, k = %i: our EM from mclust's fit is never worse", (_n, type, k, ds, c) => {
    const X = matrixFromRows(ds.data);
    const model = fitGmm(X, { k, covarianceType: type, initialModel: modelJson(c, ds.dims), regCovar: 0, forcePositive: false, convergence: 'logLikelihood', epsilon: 1e-10 });
    const theirs = -c.bic!;
    expect(model.training!.bic).toBeLessThanOrEqual(theirs + 1e-9 * Math.abs(theirs));
  });

  // k-means starts find mclust's optimum of the winning candidate with a few trials; our regCovar (1e-6) and EM run
  // to epsilon make our value at most a little lower (better) than mclust's, which stops at tol 1e-5 relative.
  it.each([
    ['iris', 3],
    ['faithful', 3],
  ] as const)('%s: the same selection as mclust with %i trials, BIC within 5e-5 relative', (name, trials) => {
    const ds = mclust.datasets[name];
    const result = selectGmm(matrixFromRows(ds.data), { fit: { trials } });
    const best = result.candidates[result.bestIndex];
    expect({ k: best.k, covarianceType: best.covarianceType }).toEqual({ k: ds.selection.k, covarianceType: ds.selection.covarianceType });
    expect(best.parameters).toBe(ds.selection.parameters);
    expect(Math.abs(best.bic! + ds.selection.bic) / Math.abs(ds.selection.bic)).toBeLessThan(5e-5);
    expect(result.best.k).toBe(ds.selection.k);
    expect(result.candidates).toHaveLength(36);
    if (process.env.GMM_REFERENCE_REPORT) process.stdout.write(`${name}: ours ${best.covarianceType} k=${best.k} BIC ${best.bic} | mclust ${ds.selection.covarianceType} k=${ds.selection.k} BIC ${-ds.selection.bic}\n`);
  });
});

describe('degenerate candidates', () => {
  const faithful = matrixFromRows(mclust.datasets.faithful.data);
  const collapsed = sklearn.best;

  it("flags scikit-learn's lowest-BIC fit on Old Faithful (a component on one whole minute of waiting time)", () => {
    const model = fitGmm(faithful, { k: collapsed.k, covarianceType: collapsed.covarianceType, initialModel: modelJson(collapsed, 2), regCovar: sklearn.regCovar, forcePositive: false });
    // our EM, continued from scikit-learn's fit, stays on the collapse: the spurious likelihood is real
    expect(model.training!.bic).toBeLessThan(mclust.datasets.faithful.selection.bic * -1 - 100);
    expect(model.training!.bic).toBeLessThanOrEqual(collapsed.bic * (1 + 1e-9));
    expect(diagnoseDegenerateIn(model, faithful)).toMatch(/component \d+: the covariance before regCovar is singular/);
  });

  it('does not flag the mclust selection', () => {
    const sel = mclust.datasets.faithful.candidates.find((c) => c.k === 3 && c.covarianceType === 'tied')!;
    const model = fitGmm(faithful, { k: 3, covarianceType: 'tied', initialModel: modelJson(sel, 2) });
    expect(diagnoseDegenerateIn(model, faithful)).toBeUndefined();
  });

  it('flags a component whose weight covers fewer rows than its free covariance parameters', () => {
    // 40 rows around (0,0,0), 3 rows near (9,9,9): a full covariance in 3-D has 6 free parameters
    const rows: number[][] = [];
    for (let i = 0; i < 40; i++) rows.push([Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7 + 1)]);
    rows.push([9, 9.1, 8.8], [9.2, 8.9, 9.1], [8.9, 9.05, 9.2]);
    const X = matrixFromRows(rows);
    const model = fitGmm(X, { k: 2, covarianceType: 'full', trials: 3 });
    expect(diagnoseDegenerateIn(model, X)).toMatch(/covers 3\.00 rows, fewer than its 6 free covariance parameters/);
    expect(diagnoseDegenerateIn(fitGmm(X, { k: 2, covarianceType: 'spherical', trials: 3 }), X)).toBeUndefined();
  });
});

describe('choosing the best', () => {
  const row = (k: number, covarianceType: CovarianceType, bic: number, parameters: number, extra: Partial<CandidateResult> = {}): CandidateResult => ({
    k,
    covarianceType,
    bic,
    aic: bic,
    parameters,
    logLikelihood: 0,
    meanLogLikelihood: 0,
    iterations: 1,
    converged: true,
    seconds: 0,
    ...extra,
  });

  it('takes the lowest criterion, skipping degenerate and failed candidates', () => {
    const rows = [row(1, 'full', 10, 5), row(2, 'full', 1, 11, { degenerate: 'collapsed' }), row(3, 'full', 2, 17, { error: 'ill-defined', bic: null }), row(2, 'diag', 9, 9)];
    expect(chooseBest(rows, 'bic')).toBe(3);
  });

  it('breaks ties by fewer parameters, then smaller k', () => {
    expect(chooseBest([row(3, 'full', 7, 17), row(3, 'diag', 7, 14)], 'bic')).toBe(1);
    expect(chooseBest([row(4, 'spherical', 7, 14), row(3, 'diag', 7, 14)], 'bic')).toBe(1);
    expect(chooseBest([row(3, 'diag', 7, 14), row(4, 'spherical', 7, 14)], 'bic')).toBe(0);
  });

  it('refuses when nothing qualifies, naming what to change', () => {
    expect(() => chooseBest([row(2, 'full', 1, 11, { degenerate: 'collapsed' })], 'aic')).toThrow(/no candidate can be chosen/);
  });
});

describe('selectGmm', () => {
  // two tight pairs of duplicated rows and one more row: with regCovar 0, three full components are ill-defined
  const X = matrixFromRows([[0, 0], [0, 0], [0, 0], [1, 1], [1, 1], [1, 1], [5, 3], [0.1, 0.2], [1.2, 0.9], [4.8, 3.3], [5.1, 2.9], [0.2, -0.1]]);

  it('reports a failing candidate with its error and still chooses among the others', () => {
    const result = selectGmm(X, { kMin: 1, kMax: 6, covarianceTypes: ['full'], fit: { regCovar: 0, forcePositive: false, trials: 2 } });
    const failed = result.candidates.filter((c) => c.error !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.error).toMatch(/ill-defined empirical covariance/);
    expect(result.candidates[result.bestIndex].error).toBeUndefined();
    expect(result.candidates.map((c) => c.k)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('uses AIC when asked, and its value is the model\'s', () => {
    const result = selectGmm(X, { kMax: 3, criterion: 'aic', covarianceTypes: ['spherical', 'diag'] });
    const best = result.candidates[result.bestIndex];
    expect(best.aic).toBeCloseTo(result.best.aic(X), 8);
    for (const c of result.candidates) if (!c.degenerate && !c.error) expect(c.aic!).toBeGreaterThanOrEqual(best.aic!);
    expect(result.candidates.map((c) => `${c.covarianceType}${c.k}`)).toEqual(['spherical1', 'spherical2', 'spherical3', 'diag1', 'diag2', 'diag3']);
  });

  it.each([
    [{ kMin: 4, kMax: 3 }, 'kMin'],
    [{ kMax: 20 }, 'kMax'],
    [{ kMin: 0 }, 'kMin'],
    [{ covarianceTypes: [] }, 'covarianceTypes'],
    [{ covarianceTypes: ['full', 'round'] }, 'covarianceTypes'],
    [{ criterion: 'icl' }, 'criterion'],
    [{ fit: { maxIter: 0 } }, 'maxIter'],
  ])('refuses %j naming %s', (options, parameter) => {
    let error: unknown;
    try {
      selectGmm(X, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GmmInputError);
    expect((error as GmmInputError).details.parameter).toBe(parameter);
    expect((error as Error).message.startsWith(parameter)).toBe(true);
  });
});
