/**
 * `mixflow worker` and `gmm-train --engine redis` against a real redis-server on a free loopback port
 * (`npm run test:redis`; the worker runs as the real bin, so `npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '@mixflow/testing';
import { run } from './main';
import { PAI_CSV, testIo } from './__fixtures__/test-io';

jest.setTimeout(120_000);

const BIN = path.resolve(__dirname, '..', 'bin', 'mixflow.js');

function start(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** The exit code, once the child has exited and its pipes are closed (so jest has nothing left open). */
async function exitOf(child: ChildProcess): Promise<number | null> {
  const running = child.exitCode === null && child.signalCode === null;
  const code = running ? await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))) : child.exitCode;
  child.stdout?.destroy();
  child.stderr?.destroy();
  return code;
}

describe('mixflow worker with a real redis-server', () => {
  let redis: ChildProcess | undefined;
  let worker: { child: ChildProcess; output: () => string } | undefined;
  let redisUrl = '';

  beforeAll(async () => {
    const port = await freePort();
    redis = (await start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/)).child;
    redisUrl = `redis://127.0.0.1:${port}`;
    worker = await start(process.execPath, [BIN, 'worker'], { REDIS_URL: redisUrl }, /mixflow worker: serving/);
  });

  afterAll(async () => {
    for (const child of [worker?.child, redis]) {
      if (!child) continue;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exitOf(child);
    }
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
    const { child, output } = worker!;
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(output()).toMatch(/mixflow worker: stopped/);
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
