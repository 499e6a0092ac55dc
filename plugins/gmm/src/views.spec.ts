import { ComponentRegistry, resolveParams, type PortValue, type ViewDataContext } from '@mixflow/component-sdk';
import { chooseRows, GaussianMixture, Rng } from '@mixflow/gmm';
import { parseSchemaStr, tableFromRows } from '@mixflow/table';
import { blobsTable, modelOf, run, tableValue } from './__fixtures__/harness';
import plugin, { gmmTrain } from './index';
import { trainingViewData } from './views';

function contextFor(params: Record<string, unknown>, input: PortValue, output: PortValue, limit: number): ViewDataContext {
  return {
    runId: 'run-1',
    nodeId: 'train',
    params: resolveParams(gmmTrain.description, params as never).params,
    metrics: {},
    limit,
    input: async (port) => (port === 0 ? input : Promise.reject(new Error(`no input ${port}`))),
    output: async (port) => (port === 0 ? output : Promise.reject(new Error(`no output ${port}`))),
  };
}

describe('GMM views', () => {
  it('GMM Training declares its scatter, log-likelihood, model and metrics views, and the registry accepts them', () => {
    const registry = new ComponentRegistry();
    registry.register(plugin);
    const views = registry.get('gmm-train').description.views ?? [];
    expect(views.map((v) => v.kind)).toEqual(['gmm.scatter', 'gmm.loglik-chart', 'gmm.model-cards', 'metrics-table']);
    expect(registry.view('gmm-train', 'scatter').source).toEqual({ data: 'training-sample' });
  });

  it('the training sample is a seeded random sample of the whole table, in input order, labelled with the trained model', async () => {
    const table = blobsTable({ rows: 120 });
    const params = { vectorCol: 'features', k: 3, randomSeed: 7 };
    const trained = await run(gmmTrain, params, [tableValue(table)]);
    const model = modelOf(trained);
    const sample = await trainingViewData('training-sample', contextFor(params, tableValue(table), trained.outputs[0], 40));
    expect(sample.dims).toBe(2);
    expect(sample.points).toHaveLength(40);
    const x = table.columns[1] as Float64Array;
    const y = table.columns[2] as Float64Array;
    const rows = chooseRows(120, 40, new Rng(7));
    sample.points.forEach((p, i) => expect(p).toEqual([x[rows[i]], y[rows[i]]]));
    expect(Array.from(rows)).not.toEqual(Array.from({ length: 40 }, (_, i) => 3 * i));
    const expected = GaussianMixture.fromJSON(model).predict({ data: Float64Array.from(sample.points.flat()), rows: 40, cols: 2 });
    expect(sample.labels).toEqual(Array.from(expected));
    // the same seed, the same points; all rows when the limit covers them
    expect((await trainingViewData('training-sample', contextFor(params, tableValue(table), trained.outputs[0], 40))).points).toEqual(sample.points);
    const all = await trainingViewData('training-sample', contextFor(params, tableValue(table), trained.outputs[0], 500));
    expect(all.points).toEqual(Array.from({ length: 120 }, (_, i) => [x[i], y[i]]));
  });

  it('shows every cluster of a table whose rows cycle through them (evenly spaced rows showed one)', async () => {
    // row i lies in cluster i mod 8: rows 0, 200, 400, … are all in cluster 0
    const n = 8000;
    const centres = Array.from({ length: 8 }, (_, c) => [10 * c, 0]);
    const rows = Array.from({ length: n }, (_, i) => [`${centres[i % 8][0] + (i % 7) * 0.01} ${(i % 5) * 0.01}`, i % 8] as [string, number]);
    const cycling = tableFromRows(rows, parseSchemaStr('features vector, cluster long'));
    const params = { vectorCol: 'features', k: 8, maxIter: 5 };
    const trained = await run(gmmTrain, params, [tableValue(cycling)]);
    const sample = await trainingViewData('training-sample', contextFor(params, tableValue(cycling), trained.outputs[0], 40));
    const shown = new Set(sample.points.map((p) => Math.round(p[0] / 10)));
    expect(shown.size).toBeGreaterThanOrEqual(6);
  });

  it('an unknown provider name is a ComponentError naming the one it has', async () => {
    const table = blobsTable({ rows: 30 });
    const trained = await run(gmmTrain, { vectorCol: 'features', k: 2 }, [tableValue(table)]);
    await expect(trainingViewData('histogram', contextFor({ vectorCol: 'features', k: 2 }, tableValue(table), trained.outputs[0], 10))).rejects.toThrow(
      'GMM Training has no view data "histogram"; it provides training-sample',
    );
  });
});
