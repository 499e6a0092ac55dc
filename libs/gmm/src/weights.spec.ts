import { makeBlobs } from './data';
import { GmmInputError } from './errors';
import { fitGmm } from './fit';
import { GaussianMixture } from './model';
import { nearestMeansStart } from './starts';
import { COVARIANCE_TYPES, INIT_METHODS, type CovarianceType, type DataMatrix, type GmmFitOptions } from './types';

const { data: blobs } = makeBlobs({ rows: 90, dims: 3, k: 3, seed: 21, spread: 1.4, separation: 4 });
/** integer weights 0…3, a fixed pattern */
const counts = Float64Array.from({ length: blobs.rows }, (_, i) => (i * 7) % 4);

/** Each row repeated as many times as its weight (rows of weight 0 left out). */
function repeated(data: DataMatrix, w: Float64Array): DataMatrix {
  const d = data.cols;
  const out: number[] = [];
  for (let i = 0; i < data.rows; i++) for (let t = 0; t < w[i]; t++) out.push(...data.data.subarray(i * d, (i + 1) * d));
  return { data: Float64Array.from(out), rows: out.length / d, cols: d };
}

const copiesOf = (w: Float64Array) => w.reduce((a, b) => a + b, 0);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

function expectWeightError(weights: Float64Array, details: Record<string, unknown>, message: RegExp): void {
  try {
    fitGmm({ ...blobs, weights }, { k: 2 });
  } catch (e) {
    expect(e).toBeInstanceOf(GmmInputError);
    expect((e as GmmInputError).details).toMatchObject(details);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a GmmInputError');
}

describe('sample weights (weighted EM)', () => {
  const copies = repeated(blobs, counts);

  it.each(COVARIANCE_TYPES)('%s: integer weights give the model of the repeated rows, from the same fixed start', (type: CovarianceType) => {
    // the start both fits take: weightsInit, meansInit and precisionsInit fixed from the repeated rows
    const start = nearestMeansStart(copies, [[-3, 0, 1], [2, 2, -1], [0, -3, 0]], type, { regCovar: 1e-6, forcePositive: false });
    const options: GmmFitOptions = { k: 3, covarianceType: type, ...start, maxIter: 40, epsilon: 1e-10, chunkRows: 16 };
    const weighted = fitGmm({ ...blobs, weights: counts }, options);
    const plain = fitGmm(copies, options);
    expect(weighted.training!.iterations).toBe(plain.training!.iterations);
    expectClose(weighted.params.weights, plain.params.weights, 1e-9);
    expectClose(weighted.params.means, plain.params.means, 1e-9);
    expectClose(weighted.params.covariances, plain.params.covariances, 1e-9);
    expect(weighted.training!.meanLogLikelihood).toBeCloseTo(plain.training!.meanLogLikelihood, 9);
    expect(weighted.training!.bic).toBeCloseTo(plain.training!.bic, 6);
    expect(weighted.training!.totalWeight).toBe(copies.rows);
    expect(weighted.training!.rows).toBe(blobs.rows);
    expect(plain.training!.totalWeight).toBeUndefined();
  });

  it.each(INIT_METHODS)('init %s: weights of 1 give the unweighted model bit for bit', (init) => {
    const options: GmmFitOptions = { k: 3, init, covarianceType: 'full', maxIter: 20, randomSeed: 3, ...(init === 'refined' ? { samplings: 5 } : {}) };
    const ones = fitGmm({ ...blobs, weights: new Float64Array(blobs.rows).fill(1) }, options);
    const plain = fitGmm(blobs, options);
    expect(Array.from(ones.params.means)).toEqual(Array.from(plain.params.means));
    expect(Array.from(ones.params.covariances)).toEqual(Array.from(plain.params.covariances));
    expect(ones.training!.meanLogLikelihood).toBe(plain.training!.meanLogLikelihood);
  });

  it('the weighted kmeans start with integer weights finds the model of the repeated rows', () => {
    // the draws differ (k-means++ picks ∝ w·D² here, among the copies there), but both reach the same optimum
    const weighted = fitGmm({ ...blobs, weights: counts }, { k: 3, trials: 3, epsilon: 1e-10, maxIter: 200 });
    const plain = fitGmm(copies, { k: 3, trials: 3, epsilon: 1e-10, maxIter: 200 });
    expect(weighted.training!.meanLogLikelihood).toBeCloseTo(plain.training!.meanLogLikelihood, 6);
    const order = (m: Float64Array) => [0, 1, 2].sort((a, b) => m[a * 3] - m[b * 3]);
    const wo = order(weighted.params.means);
    const po = order(plain.params.means);
    wo.forEach((c, i) => expectClose(weighted.params.means.subarray(c * 3, c * 3 + 3), plain.params.means.subarray(po[i] * 3, po[i] * 3 + 3), 1e-5));
  });

  it('weights change the model: weighing one cluster up raises its mixing weight', () => {
    const options: GmmFitOptions = { k: 3, maxIter: 100, epsilon: 1e-8 };
    const plain = fitGmm(blobs, options);
    // makeBlobs puts row i in cluster i mod 3: give cluster 0's rows weight 5
    const heavy = Float64Array.from({ length: blobs.rows }, (_, i) => (i % 3 === 0 ? 5 : 1));
    const weighted = fitGmm({ ...blobs, weights: heavy }, options);
    const c0 = blobs.data.subarray(0, 3);
    const nearest = (m: Float64Array) => [0, 1, 2].reduce((best, c) => {
      const dist = (j: number) => Math.hypot(m[j * 3] - c0[0], m[j * 3 + 1] - c0[1], m[j * 3 + 2] - c0[2]);
      return dist(c) < dist(best) ? c : best;
    }, 0);
    expect(plain.params.weights[nearest(plain.params.means)]).toBeCloseTo(1 / 3, 1);
    expect(weighted.params.weights[nearest(weighted.params.means)]).toBeCloseTo(5 / 7, 1);
    expect(weighted.params.weights[nearest(weighted.params.means)]).toBeGreaterThan(0.65);
    expect(weighted.training!.totalWeight).toBe(30 * 5 + 60);
  });

  it('rows of weight 0 take no part: the model equals the fit without them', () => {
    const zeroSome = Float64Array.from({ length: blobs.rows }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const start = nearestMeansStart(blobs, [[-3, 0, 1], [2, 2, -1], [0, -3, 0]], 'diag', { regCovar: 1e-6, forcePositive: false });
    const options: GmmFitOptions = { k: 3, covarianceType: 'diag', ...start, maxIter: 30 };
    const weighted = fitGmm({ ...blobs, weights: zeroSome }, options);
    const kept = repeated(blobs, zeroSome);
    const plain = fitGmm(kept, options);
    expectClose(weighted.params.means, plain.params.means, 1e-12);
    expectClose(weighted.params.covariances, plain.params.covariances, 1e-12);
  });

  it('a negative, NaN or infinite weight is an error naming the 1-based row; all zero is an error too', () => {
    const bad = (i: number, v: number) => Float64Array.from({ length: blobs.rows }, (_, r) => (r === i ? v : 1));
    expectWeightError(bad(4, -2), { row: 5, parameter: 'weights' }, /row 5, column "weights": the weight is negative \(-2\)/);
    expectWeightError(bad(0, NaN), { row: 1 }, /row 1, .*missing or not a number/);
    expectWeightError(bad(89, Infinity), { row: 90 }, /row 90, .*not finite/);
    expectWeightError(new Float64Array(blobs.rows), { parameter: 'weights' }, /every row's weight is 0/);
    expectWeightError(new Float64Array(3).fill(1), { parameter: 'weights' }, /expected 90 weights/);
  });

  it("a weighted model's file records the total weight and reads back; a bad totalWeight or weightCol is refused", () => {
    const model = fitGmm({ ...blobs, weights: counts }, { k: 2, maxIter: 5 });
    const json = { ...model.toJSON(), training: { ...model.toJSON().training!, weightCol: 'w' } };
    const back = GaussianMixture.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.training).toMatchObject({ totalWeight: copiesOf(counts), weightCol: 'w' });
    expect(Array.from(back.predict(blobs))).toEqual(Array.from(model.predict(blobs)));
    expect(() => GaussianMixture.fromJSON({ ...json, training: { ...json.training, totalWeight: -1 } })).toThrow(/training.totalWeight must be a positive number/);
    expect(() => GaussianMixture.fromJSON({ ...json, training: { ...json.training, weightCol: 3 } })).toThrow(/training.weightCol must be a column name/);
  });

  it('k above the number of distinct rows of positive weight is an error naming k', () => {
    const two = Float64Array.from({ length: blobs.rows }, (_, i) => (i < 2 ? 1 : 0));
    expect(() => fitGmm({ ...blobs, weights: two }, { k: 3 })).toThrow(/distinct rows of positive weight \(2\)/);
  });
});
