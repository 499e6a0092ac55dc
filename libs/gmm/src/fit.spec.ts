import { pytorchBlobs, labelAgreement } from './__fixtures__/blobs';
import { DEFAULT_CHUNK_ROWS, chunkRanges, fitChunkRows, makeBlobs, matrixFromRows } from './data';
import { GmmInputError } from './errors';
import { chunkRowsFor, computeStats, fitGmm, fitGmmWith, resolveFitOptions, type StatsRunner } from './fit';
import { chunkStats, mergeStats, prepareParams } from './kernels';
import { GaussianMixture } from './model';
import { COVARIANCE_TYPES, INIT_METHODS, type DataMatrix, type GmmFitOptions, type GmmParams, type IterationInfo, type StartInfo } from './types';

const blobs = makeBlobs({ rows: 240, dims: 3, k: 3, seed: 12, spread: 1.2, separation: 6 });
const overlapping = makeBlobs({ rows: 300, dims: 2, k: 3, seed: 4, spread: 1.5, separation: 3 });

function expectInputError(fn: () => unknown, details: Record<string, unknown>, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GmmInputError);
    expect((e as GmmInputError).details).toMatchObject(details);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a GmmInputError');
}

describe('resolveFitOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveFitOptions({ k: 2 })).toMatchObject({
      k: 2, covarianceType: 'full', init: 'kmeans', trials: 1, maxIter: 100, epsilon: 1e-4, convergence: 'centers',
      regCovar: 1e-6, forcePositive: false, noise: 0, randomSeed: 0, samplings: 100, percentage: 0.02, kmeansMaxIter: 300,
    });
  });
  it('chunks by the rows unless chunkRows is given (chunkRowsFor: fitChunkRows, never the worker count)', () => {
    expect(resolveFitOptions({ k: 2 }).chunkRows).toBeUndefined();
    expect(chunkRowsFor(resolveFitOptions({ k: 2 }), 100_000, 3)).toBe(DEFAULT_CHUNK_ROWS);
    expect(chunkRowsFor(resolveFitOptions({ k: 2 }), 1000, 3)).toBe(fitChunkRows(1000, 'full', 2, 3));
    expect(chunkRowsFor(resolveFitOptions({ k: 2, chunkRows: 7 }), 1000, 3)).toBe(7);
  });
  const bad: [Partial<GmmFitOptions>, string, RegExp][] = [
    [{ k: 0 }, 'k', /k must be an integer ≥ 1/],
    [{}, 'k', /k is required/],
    [{ k: 2.5 }, 'k', /k must be an integer/],
    [{ k: 2, covarianceType: 'banded' as never }, 'covarianceType', /one of full, diag, spherical, tied/],
    [{ k: 2, init: 'best' as never }, 'init', /one of kmeans, k-means\+\+, random, random_from_data, alink, refined/],
    [{ k: 2, trials: 0 }, 'trials', /≥ 1/],
    [{ k: 2, maxIter: 0 }, 'maxIter', /≥ 1/],
    [{ k: 2, epsilon: -1 }, 'epsilon', /≥ 0/],
    [{ k: 2, epsilon: NaN }, 'epsilon', /number/],
    [{ k: 2, convergence: 'time' as never }, 'convergence', /centers, logLikelihood, totalLogLikelihood/],
    [{ k: 2, regCovar: -1e-6 }, 'regCovar', /≥ 0/],
    [{ k: 2, noise: -1 }, 'noise', /≥ 0/],
    [{ k: 2, randomSeed: 1.5 }, 'randomSeed', /integer/],
    [{ k: 2, init: 'refined', samplings: 0 }, 'samplings', /≥ 1/],
    [{ k: 2, init: 'refined', percentage: 0 }, 'percentage', /\(0, 1\]/],
    [{ k: 2, init: 'refined', percentage: 1.5 }, 'percentage', /\(0, 1\]/],
    [{ k: 2, kmeansMaxIter: 0 }, 'kmeansMaxIter', /≥ 1/],
    // nothing accepted is ignored
    [{ k: 2, samplings: 5 }, 'samplings', /^samplings applies only with init refined/],
    [{ k: 2, init: 'random', percentage: 0.1 }, 'percentage', /^percentage applies only with init refined/],
    [{ k: 2, init: 'alink', kmeansMaxIter: 5 }, 'kmeansMaxIter', /^kmeansMaxIter applies only with init kmeans or refined/],
    [{ k: 2, weightsInit: [0.5, 0.5], meansInit: [[0], [1]], precisionsInit: [[[1]], [[1]]], init: 'kmeans' }, 'init', /^init does not apply with weightsInit, meansInit and precisionsInit/],
    [{ k: 2, weightsInit: [0.5, 0.5], meansInit: [[0], [1]], precisionsInit: [[[1]], [[1]]], trials: 3 }, 'trials', /^trials does not apply/],
    [{ k: 2, weightsInit: [0.7, 0.7] }, 'weightsInit', /\[0, 1\]|sum to 1/],
    [{ k: 2, weightsInit: [0.2, 0.7] }, 'weightsInit', /must sum to 1, got 0.89/],
    [{ k: 2, weightsInit: [1] }, 'weightsInit', /must be 2 weights/],
    [{ k: 2, precisionsInit: [[[1, 0], [0, -1]], [[1, 0], [0, 1]]] }, 'precisionsInit', /^precisionsInit \[0\] must be positive definite/],
    [{ k: 2, precisionsInit: [[[1, 0.5], [0, 1]], [[1, 0], [0, 1]]] }, 'precisionsInit', /\[0\] must be symmetric/],
    [{ k: 2, covarianceType: 'diag', precisionsInit: [[1, 0], [1, 1]] }, 'precisionsInit', /\[0\]\[1\] must be positive, got 0/],
    [{ k: 2, meansInit: [[0, 0], [1, 1]], covarianceType: 'spherical', precisionsInit: [1, 2, 3] }, 'precisionsInit', /must be 2 precisions/],
    [{ k: 2, chunkRows: 0 }, 'chunkRows', /≥ 1/],
    [{ k: 2, forcePositive: 'yes' as never }, 'forcePositive', /true or false/],
    [{ k: 2, meansInit: [[1, 2]] }, 'meansInit', /2 rows/],
    [{ k: 2, meansInit: [[1, 2], [3, NaN]] }, 'meansInit', /\[1\]\[1\] must be a finite number/],
  ];
  it.each(bad)('rejects %p naming the parameter', (options, parameter, message) => {
    expectInputError(() => resolveFitOptions(options as GmmFitOptions), { parameter }, message);
  });
});

describe('fitGmm: data errors', () => {
  it('NaN or Infinity: names row and column', () => {
    expectInputError(() => fitGmm(matrixFromRows([[1, 2], [3, Infinity], [5, 6]]), { k: 1 }), { row: 2, column: '2' }, /row 2, column 2/);
  });
  it('k larger than the number of distinct rows', () => {
    expectInputError(() => fitGmm(matrixFromRows([[1, 1], [1, 1], [2, 2], [2, 2]]), { k: 3 }), { parameter: 'k' }, /k = 3 is larger than the number of distinct rows \(2\)/);
  });
  it('no rows', () => {
    expectInputError(() => fitGmm({ data: new Float64Array(0), rows: 0, cols: 2 }, { k: 1 }), { parameter: 'data' }, /no rows/);
  });
  it('meansInit or initialModel of another dimension', () => {
    expectInputError(() => fitGmm(blobs.data, { k: 2, meansInit: [[0, 0], [1, 1]] }), { parameter: 'meansInit' }, /meansInit has dimension 2 but the data has 3 columns/);
    expectInputError(() => fitGmm(blobs.data, { k: 3, initialModel: fitGmm(blobs.data, { k: 3 }).toJSON(), trials: 2 }), { parameter: 'trials' }, /trials does not apply with initialModel/);
    expectInputError(() => fitGmm(blobs.data, { k: 3, initialModel: fitGmm(blobs.data, { k: 3 }).toJSON(), init: 'kmeans' }), { parameter: 'init' }, /init does not apply with initialModel/);
    const model = fitGmm(overlapping.data, { k: 3 }).toJSON();
    expectInputError(() => fitGmm(blobs.data, { k: 3, initialModel: model }), { parameter: 'initialModel' }, /2 dimensions but the data has 3/);
    expectInputError(() => fitGmm(overlapping.data, { k: 2, initialModel: model }), { parameter: 'initialModel' }, /k = 3 but k = 2/);
    expectInputError(() => fitGmm(overlapping.data, { k: 3, covarianceType: 'diag', initialModel: model }), { parameter: 'initialModel' }, /covariance type full but diag/);
    expectInputError(() => fitGmm(overlapping.data, { k: 3, initialModel: { ...model, weights: [1, 0, 'x' as never] } }), { parameter: 'initialModel', field: 'weights[2]' }, /^initialModel: invalid model: weights\[2\]/);
  });
  it('a component that cannot be made positive definite names the component and suggests the fixes', () => {
    // duplicated points, k = number of distinct rows, no regularisation, no eigenvalue fix
    const data = matrixFromRows([[0, 0], [0, 0], [0, 0], [5, 5], [5, 5], [5, 5], [9, 0], [9, 0]]);
    try {
      fitGmm(data, { k: 3, regCovar: 0, forcePositive: false });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(GmmInputError);
      expect((e as GmmInputError).details.component).toBeGreaterThanOrEqual(0);
      expect((e as Error).message).toMatch(/component \d has an ill-defined empirical covariance/);
      expect((e as Error).message).toMatch(/decrease the number of components \(k\), increase regCovar, or scale the input data/);
    }
    // the same data fits with the default regCovar, and with forcePositive alone
    expect(Number.isFinite(fitGmm(data, { k: 3 }).score(data))).toBe(true);
    expect(Number.isFinite(fitGmm(data, { k: 3, regCovar: 0, forcePositive: true }).score(data))).toBe(true);
  });
});

describe('fitGmm: options', () => {
  it.each(COVARIANCE_TYPES)('%s: fits, never worse than one Gaussian, history non-decreasing (EM)', (covarianceType) => {
    const m = fitGmm(overlapping.data, { k: 3, covarianceType, convergence: 'logLikelihood', epsilon: 1e-8, init: 'random' });
    const one = fitGmm(overlapping.data, { k: 1, covarianceType });
    expect(m.covarianceType).toBe(covarianceType);
    expect(m.score(overlapping.data)).toBeGreaterThan(one.score(overlapping.data));
    const h = m.training!.logLikelihoodHistory;
    for (let i = 1; i < h.length; i++) expect(h[i]).toBeGreaterThanOrEqual(h[i - 1] - 1e-12);
    expect(m.training!.meanLogLikelihood).toBeGreaterThanOrEqual(h[h.length - 1] - 1e-12);
  });

  it('maxIter bounds the iterations and converged says whether epsilon was reached', () => {
    const capped = fitGmm(overlapping.data, { k: 3, init: 'random', maxIter: 2, epsilon: 0 });
    expect(capped.training).toMatchObject({ iterations: 2, converged: false });
    expect(capped.training!.logLikelihoodHistory).toHaveLength(2);
    const free = fitGmm(overlapping.data, { k: 3, init: 'random', maxIter: 500, epsilon: 1e-3 });
    expect(free.training!.converged).toBe(true);
    expect(free.training!.iterations).toBeLessThan(500);
  });

  it("convergence 'centers' stops when no mean moves more than epsilon; 'logLikelihood' on the change of the mean log-likelihood", () => {
    const shifts: IterationInfo[] = [];
    const centers = fitGmm(overlapping.data, { k: 3, init: 'random', epsilon: 1e-2, onIteration: (i) => shifts.push(i) });
    expect(centers.training!.convergence).toBe('centers');
    expect(shifts[shifts.length - 1].centerShift).toBeLessThan(1e-2);
    shifts.slice(0, -1).forEach((i) => expect(i.centerShift).toBeGreaterThanOrEqual(1e-2));
    const lls: IterationInfo[] = [];
    fitGmm(overlapping.data, { k: 3, init: 'random', epsilon: 1e-2, convergence: 'logLikelihood', onIteration: (i) => lls.push(i) });
    const n = lls.length;
    expect(Math.abs(lls[n - 1].meanLogLikelihood - lls[n - 2].meanLogLikelihood)).toBeLessThan(1e-2);
    for (let i = 1; i < n - 1; i++) expect(Math.abs(lls[i].meanLogLikelihood - lls[i - 1].meanLogLikelihood)).toBeGreaterThanOrEqual(1e-2);
    expect(n).not.toBe(shifts.length);
  });

  it('onIteration reports every iteration with trial, iteration, log-likelihood and seconds', () => {
    const seen: IterationInfo[] = [];
    const m = fitGmm(overlapping.data, { k: 3, trials: 2, maxIter: 5, epsilon: 0, onIteration: (i) => seen.push(i) });
    expect(seen).toHaveLength(10);
    expect(seen.map((i) => i.trial)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(seen.map((i) => i.iteration)).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    const best = seen.filter((i) => i.trial === m.training!.bestTrial).map((i) => i.meanLogLikelihood);
    expect(m.training!.logLikelihoodHistory).toEqual(best);
    seen.forEach((i) => expect(i.seconds).toBeGreaterThanOrEqual(0));
  });

  it('onStart reports each trial\'s start before its first iteration: k-means++ centers, then k-means iterations', () => {
    const events: string[] = [];
    const starts: StartInfo[] = [];
    fitGmm(overlapping.data, {
      k: 3,
      trials: 2,
      maxIter: 3,
      epsilon: 0,
      kmeansMaxIter: 50,
      onStart: (s) => {
        starts.push(s);
        events.push(`start ${s.trial} ${s.phase} ${s.step}/${s.steps}`);
      },
      onIteration: (i) => events.push(`iteration ${i.trial} ${i.iteration}`),
    });
    for (const trial of [0, 1]) {
      const mine = events.filter((e) => e.startsWith(`start ${trial} `) || e.startsWith(`iteration ${trial} `));
      // three centers picked, then Lloyd's iterations until no label changes (at most 50), then EM
      expect(mine.slice(0, 3)).toEqual([`start ${trial} seeding 1/3`, `start ${trial} seeding 2/3`, `start ${trial} seeding 3/3`]);
      const lloyd = mine.filter((e) => e.includes(' kmeans '));
      expect(lloyd.length).toBeGreaterThanOrEqual(2);
      expect(lloyd.map((e) => Number(/kmeans (\d+)\/50/.exec(e)![1]))).toEqual(lloyd.map((_, i) => i + 1));
      expect(mine.slice(3 + lloyd.length)).toEqual([`iteration ${trial} 1`, `iteration ${trial} 2`, `iteration ${trial} 3`]);
    }
    starts.forEach((s) => expect(s.seconds).toBeGreaterThanOrEqual(0));
    // refined reports its samplings, then Lloyd on all rows; the starts without steps report nothing
    const refined: StartInfo[] = [];
    fitGmm(overlapping.data, { k: 3, init: 'refined', samplings: 4, maxIter: 2, onStart: (s) => refined.push(s) });
    expect(refined.filter((s) => s.phase === 'sampling').map((s) => s.step)).toEqual([1, 2, 3, 4]);
    expect(refined.at(-1)!.phase).toBe('kmeans');
    const none: StartInfo[] = [];
    fitGmm(overlapping.data, { k: 3, init: 'random', maxIter: 2, onStart: (s) => none.push(s) });
    expect(none).toEqual([]);
    expectInputError(() => fitGmm(overlapping.data, { k: 3, onStart: 1 as unknown as () => void }), { parameter: 'onStart' }, /must be a function/);
  });

  it('trials keeps the best final log-likelihood of several starts', () => {
    const options: GmmFitOptions = { k: 5, init: 'random_from_data', randomSeed: 0, maxIter: 30 };
    const runs = [1, 2, 3, 4].map((t) => fitGmm(overlapping.data, { ...options, trials: 1, randomSeed: 0 }) && fitGmm(overlapping.data, { ...options, trials: t }));
    const scores = runs.map((m) => m.training!.meanLogLikelihood);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThanOrEqual(scores[i - 1]);
    // the trials differ (each draws its own start), and the kept one is the best of them
    const finals: number[] = [];
    fitGmm(overlapping.data, { ...options, trials: 4, onIteration: (i) => (finals[i.trial] = i.meanLogLikelihood) });
    expect(new Set(finals.map((v) => v.toFixed(6))).size).toBeGreaterThan(1);
    expect(runs[3].training!.trials).toBe(4);
    expect(runs[3].training!.bestTrial).toBe(finals.indexOf(Math.max(...finals)));
  });

  it('randomSeed: same seed gives the identical model JSON, another seed another start', () => {
    const a = fitGmm(overlapping.data, { k: 3, init: 'random', randomSeed: 5 }).toJSON();
    const b = fitGmm(overlapping.data, { k: 3, init: 'random', randomSeed: 5 }).toJSON();
    const c = fitGmm(overlapping.data, { k: 3, init: 'random', randomSeed: 6 }).toJSON();
    const strip = (j: ReturnType<GaussianMixture['toJSON']>) => JSON.stringify({ ...j, training: { ...j.training, seconds: 0 } });
    expect(strip(a)).toBe(strip(b));
    expect(strip(a)).not.toBe(strip(c));
    expect(a.training!.randomSeed).toBe(5);
  });

  it('regCovar is reported and raises every variance', () => {
    const small = fitGmm(blobs.data, { k: 3, covarianceType: 'diag', regCovar: 0 });
    const big = fitGmm(blobs.data, { k: 3, covarianceType: 'diag', regCovar: 1 });
    expect(big.training!.regCovar).toBe(1);
    const minBig = Math.min(...Array.from(big.params.covariances));
    expect(minBig).toBeGreaterThan(1);
    expect(Math.min(...Array.from(small.params.covariances))).toBeLessThan(minBig - 0.5);
  });

  it('noise fits a noisier copy (variances grow by about the noise variance), seeded, leaving the input untouched', () => {
    const before = Float64Array.from(blobs.data.data);
    const clean = fitGmm(blobs.data, { k: 3, covarianceType: 'spherical' });
    const noisy = fitGmm(blobs.data, { k: 3, covarianceType: 'spherical', noise: 4 });
    const again = fitGmm(blobs.data, { k: 3, covarianceType: 'spherical', noise: 4 });
    expect(Array.from(blobs.data.data)).toEqual(Array.from(before));
    const mean = (m: GaussianMixture) => Array.from(m.params.covariances).reduce((s, v) => s + v, 0) / 3;
    expect(mean(noisy) - mean(clean)).toBeGreaterThan(3);
    expect(mean(noisy) - mean(clean)).toBeLessThan(5);
    expect(Array.from(again.params.means)).toEqual(Array.from(noisy.params.means));
  });

  it('chunkRows only groups the sums: results agree to rounding across chunk sizes', () => {
    const a = fitGmm(overlapping.data, { k: 3, chunkRows: 7 });
    const b = fitGmm(overlapping.data, { k: 3 });
    expect(a.training!.meanLogLikelihood).toBeCloseTo(b.training!.meanLogLikelihood, 10);
  });

  it('initialModel warm-starts from a saved model (EM continues from it)', () => {
    const first = fitGmm(overlapping.data, { k: 3, init: 'random', maxIter: 3, epsilon: 0 });
    const resumed = fitGmm(overlapping.data, { k: 3, initialModel: first.toJSON(), maxIter: 3, epsilon: 0 });
    const straight = fitGmm(overlapping.data, { k: 3, init: 'random', maxIter: 6, epsilon: 0 });
    expect(resumed.training!.init).toBe('model');
    // three more iterations from the saved model land where six iterations from the start land
    Array.from(resumed.params.means).forEach((v, i) => expect(v).toBeCloseTo(straight.params.means[i], 10));
    expect(resumed.training!.logLikelihoodHistory[0]).toBeCloseTo(first.training!.meanLogLikelihood, 12);
  });

  const firstParams = async (options: GmmFitOptions): Promise<GmmParams> => {
    const seen: GmmParams[] = [];
    await fitGmmWith(overlapping.data, { ...options, maxIter: 1 }, async (train: DataMatrix, chunkRows: number): Promise<StatsRunner> => ({
      compute: async (p) => {
        seen.push(p);
        return computeStats(p, train, chunkRows);
      },
    }));
    return seen[0];
  };

  it("meansInit, weightsInit, precisionsInit: scikit-learn's semantics, each replaces what the start estimated", async () => {
    const meansInit = [[-5, -5], [0, 0], [5, 5]];
    const kmeansStart = await firstParams({ k: 3 });
    const withMeans = await firstParams({ k: 3, meansInit });
    // the given means replace the start's; its weights and covariances stay
    expect(Array.from(withMeans.means)).toEqual(meansInit.flat());
    expect(Array.from(withMeans.weights)).toEqual(Array.from(kmeansStart.weights));
    expect(Array.from(withMeans.covariances)).toEqual(Array.from(kmeansStart.covariances));
    const weightsInit = [0.2, 0.3, 0.5];
    const withWeights = await firstParams({ k: 3, weightsInit });
    expect(Array.from(withWeights.weights)).toEqual(weightsInit);
    expect(Array.from(withWeights.means)).toEqual(Array.from(kmeansStart.means));
    // precisions are inverse covariances
    const precisionsInit = [[[2, 0.5], [0.5, 1]], [[1, 0], [0, 1]], [[4, 0], [0, 0.25]]];
    const withPrecisions = await firstParams({ k: 3, precisionsInit });
    const c0 = Array.from(withPrecisions.covariances.subarray(0, 4));
    const det = 2 * 1 - 0.25;
    [1 / det, -0.5 / det, -0.5 / det, 2 / det].forEach((v, i) => expect(c0[i]).toBeCloseTo(v, 12));
    expect(Array.from(withPrecisions.covariances.subarray(8, 12))).toEqual([0.25, 0, 0, 4]);
    // all three fix the start: one trial, no init, recorded as 'given'
    const all = fitGmm(overlapping.data, { k: 3, weightsInit, meansInit, precisionsInit, maxIter: 1 });
    expect(all.training).toMatchObject({ init: 'given', trials: 1 });
  });

  it("the starts of scikit-learn: k-means++ and random_from_data put each picked row alone in its component (covariance regCovar·I); random spreads every row", async () => {
    const regCovar = 1e-3;
    for (const init of ['k-means++', 'random_from_data'] as const) {
      const p = await firstParams({ k: 3, init, regCovar });
      for (let c = 0; c < 3; c++) {
        const mean = Array.from(p.means.subarray(c * 2, c * 2 + 2));
        // each mean is one of the rows
        expect(Array.from({ length: overlapping.data.rows }, (_, i) => Array.from(overlapping.data.data.subarray(i * 2, i * 2 + 2))).some((r) => r[0] === mean[0] && r[1] === mean[1])).toBe(true);
        expect(Array.from(p.covariances.subarray(c * 4, c * 4 + 4))).toEqual([regCovar, 0, 0, regCovar]);
      }
      p.weights.forEach((w) => expect(w).toBeCloseTo(1 / 3, 12));
    }
    const random = await firstParams({ k: 3, init: 'random' });
    // uniform random responsibilities: every mean near the data mean, weights near 1/3
    const n = overlapping.data.rows;
    const mean = [0, 1].map((j) => Array.from({ length: n }, (_, i) => overlapping.data.data[i * 2 + j]).reduce((a, b) => a + b, 0) / n);
    for (let c = 0; c < 3; c++) for (let j = 0; j < 2; j++) expect(Math.abs(random.means[c * 2 + j] - mean[j])).toBeLessThan(0.5);
    random.weights.forEach((w) => expect(Math.abs(w - 1 / 3)).toBeLessThan(0.05));
  });
});

describe('starts', () => {
  const { data, labels } = pytorchBlobs();
  it.each(INIT_METHODS)("%s recovers the PyTorch chapter's three blobs (defaults)", (init) => {
    const m = fitGmm(data, { k: 3, init });
    expect(labelAgreement(m.predict(data), labels, 3)).toBeGreaterThan(0.97);
    expect(m.training!.init).toBe(init);
  });
  // scikit-learn's random_from_data and random starts often land in a local optimum on these blobs (two means in one
  // blob; all means at the centre), as they do in scikit-learn, so the best of 10 trials is what recovers them; from
  // random responsibilities tied EM needs about 200 iterations to separate the means.
  it.each(INIT_METHODS)('%s with a few trials recovers them for every covariance type', (init) => {
    for (const covarianceType of COVARIANCE_TYPES) {
      const m = fitGmm(data, { k: 3, init, covarianceType, trials: ['random', 'random_from_data', 'k-means++'].includes(init) ? 10 : 2, maxIter: 500 });
      expect(labelAgreement(m.predict(data), labels, 3)).toBeGreaterThan(0.97);
    }
  });
  it('kmeans start: one EM step away from the k-means partition (already converged on separated blobs)', () => {
    const m = fitGmm(data, { k: 3, init: 'kmeans' });
    expect(m.training!.iterations).toBeLessThan(10);
    expect(m.training!.converged).toBe(true);
  });
  it('alink start: 5·k sampled rows grouped by index mod k, weight 1/k, diagonal covariance', () => {
    let start: GmmParams | undefined;
    return fitGmmWith(data, { k: 3, init: 'alink', maxIter: 1 }, async (train, chunkRows) => ({
      compute: async (p) => {
        start ??= p;
        return computeStats(p, train, chunkRows);
      },
    })).then(() => {
      expect(Array.from(start!.weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
      const cov = start!.covariances;
      expect(cov[1]).toBe(0);
      expect(cov[2]).toBe(0);
      expect(cov[0]).toBeGreaterThan(0);
      // group means of 5 random rows each land inside the data's bounding box
      for (let j = 0; j < 6; j++) expect(Math.abs(start!.means[j])).toBeLessThan(10);
    });
  });
  it('refined start: samplings and percentage each change the start; the result recovers the blobs', async () => {
    const startOf = async (options: GmmFitOptions): Promise<GmmParams> => {
      let start: GmmParams | undefined;
      await fitGmmWith(data, { ...options, maxIter: 1 }, async (train, chunkRows) => ({
        compute: async (p) => {
          start ??= p;
          return computeStats(p, train, chunkRows);
        },
      }));
      return start!;
    };
    const base = await startOf({ k: 3, init: 'refined', samplings: 1, percentage: 0.05 });
    const moreSamplings = await startOf({ k: 3, init: 'refined', samplings: 3, percentage: 0.05 });
    const biggerSample = await startOf({ k: 3, init: 'refined', samplings: 1, percentage: 0.5 });
    const again = await startOf({ k: 3, init: 'refined', samplings: 1, percentage: 0.05 });
    expect(Array.from(again.means)).toEqual(Array.from(base.means));
    // Lloyd on all rows ends in the same partition from any good start; with one Lloyd step the refined centers show
    const key = (p: GmmParams) => JSON.stringify(Array.from(p.means));
    const starts = await Promise.all(
      [{ samplings: 1, percentage: 0.05 }, { samplings: 3, percentage: 0.05 }, { samplings: 1, percentage: 0.5 }].map((o) =>
        startOf({ k: 3, init: 'refined', ...o, kmeansMaxIter: 1 }),
      ),
    );
    expect(new Set(starts.map(key)).size).toBe(3);
    expect(labelAgreement(GaussianMixture.fromParams(moreSamplings).predict(data), labels, 3)).toBeGreaterThan(0.97);
    expect(labelAgreement(GaussianMixture.fromParams(biggerSample).predict(data), labels, 3)).toBeGreaterThan(0.97);
  });
  it('kmeansMaxIter bounds Lloyd iterations of the kmeans start', () => {
    const one = fitGmm(overlapping.data, { k: 3, kmeansMaxIter: 1, maxIter: 1 });
    const many = fitGmm(overlapping.data, { k: 3, kmeansMaxIter: 300, maxIter: 1 });
    expect(Array.from(one.params.means)).not.toEqual(Array.from(many.params.means));
  });
});

describe('fitGmmWith: same bits as fitGmm through any runner', () => {
  /** Computes chunks in reverse order, in groups of two, then merges them in chunk order. */
  const shuffledRunner = async (train: DataMatrix, chunkRows: number): Promise<StatsRunner & { closed: boolean; calls: number }> => {
    const runner = {
      closed: false,
      calls: 0,
      async compute(p: GmmParams) {
        runner.calls++;
        const prepared = prepareParams(p);
        const ranges = chunkRanges(train.rows, chunkRows);
        const results = new Array(ranges.length);
        for (let g = ranges.length - 1; g >= 0; g -= 2) {
          for (const i of [g, g - 1]) if (i >= 0) results[i] = chunkStats(prepared, train.data, train.cols, ranges[i][0], ranges[i][1]);
          await Promise.resolve();
        }
        return mergeStats(results);
      },
      async close() {
        runner.closed = true;
      },
    };
    return runner;
  };
  const strip = (m: GaussianMixture) => JSON.stringify({ ...m.toJSON(), training: { ...m.training, seconds: 0 } });

  it.each(COVARIANCE_TYPES)('%s: identical JSON, runner closed, one compute per E-step', async (covarianceType) => {
    const options: GmmFitOptions = { k: 3, covarianceType, init: 'random', chunkRows: 37, trials: 2, noise: 0.01 };
    const sync = fitGmm(overlapping.data, options);
    let made: Awaited<ReturnType<typeof shuffledRunner>> | undefined;
    const viaRunner = await fitGmmWith(overlapping.data, options, async (t, c) => (made = await shuffledRunner(t, c)));
    expect(strip(viaRunner)).toBe(strip(sync));
    expect(made!.closed).toBe(true);
    expect(made!.calls).toBeGreaterThan(sync.training!.iterations);
  });

  it('passes the (noisy) training data and the chunk size to the runner', async () => {
    let got: [DataMatrix, number] | undefined;
    await fitGmmWith(overlapping.data, { k: 2, chunkRows: 50, noise: 1, maxIter: 1 }, async (t, c) => {
      got = [t, c];
      return { compute: async (p) => computeStats(p, t, c) };
    });
    expect(got![1]).toBe(50);
    expect(got![0].rows).toBe(overlapping.data.rows);
    expect(got![0].data[0]).not.toBe(overlapping.data.data[0]);
  });

  it('stops at an aborted signal and still closes the runner', async () => {
    const controller = new AbortController();
    let closed = false;
    const fit = fitGmmWith(overlapping.data, { k: 3, maxIter: 100, epsilon: 0 }, async (t, c) => ({
      compute: async (p) => {
        controller.abort();
        return computeStats(p, t, c);
      },
      close: async () => {
        closed = true;
      },
    }), controller.signal);
    await expect(fit).rejects.toThrow();
    expect(closed).toBe(true);
  });

  it('input errors surface before a runner is created', async () => {
    const create = jest.fn();
    await expect(fitGmmWith(matrixFromRows([[1, NaN]]), { k: 1 }, create)).rejects.toThrow(/row 1, column 2/);
    expect(create).not.toHaveBeenCalled();
  });
});
