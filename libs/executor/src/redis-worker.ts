/**
 * A worker of the distributed engine: takes EM jobs from the BullMQ queue on Redis, reads the fit's
 * chunks from Redis once and keeps them for later iterations, and returns per-chunk statistics.
 * Any machine that reaches Redis can run as many of these as wanted (apps/worker).
 */
import { Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { chunkStats, GaussianMixture, makeDataMatrix, type PreparedParams } from '@mixflow/gmm';
import { bufferToFloat64, decodeTransport, encodeTransport, float64ToBase64, statsLength, writeStats } from './codec';
import { connectRedis } from './redis-connect';
import { chunkKey, connectionOptions, QUEUE_NAME, QUEUE_PREFIX, type PredictJobData, type StatsJobData } from './redis-protocol';

export interface RedisWorkerOptions {
  redisUrl: string;
  /** jobs processed at once by this process (default 1: EM jobs are CPU bound) */
  concurrency?: number;
  /** how long a job's lock lasts without renewal; a dead worker's job is retried after about this long */
  lockDurationMs?: number;
  /** how often this worker looks for jobs whose worker died */
  stalledIntervalMs?: number;
  /** fits whose chunks are kept in memory (most recent first) */
  cachedRuns?: number;
  log?: (message: string) => void;
}

/** Chunks of the most recent fits, fetched once from Redis and kept across iterations. */
class ChunkCache {
  private readonly runs = new Map<string, Map<number, Promise<Float64Array>>>();

  constructor(
    private readonly client: Redis,
    private readonly keepRuns: number,
  ) {}

  get(runId: string, chunk: number): Promise<Float64Array> {
    let run = this.runs.get(runId);
    if (!run) {
      run = new Map();
      this.runs.set(runId, run);
      while (this.runs.size > this.keepRuns) this.runs.delete(this.runs.keys().next().value!);
    }
    let rows = run.get(chunk);
    if (!rows) {
      rows = this.fetch(runId, chunk);
      run.set(chunk, rows);
      rows.catch(() => run!.delete(chunk));
    }
    return rows;
  }

  private async fetch(runId: string, chunk: number): Promise<Float64Array> {
    const bytes = await this.client.getBuffer(chunkKey(runId, chunk));
    if (!bytes) {
      throw new Error(`chunk ${chunk} of run ${runId} is not in Redis: the run was cancelled or its data expired`);
    }
    return bufferToFloat64(bytes);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function startRedisWorker(o: RedisWorkerOptions): Promise<{ close(): Promise<void> }> {
  const client = await connectRedis(o.redisUrl, 'worker');
  const cache = new ChunkCache(client, o.cachedRuns ?? 2);

  async function stats(data: StatsJobData): Promise<string> {
    const prepared = decodeTransport<PreparedParams>(data.prepared);
    const dims = data.cols;
    const slot = statsLength(data.covarianceType, data.k, dims);
    const out = new Float64Array((data.end - data.first) * slot);
    for (let c = data.first; c < data.end; c++) {
      const rows = await cache.get(data.runId, c);
      writeStats(chunkStats(prepared, rows, dims, 0, rows.length / dims), out, (c - data.first) * slot);
      await nextTurn(); // lets BullMQ renew the job's lock between chunks
    }
    return float64ToBase64(out);
  }

  async function predict(data: PredictJobData): Promise<string> {
    const model = GaussianMixture.fromJSON(JSON.parse(data.model));
    const parts: Float64Array[] = [];
    const labels: Int32Array[] = [];
    for (let c = data.first; c < data.end; c++) {
      const rows = await cache.get(data.runId, c);
      const predicted = model.predictWithProba(makeDataMatrix(rows, rows.length / data.cols, data.cols));
      labels.push(predicted.labels);
      parts.push(predicted.probabilities);
      await nextTurn();
    }
    return encodeTransport({ labels, probabilities: parts });
  }

  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => (job.name === 'predict' ? predict(job.data as PredictJobData) : stats(job.data as StatsJobData)),
    {
      connection: connectionOptions(o.redisUrl, 'worker'),
      prefix: QUEUE_PREFIX,
      concurrency: o.concurrency ?? 1,
      lockDuration: o.lockDurationMs ?? 10_000,
      stalledInterval: o.stalledIntervalMs ?? 5_000,
      maxStalledCount: 5,
    },
  );
  worker.on('error', (error) => o.log?.(`worker error: ${error.message}`));
  worker.on('failed', (job, error) => o.log?.(`job ${job?.id ?? '?'} failed: ${error.message}`));
  await worker.waitUntilReady();

  return {
    async close() {
      await worker.close();
      client.disconnect();
    },
  };
}
