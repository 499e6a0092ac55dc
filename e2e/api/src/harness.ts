import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startChild, startRedisServer } from '@mixflow/testing';

// NestJS 12 is ESM-only: Node 20.19+ loads it from the CommonJS build through require(esm), jest 30 on Node 20
// cannot. So the suite runs the real, built server (apps/api/dist/main.js, from `npm run build`) as a child
// process — which also lets the restart test kill it the way a crash would.
const root = path.resolve(__dirname, '..', '..', '..');
const MAIN = path.join(root, 'apps', 'api', 'dist', 'main.js');

export interface Server {
  url: string;
  dir: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM: the graceful shutdown */
  close(): Promise<void>;
  /** SIGKILL: a crash */
  kill(): Promise<void>;
}

/** A suite's afterAll: stops its server (SIGTERM) and removes the server's data folder. */
export async function closeAndRemove(server: Server | undefined): Promise<void> {
  await server?.close();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mixflow-e2e-${prefix}-`));
}

/** The real server on a temporary SQLite file and data folder, on a free loopback port. */
export async function startServer(dir: string, env: Record<string, string> = {}): Promise<Server> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const server = await startChild(process.execPath, [MAIN], {
    cwd: dir,
    env: {
      NO_COLOR: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      MIXFLOW_DATA: dir,
      MIXFLOW_DB: path.join(dir, 'mixflow.sqlite'),
      MIXFLOW_ENGINE: 'inline',
      MIXFLOW_WEB_DIST: path.join(dir, 'no-web'),
      ...env,
    },
    ready: /serving on http:\/\/localhost:(\d+)/,
  });
  return {
    url: `http://127.0.0.1:${server.ready[1]}`,
    dir,
    process: server.child,
    output: server.output,
    close: async () => void (await server.stop('SIGTERM')),
    kill: async () => void (await server.stop('SIGKILL')),
  };
}

/** Rows of `{ x, y, label }` around the given centers (deterministic). */
export function blobs(centers: [number, number][], perCluster: number, spread = 0.3): { x: number; y: number; label: number }[] {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const rows: { x: number; y: number; label: number }[] = [];
  centers.forEach(([cx, cy], label) => {
    for (let i = 0; i < perCluster; i++) rows.push({ x: cx + spread * gauss(), y: cy + spread * gauss(), label });
  });
  return rows;
}

export function blobsCsv(rows: { x: number; y: number; label: number }[]): string {
  return ['features,x,y,label', ...rows.map((r) => `"${r.x} ${r.y}",${r.x},${r.y},${r.label}`)].join('\n') + '\n';
}

export function upload(url: string, csv: string, name = 'data.csv') {
  return request(url).post('/api/datasets').attach('file', Buffer.from(csv), { filename: name, contentType: 'text/csv' });
}

/** Read Dataset → GMM Training → GMM Prediction over a dataset. */
export function pipelineGraph(datasetId: string, train: Record<string, unknown> = {}) {
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { vectorCol: 'features', k: 3, randomSeed: 1, ...train } },
      { id: 'predict', componentId: 'gmm-predict', position: { x: 0, y: 200 }, params: { vectorCol: 'features', predictionCol: 'cluster', predictionDetailCol: 'proba' } },
    ],
    edges: [
      { id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 },
      { id: 'e2', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
      { id: 'e3', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
    ],
  };
}

/** Follows /api/runs/:id/events to its end and returns the parsed events. */
export async function followEvents(url: string, runId: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${url}/api/runs/${runId}/events`, { headers: { accept: 'text/event-stream' } });
  if (!res.ok) throw new Error(`events: HTTP ${res.status}`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

/** Files left anywhere under the data folder's tmp/ and datasets/ */
export function dataFiles(dir: string): { tmp: string[]; datasets: string[] } {
  const list = (sub: string) => (fs.existsSync(path.join(dir, sub)) ? fs.readdirSync(path.join(dir, sub)).sort() : []);
  return { tmp: list('tmp'), datasets: list('datasets') };
}

/** A throwaway redis-server on a free loopback port (no persistence); `kill` is SIGKILL, as a crash. */
export async function startRedis(): Promise<{ url: string; port: number; kill(): Promise<void> }> {
  const redis = await startRedisServer();
  return { url: redis.url, port: redis.port, kill: async () => void (await redis.stop('SIGKILL')) };
}

/** Latency sampler in its own process: GET /api/health every 20 ms until stdin closes, then the latencies (ms) as JSON. */
const SAMPLER = `
const http = require('node:http');
const url = process.argv[1] + '/api/health';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const latencies = [];
let stop = false;
process.stdin.on('end', () => (stop = true));
process.stdin.resume();
const get = () => new Promise((resolve, reject) => {
  const t = performance.now();
  http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve(performance.now() - t)); }).on('error', reject);
});
(async () => {
  while (!stop) {
    latencies.push(await get());
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(JSON.stringify(latencies));
  agent.destroy();
})();
`;

/**
 * Measures GET /api/health from a process of its own (so the test's own work is not counted against the server);
 * `stop` resolves with the latencies in ms, in the order taken.
 */
export function startSampler(url: string): { child: ChildProcess; stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', SAMPLER, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async () => {
      child.stdin!.end();
      await exited;
      return JSON.parse(out) as number[];
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const WORKER_MAIN = path.join(root, 'apps', 'worker', 'dist', 'main.js');

/** A worker process of the distributed engine (apps/worker) on `redisUrl`, once it serves the kernels; `stop` is SIGTERM. */
export async function startWorker(redisUrl: string): Promise<{ stop(): Promise<void> }> {
  if (!fs.existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` first`);
  const worker = await startChild(process.execPath, [WORKER_MAIN], { env: { REDIS_URL: redisUrl }, ready: /ready: serving kernels/, timeoutMs: 20_000 });
  return { stop: async () => void (await worker.stop('SIGTERM')) };
}

/** A deterministic generator in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** `rows` rows of one vector column `features` of `dims` numbers in [0, 1) (a wide full-covariance fit's input). */
export function wideCsv(rows: number, dims: number): Buffer {
  const rand = lcg(7);
  const lines = Array.from({ length: rows }, () => `"${Array.from({ length: dims }, () => rand().toFixed(3)).join(' ')}"`);
  return Buffer.from(['features', ...lines].join('\n') + '\n');
}

/** POSTs a body on a connection of its own; resolves with the status and the answer's length. */
export function post(url: string, body: Buffer | string): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: all.length, text: all.subarray(0, 400).toString() });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Creates an experiment of `graph` and starts a run of it; resolves with the run's id. */
export async function runGraph(url: string, graph: unknown, body: Record<string, unknown> = {}): Promise<string> {
  const exp = (await request(url).post('/api/experiments').send({ name: 'e2e', graph }).expect(201)).body;
  return (await request(url).post(`/api/experiments/${exp.id}/runs`).send(body).expect(201)).body.id;
}
