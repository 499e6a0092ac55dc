import { createServer, type Server } from 'node:net';
import { freePort } from './free-port';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('freePort', () => {
  it('returns a port that a server can listen on at once (the probe has let it go)', async () => {
    const port = await freePort();
    expect(Number.isInteger(port)).toBe(true);
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    const server = await listen(port);
    await close(server);
  });

  it('does not return a port that is taken on loopback', async () => {
    const taken = await listen(0);
    const takenPort = (taken.address() as { port: number }).port;
    try {
      for (let i = 0; i < 5; i++) expect(await freePort()).not.toBe(takenPort);
    } finally {
      await close(taken);
    }
  });
});
