/**
 * The console for a day of real work (issue 18): messages in labels on a table without a vector column, the
 * resource card's numbers, a wrong port turning red while dragging, deleting a dataset through an in-app dialog
 * that names the experiments using it, and the deleted dataset shown by its last name. Screenshots:
 * artifacts/e2e-web/everyday-*.png.
 */
import { dragOver, eventually, postJson, startSession, uploadCsv, type BrowserSession } from './harness';

jest.setTimeout(180_000);

let s: BrowserSession;
beforeAll(async () => {
  s = await startSession('everyday');
});
afterAll(async () => {
  await s?.close();
});

const byTestId = (id: string) => s.page.getByTestId(id);
const classOf = async (id: string) => (await byTestId(id).getAttribute('class')) ?? '';

test('a numeric table, the resource card, a wrong port, and deleting the dataset an experiment reads', async () => {
  const rows = Array.from({ length: 1500 }, (_, i) => `${(i % 7) + Math.sin(i)},${(i % 3) * 2 + Math.cos(i)}`);
  const datasetId = await uploadCsv(s.base, `x,y\n${rows.join('\n')}\n`, 'numbers.csv', 'Numbers only');
  const experiment = await postJson<{ id: string }>(s.base, '/api/experiments', {
    name: 'Uses numbers',
    graph: {
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 100, y: 40 }, params: { datasetId } },
        { id: 'train', componentId: 'gmm-train', position: { x: 100, y: 200 }, params: { k: 2 } },
      ],
      edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
    },
  });

  // 1. open the experiment; GMM Training on a table with no vector column: the error sits on Feature columns
  await s.page.goto(s.base);
  await byTestId('console').waitFor();
  await byTestId('side-experiments').click();
  await byTestId(`experiment-${experiment.id}`).getByText('Uses numbers').click();
  await byTestId('node-train').waitFor();
  await byTestId('node-train').click();
  await byTestId('field-vectorCol').waitFor();
  await eventually(async () => expect(await classOf('field-featureCols')).toContain('is-invalid'));
  expect(await classOf('field-vectorCol')).not.toContain('is-invalid');
  expect(await byTestId('param-error-featureCols').textContent()).toBe('tick the numeric columns to use as Feature columns (the input has no vector column)');
  expect(await byTestId('inspector').textContent()).not.toMatch(/vectorCol|featureCols/);
  await s.shot('no-vector-column-feature-columns-asked');

  // 2. tick both columns: no error left; the resource card formats rows and rounds MB as its formula does
  for (const column of ['x', 'y']) await byTestId('param-featureCols').locator('label', { hasText: new RegExp(`^${column}`) }).locator('input').check();
  await eventually(async () => expect(await classOf('field-featureCols')).not.toContain('is-invalid'));
  await byTestId('tab-execution').click();
  await eventually(async () => expect(await byTestId('estimate-data-aware-detail').textContent()).toContain('1,500 rows per worker'));
  const formula = (await byTestId('estimate-formula').textContent()) ?? '';
  const note = (await byTestId('estimate-card').locator('.estimate-note', { hasText: 'formula' }).textContent()) ?? '';
  const formulaMb = /= ([\d.,]+) MB/.exec(formula)?.[1];
  expect(formulaMb).toBeDefined();
  expect(note).toContain(`formula ${formulaMb} MB`);
  await s.shot('resource-card-formatted');

  // 3. dragging the table output onto the initial-model input: the line and the port turn red before the drop
  await dragOver(s.page, byTestId('handle-read-out-0'), byTestId('handle-train-in-1'));
  await eventually(async () => expect(await s.page.locator('.react-flow__connection.invalid').count()).toBe(1), 5_000);
  const stroke = await s.page.locator('.react-flow__connection.invalid .react-flow__connection-path').evaluate((el) => getComputedStyle(el).stroke);
  expect(stroke).toBe('rgb(220, 38, 38)');
  await s.shot('wrong-port-red-while-dragging');
  await s.page.mouse.up();
  expect(await s.page.locator('.react-flow__edge').count()).toBe(1);

  // 4. deleting the dataset: an in-app dialog names the experiment that reads it (no window.confirm)
  let nativeDialogs = 0;
  s.page.on('dialog', (d) => {
    if (d.type() === 'beforeunload') return void d.accept(); // leaving the page later, not a question of ours
    nativeDialogs += 1;
    void d.dismiss();
  });
  await byTestId('nav-datasets').click();
  await byTestId(`dataset-${datasetId}`).click();
  await byTestId('dataset-delete').click();
  await byTestId('dataset-delete-dialog').waitFor();
  expect(await byTestId('dataset-delete-dialog').textContent()).toContain('Delete dataset “Numbers only”?');
  expect(await byTestId('dataset-delete-used-by').locator('li').allTextContents()).toEqual(['Uses numbers']);
  await s.shot('delete-dataset-dialog-names-experiment');
  await byTestId('dataset-delete-cancel').click();
  expect(await byTestId('dataset-delete-dialog').count()).toBe(0);
  expect(await byTestId(`dataset-${datasetId}`).count()).toBe(1);
  await byTestId('dataset-delete').click();
  await byTestId('dataset-delete-confirm').click();
  await eventually(async () => expect(await byTestId(`dataset-${datasetId}`).count()).toBe(0));
  expect(nativeDialogs).toBe(0);

  // 5. the Read Dataset node shows the deleted dataset by its last name, not its UUID
  await byTestId('nav-designer').click();
  await byTestId('node-read').click();
  await eventually(async () => expect(await byTestId('param-datasetId').locator('option:checked').textContent()).toBe('Numbers only (deleted)'));
  // the server keeps the name too: its message says which dataset it was
  await eventually(async () => expect(await byTestId('param-error-datasetId').textContent()).toContain('dataset "Numbers only" (deleted) no longer exists'));
  expect(await byTestId('inspector').textContent()).not.toContain(datasetId);
  await s.shot('deleted-dataset-by-name');

  // a browser that never saw the dataset (no names kept in it) gets the name from the server
  await s.page.evaluate(() => localStorage.clear());
  await s.page.reload();
  await byTestId('console').waitFor();
  await byTestId('side-experiments').click();
  await byTestId(`experiment-${experiment.id}`).getByText('Uses numbers').click();
  await byTestId('node-read').click();
  await eventually(async () => expect(await byTestId('param-datasetId').locator('option:checked').textContent()).toBe('Numbers only (deleted)'));
  await s.shot('deleted-dataset-name-from-server');
});

test('auto-layout of the seeded three-blobs experiment: the edges leave from the ports and pass beside the nodes', async () => {
  await s.page.goto(s.base);
  await byTestId('console').waitFor();
  await byTestId('side-experiments').click();
  await s.page.locator('.experiment-item', { hasText: 'GMM on three blobs' }).getByText('GMM on three blobs').click();
  await byTestId('node-predict').waitFor();
  await byTestId('auto-layout').click();
  await s.page.waitForTimeout(600); // layout, then fit view
  // every edge's drawn path, sampled, stays out of the boxes of the nodes it does not connect
  const hits = await s.page.evaluate(() => {
    const boxes = new Map([...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => [n.dataset.id!, n.getBoundingClientRect()]));
    const found: string[] = [];
    for (const edge of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
      const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path')!;
      const id = edge.getAttribute('data-id') ?? edge.id;
      const m = path.getScreenCTM()!;
      const length = path.getTotalLength();
      for (let i = 1; i < 100; i++) {
        const p = path.getPointAtLength((length * i) / 100).matrixTransform(m);
        for (const [nodeId, r] of boxes) {
          if (id.includes(nodeId)) continue; // its own ends
          if (p.x > r.left + 2 && p.x < r.right - 2 && p.y > r.top + 2 && p.y < r.bottom - 2) found.push(`${id} behind ${nodeId}`);
        }
      }
    }
    return [...new Set(found)];
  });
  expect(hits).toEqual([]);
  expect(await s.page.locator('.react-flow__edge').count()).toBe(3);
  await s.shot('auto-layout-edges-beside-nodes');
});
