/**
 * The distributed engine: BullMQ on Redis. A fit stores its chunks in Redis once (binary, with an
 * expiry); every iteration adds one job per group of chunks carrying the prepared parameters; any
 * worker process (apps/worker) computes the groups' per-chunk statistics, and the driver merges all
 * chunks in chunk order, so the model is the same bits as the other engines'. A job whose worker dies is
 * retried on another worker by BullMQ's stalled-job check.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type Redis from 'ioredis';
import {
  chunkRanges,
  DEFAULT_CHUNK_ROWS,
  fitGmmWith,
  GaussianMixture,
  mergeStats,
  prepareParams,
  type DataMatrix,
  type GmmFitOptions,
  type GmmModelJson,
  type StatsRunner,
} from '@mixflow/gmm';
import { base64ToFloat64, decodeTransport, encodeTransport, float64ToBuffer, readStats, statsLength } from './codec';
import type { EngineRunOptions, ExecutionEngine, FitOutcome, PredictOutcome } from './engine';
import { connectRedis } from './redis-connect';
import { chunkKey, connectionOptions, QUEUE_NAME, QUEUE_PREFIX, redactUrl, type JobName, type PredictJobData, type StatsJobData } from './redis-protocol';
import { cancellationOr, ExecutorError, onAbort, RunCancelledError, runInfo, splitChunks, startRun, throwIfAborted, withProgress } from './run-support';

export interface RedisEngineOptions {
  redisUrl: string;
  /** how long a fit's chunks stay in Redis without being touched (refreshed every iteration) */
  dataTtlSeconds?: number;
  /** how long the driver waits with no worker connected before failing the run */
  noWorkerTimeoutMs?: number;
}

interface Connection {
  client: Redis;
  queue: Queue;
  events: QueueEvents;
}

export class RedisEngine implements ExecutionEngine {
  readonly kind = 'redis' as const;
  private connection: Promise<Connection> | null = null;

  constructor(private readonly o: RedisEngineOptions) {
    if (!o.redisUrl) throw new ExecutorError('The Redis engine needs a Redis URL: set REDIS_URL', 'REDIS_URL');
  }

  async fitGmm(data: DataMatrix, options: GmmFitOptions, run: EngineRunOptions): Promise<FitOutcome> {
    const started = startRun(run);
    const conn = await this.connect();
    const workers = await this.requireWorkers(conn);
    run.log?.(`Redis engine at ${redactUrl(this.o.redisUrl)}: ${workers} worker process(es) connected`);
    const stored: Array<{ runId: string; chunks: number }> = [];

    const createRunner = async (train: DataMatrix, chunkRows: number): Promise<StatsRunner> => {
      const runId = randomUUID();
      const ranges = chunkRanges(train.rows, chunkRows);
      stored.push({ runId, chunks: ranges.length });
      await this.storeChunks(conn.client, runId, train, ranges);
      const groups = splitChunks(ranges.length, run.numWorkers * 2);
      let iteration = 0;
      return {
        compute: async (params) => {
          throwIfAborted(run.signal);
          iteration++;
          const prepared = prepareParams(params);
          const encoded = encodeTransport(prepared);
          await this.touchChunks(conn.client, runId, ranges.length);
          const slot = statsLength(params.covarianceType, params.k, params.dims);
          const results = await this.runJobs<StatsJobData>(
            conn,
            'stats',
            groups.map(([first, end], g) => ({
              jobId: `${runId}-${iteration}-${g}`,
              data: { runId, first, end, cols: train.cols, covarianceType: params.covarianceType, k: params.k, prepared: encoded },
            })),
            run,
          );
          const chunks = groups.flatMap(([first, end], g) => {
            const values = base64ToFloat64(results[g]);
            return Array.from({ length: end - first }, (_, i) => readStats(params.covarianceType, params.k, params.dims, values, i * slot, prepared.shift));
          });
          return mergeStats(chunks);
        },
      };
    };

    try {
      const model = await fitGmmWith(data, withProgress(options, run), createRunner, run.signal);
      return {
        model: model.toJSON(),
        run: runInfo('redis', run, workers, started),
      };
    } catch (error) {
      throw cancellationOr(error, run.signal);
    } finally {
      await Promise.all(stored.map((s) => this.dropChunks(conn.client, s.runId, s.chunks)));
    }
  }

  async predictGmm(model: GmmModelJson, data: DataMatrix, run: EngineRunOptions): Promise<PredictOutcome> {
    const started = startRun(run);
    const k = GaussianMixture.fromJSON(model).k;
    const conn = await this.connect();
    const workers = await this.requireWorkers(conn);
    const runId = randomUUID();
    const ranges = chunkRanges(data.rows, DEFAULT_CHUNK_ROWS);
    const groups = splitChunks(ranges.length, run.numWorkers * 2);
    try {
      await this.storeChunks(conn.client, runId, data, ranges);
      const text = JSON.stringify(model);
      const results = await this.runJobs<PredictJobData>(
        conn,
        'predict',
        groups.map(([first, end], g) => ({ jobId: `${runId}-p-${g}`, data: { runId, first, end, cols: data.cols, model: text } })),
        run,
      );
      const labels = new Int32Array(data.rows);
      const probabilities = new Float64Array(data.rows * k);
      groups.forEach(([first], g) => {
        const part = decodeTransport<{ labels: Int32Array[]; probabilities: Float64Array[] }>(results[g]);
        part.labels.forEach((l, i) => labels.set(l, ranges[first + i][0]));
        part.probabilities.forEach((p, i) => probabilities.set(p, ranges[first + i][0] * k));
      });
      return {
        labels,
        probabilities,
        run: runInfo('redis', run, workers, started),
      };
    } catch (error) {
      throw cancellationOr(error, run.signal);
    } finally {
      await this.dropChunks(conn.client, runId, ranges.length);
    }
  }

  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = null;
    if (!pending) return;
    const conn = await pending.catch(() => null);
    if (!conn) return;
    await Promise.allSettled([conn.events.close(), conn.queue.close()]);
    conn.client.disconnect();
  }

  private connect(): Promise<Connection> {
    this.connection ??= (async () => {
      const client = await connectRedis(this.o.redisUrl, 'driver');
      const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(this.o.redisUrl, 'driver'), prefix: QUEUE_PREFIX });
      const events = new QueueEvents(QUEUE_NAME, { connection: connectionOptions(this.o.redisUrl, 'blocking'), prefix: QUEUE_PREFIX });
      queue.setMaxListeners(0); // one 'closing' listener per job being waited for
      queue.on('error', () => undefined); // surfaced by the failing command
      events.setMaxListeners(0);
      events.on('error', () => undefined);
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      return { client, queue, events };
    })();
    const pending = this.connection;
    pending.catch(() => {
      if (this.connection === pending) this.connection = null; // try again on the next run
    });
    return pending;
  }

  private async requireWorkers(conn: Connection): Promise<number> {
    const count = await conn.queue.getWorkersCount();
    if (count === 0) throw this.noWorkersError();
    return count;
  }

  private noWorkersError(): ExecutorError {
    return new ExecutorError(
      `No mixflow worker is connected to Redis at ${redactUrl(this.o.redisUrl)}: start one or more with ` +
        '`npm run worker` (or `npx mixflow worker`) and the same REDIS_URL',
      'REDIS_URL',
    );
  }

  private async storeChunks(client: Redis, runId: string, data: DataMatrix, ranges: Array<[number, number]>): Promise<void> {
    const ttl = this.o.dataTtlSeconds ?? 3600;
    const batch = 16; // keeps a pipeline's buffered bytes bounded on big inputs
    for (let b = 0; b < ranges.length; b += batch) {
      const pipeline = client.pipeline();
      ranges.slice(b, b + batch).forEach(([start, end], i) => {
        pipeline.set(chunkKey(runId, b + i), float64ToBuffer(data.data.subarray(start * data.cols, end * data.cols)), 'EX', ttl);
      });
      await pipeline.exec();
    }
  }

  private async touchChunks(client: Redis, runId: string, chunkCount: number): Promise<void> {
    const pipeline = client.pipeline();
    for (let c = 0; c < chunkCount; c++) pipeline.expire(chunkKey(runId, c), this.o.dataTtlSeconds ?? 3600);
    await pipeline.exec();
  }

  private async dropChunks(client: Redis, runId: string, chunkCount: number): Promise<void> {
    const keys = Array.from({ length: chunkCount }, (_, c) => chunkKey(runId, c));
    for (let b = 0; b < keys.length; b += 512) await client.unlink(...keys.slice(b, b + 512)).catch(() => undefined);
  }

  /** Adds the jobs and waits for all their results; cancellation, a failed job or no workers end the wait. */
  private async runJobs<T extends object>(
    conn: Connection,
    name: JobName,
    specs: Array<{ jobId: string; data: T }>,
    run: EngineRunOptions,
  ): Promise<string[]> {
    const jobs: Job[] = await conn.queue.addBulk(
      specs.map((s) => ({
        name,
        data: s.data,
        opts: { jobId: s.jobId, attempts: 1, removeOnComplete: { age: 600 }, removeOnFail: { age: 3600 } },
      })),
    );
    const jobIds = new Set(jobs.map((j) => j.id));
    const onStalled = ({ jobId }: { jobId: string }) => {
      if (jobIds.has(jobId)) run.log?.(`Job ${jobId} stalled (its worker stopped); BullMQ retries it on another worker`);
    };
    conn.events.on('stalled', onStalled);
    let stopListening = () => undefined as void;
    let watchdog: NodeJS.Timeout | undefined;
    try {
      return await new Promise<string[]>((resolve, reject) => {
        stopListening = onAbort(run.signal, () => {
          reject(new RunCancelledError());
          void Promise.allSettled(jobs.map((j) => j.remove()));
        });
        let idleSince: number | null = null;
        const limit = this.o.noWorkerTimeoutMs ?? 10_000;
        watchdog = setInterval(() => {
          conn.queue.getWorkersCount().then(
            (count) => {
              if (count > 0) idleSince = null;
              else if ((idleSince ??= Date.now()) + limit <= Date.now()) reject(this.noWorkersError());
            },
            (error: Error) => reject(new ExecutorError(`Lost Redis at ${redactUrl(this.o.redisUrl)}: ${error.message}`, 'REDIS_URL')),
          );
        }, Math.min(1000, limit));
        Promise.all(jobs.map((job) => job.waitUntilFinished(conn.events))).then(
          (values) => resolve(values.map((v) => String(v))),
          (error: Error) => reject(new ExecutorError(`A Redis worker failed a ${name} job: ${error.message}`)),
        );
      });
    } finally {
      stopListening();
      clearInterval(watchdog);
      conn.events.off('stalled', onStalled);
    }
  }
}
