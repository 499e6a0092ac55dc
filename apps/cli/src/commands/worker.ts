/** `mixflow worker` (issue 4): a distributed-engine worker on this machine, serving the map jobs of runs queued on REDIS_URL. */
import { Command } from 'commander';
import { startRedisWorker } from '@mixflow/executor';
import { components } from '../components';
import { CliUsageError, type CliIo } from '../io';
import { integerOption } from '../params';

export function workerCommand(io: CliIo, done: (code: number) => void): Command {
  const command = new Command('worker').description(
    'Start a worker for the Redis engine (BullMQ): it serves the map jobs (EM steps, predictions) of every `--engine redis` run until stopped (Ctrl-C). Reads REDIS_URL.',
  );
  command.option('--redis-url <url>', 'the Redis to serve (default: REDIS_URL)');
  command.option('--concurrency <n>', 'jobs this worker runs at once', (t) => integerOption('--concurrency', t, 1));

  command.action(async (values: Record<string, unknown>) => {
    const redisUrl = (values.redisUrl as string | undefined) ?? io.env.REDIS_URL;
    if (!redisUrl) throw new CliUsageError('set REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) or pass --redis-url.');
    if (io.signal?.aborted) return done(0);
    components(); // loading the plugins registers their kernels, which the jobs name
    // MIXFLOW_DATA: the data folder a server shares with its workers (MIXFLOW_SHARED_DATA=1), for rows streamed from disk
    const worker = await startRedisWorker({ redisUrl, concurrency: values.concurrency as number | undefined, ...(process.env.MIXFLOW_DATA ? { dataDir: process.env.MIXFLOW_DATA } : {}) });
    io.stderr.write(`mixflow worker: serving ${redactUrl(redisUrl)}; stop with Ctrl-C\n`);
    await new Promise<void>((resolve) => {
      if (!io.signal) return; // nothing can stop it but killing the process
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await worker.close();
    io.stderr.write('mixflow worker: stopped\n');
    done(0);
  });
  return command;
}

/** Never print a password that came in the URL. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
