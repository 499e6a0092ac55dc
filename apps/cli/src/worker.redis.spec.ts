/**
 * `mixflow worker` and `gmm-train --engine redis` against a real redis-server on a free loopback port
 * (`npm run test:redis`; the worker runs as the real bin, so `npm run build` first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, startChild, startRedisServer, type StartedChild } from '@mixflow/testing';
import { run } from './main';
import { PAI_CSV, testIo } from './__fixtures__/test-io';

jest.setTimeout(120_000);

const BIN = path.resolve(__dirname, '..', 'bin', 'mixflow.js');

describe('mixflow worker with a real redis-server', () => {
  let redis: StartedChild | undefined;
  let worker: StartedChild | undefined;
  let redisUrl = '';

  beforeAll(async () => {
    const server = await startRedisServer();
    redis = server;
    redisUrl = server.url;
    worker = await startChild(process.execPath, [BIN, 'worker'], { env: { REDIS_URL: redisUrl }, ready: /mixflow worker: serving/ });
  });

  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
  });

  it('gmm-train --engine redis runs on the worker and gives the in-process model', async () => {
    const inline = testIo();
    expect(await run(['gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--output', 'a.json'], inline)).toBe(0);
    const remote = testIo({ REDIS_URL: redisUrl });
    remote.cwd = inline.cwd;
    const code = await run(['gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--engine', 'redis', '--workers', '2', '--output', 'b.json', '--json'], remote);
    expect(remote.err()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(remote.out()).engine).toBe('redis');
    const load = (file: string) => {
      const m = JSON.parse(fs.readFileSync(path.join(inline.cwd, file), 'utf8'));
      delete m.training.seconds;
      return m;
    };
    expect(load('b.json')).toEqual(load('a.json'));
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await worker!.stop('SIGTERM')).toBe(0);
    expect(worker!.output()).toMatch(/mixflow worker: stopped/);
  });

  it('an unreachable Redis fails within seconds with a message naming it', async () => {
    const closed = await freePort();
    const io = testIo({ REDIS_URL: `redis://127.0.0.1:${closed}` });
    const started = Date.now();
    const code = await run(['gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--engine', 'redis'], io);
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(io.err()).toMatch(new RegExp(`127\\.0\\.0\\.1:${closed}`));
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });
});
