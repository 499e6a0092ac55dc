import { ComponentRegistry, resolveParams, type PortValue, type ViewDataContext } from '@mixflow/component-sdk';
import { GaussianMixture } from '@mixflow/gmm';
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

  it('the training sample takes evenly spaced rows and labels them with the trained model', async () => {
    const table = blobsTable({ rows: 120 });
    const params = { vectorCol: 'features', k: 3 };
    const trained = await run(gmmTrain, params, [tableValue(table)]);
    const model = modelOf(trained);
    const sample = await trainingViewData('training-sample', contextFor(params, tableValue(table), trained.outputs[0], 40));
    expect(sample.dims).toBe(2);
    expect(sample.points).toHaveLength(40);
    const x = table.columns[1] as Float64Array;
    const y = table.columns[2] as Float64Array;
    // row i·120/40 = 3i of the input
    sample.points.forEach((p, i) => expect(p).toEqual([x[3 * i], y[3 * i]]));
    const expected = GaussianMixture.fromJSON(model).predict({ data: Float64Array.from(sample.points.flat()), rows: 40, cols: 2 });
    expect(sample.labels).toEqual(Array.from(expected));
  });

  it('an unknown provider name is a ComponentError naming the one it has', async () => {
    const table = blobsTable({ rows: 30 });
    const trained = await run(gmmTrain, { vectorCol: 'features', k: 2 }, [tableValue(table)]);
    await expect(trainingViewData('histogram', contextFor({ vectorCol: 'features', k: 2 }, tableValue(table), trained.outputs[0], 10))).rejects.toThrow(
      'GMM Training has no view data "histogram"; it provides training-sample',
    );
  });
});
