/**
 * `npm run worker`: a worker process of the distributed engine. Reads REDIS_URL (and optionally
 * MIXFLOW_WORKER_CONCURRENCY, MIXFLOW_LOCK_DURATION_MS, MIXFLOW_STALLED_INTERVAL_MS), loads the plugins (which
 * register their kernels by name), serves map jobs until SIGTERM or SIGINT, then finishes the current job and exits.
 */
import { loadPlugins } from '@mixflow/component-sdk';
import { kernelNames, redactUrl, startRedisWorker } from '@mixflow/executor';

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} [mixflow-worker ${process.pid}] ${message}\n`);
}

function positiveInt(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('REDIS_URL is not set: point it at the Redis server of the runs, e.g. redis://127.0.0.1:6379');
  const concurrency = positiveInt('MIXFLOW_WORKER_CONCURRENCY', 1);
  loadPlugins();
  const worker = await startRedisWorker({
    redisUrl,
    concurrency,
    lockDurationMs: positiveInt('MIXFLOW_LOCK_DURATION_MS', undefined),
    stalledIntervalMs: positiveInt('MIXFLOW_STALLED_INTERVAL_MS', undefined),
    ...(process.env.MIXFLOW_DATA ? { dataDir: process.env.MIXFLOW_DATA } : {}),
    log,
  });
  log(`ready: serving kernels ${kernelNames().join(', ')} from ${redactUrl(redisUrl)} with concurrency ${concurrency}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the current job, then exiting`);
    worker.close().then(
      () => process.exit(0),
      (error: Error) => {
        log(`could not close cleanly: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: Error & { setting?: string }) => {
  const hint = error.setting === 'REDIS_URL' ? ': start redis-server there, or point REDIS_URL at a running server' : '';
  log(`fatal: ${error.message}${hint}`);
  process.exit(1);
});
