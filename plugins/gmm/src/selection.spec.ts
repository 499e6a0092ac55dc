import { availableParallelism } from 'node:os';
import { ComponentError, decodeModel, isEncodedModel, resolveParams, type ViewDataContext } from '@mixflow/component-sdk';
import { estimateTrainingTime } from '@mixflow/resource-estimator';
import { LocalEngine } from '@mixflow/executor';
import { GaussianMixture, selectGmm, type GmmModelJson } from '@mixflow/gmm';
import { extractFeatures, rowsOf, tableFromColumns, type Table } from '@mixflow/table';
import { blobsTable, modelOf, RecordingEngine, run, tableValue, type RunRecord } from './__fixtures__/harness';
import { gmmPayload } from './payload';
import { gmmPredict } from './predict';
import { CANDIDATES_SCHEMA, gmmModelSelection } from './selection';
import { withFeatureProvenance } from './shared';

const data = blobsTable({ rows: 150, k: 3, separation: 4 });
const base = { vectorCol: 'features', kMin: 1, kMax: 4, covarianceTypes: 'full,spherical', maxIter: 30, trials: 2 };

function candidatesOf(r: RunRecord): Table {
  const out = r.outputs[1];
  if (out.type !== 'table') throw new Error('expected the candidates table on port 1');
  return out.table;
}

/** The model without its wall-clock seconds, the one field that may differ between identical fits. */
function withoutTiming(model: GmmModelJson): string {
  return JSON.stringify({ ...model, training: { ...model.training, seconds: 0 } });
}

/** The candidates table without its seconds column. */
function tableWithoutTiming(t: Table): unknown[][] {
  const seconds = t.schema.columns.findIndex((c) => c.name === 'seconds');
  return rowsOf(t, 0, t.rowCount).map((row) => row.filter((_, j) => j !== seconds));
}

describe('GMM Model Selection: configure', () => {
  const schema = data.schema;

  it('describes the best model and the candidates table', () => {
    expect(gmmModelSelection.configure({ ...base }, [{ type: 'table', schema }])).toEqual({
      outputs: [
        { type: 'model', modelType: 'gmm', dims: 2, vectorCol: 'features' },
        { type: 'table', schema: CANDIDATES_SCHEMA },
      ],
      errors: [],
    });
  });

  it.each([
    [{ kMin: 5, kMax: 4 }, 'kMin', 'Smallest number of clusters (5) must not be larger than Largest number of clusters (4)'],
    [{ covarianceTypes: '' }, 'covarianceTypes', 'Covariance types must list'],
    [{ covarianceTypes: 'full,round' }, 'covarianceTypes', 'Covariance types must hold only'],
  ])('refuses %j naming %s by its label', (params, parameter, words) => {
    const { errors } = gmmModelSelection.configure({ ...base, ...params }, [{ type: 'table', schema }]);
    expect(errors).toEqual([expect.objectContaining({ parameter, message: expect.stringContaining(words) })]);
  });

  it('refuses kMax above a stored input’s row count before running', () => {
    const { errors } = gmmModelSelection.configure({ ...base, kMax: 20 }, [{ type: 'table', schema, rowCount: 12 }]);
    expect(errors).toEqual([expect.objectContaining({ parameter: 'kMax' })]);
  });

  it("estimates the grid's time: every candidate's EM on one worker, summed, over the candidates run at once", () => {
    const params = { ...base, kMax: 4, memoryPerWorkerMb: 1024 };
    const one = gmmModelSelection.estimate!({ ...params, numWorkers: 1 }, [{ dims: 2, rows: 5000 }]).time!;
    const two = gmmModelSelection.estimate!({ ...params, numWorkers: 2 }, [{ dims: 2, rows: 5000 }]).time!;
    const perCandidate = [1, 2, 3, 4].flatMap((k) =>
      (['full', 'spherical'] as const).map((covarianceType) => estimateTrainingTime({ rows: 5000, dims: 2, k, covarianceType, workers: 1, maxIter: 30, trials: 2 }).maxSeconds),
    );
    const total = perCandidate.reduce((a, b) => a + b, 0);
    expect(one.maxSeconds).toBeCloseTo(total, 9);
    expect(two.workers).toBe(Math.min(2, availableParallelism()));
    expect(two.maxSeconds).toBeCloseTo(total / two.workers, 9);
    expect(one.detail).toContain('8 candidates, each on one worker, 1 at a time');
  });

  it('estimates the whole grid: memory of the largest k, one candidate per worker', () => {
    const e = gmmModelSelection.estimate!({ ...base, kMax: 9, numWorkers: 2, memoryPerWorkerMb: 1024 }, [{ dims: 10, rows: 1000 }]);
    expect(e.formula).toContain('10 × 10 × 9 ×');
    expect(e.dataAwareDetail).toContain('grid of 18 candidates');
    expect(e.recommendedWorkers).toBe(18);
  });
});

describe('GMM Model Selection: execute', () => {
  it('chooses what the engine’s selectGmm chooses and outputs a model GMM Prediction uses', async () => {
    const r = await run(gmmModelSelection, base, [tableValue(data)]);
    const X = extractFeatures(data, { vectorCol: 'features' });
    const expected = selectGmm(X, { kMin: 1, kMax: 4, covarianceTypes: ['full', 'spherical'], fit: { maxIter: 30, trials: 2 } });
    const model = modelOf(r);
    expect(withoutTiming(model)).toBe(withoutTiming({ ...expected.best.toJSON(), vectorCol: 'features' }));
    const table = candidatesOf(r);
    expect(table.schema).toEqual(CANDIDATES_SCHEMA);
    expect(table.rowCount).toBe(8);
    const bic = table.columns[4] as Float64Array;
    expect(Array.from(bic)).toEqual(expected.candidates.map((c) => c.bic));
    expect((table.columns[10] as string[]).indexOf('best')).toBe(expected.bestIndex);
    expect(r.metrics.best).toMatchObject({ k: expected.candidates[expected.bestIndex].k, covarianceType: expected.candidates[expected.bestIndex].covarianceType });

    // every candidate's model is kept: a non-best candidate's scatter (the view's item) is labelled by its own model
    const kept = r.metrics.candidateModels as (GmmModelJson | null)[];
    expect(kept).toHaveLength(8);
    kept.forEach((m, i) => expect(m && { k: m.k, covarianceType: m.covarianceType }).toEqual({ k: expected.candidates[i].k, covarianceType: expected.candidates[i].covarianceType }));
    const other = expected.bestIndex === 0 ? 1 : 0;
    const viewContext = (item?: number): ViewDataContext => ({
      runId: 'run-1',
      nodeId: 'select',
      params: resolveParams(gmmModelSelection.description, base as never).params,
      metrics: r.metrics,
      limit: 50,
      ...(item !== undefined ? { item } : {}),
      input: async () => tableValue(data),
      output: async (port) => r.outputs[port],
    });
    const sample = await gmmModelSelection.viewData!('training-sample', viewContext(other)) as { labels: number[]; points: number[][]; model: GmmModelJson };
    expect(sample.model).toEqual(kept[other]);
    const picked = { data: Float64Array.from(sample.points.flat()), rows: sample.points.length, cols: 2 };
    expect(sample.labels).toEqual(Array.from(GaussianMixture.fromJSON(kept[other]!).predict(picked)));
    const bestSample = await gmmModelSelection.viewData!('training-sample', viewContext()) as { labels: number[]; model?: GmmModelJson };
    expect(bestSample.model).toBeUndefined();
    expect(bestSample.labels).toEqual(Array.from(GaussianMixture.fromJSON(model).predict(picked)));
    await expect(gmmModelSelection.viewData!('training-sample', viewContext(8))).rejects.toThrow(/item 8 is not a candidate of node 'select': it has 8 \(0 to 7\)/);

    const predicted = await run(gmmPredict, { predictionCol: 'cluster' }, [r.outputs[0], tableValue(data)]);
    const out = predicted.outputs[0];
    if (out.type !== 'table') throw new Error('expected a table');
    expect(out.table.rowCount).toBe(data.rowCount);
  });

  it("outputs the best candidate as its driver thread encoded it, the bytes the parsed path gave; the metrics keep the candidates' figures", async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const r = await run(gmmModelSelection, { ...base, numWorkers: 2 }, [tableValue(data)], engine);
      const out = r.outputs[0];
      if (out.type !== 'model') throw new Error('expected a model on port 0');
      // the model never came to this thread as nested arrays: it is the candidate's JSON on shared memory
      expect(isEncodedModel(out.model)).toBe(true);
      const X = extractFeatures(data, { vectorCol: 'features' });
      const expected = selectGmm(X, { kMin: 1, kMax: 4, covarianceTypes: ['full', 'spherical'], fit: { maxIter: 30, trials: 2 } });
      // what the selection output before: the best model finished here, as a parsed payload
      const before = gmmPayload(withFeatureProvenance(expected.best.toJSON(), { vectorCol: 'features' }));
      expect(withoutTiming(decodeModel(out.model) as never)).toBe(withoutTiming(before));
      // the candidates' figures, not their models
      const candidates = r.metrics.candidates as Record<string, unknown>[];
      expect(candidates).toHaveLength(8);
      for (const c of candidates) expect(Object.keys(c).filter((key) => ['weights', 'means', 'covariances'].includes(key))).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('runs up to numWorkers candidates at once, each on one worker over the same rows', async () => {
    const engine = new RecordingEngine();
    const r = await run(gmmModelSelection, { ...base, numWorkers: 3 }, [tableValue(data)], engine);
    expect(engine.fits).toHaveLength(8);
    for (const s of engine.fits) {
      expect(s.run.numWorkers).toBe(1);
      expect(s.data).toEqual({ rows: 150, cols: 2 });
    }
    expect(r.metrics.workersUsed).toBe(3);
    expect(r.progress.at(-1)).toEqual({ fraction: 1, message: 'selected' });
  });

  it('gives the same model and table, bit for bit, on 1 and 2 worker threads', async () => {
    const engine = new LocalEngine({ maxWorkers: 2 });
    try {
      const one = await run(gmmModelSelection, { ...base, trials: 1, numWorkers: 1 }, [tableValue(data)], engine);
      const two = await run(gmmModelSelection, { ...base, trials: 1, numWorkers: 2 }, [tableValue(data)], engine);
      expect(two.metrics.workersUsed).toBe(2);
      expect(withoutTiming(modelOf(two))).toBe(withoutTiming(modelOf(one)));
      expect(tableWithoutTiming(candidatesOf(two))).toEqual(tableWithoutTiming(candidatesOf(one)));
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('reports a failing candidate with its error and chooses among the others', async () => {
    // three tight groups of identical rows: with regCovar 0 the larger k leave a component on a single point
    const rows = [0, 0, 0, 0, 4, 4, 4, 4, 9, 9.5, 9.1, 8.7].map((v, i) => [v, i % 2 === 0 ? v : v + (v > 8 ? 0.3 : 0)]);
    const t = tableFromColumns(
      { columns: [{ name: 'x', type: 'double' }, { name: 'y', type: 'double' }] },
      [Float64Array.from(rows, (r) => r[0]), Float64Array.from(rows, (r) => r[1])],
    );
    const r = await run(gmmModelSelection, { featureCols: ['x', 'y'], kMin: 1, kMax: 4, covarianceTypes: 'full', regCovar: 0, trials: 2 }, [tableValue(t)]);
    const table = candidatesOf(r);
    const errors = table.columns[12] as string[];
    expect(errors.some((e) => /ill-defined empirical covariance/.test(e))).toBe(true);
    const best = (table.columns[10] as string[]).indexOf('best');
    expect(errors[best]).toBe('');
    expect(r.logs.some((l) => l.startsWith('warn: candidate full, k = '))).toBe(true);
  });

  it('takes missingValues as GMM Training does: mean fills the cells and the best model keeps the means', async () => {
    const x = Float64Array.from({ length: 30 }, (_, i) => (i % 3) * 5 + Math.sin(i));
    const y = Float64Array.from({ length: 30 }, (_, i) => (i === 4 ? NaN : (i % 3) * 5 + Math.cos(i)));
    const t = tableFromColumns({ columns: [{ name: 'x', type: 'double' }, { name: 'y', type: 'double' }] }, [x, y]);
    const params = { featureCols: ['x', 'y'], kMax: 3, covarianceTypes: 'spherical' };
    await expect(run(gmmModelSelection, params, [tableValue(t)])).rejects.toMatchObject({ details: { row: 5, column: 'y' } });
    const r = await run(gmmModelSelection, { ...params, missingValues: 'mean' }, [tableValue(t)]);
    expect(modelOf(r).imputeMeans).toHaveLength(2);
    expect(r.logs.some((l) => l.startsWith('warn: missingValues mean'))).toBe(true);
  });

  it('refuses kMax above the number of distinct rows, naming kMax', async () => {
    const t = tableFromColumns({ columns: [{ name: 'x', type: 'double' }] }, [Float64Array.from([1, 1, 2, 2, 3, 3])]);
    const error = await run(gmmModelSelection, { featureCols: ['x'], kMax: 4 }, [tableValue(t)]).catch((e) => e);
    expect(error).toBeInstanceOf(ComponentError);
    expect(error.details).toMatchObject({ nodeId: 'node-1', parameter: 'kMax' });
    expect(error.message).toMatch(/kMax \(4\) is larger than the number of distinct rows \(3\)/);
  });
});
