import { DeploymentCounters } from './deployment-counters';
import { inputMismatch } from './model-inputs';

describe('DeploymentCounters', () => {
  it('counts rows, requests and errors, and gives nearest-rank p50/p99 over the last 1,000 latencies', () => {
    const c = new DeploymentCounters();
    expect(c.toJSON()).toMatchObject({ rows: 0, requests: 0, errors: 0, p50Ms: null, p99Ms: null });
    for (let ms = 1; ms <= 100; ms++) c.record(10, ms === 50 ? 2 : 0, ms);
    c.failed(1000);
    expect(c.toJSON()).toMatchObject({ rows: 1000, requests: 101, errors: 3, p50Ms: 51, p99Ms: 100 });
    for (let i = 0; i < 1000; i++) c.record(1, 0, 5); // the window forgets the first requests
    expect(c.toJSON()).toMatchObject({ p50Ms: 5, p99Ms: 5, requests: 1101 });
  });
});

describe('inputMismatch (what a swap must keep)', () => {
  const gmm = { type: 'model' as const, modelType: 'gmm', dims: 10, k: 8, vectorCol: 'features' };
  it('accepts another k, names a different type, dimension or features', () => {
    expect(inputMismatch(gmm, { ...gmm, k: 3 })).toBeUndefined();
    expect(inputMismatch(gmm, { ...gmm, modelType: 'kmeans' })).toEqual({ what: 'model type', current: 'gmm', next: 'kmeans' });
    expect(inputMismatch(gmm, { ...gmm, dims: 3 })).toEqual({ what: 'dimensions', current: '10', next: '3' });
    expect(inputMismatch(gmm, { ...gmm, vectorCol: 'v' })).toEqual({ what: 'features', current: 'vector column "features"', next: 'vector column "v"' });
    const cols = { type: 'model' as const, modelType: 'gmm', dims: 2, featureCols: ['a', 'b'] };
    expect(inputMismatch(cols, { ...cols, featureCols: ['b', 'a'] })?.what).toBe('features');
  });
});
