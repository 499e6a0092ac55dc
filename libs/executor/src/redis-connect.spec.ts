import { freePort } from '@mixflow/testing';
import { RedisProbe } from './redis-connect';

describe('RedisProbe (what /api/health asks) while Redis is down', () => {
  it('says down, and repeated checks leave no listeners behind on the connection', async () => {
    const probe = new RedisProbe(`redis://127.0.0.1:${await freePort()}`);
    try {
      for (let i = 0; i < 6; i++) expect(await probe.up(50)).toBe(false);
      const client = (probe as unknown as { client: { listenerCount(event: string): number } }).client;
      expect(client.listenerCount('ready')).toBe(0);
      expect(client.listenerCount('end')).toBe(0);
    } finally {
      probe.close();
    }
  });
});
