import { makeBlobs, matrixFromRows } from './data';
import { GmmInputError } from './errors';
import { fitGmm } from './fit';
import { GaussianMixture } from './model';
import { COVARIANCE_TYPES, type GmmModelJson } from './types';

const twoComponent = (): GmmModelJson => ({
  type: 'mixflow.gmm',
  version: 1,
  covarianceType: 'full',
  dims: 2,
  k: 2,
  weights: [0.25, 0.75],
  means: [[0, 0], [4, 4]],
  covariances: [[[1, 0.5], [0.5, 2]], [[1, 0], [0, 1]]],
});

/** log N(x | μ, Σ) for 2-D, written out. */
function logNormal2(x: number[], mu: number[], s: number[][]): number {
  const det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
  const dx = x[0] - mu[0];
  const dy = x[1] - mu[1];
  const maha = (s[1][1] * dx * dx - 2 * s[0][1] * dx * dy + s[0][0] * dy * dy) / det;
  return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * maha;
}

describe('GaussianMixture scoring', () => {
  const model = GaussianMixture.fromJSON(twoComponent());
  const X = matrixFromRows([[0, 0], [4, 4], [2, 2], [10, -3]]);
  const json = twoComponent();
  const expectedLog = X.data.length
    ? [0, 1, 2, 3].map((i) => {
        const x = [X.data[i * 2], X.data[i * 2 + 1]];
        const a = Math.log(0.25) + logNormal2(x, json.means[0], (json.covariances as number[][][])[0]);
        const b = Math.log(0.75) + logNormal2(x, json.means[1], (json.covariances as number[][][])[1]);
        const m = Math.max(a, b);
        return { lse: m + Math.log(Math.exp(a - m) + Math.exp(b - m)), a, b };
      })
    : [];

  it('scoreSamples is the log density of the mixture, also far in the tails (log space, no underflow)', () => {
    const s = model.scoreSamples(X);
    expectedLog.forEach((e, i) => expect(s[i]).toBeCloseTo(e.lse, 10));
    const far = model.scoreSamples(matrixFromRows([[1e3, -1e3]]))[0];
    expect(Number.isFinite(far)).toBe(true);
    expect(far).toBeLessThan(-1e5);
  });
  it('score is the mean of scoreSamples', () => {
    expect(model.score(X)).toBeCloseTo(expectedLog.reduce((s, e) => s + e.lse, 0) / 4, 10);
  });
  it('predictProba rows sum to 1 and match the posteriors; predict takes the argmax', () => {
    const p = model.predictProba(X);
    expectedLog.forEach((e, i) => {
      expect(p[i * 2] + p[i * 2 + 1]).toBeCloseTo(1, 14);
      expect(p[i * 2]).toBeCloseTo(Math.exp(e.a - e.lse), 10);
    });
    expect(Array.from(model.predict(X))).toEqual(expectedLog.map((e) => (e.a > e.b ? 0 : 1)));
    expect(Array.from(model.predict(X)).slice(0, 2)).toEqual([0, 1]);
  });
  it('predictWithProba gives exactly predict, predictProba and scoreSamples, also across scoring blocks', () => {
    const blobs = makeBlobs({ rows: 5000, dims: 2, k: 3, seed: 7, spread: 3 });
    const fitted = fitGmm(blobs.data, { k: 3, maxIter: 5 });
    const both = fitted.predictWithProba(blobs.data);
    expect(both.labels).toEqual(fitted.predict(blobs.data));
    expect(both.probabilities).toEqual(fitted.predictProba(blobs.data));
    expect(new Set(both.labels).size).toBe(3);
    // bit-equal, not merely close: the log density is the same logNorm scoreSamples returns
    const scores = fitted.scoreSamples(blobs.data);
    expect(both.logDensity).toHaveLength(5000);
    both.logDensity.forEach((v, i) => expect(Object.is(v, scores[i])).toBe(true));
  });
  it('nParameters, bic and aic follow scikit-learn', () => {
    expect(model.nParameters()).toBe(2 * 3 + 2 * 2 + 1);
    const ll = model.score(X) * 4;
    expect(model.bic(X)).toBeCloseTo(-2 * ll + 11 * Math.log(4), 10);
    expect(model.aic(X)).toBeCloseTo(-2 * ll + 22, 10);
    const counts = COVARIANCE_TYPES.map((t) => fitGmm(makeBlobs({ rows: 60, dims: 3, k: 2, seed: 1 }).data, { k: 2, covarianceType: t }).nParameters());
    // full k·d(d+1)/2, diag k·d, spherical k, tied d(d+1)/2; plus k·d means and k−1 weights
    expect(counts).toEqual([12 + 6 + 1, 6 + 6 + 1, 2 + 6 + 1, 6 + 6 + 1]);
  });
  it('rejects data of another dimension or with NaN, naming the problem', () => {
    expect(() => model.predict(matrixFromRows([[1, 2, 3]]))).toThrow(/3 columns but the model was trained on 2 dimensions/);
    expect(() => model.score(matrixFromRows([[1, NaN]]))).toThrow(/row 1, column 2/);
  });
});

describe('GaussianMixture.sample', () => {
  it('draws from the mixture: same seed same draws, weights and moments recovered', () => {
    const model = GaussianMixture.fromJSON(twoComponent());
    const a = model.sample(10000, 7);
    const b = model.sample(10000, 7);
    expect(Array.from(a.data.data.subarray(0, 50))).toEqual(Array.from(b.data.data.subarray(0, 50)));
    expect(Array.from(model.sample(5, 8).data.data)).not.toEqual(Array.from(a.data.data.subarray(0, 10)));
    const n0 = a.labels.filter((l) => l === 0).length;
    expect(n0 / 10000).toBeGreaterThan(0.23);
    expect(n0 / 10000).toBeLessThan(0.27);
    // component 0: covariance [[1, .5], [.5, 2]]
    let sx = 0;
    let sy = 0;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < 10000; i++) {
      if (a.labels[i] !== 0) continue;
      const x = a.data.data[i * 2];
      const y = a.data.data[i * 2 + 1];
      sx += x;
      sy += y;
      sxy += x * y;
      syy += y * y;
    }
    // about 2500 draws: standard errors ≈ 0.03 (covariance) and 0.06 (variance)
    expect(Math.abs(sxy / n0 - (sx / n0) * (sy / n0) - 0.5)).toBeLessThan(0.12);
    expect(Math.abs(syy / n0 - (sy / n0) ** 2 - 2)).toBeLessThan(0.25);
  });
  it.each(['diag', 'spherical', 'tied'] as const)('%s models sample with their own covariance shape', (type) => {
    const { data } = makeBlobs({ rows: 300, dims: 2, k: 2, seed: 2, spread: 2 });
    const model = fitGmm(data, { k: 2, covarianceType: type });
    const s = model.sample(4000, 1);
    const refit = fitGmm(s.data, { k: 2, covarianceType: type });
    expect(Math.abs(refit.score(data) - model.score(data))).toBeLessThan(0.1);
  });
  it('rejects a negative n', () => {
    expect(() => GaussianMixture.fromJSON(twoComponent()).sample(-1, 0)).toThrow(/n must be a non-negative integer/);
  });
});

describe('model JSON', () => {
  it.each(COVARIANCE_TYPES)('%s: toJSON → JSON text → fromJSON gives the same model bit for bit', (type) => {
    const { data } = makeBlobs({ rows: 120, dims: 3, k: 2, seed: 3 });
    const model = fitGmm(data, { k: 2, covarianceType: type });
    const text = JSON.stringify(model.toJSON());
    const back = GaussianMixture.fromJSON(JSON.parse(text));
    expect(JSON.stringify(back.toJSON())).toBe(text);
    expect(Array.from(back.scoreSamples(data))).toEqual(Array.from(model.scoreSamples(data)));
    expect(back.training?.logLikelihoodHistory.length).toBe(model.training?.iterations);
    const shape = back.toJSON().covariances;
    if (type === 'spherical') expect(shape).toHaveLength(2);
    if (type === 'tied') expect(shape).toHaveLength(3);
  });

  it('keeps provenance (featureNames, vectorCol)', () => {
    const m = GaussianMixture.fromJSON({ ...twoComponent(), featureNames: ['a', 'b'], vectorCol: 'v' });
    expect(m.toJSON().featureNames).toEqual(['a', 'b']);
    expect(m.toJSON().vectorCol).toBe('v');
    expect(m.withProvenance({ vectorCol: 'w' }).toJSON().vectorCol).toBe('w');
  });

  it("keeps a warm start's parent (file name and SHA-256) and refuses a malformed one, naming the field", () => {
    const parent = { file: 'first.json', sha256: 'ab'.repeat(32) };
    expect(GaussianMixture.fromJSON({ ...twoComponent(), parent }).toJSON().parent).toEqual(parent);
    expect(() => GaussianMixture.fromJSON({ ...twoComponent(), parent: { ...parent, file: '../x.json' } })).toThrow(/parent\.file/);
    expect(() => GaussianMixture.fromJSON({ ...twoComponent(), parent: { ...parent, sha256: 'xyz' } })).toThrow(/parent\.sha256/);
    expect(() => GaussianMixture.fromJSON({ ...twoComponent(), parent: { ...parent, path: '/tmp' } })).toThrow(/parent\.path/);
  });

  const broken: [string, (j: Record<string, unknown>) => void, string][] = [
    ['type', (j) => (j.type = 'other'), 'type'],
    ['version', (j) => (j.version = 2), 'version'],
    ['covarianceType', (j) => (j.covarianceType = 'banded'), 'covarianceType'],
    ['k', (j) => (j.k = 0), 'k'],
    ['dims', (j) => (j.dims = 1.5), 'dims'],
    ['weights length', (j) => (j.weights = [1]), 'weights'],
    ['weights sum', (j) => (j.weights = [0.5, 0.6]), 'weights'],
    ['weight negative', (j) => (j.weights = [-0.5, 1.5]), 'weights[0]'],
    ['means value', (j) => ((j.means as unknown[][])[1][0] = 'x'), 'means[1][0]'],
    ['means row', (j) => ((j.means as unknown[][])[1] = [1]), 'means[1]'],
    ['covariance asymmetric', (j) => ((j.covariances as number[][][])[0][1][0] = 0.7), 'covariances[0][1][0]'],
    ['covariance not PD', (j) => ((j.covariances as number[][][])[1] = [[1, 2], [2, 1]]), 'covariances[1]'],
    ['covariance null', (j) => ((j.covariances as unknown[][][])[0][0][0] = null), 'covariances[0][0][0]'],
    ['unknown field', (j) => (j.colour = 'red'), 'colour'],
    ['featureNames', (j) => (j.featureNames = ['a']), 'featureNames'],
    ['training', (j) => (j.training = { rows: 1 }), 'training.epsilon'],
  ];
  it.each(broken)('rejects a bad %s, naming the field', (_name, breakIt, field) => {
    const json = twoComponent() as unknown as Record<string, unknown>;
    breakIt(json);
    try {
      GaussianMixture.fromJSON(json);
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(GmmInputError);
      expect((e as GmmInputError).details.field).toBe(field);
      expect((e as Error).message).toContain(field);
    }
  });
  it('rejects a non-object', () => {
    expect(() => GaussianMixture.fromJSON([1, 2])).toThrow(/expected a JSON object/);
    expect(() => GaussianMixture.fromJSON(null)).toThrow(GmmInputError);
  });
  it.each(['diag', 'spherical', 'tied'] as const)('validates %s covariance shapes', (type) => {
    const base = { ...twoComponent(), covarianceType: type };
    const good = type === 'diag' ? [[1, 2], [3, 4]] : type === 'spherical' ? [1, 2] : [[2, 1], [1, 2]];
    expect(GaussianMixture.fromJSON({ ...base, covariances: good }).covarianceType).toBe(type);
    const bad = type === 'diag' ? [[1, 2], [3, 0]] : type === 'spherical' ? [1, -2] : [[1, 2], [2, 1]];
    expect(() => GaussianMixture.fromJSON({ ...base, covariances: bad })).toThrow(/not positive definite/);
  });
});
