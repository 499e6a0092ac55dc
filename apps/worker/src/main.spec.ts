import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The compiled process, as `npm run worker` starts it (npm test builds first).
const main = join(__dirname, '..', 'dist', 'main.js');

function runWorker(env: NodeJS.ProcessEnv) {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const { REDIS_URL: _ignored, ...rest } = process.env;
  return spawnSync(process.execPath, [main], { env: { ...rest, ...env }, encoding: 'utf8', timeout: 15_000 });
}

describe('apps/worker main', () => {
  it('exits with a message naming REDIS_URL when it is not set', () => {
    const result = runWorker({});
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/fatal: REDIS_URL is not set/);
  });

  it('exits within seconds with a clear message when Redis is unreachable', () => {
    const started = Date.now();
    const result = runWorker({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/fatal: Redis at redis:\/\/127\.0\.0\.1:1 is unreachable: start redis-server there, or point REDIS_URL at a running server/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('names the setting when a tuning variable is not a whole number', () => {
    const result = runWorker({ REDIS_URL: 'redis://127.0.0.1:1', MIXFLOW_WORKER_CONCURRENCY: 'two' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/MIXFLOW_WORKER_CONCURRENCY must be a whole number ≥ 1, got "two"/);
  });
});
