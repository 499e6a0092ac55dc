import { readFileSync } from 'fs';
import { join } from 'path';
import { describePositiveConstraint, fitGmm, GaussianMixture, matrixFromRows } from './index';
import { COVARIANCE_TYPES, type CovarianceType } from './types';

/** scikit-learn fits written by reference/make_reference.py (see its docstring for the start). */
interface ReferenceFile {
  name: string;
  rows: number;
  dims: number;
  k: number;
  regCovar: number;
  tol: number;
  maxIter: number;
  meansInit: number[][];
  data: number[][];
  fits: Record<CovarianceType, { weights: number[]; means: number[][]; meanLogLikelihood: number; nIter: number; bic: number; aic: number }>;
}

const FILES = ['pytorch_blobs', 'overlapping_5d', 'correlated_12d'];
const references: ReferenceFile[] = FILES.map((f) => JSON.parse(readFileSync(join(__dirname, '..', 'reference', `${f}.json`), 'utf8')));

describe('accuracy against scikit-learn GaussianMixture (same start, same tolerance)', () => {
  it('covers at least three data sets, one of them 10+ dimensional', () => {
    expect(references.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...references.map((r) => r.dims))).toBeGreaterThanOrEqual(10);
  });

  const cases = references.flatMap((ref) => COVARIANCE_TYPES.map((type) => [ref.name, type, ref] as const));
  it.each(cases)('%s, %s: mean log-likelihood within 1e-6 relative, same weights and means', (_name, type, ref) => {
    const data = matrixFromRows(ref.data);
    expect(data.rows).toBe(ref.rows);
    const expected = ref.fits[type];
    const model = fitGmm(data, {
      k: ref.k,
      covarianceType: type,
      meansInit: ref.meansInit,
      regCovar: ref.regCovar,
      epsilon: ref.tol,
      convergence: 'logLikelihood',
      maxIter: ref.maxIter,
      forcePositive: false,
    });
    const ll = model.score(data);
    const relative = Math.abs(ll - expected.meanLogLikelihood) / Math.abs(expected.meanLogLikelihood);
    expect(relative).toBeLessThan(1e-6);
    expect(model.training!.meanLogLikelihood).toBeCloseTo(ll, 12);
    expect(Math.abs(model.bic(data) - expected.bic) / Math.abs(expected.bic)).toBeLessThan(1e-6);
    expect(Math.abs(model.aic(data) - expected.aic) / Math.abs(expected.aic)).toBeLessThan(1e-6);
    const weights = Array.from(model.params.weights);
    weights.forEach((w, c) => expect(Math.abs(w - expected.weights[c])).toBeLessThan(1e-5));
    for (let c = 0; c < ref.k; c++) {
      for (let j = 0; j < ref.dims; j++) expect(Math.abs(model.params.means[c * ref.dims + j] - expected.means[c][j])).toBeLessThan(1e-4);
    }
    if (process.env.GMM_REFERENCE_REPORT) process.stdout.write(`${ref.name}\t${type}\titer ${model.training!.iterations} vs ${expected.nIter}\trel ${relative.toExponential(2)}\n`);
  });
});

/** scikit-learn's best of 20 starts on its bundled real data, written by reference/make_best_of.py. */
interface BestOfFile {
  name: string;
  k: number;
  rows: number;
  nInit: number;
  data: number[][];
  fits: Record<CovarianceType, { meanLogLikelihood: number }>;
}

const BEST_OF: BestOfFile[] = ['wine', 'breast_cancer'].map((f) => JSON.parse(readFileSync(join(__dirname, '..', 'reference', `${f}_best_of_20.json`), 'utf8')));

describe('defaults on real, unscaled data reach scikit-learn best of 20 starts', () => {
  const cases = BEST_OF.flatMap((ref) => COVARIANCE_TYPES.map((type) => [ref.name, type, ref] as const));
  it.each(cases)('%s, %s: default options apart from k and 10 trials, within 1e-4 relative mean log-likelihood', (_name, type, ref) => {
    const data = matrixFromRows(ref.data);
    const model = fitGmm(data, { k: ref.k, covarianceType: type, trials: 10 });
    const ours = model.score(data);
    const best = ref.fits[type].meanLogLikelihood;
    if (process.env.GMM_REFERENCE_REPORT) process.stdout.write(`${ref.name}\t${type}\tours ${ours.toFixed(6)}\tsklearn best of ${ref.nInit} ${best.toFixed(6)}\n`);
    // reaching it means not falling short by more than 1e-4 of its size; a better optimum passes too
    expect((best - ours) / Math.abs(best)).toBeLessThan(1e-4);
    expect(model.training!.forcePositive).toBe(false);
    expect(model.training!.positiveConstraint).toBeUndefined();
  });
});

describe('forcePositive (mlpack) on real, unscaled data', () => {
  it('breast cancer, full: falls short of the default fit, and the training summary says how often it changed which components', () => {
    const ref = BEST_OF.find((r) => r.name === 'breast_cancer')!;
    const data = matrixFromRows(ref.data);
    const model = fitGmm(data, { k: ref.k, forcePositive: true });
    const t = model.training!;
    expect(t.forcePositive).toBe(true);
    expect(model.score(data)).toBeLessThan(ref.fits.full.meanLogLikelihood - 1);
    const report = t.positiveConstraint!;
    expect(report.steps).toBeGreaterThan(0);
    expect(report.steps).toBeLessThanOrEqual(t.iterations + 1);
    expect(report.components.length).toBeGreaterThan(0);
    for (const c of report.components) {
      expect(c.component).toBeGreaterThanOrEqual(0);
      expect(c.component).toBeLessThan(ref.k);
      expect(c.steps).toBeLessThanOrEqual(report.steps);
    }
    expect(describePositiveConstraint(report, 'full', t.iterations)).toMatch(/^forcePositive raised covariance eigenvalues .* for component \d \(\d+×\)/);
    // the report survives the model file
    expect(GaussianMixture.fromJSON(JSON.parse(JSON.stringify(model.toJSON()))).training!.positiveConstraint).toEqual(report);
  });
});
