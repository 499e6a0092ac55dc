import Redis from 'ioredis';
import { connectionOptions, redactUrl } from './redis-protocol';
import { ExecutorError } from './run-support';

/** The one message for a Redis server that does not answer, whatever ioredis said about it. */
export function redisUnreachable(redisUrl: string): ExecutorError {
  return new ExecutorError(`Redis at ${redactUrl(redisUrl)} is unreachable`, 'REDIS_URL');
}

/** ioredis's words for a connection that is not there (refused, dropped, timed out, offline with no queue). */
const CONNECTION_FAILURE = /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|max retries|connect ETIMEDOUT/i;

/** Whether `error` says the connection to Redis is gone (rather than a command's own failure). */
export function isConnectionFailure(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ExecutorError) && CONNECTION_FAILURE.test(error.message);
}

/** Opens a client and proves the server answers, or fails within seconds with redisUnreachable's message. */
export async function connectRedis(redisUrl: string, role: 'driver' | 'worker'): Promise<Redis> {
  const { url, ...options } = connectionOptions(redisUrl, role);
  // a short disconnectTimeout: ioredis arms it even when the socket is already gone, holding the process open
  const client = new Redis(url, { ...options, lazyConnect: true, disconnectTimeout: 300 });
  client.on('error', () => undefined); // commands fail on their own; without a listener ioredis prints every retry
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    throw redisUnreachable(redisUrl);
  }
}

/** How long a PONG vouches for a connected Redis that is busy with a large command (a map's params, tens of MB). */
const PONG_FRESH_MS = 5000;
/** How long a PING may wait behind such a command before the fresh PONG answers for it. */
const BUSY_GRACE_MS = 100;

/**
 * Whether Redis is up, on a client kept for the purpose (it reconnects in the background, so a Redis that comes
 * back is seen as up again within seconds): not while the connection is down; else when a PING answers within
 * `timeoutMs`, or when one answered in the last PONG_FRESH_MS and the next is still queued, BUSY_GRACE_MS later,
 * behind Redis's current command (Redis runs one command at a time: storing or reading a wide fit's job takes it a second, which must
 * not make the server look down). A connected Redis that stops answering is down after PONG_FRESH_MS.
 */
export class RedisProbe {
  private client: Redis | null = null;
  private lastPong = 0;
  private pending: Promise<boolean> | null = null;

  constructor(private readonly redisUrl: string) {}

  async up(timeoutMs = 1000): Promise<boolean> {
    const { url, ...options } = connectionOptions(this.redisUrl, 'driver');
    this.client ??= new Redis(url, { ...options, connectTimeout: timeoutMs, disconnectTimeout: 300 }).on('error', () => undefined);
    const client = this.client;
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    let onReady = () => undefined as void;
    let onEnd = () => undefined as void;
    const ready =
      client.status === 'ready'
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            onReady = () => resolve(true);
            onEnd = () => resolve(false);
            client.once('ready', onReady);
            client.once('end', onEnd);
          });
    try {
      if (!(await Promise.race([ready, timeout]))) return false;
      this.pending ??= client.ping().then(
        (reply) => {
          this.pending = null;
          if (reply === 'PONG') this.lastPong = Date.now();
          return reply === 'PONG';
        },
        () => {
          this.pending = null;
          return false;
        },
      );
      // a fresh PONG: a dead connection still fails its PING at once, a busy Redis gets the benefit of the doubt
      const busy = Date.now() - this.lastPong < PONG_FRESH_MS ? new Promise<true>((resolve) => (grace = setTimeout(() => resolve(true), BUSY_GRACE_MS))) : timeout;
      return await Promise.race([this.pending, busy]);
    } finally {
      clearTimeout(timer);
      clearTimeout(grace);
      // a check that timed out while Redis was down leaves no listener behind (one pair per check grew without end)
      client.off('ready', onReady);
      client.off('end', onEnd);
    }
  }

  close(): void {
    this.client?.disconnect();
    this.client = null;
    this.pending = null;
    this.lastPong = 0;
  }
}
