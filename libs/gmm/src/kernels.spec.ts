import { Matrix, determinant, inverse } from 'ml-matrix';
import { makeBlobs } from './data';
import { GmmInputError } from './errors';
import { chunkRanges } from './data';
import { chunkStats, estimateWeightedLogProb, maximize, mergeStats, normalizeLogProb, prepareParams } from './kernels';
import { Rng } from './rng';
import { COVARIANCE_TYPES, type CovarianceType, type GmmParams } from './types';

/** Random parameters of a type: well-conditioned SPD covariances, weights summing to 1. */
function randomParams(type: CovarianceType, k: number, d: number, seed: number): GmmParams {
  const rng = new Rng(seed);
  const weights = Float64Array.from({ length: k }, () => 0.5 + rng.next());
  const sum = weights.reduce((s, w) => s + w, 0);
  weights.forEach((w, i) => (weights[i] = w / sum));
  const means = Float64Array.from({ length: k * d }, () => rng.normal() * 3);
  const spd = (): number[][] => {
    const a = Matrix.rand(d, d, { random: () => rng.next() - 0.5 });
    return a.mmul(a.transpose()).add(Matrix.eye(d, d).mul(0.5)).to2DArray();
  };
  let covariances: Float64Array;
  if (type === 'full') covariances = Float64Array.from(Array.from({ length: k }, spd).flat(2));
  else if (type === 'tied') covariances = Float64Array.from(spd().flat());
  else if (type === 'diag') covariances = Float64Array.from({ length: k * d }, () => 0.3 + rng.next());
  else covariances = Float64Array.from({ length: k }, () => 0.3 + rng.next());
  return { covarianceType: type, k, dims: d, weights, means, covariances };
}

function covarianceMatrix(p: GmmParams, c: number): Matrix {
  const d = p.dims;
  const m = Matrix.zeros(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let v = 0;
      if (p.covarianceType === 'full') v = p.covariances[c * d * d + a * d + b];
      else if (p.covarianceType === 'tied') v = p.covariances[a * d + b];
      else if (a === b) v = p.covarianceType === 'diag' ? p.covariances[c * d + a] : p.covariances[c];
      m.set(a, b, v);
    }
  }
  return m;
}

/** The textbook E-step: explicit inverse and determinant, no log-sum-exp tricks (fine for moderate data). */
function bruteForce(p: GmmParams, x: Float64Array, n: number) {
  const { k, dims: d } = p;
  const resp: number[][] = [];
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const dens: number[] = [];
    for (let c = 0; c < k; c++) {
      const cov = covarianceMatrix(p, c);
      const inv = inverse(cov);
      const diff = new Matrix([Array.from({ length: d }, (_, j) => x[i * d + j] - p.means[c * d + j])]);
      const maha = diff.mmul(inv).mmul(diff.transpose()).get(0, 0);
      dens.push((p.weights[c] * Math.exp(-0.5 * maha)) / Math.sqrt((2 * Math.PI) ** d * determinant(cov)));
    }
    const total = dens.reduce((s, v) => s + v, 0);
    ll += Math.log(total);
    resp.push(dens.map((v) => v / total));
  }
  return { resp, ll };
}

describe('chunkStats (E-step) against the textbook formulas', () => {
  const d = 4;
  const k = 3;
  const { data } = makeBlobs({ rows: 300, dims: d, k, seed: 3, separation: 2, spread: 1.5 });
  it.each(COVARIANCE_TYPES)('%s: log-likelihood, Σr, Σr·x and the centered scatter', (type) => {
    const params = randomParams(type, k, d, 11);
    const prepared = prepareParams(params);
    const stats = chunkStats(prepared, data.data, d, 0, data.rows);
    const { resp, ll } = bruteForce(params, data.data, data.rows);
    expect(stats.rows).toBe(300);
    expect(stats.logLikelihood).toBeCloseTo(ll, 8);
    for (let c = 0; c < k; c++) {
      const nk = resp.reduce((s, r) => s + r[c], 0);
      expect(stats.sumResp[c]).toBeCloseTo(nk, 9);
      for (let j = 0; j < d; j++) {
        let sx = 0;
        for (let i = 0; i < data.rows; i++) sx += resp[i][c] * (data.data[i * d + j] - stats.shift![c * d + j]);
        expect(stats.sumX[c * d + j]).toBeCloseTo(sx, 8);
      }
    }
    // the M-step from these stats equals the weighted formulas of scikit-learn's _estimate_gaussian_parameters
    const next = maximize(stats, { regCovar: 1e-6, forcePositive: false });
    for (let c = 0; c < k; c++) {
      const nk = resp.reduce((s, r) => s + r[c], 0) + 10 * Number.EPSILON;
      expect(next.weights[c]).toBeCloseTo(nk / data.rows, 12);
      const mu = Array.from({ length: d }, (_, j) => resp.reduce((s, r, i) => s + r[c] * data.data[i * d + j], 0) / nk);
      mu.forEach((m, j) => expect(next.means[c * d + j]).toBeCloseTo(m, 9));
      const cov = Array.from({ length: d }, (_, a) =>
        Array.from({ length: d }, (_, b) => resp.reduce((s, r, i) => s + r[c] * (data.data[i * d + a] - mu[a]) * (data.data[i * d + b] - mu[b]), 0) / nk),
      );
      if (type === 'full') {
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) expect(next.covariances[c * d * d + a * d + b]).toBeCloseTo(cov[a][b] + (a === b ? 1e-6 : 0), 9);
      } else if (type === 'diag') {
        for (let a = 0; a < d; a++) expect(next.covariances[c * d + a]).toBeCloseTo(cov[a][a] + 1e-6, 9);
      } else if (type === 'spherical') {
        const mean = cov.reduce((s, row, a) => s + row[a], 0) / d;
        expect(next.covariances[c]).toBeCloseTo(mean + 1e-6, 9);
      }
    }
    if (type === 'tied') {
      // Σ_c nk·cov_c / n
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let s = 0;
          for (let c = 0; c < k; c++) {
            const nk = resp.reduce((t, r) => t + r[c], 0);
            const mu = (j: number): number => resp.reduce((t, r, i) => t + r[c] * data.data[i * d + j], 0) / nk;
            const ma = mu(a);
            const mb = mu(b);
            s += resp.reduce((t, r, i) => t + r[c] * (data.data[i * d + a] - ma) * (data.data[i * d + b] - mb), 0);
          }
          expect(next.covariances[a * d + b]).toBeCloseTo(s / data.rows + (a === b ? 1e-6 : 0), 9);
        }
      }
    }
  });

  // from 8 dimensions on, full covariances go through the row-major kernel: two rows and four rows of P per pass,
  // with tails when d is not a multiple of 4 and the block has an odd number of rows
  it.each([9, 10, 17, 18, 20])('full, %i dims (row-major kernel): log-likelihood, Σr and Σr·x', (dims) => {
    const blobs = makeBlobs({ rows: 151, dims, k: 3, seed: 5, separation: 2, spread: 1.5 });
    const params = randomParams('full', 3, dims, 13);
    const stats = chunkStats(prepareParams(params), blobs.data.data, dims, 0, 151);
    const { resp, ll } = bruteForce(params, blobs.data.data, 151);
    expect(stats.logLikelihood).toBeCloseTo(ll, 7);
    for (let c = 0; c < 3; c++) {
      expect(stats.sumResp[c]).toBeCloseTo(resp.reduce((t, r) => t + r[c], 0), 9);
      for (let j = 0; j < dims; j++) {
        let sx = 0;
        for (let i = 0; i < 151; i++) sx += resp[i][c] * (blobs.data.data[i * dims + j] - stats.shift![c * dims + j]);
        expect(stats.sumX[c * dims + j]).toBeCloseTo(sx, 7);
      }
    }
  });

  it('regCovar is added to the covariance diagonal', () => {
    const params = randomParams('full', k, d, 2);
    const stats = chunkStats(prepareParams(params), data.data, d, 0, data.rows);
    const a = maximize(stats, { regCovar: 0, forcePositive: false });
    const b = maximize(stats, { regCovar: 0.5, forcePositive: false });
    expect(b.covariances[0] - a.covariances[0]).toBeCloseTo(0.5, 12);
    expect(b.covariances[1]).toBe(a.covariances[1]);
  });
});

describe('chunkStats prunes far components without changing a bit', () => {
  // well-separated blobs: most components are thousands of nats below a row's best, so their exact
  // log-probabilities are never needed (exp underflows to 0)
  const d = 20;
  const k = 4;
  const n = 63; // one block (64 rows at 20 dims), 31 pairs and one single row
  const { data, centers } = makeBlobs({ rows: n, dims: d, k, seed: 9 });
  const identity = Float64Array.from({ length: k * d * d }, (_, t) => (Math.floor(t / d) % d === t % d ? 1 : 0));
  const params: GmmParams = { covarianceType: 'full', k, dims: d, weights: new Float64Array(k).fill(1 / k), means: centers, covariances: identity };
  const prepared = prepareParams(params);
  const exact = new Float64Array(n * k);
  estimateWeightedLogProb(prepared, data.data, d, 0, n, exact);

  it('the data make pruning possible', () => {
    let far = 0;
    for (let i = 0; i < n; i++) {
      const best = Math.max(...exact.subarray(i * k, (i + 1) * k));
      for (let c = 0; c < k; c++) if (exact[i * k + c] < best - 800) far++;
    }
    expect(far).toBeGreaterThan(n);
  });

  it('log-likelihood, Σr and Σr·x equal those from the exact log-probabilities, bit for bit', () => {
    const resp = Float64Array.from(exact);
    const ll = normalizeLogProb(resp, n, k);
    const stats = chunkStats(prepared, data.data, d, 0, n);
    expect(stats.logLikelihood).toBe(ll);
    for (let c = 0; c < k; c++) {
      let nk = 0;
      for (let i = 0; i < n; i++) nk += resp[i * k + c];
      expect(stats.sumResp[c]).toBe(nk);
      for (let j = 0; j < d; j++) {
        let sx = 0;
        for (let i = 0; i < n; i++) if (resp[i * k + c] !== 0) sx += resp[i * k + c] * (data.data[i * d + j] - centers[c * d + j]);
        expect(stats.sumX[c * d + j]).toBe(sx);
      }
    }
  });
});

describe('mergeStats', () => {
  const { data } = makeBlobs({ rows: 1000, dims: 3, k: 2, seed: 4 });
  const params = randomParams('full', 2, 3, 5);
  const prepared = prepareParams(params);
  it('sums chunks in the given order; the total matches one big chunk to rounding', () => {
    const chunks = chunkRanges(1000, 128).map(([s, e]) => chunkStats(prepared, data.data, 3, s, e));
    const merged = mergeStats(chunks);
    const whole = chunkStats(prepared, data.data, 3, 0, 1000);
    expect(merged.rows).toBe(1000);
    expect(merged.logLikelihood).toBeCloseTo(whole.logLikelihood, 8);
    merged.sumXX.forEach((v, i) => expect(v).toBeCloseTo(whole.sumXX[i], 6));
    // the same chunks merged in the same order give the same bits, whatever order they were computed in
    const reversed = [...chunkRanges(1000, 128)].reverse().map(([s, e]) => chunkStats(prepared, data.data, 3, s, e)).reverse();
    expect(Buffer.from(mergeStats(reversed).sumXX.buffer).equals(Buffer.from(merged.sumXX.buffer))).toBe(true);
  });
  it('refuses chunks of different shape or different parameters', () => {
    const a = chunkStats(prepared, data.data, 3, 0, 10);
    const other = chunkStats(prepareParams(randomParams('full', 2, 3, 6)), data.data, 3, 10, 20);
    expect(() => mergeStats([a, other])).toThrow(/different parameters/);
    const diag = chunkStats(prepareParams(randomParams('diag', 2, 3, 5)), data.data, 3, 10, 20);
    expect(() => mergeStats([a, diag])).toThrow(/different shape/);
    expect(() => mergeStats([])).toThrow(GmmInputError);
  });
});

describe('accuracy far from the origin (statistics about a shift)', () => {
  it.each(COVARIANCE_TYPES)('%s: recovers a tiny variance on data offset by 1e8', (type) => {
    const rng = new Rng(9);
    const n = 2000;
    const x = Float64Array.from({ length: n * 2 }, () => 1e8 + rng.normal() * 1e-2);
    const cov = type === 'full' || type === 'tied' ? Float64Array.of(1e-4, 0, 0, 1e-4) : type === 'diag' ? Float64Array.of(1e-4, 1e-4) : Float64Array.of(1e-4);
    const params: GmmParams = { covarianceType: type, k: 1, dims: 2, weights: Float64Array.of(1), means: Float64Array.of(1e8 + 1e-3, 1e8 - 1e-3), covariances: cov };
    const stats = chunkStats(prepareParams(params), x, 2, 0, n);
    const next = maximize(stats, { regCovar: 0, forcePositive: false });
    const variance = (j: number): number => {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i * 2 + j];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x[i * 2 + j] - mean) ** 2;
      return v / n;
    };
    const expected = type === 'spherical' ? (variance(0) + variance(1)) / 2 : variance(0);
    expect(Math.abs(next.covariances[0] - expected) / expected).toBeLessThan(1e-6);
    expect(Number.isFinite(stats.logLikelihood)).toBe(true);
  });
});

describe('maximize: positive definiteness', () => {
  const collapsed = (type: CovarianceType) => {
    // component 1 sees two identical rows: zero scatter, so only regCovar or the eigenvalue fix can save it
    const x = Float64Array.of(0, 0, 1, 1, 0, 1, 5, 5, 5, 5);
    const params = {
      covarianceType: type, k: 2, dims: 2, weights: Float64Array.of(0.5, 0.5), means: Float64Array.of(0.3, 0.6, 5, 5),
      covariances: type === 'full' ? Float64Array.of(1, 0, 0, 1, 0.01, 0, 0, 0.01) : type === 'tied' ? Float64Array.of(1, 0, 0, 1) : type === 'diag' ? Float64Array.of(1, 1, 0.01, 0.01) : Float64Array.of(1, 0.01),
    };
    return chunkStats(prepareParams(params), x, 2, 0, 5);
  };
  it.each(['full', 'diag', 'spherical'] as const)('%s: a collapsed component without regCovar or forcePositive is an error naming it', (type) => {
    try {
      maximize(collapsed(type), { regCovar: 0, forcePositive: false });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(GmmInputError);
      expect((e as GmmInputError).details.component).toBe(1);
      expect((e as Error).message).toMatch(/component 1 has an ill-defined empirical covariance.*decrease the number of components \(k\), increase regCovar, or scale the input data/);
    }
  });
  it.each(['full', 'diag', 'spherical'] as const)('%s: forcePositive (mlpack) makes it positive definite', (type) => {
    const p = maximize(collapsed(type), { regCovar: 0, forcePositive: true });
    expect(() => prepareParams(p)).not.toThrow();
    expect(p.covariances.every((v) => Number.isFinite(v))).toBe(true);
  });
  it('forcePositive raises small eigenvalues to λmax/1e5 and leaves well-conditioned matrices untouched', () => {
    const rng = new Rng(1);
    const n = 400;
    // strongly correlated 2-D data: eigenvalues about 2 and 2e-8
    const x = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const t = rng.normal();
      x[i * 2] = t;
      x[i * 2 + 1] = t + 2e-4 * rng.normal();
    }
    const params: GmmParams = { covarianceType: 'full', k: 1, dims: 2, weights: Float64Array.of(1), means: Float64Array.of(0, 0), covariances: Float64Array.of(1, 0, 0, 1) };
    const stats = chunkStats(prepareParams(params), x, 2, 0, n);
    const raw = maximize(stats, { regCovar: 0, forcePositive: false });
    const fixed = maximize(stats, { regCovar: 0, forcePositive: true });
    const eig = (c: Float64Array) => {
      const tr = c[0] + c[3];
      const det = c[0] * c[3] - c[1] * c[2];
      const disc = Math.sqrt(tr * tr / 4 - det);
      return [tr / 2 - disc, tr / 2 + disc];
    };
    const [lo, hi] = eig(raw.covariances);
    expect(hi / lo).toBeGreaterThan(1e5);
    const [flo, fhi] = eig(fixed.covariances);
    expect(fhi / flo).toBeLessThan(1.0001e5);
    expect(fhi / flo).toBeGreaterThan(0.99e5);
    // a well-conditioned covariance is returned bit for bit
    const fine = makeBlobs({ rows: 200, dims: 2, k: 1, seed: 1 }).data;
    const s2 = chunkStats(prepareParams(params), fine.data, 2, 0, 200);
    expect(Array.from(maximize(s2, { regCovar: 0, forcePositive: true }).covariances)).toEqual(Array.from(maximize(s2, { regCovar: 0, forcePositive: false }).covariances));
  });
});
