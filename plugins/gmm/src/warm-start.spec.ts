import { fitGmm } from '@mixflow/gmm';
import { extractFeatures } from '@mixflow/table';
import { blobsTable, modelOf, modelValue, run, tableValue } from './__fixtures__/harness';
import { gmmTrain } from './index';

const data = blobsTable();
const base = { vectorCol: 'features', k: 3, maxIter: 3 };

describe('GMM Training: warm start from the optional model input', () => {
  it('declares the model port optional', () => {
    expect(gmmTrain.description.inputs[1]).toMatchObject({ name: 'initialModel', type: 'model', optional: true });
  });

  it('connected, training starts from that model: the same model as the engine warm-started from it', async () => {
    const first = modelOf(await run(gmmTrain, base, [tableValue(data)]));
    const resumed = modelOf(await run(gmmTrain, base, [tableValue(data), modelValue(first)]));
    const X = extractFeatures(data, { vectorCol: 'features' });
    const direct = fitGmm(X, { k: 3, maxIter: 3, initialModel: first }).toJSON();
    expect(resumed.training!.init).toBe('model');
    expect([resumed.weights, resumed.means, resumed.covariances]).toEqual([direct.weights, direct.means, direct.covariances]);
  });

  it('a model that does not fit is an error naming the node and the mismatch; configure says it before running', async () => {
    const first = modelOf(await run(gmmTrain, base, [tableValue(data)]));
    await expect(run(gmmTrain, { ...base, k: 2 }, [tableValue(data), modelValue(first)])).rejects.toMatchObject({
      message: 'the initial model has 3 clusters but Number of clusters is 2; set Number of clusters to 3 or connect a model with 2 clusters',
      details: { nodeId: 'node-1', port: 1 },
    });
    await expect(run(gmmTrain, { ...base, covarianceType: 'diag' }, [tableValue(data), modelValue(first)])).rejects.toThrow(/covariance type is full but Covariance type is diag; set Covariance type to full/);
    await expect(run(gmmTrain, { ...base, trials: 2 }, [tableValue(data), modelValue(first)])).rejects.toThrow(/Trials does not apply with an initial model/);
    const configured = gmmTrain.configure({ ...base, k: 2 }, [
      { type: 'table', schema: data.schema },
      { type: 'model', modelType: 'gmm', k: 3, dims: 2 },
    ]);
    expect(configured.errors).toContainEqual({ port: 1, message: 'the initial model has 3 clusters but Number of clusters is 2; set Number of clusters to 3 or connect a model with 2 clusters' });
  });
});
