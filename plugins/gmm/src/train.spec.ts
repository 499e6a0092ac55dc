import { ComponentError } from '@mixflow/component-sdk';
import { runDriver } from '@mixflow/executor';
import { emIterationFlops, precisionFlops, type GmmFitOptions, type GmmModelJson } from '@mixflow/gmm';
import { tableFromColumns } from '@mixflow/table';
import { blobsTable, modelOf, RecordingEngine, run, tableValue } from './__fixtures__/harness';
import { gmmTrain } from './train';

// records the options every fit was given (the engine sees only kernels and rows): what fitOnEngine hands its driver thread
jest.mock('@mixflow/executor', () => {
  const actual = jest.requireActual('@mixflow/executor');
  return { ...actual, runDriver: jest.fn(actual.runDriver) };
});
const lastFitOptions = (): GmmFitOptions => (runDriver as jest.Mock).mock.calls.at(-1)![0].input.options;

const data = blobsTable();
const base = { vectorCol: 'features', maxIter: 8 };

function numbers(m: GmmModelJson): number[] {
  return [...m.weights, ...m.means.flat(), ...(m.covariances as number[] | number[][] | number[][][]).flat(2)];
}

describe('GMM Training: configure', () => {
  const schema = data.schema;

  it('describes the model from a vector column', () => {
    expect(gmmTrain.configure({ vectorCol: 'features', k: 3 }, [{ type: 'table', schema }])).toEqual({
      outputs: [{ type: 'model', modelType: 'gmm', dims: 2, k: 3, vectorCol: 'features' }],
      errors: [],
    });
  });

  it('describes the model from numeric feature columns', () => {
    expect(gmmTrain.configure({ featureCols: ['x', 'y', 'label'], k: 2 }, [{ type: 'table', schema }]).outputs[0]).toEqual({
      type: 'model',
      modelType: 'gmm',
      dims: 3,
      k: 2,
      featureCols: ['x', 'y', 'label'],
    });
  });

  it('names a missing column, a non-vector column and a non-numeric feature column', () => {
    expect(gmmTrain.configure({ vectorCol: 'nope', k: 2 }, [{ type: 'table', schema }]).errors).toEqual([
      expect.objectContaining({ parameter: 'vectorCol', column: 'nope', message: expect.stringContaining('"nope" is not in the input table') }),
    ]);
    expect(gmmTrain.configure({ vectorCol: 'x', k: 2 }, [{ type: 'table', schema }]).errors).toEqual([
      expect.objectContaining({ parameter: 'vectorCol', column: 'x', message: expect.stringContaining('"x" is double, not a vector column') }),
    ]);
    expect(gmmTrain.configure({ featureCols: ['features'], k: 2 }, [{ type: 'table', schema }]).errors).toEqual([
      expect.objectContaining({ parameter: 'featureCols', column: 'features' }),
    ]);
  });

  it('asks for a feature choice, and leaves the output unknown without an input', () => {
    expect(gmmTrain.configure({ k: 2 }, [{ type: 'table', schema }]).errors[0].parameter).toBe('vectorCol');
    // no vector column to pick: the error sits on Feature columns, where the fix is, and the dropdown stays clean
    const numeric = { columns: schema.columns.filter((c) => c.type !== 'vector') };
    expect(gmmTrain.configure({ k: 2 }, [{ type: 'table', schema: numeric }]).errors).toEqual([
      { parameter: 'featureCols', port: 0, message: 'tick the numeric columns to use as Feature columns (the input has no vector column)' },
    ]);
    expect(gmmTrain.configure({ vectorCol: 'features', k: 2 }, [undefined])).toEqual({ outputs: [undefined], errors: [] });
  });
});

describe('GMM Training: estimate', () => {
  it('applies the PAI formula to the input’s dims and k, and checks the configured resources', () => {
    const e = gmmTrain.estimate!({ k: 8, numWorkers: 20, memoryPerWorkerMb: 1024 }, [{ dims: 10, rows: 1000, bytes: 1024 ** 3 }]);
    expect(e.formula).toBe('10 × 10 × 8 × 8 × 2 × 12 / 1024 / 1024 = 0.15 MB');
    expect(e.recommendedWorkers).toBe(5);
    expect(e.warnings.map((w) => w.code)).toEqual(['workers-far-above']);
  });

  it('predicts seconds per iteration and per run from the flops and the machine’s measured rate', () => {
    const params = { k: 8, numWorkers: 1, memoryPerWorkerMb: 1024, maxIter: 50, covarianceType: 'full' };
    const e = gmmTrain.estimate!(params, [{ dims: 10, rows: 4000 }]);
    expect(e.time!.flopsPerIteration).toBe(emIterationFlops('full', 4000, 8, 10));
    expect(e.time!.secondsPerIteration).toBeGreaterThan(0);
    // the k-means start (the default), then at most 50 iterations and the scoring pass
    expect(e.time!.startSeconds).toBeGreaterThan(0);
    expect(e.time!.maxSeconds).toBeCloseTo(e.time!.startSeconds + e.time!.secondsPerIteration * 51, 12);
    // the same cached rate: twice the rows take twice the E-step (the driver's precision factors stay as they are);
    // diagonal covariances are cheaper than full ones
    const factors = precisionFlops('full', params.k, 10) / (e.time!.rate.startGflops * 1e9);
    expect(gmmTrain.estimate!(params, [{ dims: 10, rows: 8000 }]).time!.secondsPerIteration - factors).toBeCloseTo(2 * (e.time!.secondsPerIteration - factors), 12);
    expect(gmmTrain.estimate!({ ...params, covarianceType: 'diag' }, [{ dims: 10, rows: 4000 }]).time!.flopsPerIteration).toBeLessThan(e.time!.flopsPerIteration);
    expect(gmmTrain.estimate!(params, [{ dims: 10 }]).time).toBeUndefined();
    // no Number of Workers configured (the command line): the recommended count
    expect(gmmTrain.estimate!({ k: 8 }, [{ dims: 10, rows: 4000 }]).time!.workers).toBe(1);
  });

  it('asks for the dimension when it is unknown', () => {
    expect(() => gmmTrain.estimate!({ k: 2, numWorkers: 1, memoryPerWorkerMb: 4096 }, [{}])).toThrow(/needs the vector dimension/);
  });
});

describe('GMM Training: execute', () => {
  it('trains on the engine and records the metrics and the estimate', async () => {
    const r = await run(gmmTrain, { vectorCol: 'features', k: 2 }, [tableValue(data)]);
    const model = modelOf(r);
    expect([model.k, model.dims, model.vectorCol]).toEqual([2, 2, 'features']);
    const history = r.metrics.logLikelihoodHistory as number[];
    expect(history.length).toBe(r.metrics.iterations);
    expect(history.length).toBeGreaterThan(1);
    expect(history[history.length - 1]).toBeGreaterThanOrEqual(history[0]);
    expect(r.metrics).toMatchObject({ converged: true, engine: 'inline', workersUsed: 1 });
    for (const name of ['meanLogLikelihood', 'bic', 'aic', 'seconds']) expect(Number.isFinite(r.metrics[name])).toBe(true);
    expect(r.metrics.estimate).toMatchObject({ formula: '2 × 2 × 2 × 8 × 2 × 12 / 1024 / 1024 = 0.0015 MB', recommendedMemoryMb: 1024 });
    const time = r.metrics.time as Record<string, number>;
    expect(time.predictedSecondsPerIteration).toBeGreaterThan(0);
    expect(time.measuredSecondsPerIteration).toBeGreaterThanOrEqual(0);
    expect(time.predictedStartSeconds).toBeGreaterThan(0);
    expect(time.predictedSeconds).toBeCloseTo(time.predictedStartSeconds + time.predictedSecondsPerIteration * (history.length + 1), 12);
    expect(time.measuredSeconds).toBe(r.metrics.seconds);
    expect(r.logs.some((l) => /^info: time: predicted .* s per iteration \(.*GFLOP.*\), measured /.test(l))).toBe(true);
    expect(r.metrics.iteration).toMatchObject({ trial: 0, iteration: history.length });
    expect(r.progress.at(-1)?.fraction).toBe(1);
    expect(r.progress.length).toBeGreaterThan(2);
  });

  it('moves its progress before the first EM iteration: the features, then each trial\'s k-means start', async () => {
    const r = await run(gmmTrain, { vectorCol: 'features', k: 3, trials: 2, maxIter: 4, epsilon: 0 }, [tableValue(data)]);
    const messages = r.progress.map((p) => p.message ?? '');
    const firstIteration = messages.findIndex((m) => m.startsWith('trial 1, iteration 1: '));
    expect(firstIteration).toBeGreaterThan(0);
    const before = messages.slice(0, firstIteration);
    expect(before[0]).toBe(`reading the features of ${data.rowCount} rows`);
    expect(before).toContain('trial 1 start: k-means++ seeding, center 1 of 3');
    expect(before).toContain('trial 1 start: k-means++ seeding, center 3 of 3');
    expect(before).toContain('trial 1 start: k-means iteration 1 (at most 300)');
    // the second trial starts again, within its half of the bar
    const second = r.progress.find((p) => p.message === 'trial 2 start: k-means++ seeding, center 1 of 3')!;
    expect(second.fraction).toBeGreaterThan(0.5);
    expect(second.fraction).toBeLessThan(0.51);
    // the bar never goes back, and it has moved before EM's first iteration
    const fractions = r.progress.map((p) => p.fraction);
    fractions.slice(1).forEach((f, i) => expect(f).toBeGreaterThanOrEqual(fractions[i]));
    expect(r.progress[firstIteration - 1].fraction).toBeGreaterThan(0);
    expect(r.progress[firstIteration].fraction).toBeCloseTo((0.1 + 0.9 * (1 / 4)) / 2, 12);
    expect(r.metrics.start).toMatchObject({ trial: 1, phase: 'kmeans' });
  });

  it('logs every EM iteration with its log-likelihood change, each trial, and the convergence with its time', async () => {
    const r = await run(gmmTrain, { vectorCol: 'features', k: 2, trials: 2 }, [tableValue(data)]);
    const model = modelOf(r);
    const iterations = r.logs.filter((l) => /^info: iteration \d+: mean log-likelihood/.test(l));
    // one line per iteration of both trials; the first of a trial has no change, the others do
    expect(iterations.length).toBeGreaterThanOrEqual(2 * 2);
    expect(r.logs.filter((l) => /^info: trial \d of 2$/.test(l))).toEqual(['info: trial 1 of 2', 'info: trial 2 of 2']);
    expect(r.logs[r.logs.indexOf('info: trial 2 of 2') + 1]).not.toMatch(/change/);
    expect(iterations.filter((l) => /\(change [+−]\d/.test(l)).length).toBe(iterations.length - 2);
    const last = r.logs.find((l) => /after \d+ iterations \(best of 2 trials\)/.test(l));
    expect(last).toContain(`${model.training!.converged ? 'converged' : 'stopped'} after ${model.training!.iterations} iterations`);
    expect(last).toContain(`mean log-likelihood ${model.training!.meanLogLikelihood.toPrecision(8)}`);
    expect(last).toMatch(/s on the inline engine with 1 worker$/);
  });

  it('records featureNames when trained on feature columns', async () => {
    const model = modelOf(await run(gmmTrain, { featureCols: ['y', 'x'], k: 2 }, [tableValue(data)]));
    expect(model.featureNames).toEqual(['y', 'x']);
    expect(model.vectorCol).toBeUndefined();
  });

  it('names the row and column of a bad vector', async () => {
    const bad = blobsTable({ rows: 10 });
    (bad.columns[0] as string[])[4] = '1 oops';
    const err = await run(gmmTrain, { vectorCol: 'features', k: 2 }, [tableValue(bad)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentError);
    expect((err as ComponentError).details).toMatchObject({ nodeId: 'node-1', row: 5, column: 'features' });
  });
});

/**
 * Every parameter the component shows must change what runs. For each one: a value other than the default,
 * and what must differ from the default run. A parameter added to the description without a row here fails.
 */
describe('every GMM Training parameter changes what runs', () => {
  const engine = new RecordingEngine();
  let baseline: GmmModelJson;
  beforeAll(async () => {
    baseline = modelOf(await run(gmmTrain, base, [tableValue(data)], engine));
  });

  type Case = { params: Record<string, string | number | boolean>; check: (m: GmmModelJson, e: RecordingEngine) => void | Promise<void> };
  const differs = (m: GmmModelJson) => expect(numbers(m)).not.toEqual(numbers(baseline));
  const cases: Record<string, Case> = {
    k: { params: { k: 3 }, check: (m) => expect(m.k).toBe(3) },
    epsilon: {
      params: { epsilon: 0.5 },
      check: (m) => expect(m.training!.iterations).toBeLessThan(baseline.training!.iterations),
    },
    maxIter: {
      params: { maxIter: 2 },
      check: (m) => {
        expect(m.training!.iterations).toBe(2);
        differs(m);
      },
    },
    randomSeed: { params: { randomSeed: 7 }, check: differs },
    covarianceType: {
      params: { covarianceType: 'diag' },
      check: (m) => {
        expect(m.covarianceType).toBe('diag');
        expect(m.covariances).toHaveLength(2);
        expect((m.covariances as number[][])[0]).toHaveLength(2);
      },
    },
    init: {
      params: { init: 'random' },
      check: (m) => {
        expect(m.training!.init).toBe('random');
        differs(m);
      },
    },
    trials: {
      params: { trials: 3 },
      check: (m) => {
        expect(m.training!.trials).toBe(3);
        expect(lastFitOptions().trials).toBe(3);
      },
    },
    convergence: {
      params: { convergence: 'logLikelihood', epsilon: 0.01 },
      check: async (m) => {
        expect(m.training!.convergence).toBe('logLikelihood');
        const centers = modelOf(await run(gmmTrain, { ...base, epsilon: 0.01 }, [tableValue(data)]));
        expect(m.training!.iterations).toBeLessThan(centers.training!.iterations);
      },
    },
    regCovar: {
      params: { regCovar: 5 },
      check: (m) => {
        const cov = m.covariances as number[][][];
        const baseCov = baseline.covariances as number[][][];
        expect(cov[0][0][0]).toBeGreaterThan(baseCov[0][0][0] + 3);
      },
    },
    forcePositive: { params: { forcePositive: true }, check: () => expect(lastFitOptions().forcePositive).toBe(true) },
    noise: { params: { noise: 4 }, check: differs },
    samplings: {
      params: { init: 'refined', samplings: 2, percentage: 0.2 },
      check: (m) => {
        expect(lastFitOptions()).toMatchObject({ init: 'refined', samplings: 2, percentage: 0.2 });
        expect(m.training!.init).toBe('refined');
      },
    },
    percentage: {
      params: { init: 'refined', percentage: 0.5 },
      check: () => expect(lastFitOptions()).toMatchObject({ percentage: 0.5, samplings: 100 }),
    },
    weightsInit: { params: { weightsInit: '[0.9, 0.1]', maxIter: 1 }, check: (_m) => expect(lastFitOptions()).toMatchObject({ weightsInit: [0.9, 0.1] }) },
    meansInit: {
      params: { meansInit: '[[0, 0], [1, 1]]' },
      check: (m) => {
        expect(lastFitOptions()).toMatchObject({ meansInit: [[0, 0], [1, 1]], init: 'kmeans' });
        differs(m);
      },
    },
    precisionsInit: {
      params: { weightsInit: '[0.5, 0.5]', meansInit: '[[0, 0], [4, 4]]', precisionsInit: '[[[1, 0], [0, 1]], [[2, 0], [0, 2]]]' },
      check: (m) => {
        // all three fix the start: no init, one trial
        expect(lastFitOptions().init).toBeUndefined();
        expect(m.training!.init).toBe('given');
      },
    },
    // the data here has no missing cell: mean still stores the column means (missing.spec.ts covers the rows)
    missingValues: { params: { missingValues: 'mean' }, check: (m) => expect(m.imputeMeans).toHaveLength(2) },
    numWorkers: { params: { numWorkers: 3 }, check: (_m, e) => expect(e.fits.at(-1)!.run.numWorkers).toBe(3) },
    memoryPerWorkerMb: { params: { memoryPerWorkerMb: 2048 }, check: (_m, e) => expect(e.fits.at(-1)!.run.memoryPerWorkerMb).toBe(2048) },
  };

  it('has a case for every non-field parameter', () => {
    const shown = gmmTrain.description.parameters.filter((p) => p.tab !== 'field').map((p) => p.name);
    expect(Object.keys(cases).sort()).toEqual(shown.sort());
  });

  it.each(Object.keys(cases))('%s', async (name) => {
    const c = cases[name];
    const m = modelOf(await run(gmmTrain, { ...base, ...c.params }, [tableValue(data)], engine));
    await c.check(m, engine);
  });

  it('forcePositive: off by default; on, it changes an ill-conditioned model and the log and metrics say for which components', async () => {
    // one column nearly constant: the eigenvalue floor of forcePositive lifts its variance
    const flat = blobsTable({ rows: 60 });
    const y = flat.columns[2] as Float64Array;
    for (let i = 0; i < y.length; i++) y[i] = 1 + i * 1e-9;
    const off = await run(gmmTrain, { featureCols: ['x', 'y'], k: 2, regCovar: 0 }, [tableValue(flat)]);
    const on = await run(gmmTrain, { featureCols: ['x', 'y'], k: 2, regCovar: 0, forcePositive: true }, [tableValue(flat)]);
    expect(numbers(modelOf(on))).not.toEqual(numbers(modelOf(off)));
    expect(modelOf(off).training!.forcePositive).toBe(false);
    expect(off.metrics.positiveConstraint).toBeUndefined();
    const report = modelOf(on).training!.positiveConstraint!;
    expect(report.components.map((c) => c.component).sort()).toEqual([0, 1]);
    expect(on.metrics.positiveConstraint).toEqual(report);
    expect(on.logs).toContainEqual(expect.stringMatching(/^warn: forcePositive raised covariance eigenvalues .* for component 0 \(\d+×\), component 1 \(\d+×\)/));
  });

  it('samplings: a different number of refined-start samplings gives a different start', async () => {
    // the refined start ends with Lloyd on all rows, which erases the difference for k = 2 on this data; k = 4 keeps it
    const a = modelOf(await run(gmmTrain, { ...base, maxIter: 1, k: 4, init: 'refined', samplings: 1, percentage: 0.1 }, [tableValue(data)]));
    const b = modelOf(await run(gmmTrain, { ...base, maxIter: 1, k: 4, init: 'refined', samplings: 30, percentage: 0.1 }, [tableValue(data)]));
    expect(numbers(a)).not.toEqual(numbers(b));
  });
});

describe('GMM Training: degenerate fits', () => {
  // 40 rows around the origin and 3 far away: a full 3-D component on those 3 rows has 6 free covariance parameters
  const rows: number[][] = [];
  for (let i = 0; i < 40; i++) rows.push([Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7 + 1)]);
  rows.push([9, 9.1, 8.8], [9.2, 8.9, 9.1], [8.9, 9.05, 9.2]);
  const table = tableFromColumns(
    { columns: ['a', 'b', 'c'].map((name) => ({ name, type: 'double' as const })) },
    [0, 1, 2].map((j) => Float64Array.from(rows, (r) => r[j])),
  );

  it('warns, and records why, when a component covers fewer rows than its covariance has parameters', async () => {
    const r = await run(gmmTrain, { featureCols: ['a', 'b', 'c'], k: 2, trials: 3 }, [tableValue(table)]);
    expect(r.metrics.degenerate).toMatch(/covers 3\.00 rows, fewer than its 6 free covariance parameters/);
    expect(r.logs.filter((l) => l.startsWith('warn: the fit is degenerate'))).toHaveLength(1);
  });

  it('says nothing for a sound fit', async () => {
    const r = await run(gmmTrain, { featureCols: ['a', 'b', 'c'], k: 2, trials: 3, covarianceType: 'spherical' }, [tableValue(table)]);
    expect(r.metrics.degenerate).toBeUndefined();
    expect(r.logs.some((l) => l.includes('degenerate'))).toBe(false);
  });
});
