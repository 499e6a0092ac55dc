import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelPayload } from '@mixflow/component-sdk';
import { PredictionPool } from './prediction-pool';

const payload = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'gmm-4d-k3.json'), 'utf8')) as ModelPayload;

describe('PredictionPool', () => {
  let pool: PredictionPool;
  afterEach(() => pool.stop());

  it('starts every thread at its first use, so a stream\'s next batch does not wait for a thread to load the plugins', async () => {
    pool = new PredictionPool(2);
    expect(pool.started).toBe(0);
    const answer = await pool.call(pool.pick(), { type: 'prepare', model: { key: 'm', payload }, params: { predictionCol: 'c' }, header: ['features'] });
    expect(answer.columns).toEqual(['features', 'c', 'error']);
    expect(pool.started).toBe(2);
    // the other thread answers too (it was sent the payload with its first request)
    const other = await pool.call(1, { type: 'prepare', model: { key: 'm', payload }, params: { predictionCol: 'c' }, header: ['features'] });
    expect(other.columns).toEqual(answer.columns);
  });
});
