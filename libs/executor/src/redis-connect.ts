import Redis from 'ioredis';
import { connectionOptions, redactUrl } from './redis-protocol';
import { ExecutorError } from './run-support';

/** Opens a client and proves the server answers, or fails within seconds with a message naming REDIS_URL. */
export async function connectRedis(redisUrl: string, role: 'driver' | 'worker'): Promise<Redis> {
  const { url, ...options } = connectionOptions(redisUrl, role);
  // a short disconnectTimeout: ioredis arms it even when the socket is already gone, holding the process open
  const client = new Redis(url, { ...options, lazyConnect: true, disconnectTimeout: 300 });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error; // commands fail on their own; this keeps the cause for the message below
  });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    const cause = lastError?.message ?? (error as Error).message;
    throw new ExecutorError(
      `Cannot reach Redis at ${redactUrl(redisUrl)} (REDIS_URL): ${cause}. ` +
        'Start redis-server there or point REDIS_URL at a running server.',
      'REDIS_URL',
    );
  }
}
