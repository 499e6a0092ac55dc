import { readFileSync } from 'fs';
import { join } from 'path';
import { fitGmm, matrixFromRows } from './index';
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
