/**
 * What a browser spec needs: the built API server on a free port with a fresh SQLite file, Debian's Chromium
 * through playwright-core, and screenshots in artifacts/e2e-web/ under the spec's own prefix (so specs do not wipe
 * each other's pictures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@mixflow/testing';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const root = path.resolve(__dirname, '..', '..', '..');
export const shotsDir = path.join(root, 'artifacts', 'e2e-web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Retries an assertion until it holds or the time is up (the page updates asynchronously). */
export async function eventually(assertion: () => Promise<void>, timeout = 30_000, interval = 200): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

export interface BrowserSession {
  page: Page;
  /** http://127.0.0.1:port of the API server */
  base: string;
  /** a screenshot named `<prefix>-NN-<name>.png` */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server and the browser; `prefix` names this spec's screenshots (the old ones are removed). */
export async function startSession(prefix: string): Promise<BrowserSession> {
  for (const f of ['apps/api/dist/main.js', 'apps/web/dist/index.html']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first (npm run test:web does).`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  fs.mkdirSync(shotsDir, { recursive: true });
  for (const f of fs.readdirSync(shotsDir)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) fs.rmSync(path.join(shotsDir, f));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mixflow-${prefix}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const server: ChildProcess = spawn(process.execPath, [path.join(root, 'apps/api/dist/main.js')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MIXFLOW_DB: path.join(tmp, 'mixflow.sqlite'), MIXFLOW_DATA: path.join(tmp, 'data'), MIXFLOW_ENGINE: 'local', MIXFLOW_MAX_WORKERS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  await eventually(async () => {
    if (server.exitCode !== null) throw new Error(`the API server exited with ${server.exitCode}:\n${log}`);
    const r = await fetch(`${base}/api/health`);
    if (!r.ok) throw new Error(`health ${r.status}`);
  }, 60_000);

  const context: BrowserContext = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
  let step = 0;
  return {
    page,
    base,
    async shot(name: string) {
      step += 1;
      await page.waitForTimeout(150); // let transitions settle so the picture shows the final state
      await page.screenshot({ path: path.join(shotsDir, `${prefix}-${String(step).padStart(2, '0')}-${name}.png`) });
    },
    async close() {
      await page.screenshot({ path: path.join(shotsDir, `${prefix}-zz-final-state.png`) }).catch(() => undefined);
      await context.close();
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Moves the mouse from the centre of one element to the centre of another, button down, and leaves it down. */
export async function dragOver(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag endpoints are not visible');
  const [ax, ay, bx, by] = [a.x + a.width / 2, a.y + a.height / 2, b.x + b.width / 2, b.y + b.height / 2];
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(ax + ((bx - ax) * i) / 12, ay + ((by - ay) * i) / 12);
}

/** POST /api/datasets with a CSV, as the console's upload does; returns the dataset's id. */
export async function uploadCsv(base: string, csv: string, fileName: string, name?: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), fileName);
  if (name) form.append('name', name);
  const post = () => fetch(`${base}/api/datasets`, { method: 'POST', body: form });
  // fetch reuses the health check's kept-alive socket; when the server closes it as the upload starts (its 5 s
  // keep-alive ends while the browser launches) the write fails with EPIPE or ECONNRESET: once more, on a new one
  const res = await post().catch((e: Error & { cause?: { code?: string } }) => {
    if (e.cause?.code === 'EPIPE' || e.cause?.code === 'ECONNRESET') return post();
    throw e;
  });
  if (!res.ok) throw new Error(`upload: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function postJson<T>(base: string, route: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
