import { readFileSync } from 'fs';
import { join } from 'path';
import { describePositiveConstraint, fitGmm, GaussianMixture, matrixFromRows, maximize, nearestMeansStart, responsibilityStats, type Responsibilities } from './index';
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
  fits: Record<
    CovarianceType,
    {
      weightsInit: number[];
      precisionsInit: number[] | number[][] | number[][][];
      weights: number[];
      means: number[][];
      meanLogLikelihood: number;
      nIter: number;
      bic: number;
      aic: number;
    }
  >;
  responsibilityEstimates: { pickedRows: number[] } & Record<'dense' | 'picked', Record<CovarianceType, { weights: number[]; means: number[][]; covariances: number[] | number[][] | number[][][] }>>;
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
      weightsInit: expected.weightsInit,
      meansInit: ref.meansInit,
      precisionsInit: expected.precisionsInit,
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

  it.each(cases)('%s, %s: nearestMeansStart hands over the start the reference script gave scikit-learn', (_name, type, ref) => {
    const start = nearestMeansStart(matrixFromRows(ref.data), ref.meansInit, type, { regCovar: ref.regCovar, forcePositive: false });
    expectClose(start.weightsInit, ref.fits[type].weightsInit, 1e-12);
    expectClose(start.precisionsInit, ref.fits[type].precisionsInit, 1e-7);
  });

  const estimates = references.flatMap((ref) => (['dense', 'picked'] as const).flatMap((kind) => COVARIANCE_TYPES.map((type) => [ref.name, kind, type, ref] as const)));
  it.each(estimates)("%s, %s responsibilities, %s: weights, means and covariances as scikit-learn's _estimate_gaussian_parameters", (_name, kind, type, ref) => {
    const data = matrixFromRows(ref.data);
    const n = data.rows;
    const k = ref.k;
    const picked = ref.responsibilityEstimates.pickedRows;
    // the same responsibilities the script built
    const resp: Responsibilities =
      kind === 'dense'
        ? (i, add) => {
            const raw = Array.from({ length: k }, (_, c) => ((i * 7 + c * 3) % 11) + 1);
            const sum = raw.reduce((a, b) => a + b, 0);
            raw.forEach((r, c) => add(c, r / sum));
          }
        : (i, add) => picked.forEach((row, c) => row === i && add(c, 1));
    const p = maximize(responsibilityStats(data, k, type, resp), { regCovar: ref.regCovar, forcePositive: false });
    const expected = ref.responsibilityEstimates[kind][type];
    expect(n).toBe(ref.rows);
    expectClose(Array.from(p.weights), expected.weights, 1e-12);
    expectClose(Array.from(p.means), expected.means.flat(), 1e-9);
    expectClose(Array.from(p.covariances), [expected.covariances].flat(3), 1e-7);
  });
});

/** Every value within `tolerance` relative to the larger of 1 and its magnitude. */
function expectClose(actual: unknown, expected: unknown, tolerance: number): void {
  const a = [actual].flat(3) as number[];
  const e = [expected].flat(3) as number[];
  expect(a).toHaveLength(e.length);
  a.forEach((v, i) => {
    if (Math.abs(v - e[i]) > tolerance * Math.max(1, Math.abs(e[i]))) throw new Error(`value ${i}: ${v} differs from scikit-learn's ${e[i]}`);
  });
}

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
