/**
 * The distributed engine: BullMQ on Redis. A session stores its chunks in Redis once (binary, with an
 * expiry); every map adds one job per group of chunks carrying the kernel's name and params; any worker
 * process (apps/worker) computes the groups' per-chunk results with the kernel registered under that name,
 * and the caller reduces them in chunk order, so the outcome is the same bits as the other engines'. A job
 * whose worker dies is retried on another worker by BullMQ's stalled-job check.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { chunkRanges, resultLayout, resultsIn, splitChunks } from './chunks';
import { bufferToFloat64, encodeTransport, float64ToBuffer } from './codec';
import type { ChunkResults, EngineRunOptions, ExecutionEngine, MatrixSession, RemoteSession } from './engine';
import { isRowFile, RowFileReader, type RowSource } from './row-file';
import { connectRedis, isConnectionFailure, RedisProbe, redisUnreachable } from './redis-connect';
import { chunkKey, connectionOptions, JOB_NAME, paramsKey, QUEUE_NAME, QUEUE_PREFIX, redactUrl, resultKey, sessionParamsPattern, sessionResultsPattern, type MapJobData } from './redis-protocol';
import { cancellationOr, ExecutorError, onAbort, RunCancelledError, runInfo, startRun, throwIfAborted } from './run-support';

export interface RedisEngineOptions {
  redisUrl: string;
  /** how long a session's chunks stay in Redis without being touched (refreshed every map) */
  dataTtlSeconds?: number;
  /** how long the driver waits with no worker connected before failing the run */
  noWorkerTimeoutMs?: number;
  /**
   * The data folder the workers share with the server (MIXFLOW_SHARED_DATA=1: MIXFLOW_DATA on storage every worker
   * mounts, each worker's MIXFLOW_DATA pointing at it). A row file under it is not copied into Redis: the workers
   * read its chunks from the file, by its path relative to the folder.
   */
  sharedDataDir?: string;
}

interface Connection {
  client: Redis;
  queue: Queue;
  events: QueueEvents;
}

/** How long connecting (queue and event reader included) and closing may take before Redis counts as gone. */
const CONNECT_WAIT_MS = 3000;
const CLOSE_WAIT_MS = 1000;

/** Resolves true when `work` settles within `ms`, false otherwise (the work itself is left to finish or fail). */
async function withinMs(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([settled, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes the queue and the event reader, then disconnects whatever is left: with Redis gone, BullMQ's close
 * waits on commands that can never be sent, so it gets a second before the connections are cut.
 */
async function closeConnection(conn: Connection): Promise<void> {
  await withinMs(Promise.allSettled([conn.events.close(), conn.queue.close()]), CLOSE_WAIT_MS);
  await withinMs(Promise.allSettled([conn.events.disconnect(), conn.queue.disconnect()]), CLOSE_WAIT_MS);
  conn.client.disconnect();
}

export class RedisEngine implements ExecutionEngine {
  readonly kind = 'redis' as const;
  private connection: Promise<Connection> | null = null;
  private probe: RedisProbe | null = null;

  constructor(private readonly o: RedisEngineOptions) {
    if (!o.redisUrl) throw new ExecutorError('The Redis engine needs a Redis URL: set REDIS_URL', 'REDIS_URL');
  }

  async open(matrix: RowSource, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const started = startRun(run);
    const chunks = chunkRanges(matrix.rows, chunkRows);
    const conn = await this.connect();
    let workers: number;
    try {
      workers = await this.requireWorkers(conn);
    } catch (error) {
      throw this.unreachableOr(error);
    }
    run.log?.(`Redis engine at ${redactUrl(this.o.redisUrl)}: ${workers} worker process(es) connected`);
    const runId = randomUUID();
    const shared = this.sharedFile(matrix);
    const remote = { runId, chunks: chunks.length };
    run.onRemoteSession?.(remote, true);
    const drop = async (): Promise<void> => {
      if (shared === undefined) await this.dropChunks(conn.client, runId, chunks.length);
      run.onRemoteSession?.(remote, false);
    };
    if (shared !== undefined) {
      run.log?.(`Redis engine: the workers read the rows from ${shared} in the shared data folder, not through Redis`);
    } else {
      try {
        await this.storeChunks(conn.client, runId, matrix, chunks);
      } catch (error) {
        await drop();
        throw cancellationOr(this.unreachableOr(error), run.signal);
      }
    }
    const groups = splitChunks(chunks.length, run.numWorkers * 2);
    let maps = 0;

    const map = async (name: string, params: unknown): Promise<ChunkResults> => {
      throwIfAborted(run.signal);
      maps++;
      const { lengths, offsets, total } = resultLayout(name, params, chunks, matrix.cols);
      const ttl = this.o.dataTtlSeconds ?? 3600;
      const mapParams = paramsKey(runId, maps);
      const jobIds = groups.map((_, g) => `${runId}-${maps}-${g}`);
      try {
        if (shared === undefined) await this.touchChunks(conn.client, runId, chunks.length);
        await conn.client.set(mapParams, encodeTransport(params), 'EX', ttl);
        const keys = await this.runJobs(
          conn,
          groups.map(([first, end], g) => ({
            jobId: jobIds[g],
            data: {
              runId,
              kernel: name,
              first,
              end,
              cols: matrix.cols,
              paramsKey: mapParams,
              resultTtlSeconds: ttl,
              ...(shared !== undefined ? { file: shared, ranges: chunks.slice(first, end).map(([s, e]) => [s, e] as [number, number]) } : {}),
            },
          })),
          run,
        );
        const results = await this.readResults(conn.client, jobIds, keys);
        const out = new Float64Array(total);
        groups.forEach(([first, end], g) => {
          const values = results[g];
          const expected = offsets[end - 1] + lengths[end - 1] - offsets[first];
          if (values.length !== expected) {
            throw new ExecutorError(`a Redis worker returned ${values.length} values for chunks ${first}–${end - 1} of kernel "${name}", expected ${expected}`);
          }
          out.set(values, offsets[first]);
        });
        return resultsIn(out, offsets, lengths);
      } catch (error) {
        throw cancellationOr(this.unreachableOr(error), run.signal);
      } finally {
        await conn.client.unlink(mapParams, ...jobIds.map(resultKey)).catch(() => undefined);
      }
    };

    return {
      chunks,
      map,
      info: () => runInfo('redis', run, workers, started),
      close: drop,
    };
  }

  /** Builds this engine on a driver thread, where each map's params are encoded and its results decoded. */
  threadOptions(): Record<string, unknown> {
    return { ...this.o };
  }

  /**
   * A session whose driver thread was terminated (a cancel) cannot close itself: its queued jobs are removed
   * (a job a worker already holds finishes, unread) and its rows deleted from Redis. Twice: the thread's last
   * commands (a chunk stored, jobs added) travel on its own connection and may reach Redis after the first sweep.
   */
  async releaseSession(session: RemoteSession): Promise<void> {
    const conn = await this.connect();
    const sweep = async (): Promise<void> => {
      // ids only: no job's data is needed to remove it
      const queued = await conn.queue.getRanges(['waiting', 'prioritized', 'delayed']);
      await Promise.allSettled(queued.filter((id) => id.startsWith(`${session.runId}-`)).map((id) => conn.queue.remove(id)));
      await this.dropChunks(conn.client, session.runId, session.chunks);
      await this.unlinkMatching(conn.client, sessionParamsPattern(session.runId));
      await this.unlinkMatching(conn.client, sessionResultsPattern(session.runId));
    };
    await sweep();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sweep();
  }

  /** A row file's path relative to the shared data folder, when there is one and the file is in it. */
  private sharedFile(matrix: RowSource): string | undefined {
    if (!isRowFile(matrix) || !this.o.sharedDataDir) return undefined;
    const rel = relative(resolve(this.o.sharedDataDir), resolve(matrix.file));
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
  }

  /** Each job's results from the key its worker wrote them under (the job's return value), in job order. */
  private async readResults(client: Redis, jobIds: string[], returned: string[]): Promise<Float64Array[]> {
    const pipeline = client.pipeline();
    jobIds.forEach((id, g) => {
      if (returned[g] !== resultKey(id)) {
        throw new ExecutorError(`a Redis worker answered job ${id} with "${returned[g].slice(0, 80)}", not its result key: is it an older version of Mixflow?`);
      }
      pipeline.getBuffer(resultKey(id));
    });
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, bytes], g) => {
      if (error) throw error;
      if (!bytes) throw new ExecutorError(`the results of job ${jobIds[g]} are not in Redis (expired or removed)`);
      return bufferToFloat64(bytes as Buffer);
    });
  }

  /** Deletes the keys matching a pattern (SCAN, not KEYS: Redis keeps serving meanwhile). */
  private async unlinkMatching(client: Redis, pattern: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await client.unlink(...keys);
    } while (cursor !== '0');
  }

  /** The Redis server's state for /api/health: up when it answers a PING within a second. */
  async services(): Promise<Record<string, 'up' | 'down'>> {
    this.probe ??= new RedisProbe(this.o.redisUrl);
    return { redis: (await this.probe.up()) ? 'up' : 'down' };
  }

  async close(): Promise<void> {
    this.probe?.close();
    this.probe = null;
    const pending = this.connection;
    this.connection = null;
    if (!pending) return;
    const conn = await pending.catch(() => null);
    if (conn) await closeConnection(conn);
  }

  /** A failure of the connection itself, as the one unreachable message; any other error as it is. */
  private unreachableOr(error: unknown): unknown {
    return isConnectionFailure(error) ? redisUnreachable(this.o.redisUrl) : error;
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
      const conn = { client, queue, events };
      // Redis may go away between the PING and here: the blocking reader would wait for it for ever
      const ready = await withinMs(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), CONNECT_WAIT_MS);
      if (!ready) {
        await closeConnection(conn);
        throw redisUnreachable(this.o.redisUrl);
      }
      return conn;
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

  /**
   * Every chunk into Redis, once per session. A row file's chunks are read from it one at a time (the rows are never
   * all in this process); the workers then get every chunk through Redis, as for rows in memory.
   */
  private async storeChunks(client: Redis, runId: string, matrix: RowSource, ranges: ReadonlyArray<readonly [number, number]>): Promise<void> {
    const ttl = this.o.dataTtlSeconds ?? 3600;
    const batch = 16; // keeps a pipeline's buffered bytes bounded on big inputs
    const reader = isRowFile(matrix) ? new RowFileReader(matrix) : undefined;
    // a copy of the reader's buffer, which the next read overwrites before the pipeline is sent
    const rowsOf = (start: number, end: number) => (reader ? reader.read(start, end).slice() : (matrix as { data: Float64Array }).data.subarray(start * matrix.cols, end * matrix.cols));
    try {
      for (let b = 0; b < ranges.length; b += batch) {
        const pipeline = client.pipeline();
        ranges.slice(b, b + batch).forEach(([start, end], i) => {
          pipeline.set(chunkKey(runId, b + i), float64ToBuffer(rowsOf(start, end)), 'EX', ttl);
        });
        await pipeline.exec();
      }
    } finally {
      reader?.close();
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
  private async runJobs(conn: Connection, specs: Array<{ jobId: string; data: MapJobData }>, run: EngineRunOptions): Promise<string[]> {
    const jobs: Job[] = await conn.queue.addBulk(
      specs.map((s) => ({
        name: JOB_NAME,
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
            () => reject(redisUnreachable(this.o.redisUrl)),
          );
        }, Math.min(1000, limit));
        Promise.all(jobs.map((job) => job.waitUntilFinished(conn.events))).then(
          (values) => resolve(values.map((v) => String(v))),
          (error: Error) =>
            reject(
              isConnectionFailure(error)
                ? redisUnreachable(this.o.redisUrl)
                : new ExecutorError(`A Redis worker failed a ${specs[0]?.data.kernel ?? JOB_NAME} job: ${error.message}`),
            ),
        );
      });
    } finally {
      stopListening();
      clearInterval(watchdog);
      conn.events.off('stalled', onStalled);
    }
  }
}
