/**
 * The Models page (issue 15): deployments with their counters, a swap through the model select, and deploying a
 * model under a new name. Screenshots: artifacts/e2e-web/deployments-*.png.
 */
import { fitGmm, makeDataMatrix } from '@mixflow/gmm';
import { eventually, postJson, startSession, type BrowserSession } from './harness';

jest.setTimeout(180_000);

let s: BrowserSession;
beforeAll(async () => {
  s = await startSession('deployments');
});
afterAll(async () => {
  await s?.close();
});

const byTestId = (id: string) => s.page.getByTestId(id);

/** a 10-dimension GMM with k components fitted on rows around k centres */
function modelFile(k: number, seed: number): Record<string, unknown> {
  const n = 2000;
  const x = new Float64Array(n * 10);
  for (let i = 0; i < n; i++) for (let j = 0; j < 10; j++) x[i * 10 + j] = (i % k) * 4 + Math.sin(i * 7 + j * 13 + seed);
  return { ...fitGmm(makeDataMatrix(x, n, 10), { k, maxIter: 10, randomSeed: seed }).toJSON(), vectorCol: 'features' };
}

test('the Models page shows each deployment with its counters, swaps its model and deploys another', async () => {
  const a = await postJson<{ id: string }>(s.base, '/api/models/import', modelFile(8, 1));
  const b = await postJson<{ id: string }>(s.base, '/api/models/import', modelFile(4, 2));
  await postJson(s.base, '/api/deployments', { name: 'clusters', modelId: a.id });
  const rows = Array.from({ length: 100 }, (_, i) => ({ features: Array.from({ length: 10 }, (_, j) => (i % 8) * 4 + j / 10).join(' ') }));
  for (let r = 0; r < 3; r++) await postJson(s.base, '/api/deployments/clusters/predict', { rows });

  // 1. the page lists the deployment with 300 rows in 3 requests and its latencies
  await s.page.goto(`${s.base}/#/models`);
  await byTestId('models-page').waitFor();
  const row = byTestId('deployment-clusters');
  await eventually(async () => expect(await row.locator('td').nth(2).textContent()).toBe('300'));
  expect(await row.locator('td').nth(3).textContent()).toBe('3');
  expect(await row.locator('td').nth(4).textContent()).toBe('0');
  expect(await row.locator('td').nth(5).textContent()).toMatch(/ms$/);
  await s.shot('deployment-counters');

  // 2. more requests show up on the next refresh, without reloading
  for (let r = 0; r < 2; r++) await postJson(s.base, '/api/deployments/clusters/predict', { rows });
  await eventually(async () => expect(await row.locator('td').nth(2).textContent()).toBe('500'), 10_000);

  // 3. choosing the other model swaps it: the server serves it from now on
  await row.getByLabel('model of clusters').selectOption(b.id);
  await eventually(async () => {
    const d = (await (await fetch(`${s.base}/api/deployments/clusters`)).json()) as { modelId: string };
    expect(d.modelId).toBe(b.id);
  });
  const served = await postJson<{ rows: { modelId: string }[] }>(s.base, '/api/deployments/clusters/predict', { rows: rows.slice(0, 1) });
  expect(served.rows[0].modelId).toBe(b.id);
  await s.shot('swapped-model');

  // 4. deploy model A under another name from the form
  await byTestId('deploy-form').getByLabel('deployment name').fill('first-model');
  await byTestId('deploy-form').getByLabel('model to deploy').selectOption(a.id);
  await byTestId('deploy-form').getByRole('button', { name: 'Deploy' }).click();
  await byTestId('deployment-first-model').waitFor();
  expect(await byTestId('deployment-first-model').getByLabel('model of first-model').inputValue()).toBe(a.id);
  await s.shot('second-deployment');
});
