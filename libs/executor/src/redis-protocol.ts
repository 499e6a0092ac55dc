/** What the Redis engine and its worker processes agree on: queue, keys, job payloads, connections. */
export const QUEUE_NAME = 'mixflow-em';
export const QUEUE_PREFIX = 'mixflow';

/** Binary rows of one chunk of one session (row-major float64), stored once per session with an expiry. */
export function chunkKey(runId: string, chunk: number): string {
  return `${QUEUE_PREFIX}:rows:${runId}:${chunk}`;
}

/**
 * One map's params (encodeTransport text), stored once per map with an expiry: jobs name the key, so a wide model's
 * megabytes of params are neither copied into every job nor kept in BullMQ's job hashes and event log.
 */
export function paramsKey(runId: string, map: number): string {
  return `${QUEUE_PREFIX}:params:${runId}:${map}`;
}

/** Every params key of one session (for the sweep after a cancel). */
export function sessionParamsPattern(runId: string): string {
  return `${QUEUE_PREFIX}:params:${runId}:*`;
}

/**
 * One job's results (binary float64, the job's chunks in order), written by the worker with an expiry and read then
 * deleted by the driver; the job's return value is only this key.
 */
export function resultKey(jobId: string): string {
  return `${QUEUE_PREFIX}:result:${jobId}`;
}

/** Every result key of one session's jobs (their ids start with the session's run id). */
export function sessionResultsPattern(runId: string): string {
  return `${resultKey(runId)}-*`;
}

/** One job: a registered kernel over a group of chunks of one session. */
export interface MapJobData {
  runId: string;
  kernel: string;
  /** chunk indices [first, end) of this job, in chunk order */
  first: number;
  end: number;
  cols: number;
  /** where the kernel's params are (paramsKey; encodeTransport text) */
  paramsKey: string;
  /** seconds the worker keeps the job's results in Redis for the driver to read */
  resultTtlSeconds: number;
  /**
   * Set when the rows are a row file in the data folder the server and the workers share: its path relative to that
   * folder, and the row ranges of this job's chunks; the worker reads them from the file instead of from Redis.
   */
  file?: string;
  ranges?: Array<[number, number]>;
}

export const JOB_NAME = 'map';

/**
 * ioredis options. Every role reconnects after a drop; the driver's commands fail at once while
 * disconnected (a clear error, not a hang), a worker's and a blocking reader's wait for the reconnect.
 */
export function connectionOptions(redisUrl: string, role: 'driver' | 'worker' | 'blocking') {
  return {
    url: redisUrl,
    connectTimeout: 3000,
    enableOfflineQueue: role !== 'driver',
    maxRetriesPerRequest: role === 'driver' ? 1 : null,
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
  };
}

/** "redis://user:secret@host:6379/0" → "redis://host:6379/0" for messages and logs. */
export function redactUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(an unparsable REDIS_URL)';
  }
}
