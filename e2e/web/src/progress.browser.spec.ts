/**
 * Progress of a long run in the console (issue 18, item 15): a training run of several seconds, sampled a few
 * times while it runs. The node's bar and the toolbar's "Running N %" must move before the run ends (not sit at
 * 0 % and jump), and the bar must be visible, not a hairline. Screenshots: artifacts/e2e-web/progress-*.png, and the
 * samples in artifacts/e2e-web/progress-samples.txt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually, postJson, shotsDir, startSession, uploadCsv, type BrowserSession } from './harness';

jest.setTimeout(240_000);

let s: BrowserSession;
beforeAll(async () => {
  s = await startSession('progress');
});
afterAll(async () => {
  await s?.close();
});

const byTestId = (id: string) => s.page.getByTestId(id);

const ROWS = 400_000;
const DIMS = 6;

/** ROWS rows of DIMS columns around six centres (deterministic). */
function bigCsv(): string {
  const lines = [Array.from({ length: DIMS }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < ROWS; i++) {
    const c = i % 6;
    lines.push(Array.from({ length: DIMS }, (_, j) => (c * 3 + ((j * 5 + c) % 4) + Math.sin(i * 0.37 + j * 1.3)).toFixed(3)).join(','));
  }
  return lines.join('\n') + '\n';
}

interface Sample {
  ms: number;
  status: string;
  /** the node bar's filled width, as the page sets it (percent), or null while the node shows no bar */
  bar: number | null;
  /** the bar's height in pixels */
  barHeight: number | null;
  /** "Running N %" of the toolbar */
  run: number | null;
}

test('a training run of several seconds: the node bar and the run percentage move before it ends, the bar is visible', async () => {
  const datasetId = await uploadCsv(s.base, bigCsv(), 'big.csv', 'Big six clusters');
  const features = Array.from({ length: DIMS }, (_, j) => `x${j}`);
  const experiment = await postJson<{ id: string }>(s.base, '/api/experiments', {
    name: 'Long training',
    graph: {
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 100, y: 40 }, params: { datasetId } },
        {
          id: 'train',
          componentId: 'gmm-train',
          position: { x: 100, y: 220 },
          // epsilon 0: every one of the 25 iterations runs, so the run lasts seconds on any machine
          params: { featureCols: features, k: 6, covarianceType: 'full', maxIter: 25, epsilon: 0, numWorkers: 1 },
        },
      ],
      edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 }],
    },
  });

  await s.page.goto(s.base);
  await byTestId('console').waitFor();
  await byTestId('side-experiments').click();
  await byTestId(`experiment-${experiment.id}`).getByText('Long training').click();
  await byTestId('node-train').waitFor();
  await s.shot('before-run');

  const started = Date.now();
  await byTestId('run').click();
  await byTestId('run-state').waitFor();
  const samples: Sample[] = [];
  const shots: string[] = [];
  for (;;) {
    const sample = await s.page.evaluate((): Omit<Sample, 'ms'> => {
      const state = document.querySelector<HTMLElement>('[data-testid="run-state"]');
      const bar = document.querySelector<HTMLElement>('[data-testid="node-progress-train"]');
      const fill = bar?.firstElementChild as HTMLElement | null | undefined;
      const percent = /Running (\d+) %/.exec(state?.textContent ?? '');
      return {
        status: state?.dataset.status ?? '',
        bar: fill ? parseFloat(fill.style.width) : null,
        barHeight: bar ? bar.getBoundingClientRect().height : null,
        run: percent ? Number(percent[1]) : null,
      };
    });
    samples.push({ ms: Date.now() - started, ...sample });
    if (sample.status !== 'running' && sample.status !== 'queued') break;
    // pictures of the bar on its way: the first time it shows, and once it is past a third
    if (sample.bar !== null && shots.length === 0) {
      await s.shot('training-bar-early');
      shots.push('early');
    } else if (sample.bar !== null && sample.bar >= 33 && shots.length === 1) {
      await s.shot('training-bar-midway');
      shots.push('midway');
    }
    if (Date.now() - started > 180_000) throw new Error(`the run did not end in 3 minutes: ${JSON.stringify(samples.slice(-3))}`);
    await s.page.waitForTimeout(250);
  }
  await eventually(async () => expect(await byTestId('node-status-train').getAttribute('class')).toContain('badge-succeeded'));
  await s.shot('run-finished');
  const summary = samples.map((x) => `${x.ms} ms: ${x.status} bar ${x.bar ?? '-'} % run ${x.run ?? '-'} %`).join('\n');
  // the samples beside the pictures, to read what the bar did
  fs.writeFileSync(path.join(shotsDir, 'progress-samples.txt'), summary + '\n');

  expect(samples.at(-1)!.status).toBe('succeeded');
  // the run lasted long enough to be watched
  const running = samples.filter((x) => x.status === 'running');
  expect(running.length).toBeGreaterThanOrEqual(8);
  // the node's bar shows several distinct values between 0 and 100 before the end, never going back
  const bars = running.map((x) => x.bar).filter((b): b is number => b !== null);
  const distinct = [...new Set(bars.filter((b) => b > 0 && b < 100))];
  if (distinct.length < 3) throw new Error(`the node's bar did not move while running:\n${summary}`);
  bars.slice(1).forEach((b, i) => expect(b).toBeGreaterThanOrEqual(bars[i]));
  // and the run's percentage moves too, before 100
  const percents = [...new Set(running.map((x) => x.run).filter((p): p is number => p !== null && p > 0 && p < 100))];
  if (percents.length < 3) throw new Error(`the run's percentage did not move while running:\n${summary}`);
  // while the node still runs, the run is not done: never "Running 100 %"
  for (const x of running) if (x.bar !== null) expect(x.run).toBeLessThan(100);
  // not a hairline: at least 4 px high
  const heights = running.map((x) => x.barHeight).filter((h): h is number => h !== null);
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(4);
  expect(shots).toEqual(['early', 'midway']);
});
