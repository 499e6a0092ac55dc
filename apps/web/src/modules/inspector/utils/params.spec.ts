import { gmmTrain, readDataset } from '../../../test/fixtures';
import type { TableSchema } from '../../../types/contracts';
import { defaultParams, isParameterVisible, mergeErrors, parametersOfTab, validateParams } from './params';

const schema: TableSchema = { columns: [{ name: 'features', type: 'vector', vectorSize: 2 }, { name: 'x', type: 'double' }] };

describe('parameter validation from the description', () => {
  it('starts from the declared defaults', () => {
    expect(defaultParams(gmmTrain)).toMatchObject({ k: 2, epsilon: 1e-4, init: 'kmeans', numWorkers: 1, memoryPerWorkerMb: 4096 });
  });

  it('flags numbers out of range, non-integers and text, naming the parameter, the bound and the value', () => {
    expect(validateParams(gmmTrain, { k: 0 })).toEqual([{ parameter: 'k', message: 'k must be at least 1, got 0' }]);
    expect(validateParams(gmmTrain, { k: 2.5 })).toEqual([{ parameter: 'k', message: 'k must be an integer, got 2.5' }]);
    expect(validateParams(gmmTrain, { k: '3x' })).toEqual([{ parameter: 'k', message: 'k must be an integer, got "3x"' }]);
    expect(validateParams(gmmTrain, { memoryPerWorkerMb: 512 })).toEqual([
      { parameter: 'memoryPerWorkerMb', message: 'Memory per worker (MB) must be at least 1024, got 512' },
    ]);
    expect(validateParams(gmmTrain, { k: 3 })).toEqual([]);
  });

  it('requires required parameters and checks columns against the upstream schema', () => {
    expect(validateParams(readDataset, {})).toEqual([{ parameter: 'datasetId', message: 'Dataset is required' }]);
    expect(validateParams(gmmTrain, { vectorCol: 'nope' }, [schema])[0].message).toBe('Column “nope” is not in the input: choose another vector column (the input has features, x).');
    expect(validateParams(gmmTrain, { vectorCol: 'x' }, [schema])[0].message).toBe('Column “x” is double; Vector column needs vector or string.');
    expect(validateParams(gmmTrain, { vectorCol: 'features' }, [schema])).toEqual([]);
    // unknown upstream: no guess
    expect(validateParams(gmmTrain, { vectorCol: 'nope' })).toEqual([]);
  });

  it('skips parameters hidden by showIf', () => {
    const samplings = gmmTrain.parameters.find((p) => p.name === 'samplings')!;
    expect(isParameterVisible(samplings, { init: 'kmeans' })).toBe(false);
    expect(validateParams(gmmTrain, { init: 'kmeans', samplings: 0 })).toEqual([]);
    expect(validateParams(gmmTrain, { init: 'refined', samplings: 0 })).toEqual([{ parameter: 'samplings', message: 'Samplings must be at least 1, got 0' }]);
    expect(parametersOfTab(gmmTrain, 'parameter', { init: 'refined' }).map((g) => [g.group, g.parameters.map((p) => p.name)])).toEqual([
      [undefined, ['k', 'epsilon']],
      ['advanced', ['init', 'samplings']],
    ]);
  });

  it('mergeErrors prefers the client message for a parameter it flags and keeps the server’s others', () => {
    const merged = mergeErrors(
      [{ parameter: 'k', message: 'k must be at least 1.' }],
      [{ parameter: 'k', message: 'k: must be >= 1' }, { parameter: 'vectorCol', message: 'set vectorCol or featureCols' }, { message: 'input 0 is not connected' }],
    );
    expect(merged.map((e) => e.message)).toEqual(['k must be at least 1.', 'set vectorCol or featureCols', 'input 0 is not connected']);
  });
});
