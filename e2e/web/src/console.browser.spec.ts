/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a real API server with a
 * fresh SQLite file: build an experiment by drag and drop, configure it in the three tabs, run it, and look at
 * the results. Every step leaves a screenshot in artifacts/e2e-web/.
 *
 * Needs `npm run build` (apps/api/dist and apps/web/dist); `npm run test:web` does that first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort } from '@mixflow/testing';
import { eventually } from './harness';

const root = path.resolve(__dirname, '..', '..', '..');
const shots = path.join(root, 'artifacts', 'e2e-web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

jest.setTimeout(240_000);

let server: ChildProcess | undefined;
let serverLog = '';
let context: BrowserContext | undefined;
let page: Page;
let base = '';
let tmp = '';

async function waitForHealth(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`the API server exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API server did not answer /api/health within ${ms} ms:\n${serverLog}`);
}

let step = 0;
async function shot(name: string): Promise<void> {
  step += 1;
  await page.waitForTimeout(150); // let transitions settle so the picture shows the final state
  await page.screenshot({ path: path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** Drags from the centre of one element to the centre of another with real mouse events (React Flow's edges). */
async function mouseDrag(from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag endpoints are not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(a.x + a.width / 2 + ((b.x + b.width / 2 - (a.x + a.width / 2)) * i) / steps, a.y + a.height / 2 + ((b.y + b.height / 2 - (a.y + a.height / 2)) * i) / steps);
  }
  await page.mouse.up();
}

const byTestId = (id: string) => page.getByTestId(id);
/** what Chromium reported as blocked by the server's Content-Security-Policy, over the whole session */
const cspViolations: string[] = [];

beforeAll(async () => {
  for (const f of ['apps/api/dist/main.js', 'apps/web/dist/index.html']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first (npm run test:web does).`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  fs.mkdirSync(shots, { recursive: true });
  // only this spec's own pictures (NN-name.png, zz-final-state.png): the other specs' are prefixed and stay
  for (const f of fs.readdirSync(shots)) if (/^(\d\d|zz)-.*\.png$/.test(f)) fs.rmSync(path.join(shots, f));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-e2e-web-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(root, 'apps/api/dist/main.js')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MIXFLOW_DB: path.join(tmp, 'mixflow.sqlite'), MIXFLOW_DATA: path.join(tmp, 'data'), MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => (serverLog += d));
  server.stderr?.on('data', (d) => (serverLog += d));
  await waitForHealth(base, 60_000);

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
  });
});

afterAll(async () => {
  // the last state of the page, whatever happened: the first thing to look at when a step fails
  if (page) await page.screenshot({ path: path.join(shots, 'zz-final-state.png') }).catch(() => undefined);
  await context?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('build, configure and run a GMM experiment in the console, then see its results', async () => {
  // 1. the console opens on the sample experiment the API seeds
  await page.goto(base);
  await byTestId('console').waitFor();
  await page.locator('.flow-node').first().waitFor();
  expect(await page.locator('.flow-node').count()).toBe(3);
  expect(await byTestId('experiment-name').inputValue()).toBe('GMM on three blobs');
  await shot('console-opens-on-sample');

  // 2. a new, empty experiment
  await byTestId('side-experiments').click();
  await byTestId('experiment-new').click();
  await byTestId('experiment-new-name').fill('Browser test: three blobs');
  await byTestId('experiment-create').click();
  await byTestId('canvas-empty').waitFor();
  expect(await byTestId('experiment-name').inputValue()).toBe('Browser test: three blobs');
  await byTestId('side-components').click();
  await byTestId('palette-search').fill('gmm');
  expect(await page.locator('[data-testid^="palette-item-"]').count()).toBeGreaterThanOrEqual(2);
  expect(await byTestId('palette-item-read-dataset').count()).toBe(0);
  await byTestId('palette-search').fill('');
  await shot('new-experiment-and-palette');

  // 3. drag three components from the palette onto the canvas (HTML5 drag and drop → screenToFlowPosition)
  const canvas = byTestId('canvas');
  const box = (await canvas.boundingBox())!;
  await byTestId('palette-item-read-dataset').dragTo(canvas, { targetPosition: { x: box.width * 0.3, y: 90 } });
  await byTestId('node-read-dataset-1').waitFor();
  await byTestId('palette-item-gmm-train').dragTo(canvas, { targetPosition: { x: box.width * 0.3, y: 260 } });
  await byTestId('node-gmm-train-1').waitFor();
  await byTestId('palette-item-gmm-predict').dragTo(canvas, { targetPosition: { x: box.width * 0.55, y: 420 } });
  await byTestId('node-gmm-predict-1').waitFor();
  expect(await page.locator('.flow-node').count()).toBe(3);
  // dropped where the pointer was: the training node sits below the reader
  const readBox = (await byTestId('node-read-dataset-1').boundingBox())!;
  const trainBox = (await byTestId('node-gmm-train-1').boundingBox())!;
  expect(trainBox.y).toBeGreaterThan(readBox.y + 100);
  await shot('three-components-dropped');

  // 4. Read Dataset: pick the sample dataset in Field Setting
  await byTestId('node-read-dataset-1').click();
  await byTestId('inspector').waitFor();
  await byTestId('param-datasetId').selectOption('sample-three-blobs');

  // 5. a table output cannot feed the model input: refused with a hint
  await mouseDrag(byTestId('handle-read-dataset-1-out-0'), byTestId('handle-gmm-predict-1-in-0'));
  const hint = byTestId('toast-warning');
  await hint.waitFor();
  expect(await hint.textContent()).toMatch(/table port only connects to a table port/);
  expect(await page.locator('.react-flow__edge').count()).toBe(0);
  await shot('wrong-connection-refused');

  // 6. connect read → train, train (model) → predict (model), read → predict (data)
  await mouseDrag(byTestId('handle-read-dataset-1-out-0'), byTestId('handle-gmm-train-1-in-0'));
  await mouseDrag(byTestId('handle-gmm-train-1-out-0'), byTestId('handle-gmm-predict-1-in-0'));
  await mouseDrag(byTestId('handle-read-dataset-1-out-0'), byTestId('handle-gmm-predict-1-in-1'));
  await eventually(async () => expect(await page.locator('.react-flow__edge').count()).toBe(3));
  await shot('connected');

  // 7. GMM Training: the vector column comes from the upstream schema; k in Parameter Setting
  await byTestId('node-gmm-train-1').click();
  await eventually(async () => expect((await byTestId('param-vectorCol').locator('option').allTextContents()).join('|')).toContain('features'));
  await byTestId('param-vectorCol').selectOption('features');
  await byTestId('tab-parameter').click();
  await byTestId('param-k').fill('0');
  await eventually(async () => expect(await byTestId('param-error-k').textContent()).toMatch(/at least 1/));
  await byTestId('node-warning-gmm-train-1').waitFor();
  await shot('inline-validation');
  await byTestId('param-k').fill('3');
  await byTestId('param-error-k').waitFor({ state: 'detached' });
  await byTestId('node-warning-gmm-train-1').waitFor({ state: 'detached' });
  await shot('parameter-setting-k-3');

  // 8. Execution Tuning: PAI's formula with M = 2 dims and K = 3 filled in, and the recommendation
  await byTestId('tab-execution').click();
  await eventually(async () => expect(await byTestId('estimate-formula').textContent()).toMatch(/2 × 2 × 3 × 8 × 2 × 12/), 30_000);
  expect(Number((await byTestId('estimate-workers').textContent())!.trim())).toBeGreaterThanOrEqual(1);
  expect(await byTestId('estimate-memory').textContent()).toMatch(/1,024 MB/);
  await byTestId('estimate-apply').click();
  await eventually(async () => expect(await byTestId('param-memoryPerWorkerMb').inputValue()).toBe('1024'));
  expect(await byTestId('estimate-apply').textContent()).toMatch(/applied/);
  await shot('execution-tuning-recommendation');

  // 9. GMM Prediction: output columns
  await byTestId('node-gmm-predict-1').click();
  await byTestId('tab-parameter').click();
  await byTestId('param-predictionCol').fill('cluster');
  await byTestId('param-predictionDetailCol').fill('probabilities');
  await eventually(async () => expect(await page.locator('[data-testid^="node-warning-"]').count()).toBe(0));

  // 10. run: every node succeeds (statuses live from the server-sent events)
  await byTestId('run').click();
  for (const id of ['read-dataset-1', 'gmm-train-1', 'gmm-predict-1']) {
    await eventually(async () => expect(await byTestId(`node-${id}`).getAttribute('data-status')).toBe('succeeded'), 120_000);
  }
  await eventually(async () => expect(await byTestId('run-state').getAttribute('data-status')).toBe('succeeded'));
  expect(await byTestId('save-state').textContent()).toMatch(/Saved/);
  await shot('run-succeeded');

  // 11. GMM Training results: scatter plot with one ellipse per cluster, log-likelihood, the model
  await byTestId('node-gmm-train-1').click();
  await byTestId('dock-results').click();
  await byTestId('dock-maximise').click();
  await byTestId('results-view-scatter').click();
  await byTestId('ellipse-layer').waitFor({ timeout: 20_000 });
  expect(await page.locator('[data-testid="ellipse-layer"] > g').count()).toBe(3);
  expect(Number(await byTestId('scatter-plot').getAttribute('data-points'))).toBeGreaterThan(100);
  expect(await page.locator('.scatter .recharts-symbols').count()).toBeGreaterThan(100);
  await shot('training-scatter-plot');
  await byTestId('results-view-log-likelihood').click();
  await byTestId('ll-chart').waitFor();
  expect(Number(await byTestId('ll-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
  await shot('training-log-likelihood');
  await byTestId('results-view-model').click();
  await byTestId('model-view').waitFor();
  expect(await page.locator('[data-testid^="model-component-"]').count()).toBe(3);
  await shot('training-model');

  // 12. GMM Prediction results: a paged table with the prediction and detail columns
  await byTestId('dock-maximise').click(); // back to the normal dock so the whole graph is in view
  await byTestId('fit-view').click();
  await page.waitForTimeout(300);
  await byTestId('node-gmm-predict-1').click();
  await byTestId('results-view-predictions').click();
  await byTestId('output-table').waitFor();
  const headers = (await byTestId('output-table').locator('th').allTextContents()).join(' ');
  expect(headers).toContain('cluster');
  expect(headers).toContain('probabilities');
  expect(await byTestId('output-table-range').textContent()).toMatch(/^Rows 1–50 of /);
  await byTestId('output-table-next').click();
  await eventually(async () => expect(await byTestId('output-table-range').textContent()).toMatch(/^Rows 51–100 of /));
  // the table view's Download button fetches the whole output as CSV
  const href = (await byTestId('download-output').getAttribute('href'))!;
  expect(href).toMatch(/\/nodes\/gmm-predict-1\/outputs\/0\/download\?format=csv/);
  const downloaded = await page.request.get(new URL(href, page.url()).toString());
  expect(downloaded.status()).toBe(200);
  expect((await downloaded.text()).split('\n')[0]).toContain('cluster');
  await shot('prediction-table');

  // 13. logs and run history
  await byTestId('dock-logs').click();
  await eventually(async () => expect(await page.locator('.log-line').count()).toBeGreaterThan(0));
  // every node's start and end, each EM iteration with its change, the convergence with its time
  const logText = (await byTestId('logs-lines').textContent())!;
  expect(logText).toMatch(/Read Dataset started/);
  expect(logText).toMatch(/GMM Training finished in \d+\.\d\d s/);
  expect(logText).toMatch(/iteration 2: mean log-likelihood -?[\d.]+ \(change [+−]/);
  expect(logText).toMatch(/converged after \d+ iterations: mean log-likelihood/);
  expect(logText).toMatch(/GMM Prediction finished in/);
  await shot('run-logs');
  await byTestId('logs-node').selectOption('gmm-train-1');
  await eventually(async () => expect(new Set(await page.locator('.log-line .log-node').allTextContents())).toEqual(new Set(['GMM Training'])));
  await byTestId('logs-level').selectOption('warn');
  expect(await page.locator('.log-line[data-level="info"]').count()).toBe(0);
  await byTestId('logs-level').selectOption('info');
  await byTestId('logs-node').selectOption('');
  expect(await byTestId('logs-count').textContent()).toMatch(/^\d+ lines$/);
  await shot('run-logs-filtered');
  await byTestId('dock-history').click();
  expect(await page.locator('[data-testid^="run-row-"]').count()).toBe(1);
  await shot('run-history');
});

test('a CSV uploads with a progress bar and shows its schema and preview', async () => {
  const csv = path.join(tmp, 'points.csv');
  const lines = ['features,weight,name'];
  for (let i = 0; i < 120; i++) lines.push(`"${(i % 7) * 0.5} ${(i % 5) * 1.5}",${i / 10},row${i}`);
  fs.writeFileSync(csv, lines.join('\n') + '\n');
  await byTestId('nav-datasets').click();
  await byTestId('datasets-page').waitFor();
  await byTestId('dataset-name').fill('Uploaded points');
  await byTestId('dataset-file').setInputFiles(csv);
  await eventually(async () => expect(await byTestId('upload-status').getAttribute('data-phase')).toBe('done'));
  expect(await byTestId('upload-progress').getAttribute('aria-valuenow')).toBe('100');
  await eventually(async () => expect(await byTestId('dataset-schema').textContent()).toContain('features'));
  expect(await byTestId('dataset-schema').textContent()).toMatch(/weight\s*double/);
  await eventually(async () => expect(await byTestId('dataset-preview-range').textContent()).toMatch(/of 120$/));
  expect(await byTestId('dataset-list').textContent()).toContain('Uploaded points');
  await shot('dataset-uploaded');
});

test('editing: copy/paste, undo/redo, delete key, auto-layout; a draft survives a reload and Ctrl+S saves it', async () => {
  await byTestId('nav-designer').click();
  await byTestId('node-gmm-train-1').waitFor();
  expect(await byTestId('experiment-name').inputValue()).toBe('Browser test: three blobs');
  const count = () => page.locator('.flow-node').count();
  expect(await count()).toBe(3);

  await byTestId('node-gmm-train-1').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await byTestId('node-gmm-train-2').waitFor();
  expect(await count()).toBe(4);
  await page.keyboard.press('Control+z');
  await eventually(async () => expect(await count()).toBe(3));
  await page.keyboard.press('Control+Shift+z');
  await eventually(async () => expect(await count()).toBe(4));
  // the pasted node is selected: the Delete key removes it, undo brings it back
  await byTestId('node-gmm-train-2').click();
  await page.keyboard.press('Delete');
  await eventually(async () => expect(await count()).toBe(3));
  await byTestId('undo').click();
  await eventually(async () => expect(await count()).toBe(4));

  await byTestId('auto-layout').click();
  await eventually(async () => {
    const read = (await byTestId('node-read-dataset-1').boundingBox())!;
    const predict = (await byTestId('node-gmm-predict-1').boundingBox())!;
    expect(predict.y).toBeGreaterThan(read.y + 100);
  });
  expect(await byTestId('save-state').textContent()).toMatch(/Unsaved changes/);
  await page.waitForTimeout(900); // the draft is written 600 ms after the last change
  await shot('edited-and-auto-laid-out');

  await page.reload();
  await byTestId('node-gmm-train-2').waitFor();
  expect(await count()).toBe(4);
  await byTestId('toast-info').waitFor();
  expect(await byTestId('toast-info').textContent()).toMatch(/Restored your unsaved changes/);
  await shot('draft-restored-after-reload');
  await page.keyboard.press('Control+s');
  await eventually(async () => expect(await byTestId('save-state').textContent()).toMatch(/^Saved · v\d+$/));
  await page.reload();
  await byTestId('node-gmm-train-2').waitFor();
  expect(await page.locator('[data-testid="toast-info"]').count()).toBe(0);
  expect(await byTestId('save-state').textContent()).toMatch(/^Saved/);
});

test('run from one node, then duplicate, rename and delete experiments from the list', async () => {
  // only GMM Prediction runs again; the upstream results come from the previous run
  await byTestId('node-gmm-predict-1').click();
  await byTestId('run-from-selected').click();
  // a started run brings the results back to the front: open the history once the run is in it
  await eventually(async () => expect(await byTestId('dock-history').textContent()).toMatch(/\(2\)/), 60_000);
  await byTestId('dock-history').click();
  await eventually(async () => expect(await page.locator('[data-testid^="run-row-"]').count()).toBe(2), 60_000);
  await eventually(async () => expect(await byTestId('run-state').getAttribute('data-status')).toBe('succeeded'), 120_000);
  expect(await byTestId('node-gmm-predict-1').getAttribute('data-status')).toBe('succeeded');
  await shot('run-from-node-history');
  // the training node was not part of that run: its results come from the run that produced them
  await byTestId('node-gmm-train-1').click();
  await byTestId('dock-results').click();
  await byTestId('results-view-model').click();
  await byTestId('model-view').waitFor();
  expect(await byTestId('results-from-earlier-run').textContent()).toMatch(/earlier run/);

  await byTestId('side-experiments').click();
  const items = () => page.locator('[data-testid^="experiment-"].experiment-item');
  const before = await items().count();
  const current = await page.locator('.experiment-item.current').getAttribute('data-testid');
  const id = current!.replace('experiment-', '');
  await byTestId(`experiment-duplicate-${id}`).click();
  await eventually(async () => expect(await items().count()).toBe(before + 1));
  await eventually(async () => expect(await byTestId('experiment-name').inputValue()).toMatch(/Browser test: three blobs.*(copy|Copy)/));
  const copyId = (await page.locator('.experiment-item.current').getAttribute('data-testid'))!.replace('experiment-', '');
  expect(copyId).not.toBe(id);
  await byTestId(`experiment-rename-${copyId}`).click();
  await byTestId('experiment-rename-input').fill('Renamed copy');
  await page.keyboard.press('Enter');
  await eventually(async () => expect(await byTestId(`experiment-${copyId}`).textContent()).toContain('Renamed copy'));
  await eventually(async () => expect(await byTestId('experiment-name').inputValue()).toBe('Renamed copy'));
  await shot('experiments-list');
  await byTestId(`experiment-delete-${copyId}`).click();
  expect(await byTestId('experiment-delete-dialog').textContent()).toContain('Delete experiment “Renamed copy”?');
  await byTestId('experiment-delete-confirm').click();
  await eventually(async () => expect(await items().count()).toBe(before));
  expect(await byTestId(`experiment-${copyId}`).count()).toBe(0);
});

test('Field Setting: feature columns that vanish when the dataset changes show as missing and can be removed', async () => {
  await byTestId('side-experiments').click();
  await page.locator('.experiment-item', { hasText: 'Browser test: three blobs' }).locator('.experiment-open').first().click();
  await byTestId('node-gmm-train-1').waitFor();
  await byTestId('side-components').click();
  // GMM Training on the sample's numeric columns x and y instead of its vector column
  await byTestId('node-gmm-train-1').click();
  await byTestId('param-vectorCol').selectOption('');
  await byTestId('param-featureCols').getByRole('checkbox', { name: /^x/ }).check();
  await byTestId('param-featureCols').getByRole('checkbox', { name: /^y/ }).check();
  await eventually(async () => expect(await byTestId('node-warning-gmm-train-1').count()).toBe(0));
  // Read Dataset switches to the uploaded table (features, weight, name): x and y are gone
  await byTestId('node-read-dataset-1').click();
  await byTestId('param-datasetId').selectOption({ label: 'Uploaded points (120 rows)' });
  await byTestId('node-gmm-train-1').click();
  await eventually(async () => expect(await byTestId('param-featureCols-missing-x').textContent()).toMatch(/not in the input/));
  expect(await byTestId('param-featureCols-missing-y').textContent()).toMatch(/not in the input/);
  await byTestId('node-warning-gmm-train-1').waitFor();
  await shot('field-setting-missing-columns');
  // nothing traps: remove both, choose the vector column, and the node is valid again
  await byTestId('param-featureCols-remove-x').click();
  await byTestId('param-featureCols-remove-y').click();
  await byTestId('param-vectorCol').selectOption('features');
  await eventually(async () => expect(await byTestId('node-warning-gmm-train-1').count()).toBe(0));
  expect(await byTestId('param-featureCols').locator('.column-option.missing').count()).toBe(0);
  await shot('field-setting-missing-columns-removed');
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
const nodeBoxes = async () => Promise.all((await page.locator('.flow-node').all()).map(async (n) => (await n.boundingBox())!));
/** Clicks the canvas's empty background (React Flow's pane, beside any node). */
const clickPane = async () => {
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 12 } });
};

test('canvas: Shift+1 fits the view clear of the minimap; Ctrl+A, right-click, double-click and F2; the minimap hides', async () => {
  await byTestId('node-gmm-train-2').click();
  await page.keyboard.press('Delete');
  await byTestId('node-gmm-train-2').waitFor({ state: 'detached' });
  // zoomed in so far that nodes leave the canvas, Shift+1 brings every node back, none under the minimap
  const zoomIn = page.locator('.react-flow__controls-zoomin');
  for (let i = 0; i < 6 && (await zoomIn.isEnabled()); i++) await zoomIn.click();
  await clickPane();
  await page.keyboard.press('Shift+Digit1');
  await page.waitForTimeout(500);
  const canvas = (await byTestId('canvas').boundingBox())!;
  const minimap = (await page.locator('.react-flow__minimap').boundingBox())!;
  for (const b of await nodeBoxes()) {
    expect(inside(b, canvas)).toBe(true);
    expect(overlaps(b, minimap)).toBe(false);
  }
  await shot('shift-1-fits-clear-of-minimap');

  // Ctrl+A selects every node, not the page's text
  await page.keyboard.press('Control+a');
  await eventually(async () => expect(await byTestId('overview').textContent()).toMatch(/^3 nodes selected/));
  expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
  // right-click selects the node it opens on
  await clickPane();
  await byTestId('node-gmm-train-1').click({ button: 'right' });
  await byTestId('node-menu').waitFor();
  expect(await byTestId('inspector').getAttribute('data-node-id')).toBe('gmm-train-1');
  await clickPane();
  // double-click opens the node in the inspector; F2 renames it
  await byTestId('node-read-dataset-1').dblclick();
  await eventually(async () => expect(await byTestId('inspector').getAttribute('data-node-id')).toBe('read-dataset-1'));
  await page.keyboard.press('F2');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('inspector-label');
  await page.keyboard.type('Blobs table');
  await page.keyboard.press('Tab');
  await eventually(async () => expect(await byTestId('node-read-dataset-1').locator('.flow-node-label').textContent()).toBe('Blobs table'));
  await shot('double-click-and-f2-rename');
  // the minimap can be hidden, and the choice is kept
  await byTestId('toggle-minimap').click();
  expect(await page.locator('.react-flow__minimap').count()).toBe(0);
  await byTestId('toggle-minimap').click();
  await page.locator('.react-flow__minimap').waitFor();
});

test('panels resize by dragging their splitters; the sidebar does not clip its buttons; toasts stay off the nodes', async () => {
  const sidebar = async () => (await page.locator('.sidebar').boundingBox())!;
  const dock = async () => (await byTestId('dock').boundingBox())!;
  const before = { sidebar: (await sidebar()).width, dock: (await dock()).height };
  const s = (await byTestId('splitter-sidebar').boundingBox())!;
  await page.mouse.move(s.x + 2, s.y + 200);
  await page.mouse.down();
  await page.mouse.move(s.x + 62, s.y + 200, { steps: 6 });
  await page.mouse.up();
  expect(Math.round((await sidebar()).width - before.sidebar)).toBe(60);
  const d = (await byTestId('splitter-dock').boundingBox())!;
  await page.mouse.move(d.x + 300, d.y + 2);
  await page.mouse.down();
  await page.mouse.move(d.x + 300, d.y - 98, { steps: 6 });
  await page.mouse.up();
  expect(Math.round((await dock()).height - before.dock)).toBe(100);
  await shot('panels-resized');
  await byTestId('splitter-sidebar').dblclick();
  await eventually(async () => expect(Math.round((await sidebar()).width)).toBe(Math.round(before.sidebar)));

  // nothing in the experiment list is cut off at the sidebar's edge
  await byTestId('side-experiments').click();
  await byTestId('experiment-new').click();
  expect(inside((await byTestId('experiment-create').boundingBox())!, await sidebar())).toBe(true);
  await page.keyboard.press('Escape');
  const id = (await page.locator('.experiment-item.current').getAttribute('data-testid'))!.replace('experiment-', '');
  await byTestId(`experiment-rename-${id}`).click();
  expect(inside((await byTestId(`experiment-delete-${id}`).boundingBox())!, await sidebar())).toBe(true);
  await shot('experiment-list-not-clipped');
  await page.keyboard.press('Escape');
  await byTestId('side-components').click();

  // a toast never covers a node
  await byTestId('node-gmm-train-1').click();
  await page.keyboard.press('Control+c');
  const toast = (await byTestId('toast-info').boundingBox())!;
  for (const b of await nodeBoxes()) expect(overlaps(toast, b)).toBe(false);
});

test('after a run the results open on its last node', async () => {
  await clickPane();
  await byTestId('run').click();
  await eventually(async () => expect(await byTestId('run-state').getAttribute('data-status')).toBe('succeeded'), 120_000);
  await eventually(async () => expect(await byTestId('inspector').getAttribute('data-node-id')).toBe('gmm-predict-1'));
  await byTestId('output-table').waitFor();
  expect(await byTestId('dock-results').getAttribute('class')).toContain('active');
  // probabilities to 4 significant digits, the full text in the tooltip
  const detail = byTestId('output-table').locator('tbody tr').first().locator('td').last();
  for (const p of (await detail.textContent())!.split(' ')) expect(p.replace(/e-?\d+$/, '').replace(/^-/, '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(4);
  expect((await detail.getAttribute('title'))!.length).toBeGreaterThan((await detail.textContent())!.length);
  await shot('results-open-on-last-node');
});

test('a changed parameter marks its node and everything downstream out of date, never ✓ beside !', async () => {
  await byTestId('node-gmm-train-1').click();
  await byTestId('tab-parameter').click();
  await byTestId('param-k').fill('4');
  await eventually(async () => expect(await byTestId('node-gmm-train-1').getAttribute('data-stale')).toBe('true'));
  expect(await byTestId('node-gmm-predict-1').getAttribute('data-stale')).toBe('true');
  expect(await byTestId('node-read-dataset-1').getAttribute('data-stale')).toBeNull();
  expect(await byTestId('node-status-gmm-train-1').count()).toBe(0);
  expect(await byTestId('node-stale-gmm-train-1').isVisible()).toBe(true);
  await byTestId('node-gmm-predict-1').click();
  await byTestId('results-stale').waitFor();
  await shot('stale-after-parameter-change');
  // an invalid value shows "!" alone, not a ✓ or a stale mark beside it
  await byTestId('node-gmm-train-1').click();
  await byTestId('tab-parameter').click();
  await byTestId('param-k').fill('0');
  await byTestId('node-warning-gmm-train-1').waitFor();
  expect(await byTestId('node-status-gmm-train-1').count()).toBe(0);
  expect(await byTestId('node-stale-gmm-train-1').count()).toBe(0);
  // back to what ran: nothing is out of date
  await byTestId('param-k').fill('3');
  await eventually(async () => expect(await byTestId('node-gmm-train-1').getAttribute('data-stale')).toBeNull());
  expect(await byTestId('node-gmm-predict-1').getAttribute('data-stale')).toBeNull();
  expect(await byTestId('node-status-gmm-train-1').textContent()).toBe('✓');
});

test('versions: saving unchanged keeps the version; an old version opens read-only and restores as the newest; export, import and SDK code', async () => {
  await clickPane();
  const current = async () => Number((await page.locator('.version-list li.current').getAttribute('data-testid'))!.replace('version-', ''));
  await byTestId('versions').waitFor();
  const ran = await current();
  // Ctrl+S on an unchanged graph stores nothing new
  await page.keyboard.press('Control+s');
  await page.waitForTimeout(500);
  expect(await current()).toBe(ran);
  await byTestId('node-gmm-train-1').click();
  await byTestId('tab-parameter').click();
  await byTestId('param-k').fill('5');
  await page.keyboard.press('Control+s');
  await eventually(async () => expect(await byTestId('save-state').textContent()).toBe(`Saved · v${ran + 1}`));
  await clickPane();
  await eventually(async () => expect(await current()).toBe(ran + 1));
  // the version that ran, read-only: its nodes cannot be dragged, and it shows k = 3 in the SDK code later
  await byTestId(`version-view-${ran}`).click();
  await byTestId('version-preview').waitFor();
  const preview = byTestId('version-canvas');
  await eventually(async () => expect(await preview.locator('.flow-node').count()).toBe(3));
  // dragging a node only pans the view: the nodes keep their places relative to each other
  const gap = async () => {
    const [a, b] = [(await preview.locator('.flow-node').nth(0).boundingBox())!, (await preview.locator('.flow-node').nth(1).boundingBox())!];
    return { x: Math.round(b.x - a.x), y: Math.round(b.y - a.y), first: a };
  };
  const before = await gap();
  await page.mouse.move(before.first.x + 20, before.first.y + 20);
  await page.mouse.down();
  await page.mouse.move(before.first.x + 120, before.first.y + 80, { steps: 5 });
  await page.mouse.up();
  const after = await gap();
  expect([after.x, after.y]).toEqual([before.x, before.y]);
  await shot('version-read-only');
  await byTestId('version-restore').click();
  await eventually(async () => expect(await byTestId('save-state').textContent()).toBe(`Saved · v${ran + 2}`));
  await byTestId('node-gmm-train-1').click();
  await byTestId('tab-parameter').click();
  expect(await byTestId('param-k').inputValue()).toBe('3');
  expect(await byTestId('node-gmm-train-1').getAttribute('data-stale')).toBeNull();

  await clickPane();
  await byTestId('experiment-sdk-code').click();
  const code = (await byTestId('sdk-code').textContent())!;
  expect(code).toContain("from '@mixflow/sdk'");
  expect(code).toContain('.setK(3)');
  await shot('sdk-code');
  await page.keyboard.press('Escape'); // every console dialog closes on Escape
  await eventually(async () => expect(await page.locator('.modal-backdrop').count()).toBe(0));

  const href = (await byTestId('experiment-export').getAttribute('href'))!;
  const exported = await (await page.request.get(new URL(href, base).toString())).json();
  expect(exported).toMatchObject({ format: 'mixflow.experiment', formatVersion: 1 });
  exported.name = 'Imported copy';
  await byTestId('side-experiments').click();
  await byTestId('experiment-import-file').setInputFiles({ name: 'copy.experiment.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  await byTestId('toast-success').filter({ hasText: 'Imported “Imported copy”' }).waitFor();
  await eventually(async () => expect(await page.locator('.experiment-item.current .experiment-name').textContent()).toBe('Imported copy'));
  expect(await byTestId('node-gmm-train-1').count()).toBe(1);
  await shot('experiment-imported');
  await byTestId('side-components').click();
});

test('the seeded Old Faithful pipeline: column statistics in the pickers, then a run and its clustering metrics', async () => {
  // (run alone, with -t, nothing has opened the console yet)
  if ((await byTestId('console').count()) === 0) await page.goto(base);
  await byTestId('nav-designer').click();
  await byTestId('console').waitFor();
  await byTestId('side-experiments').click();
  await page.locator('li.experiment-item', { hasText: 'Old Faithful: standardize, cluster, evaluate' }).locator('.experiment-open').click();
  await eventually(async () => expect(await byTestId('experiment-name').inputValue()).toBe('Old Faithful: standardize, cluster, evaluate'));
  await eventually(async () => expect(await page.locator('.flow-node').count()).toBe(5));

  // Standardization reads the stored dataset as stored: its column picker shows each column's statistics
  await byTestId('node-standardize').click();
  await byTestId('tab-field').click();
  await eventually(async () => expect(await byTestId('param-selectedCols-stats-eruptions').textContent()).toBe('missing 0 · mean 3.488 · min 1.6 · max 5.1'));
  expect(await byTestId('param-selectedCols-stats-waiting').textContent()).toBe('missing 0 · mean 70.9 · min 43 · max 96');
  await shot('old-faithful-column-stats');
  // the statistics wrap under the names: the inspector never scrolls sideways for them
  expect(await page.evaluate(() => {
    const body = document.querySelector('.inspector-body') as HTMLElement;
    return body.scrollWidth - body.clientWidth;
  })).toBe(0);
  // GMM Training reads the standardized table: statistics of the stored columns would be wrong there, so none
  await byTestId('node-train').click();
  await byTestId('tab-field').click();
  await byTestId('param-featureCols').waitFor();
  expect(await page.locator('[data-testid^="param-featureCols-stats-"]').count()).toBe(0);

  await byTestId('run').click();
  for (const id of ['read', 'standardize', 'train', 'predict', 'evaluate']) {
    await eventually(async () => expect(await byTestId(`node-${id}`).getAttribute('data-status')).toBe('succeeded'), 120_000);
  }
  await byTestId('node-evaluate').click();
  await byTestId('dock-results').click();
  await byTestId('results-view-metrics').click();
  await byTestId('cluster-metrics').waitFor();
  expect(await byTestId('metric-silhouetteCoefficient').textContent()).toMatch(/0\.746/);
  expect(await byTestId('cluster-sizes').textContent()).toMatch(/97[\s\S]*175/);
  await shot('old-faithful-metrics');
});

test('the console works under the server\'s Content-Security-Policy: nothing was blocked', async () => {
  const res = await page.request.get(base);
  expect(res.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(res.headers()['x-powered-by']).toBeUndefined();
  expect(cspViolations).toEqual([]);
});
