/**
 * A worker of the distributed engine: takes map jobs from the BullMQ queue on Redis, reads the session's
 * chunks from Redis once and keeps them for later maps, and returns each chunk's result of the kernel the
 * job names (registered in this process by the plugins it loaded). Any machine that reaches Redis can run
 * as many of these as wanted (apps/worker).
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { resultOffsets } from './chunks';
import { bufferToFloat64, decodeTransport, float64ToBuffer } from './codec';
import { getKernel } from './kernel';
import { connectRedis } from './redis-connect';
import { RowFileReader } from './row-file';
import { chunkKey, connectionOptions, QUEUE_NAME, QUEUE_PREFIX, resultKey, type MapJobData } from './redis-protocol';

export interface RedisWorkerOptions {
  redisUrl: string;
  /** jobs processed at once by this process (default 1: EM jobs are CPU bound) */
  concurrency?: number;
  /** how long a job's lock lasts without renewal; a dead worker's job is retried after about this long */
  lockDurationMs?: number;
  /** how often this worker looks for jobs whose worker died */
  stalledIntervalMs?: number;
  /** sessions whose chunks are kept in memory (most recent first) */
  cachedRuns?: number;
  /**
   * The data folder shared with the server (this worker's MIXFLOW_DATA): rows the server left in a row file there
   * are read from it, a chunk at a time, instead of from Redis.
   */
  dataDir?: string;
  log?: (message: string) => void;
}

/** Chunks of the most recent sessions, fetched once from Redis and kept across maps. */
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

  /** The last map's params, decoded and prepared once for all of its jobs this worker takes. */
  let lastParams: { key: string; params: unknown; state: unknown } | undefined;

  async function paramsOf(data: MapJobData, kernel: ReturnType<typeof getKernel>): Promise<{ params: unknown; state: unknown }> {
    if (typeof data.paramsKey !== 'string') {
      throw new Error('this job has no params key: the server and this worker run different versions of Mixflow; update both');
    }
    if (lastParams?.key !== data.paramsKey) {
      const text = await client.get(data.paramsKey);
      if (text === null) throw new Error(`the params of run ${data.runId} are not in Redis: the run was cancelled or its data expired`);
      const params = decodeTransport<unknown>(text);
      lastParams = { key: data.paramsKey, params, state: kernel.prepare ? kernel.prepare(params) : params };
    }
    return lastParams;
  }

  /** A job: its results into Redis under its result key, which is all the job returns. */
  async function run(job: Job): Promise<string> {
    const data = job.data as MapJobData;
    const out = await map(data);
    const key = resultKey(job.id!);
    await client.set(key, float64ToBuffer(out), 'EX', data.resultTtlSeconds);
    return key;
  }

  async function map(data: MapJobData): Promise<Float64Array> {
    const kernel = getKernel(data.kernel);
    const { params, state } = await paramsOf(data, kernel);
    if (data.file !== undefined) return mapFile(data, kernel, params, state);
    const chunks: Float64Array[] = [];
    for (let c = data.first; c < data.end; c++) chunks.push(await cache.get(data.runId, c));
    const lengths = chunks.map((rows) => kernel.resultLength(params, rows.length / data.cols, data.cols));
    const { offsets, total } = resultOffsets(lengths);
    const out = new Float64Array(total);
    for (let i = 0; i < chunks.length; i++) {
      kernel.compute(state, chunks[i], data.cols, 0, chunks[i].length / data.cols, out, offsets[i]);
      await nextTurn(); // lets BullMQ renew the job's lock between chunks
    }
    return out;
  }

  /** A job over a row file in the shared data folder: each chunk read from the file, computed, and let go. */
  async function mapFile(data: MapJobData, kernel: ReturnType<typeof getKernel>, params: unknown, state: unknown): Promise<Float64Array> {
    if (!o.dataDir) {
      throw new Error(
        'the server shares its data folder with the workers (MIXFLOW_SHARED_DATA=1), but this worker has no MIXFLOW_DATA: ' +
          'mount the shared folder here and set MIXFLOW_DATA to it',
      );
    }
    const path = resolve(o.dataDir, data.file!);
    if (relative(resolve(o.dataDir), path).startsWith('..')) throw new Error(`the row file ${data.file} is outside the data folder`);
    if (!existsSync(path)) {
      throw new Error(`the row file ${data.file} is not in this worker's MIXFLOW_DATA (${o.dataDir}): is it the folder the server shares?`);
    }
    const ranges = data.ranges!;
    const lengths = ranges.map(([s, e]) => kernel.resultLength(params, e - s, data.cols));
    const { offsets, total } = resultOffsets(lengths);
    const out = new Float64Array(total);
    const reader = new RowFileReader({ file: path, rows: ranges[ranges.length - 1][1], cols: data.cols });
    try {
      for (let i = 0; i < ranges.length; i++) {
        const [s, e] = ranges[i];
        kernel.compute(state, reader.read(s, e), data.cols, 0, e - s, out, offsets[i]);
        await nextTurn();
      }
    } finally {
      reader.close();
    }
    return out;
  }

  const worker = new Worker(
    QUEUE_NAME,
    run,
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
