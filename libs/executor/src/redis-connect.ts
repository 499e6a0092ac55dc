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

/**
 * Whether Redis answers a PING within `timeoutMs`, on a client kept for the purpose (it reconnects in the
 * background, so a Redis that comes back is seen as up again within seconds).
 */
export class RedisProbe {
  private client: Redis | null = null;

  constructor(private readonly redisUrl: string) {}

  async up(timeoutMs = 1000): Promise<boolean> {
    const { url, ...options } = connectionOptions(this.redisUrl, 'driver');
    this.client ??= new Redis(url, { ...options, connectTimeout: timeoutMs, disconnectTimeout: 300 }).on('error', () => undefined);
    const client = this.client;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const ready =
      client.status === 'ready'
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            client.once('ready', () => resolve(true));
            client.once('end', () => resolve(false));
          });
    try {
      if (!(await Promise.race([ready, timeout]))) return false;
      return await Promise.race([client.ping().then((r) => r === 'PONG', () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.client?.disconnect();
    this.client = null;
  }
}
