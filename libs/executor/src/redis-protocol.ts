/** What the Redis engine and its worker processes agree on: queue, keys, job payloads, connections. */
export const QUEUE_NAME = 'mixflow-em';
export const QUEUE_PREFIX = 'mixflow';

/** Binary rows of one chunk of one session (row-major float64), stored once per session with an expiry. */
export function chunkKey(runId: string, chunk: number): string {
  return `${QUEUE_PREFIX}:rows:${runId}:${chunk}`;
}

/** One job: a registered kernel over a group of chunks of one session. */
export interface MapJobData {
  runId: string;
  kernel: string;
  /** chunk indices [first, end) of this job, in chunk order */
  first: number;
  end: number;
  cols: number;
  /** the kernel's params through encodeTransport */
  params: string;
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
