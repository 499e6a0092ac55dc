import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';

/** A process startChild started. */
export interface StartedChild {
  child: ChildProcess;
  /** its stdout and stderr so far, as they arrived */
  output(): string;
  /** Sends `signal` unless it has exited already, waits for the exit and closes its pipes; its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartChildOptions {
  /** added to this process's environment */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** what its output shows once it is ready */
  ready: RegExp;
  /** how long it may take to get ready; default 30 s */
  timeoutMs?: number;
}

/**
 * Spawns `command` (stdin ignored, stdout and stderr piped) and resolves once its output so far matches `ready`,
 * with the match; rejects with the output when it exits first or is not ready in time (it is killed then).
 */
export function startChild(command: string, args: readonly string[], o: StartChildOptions): Promise<StartedChild & { ready: RegExpExecArray }> {
  const child = spawn(command, args, { env: { ...process.env, ...o.env }, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    child.stdout?.destroy();
    child.stderr?.destroy();
    return child.exitCode;
  };
  return new Promise((resolve, reject) => {
    const timeoutMs = o.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      reject(new Error(`${command} was not ready within ${timeoutMs / 1000} s:\n${output}`));
      void stop('SIGKILL');
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = o.ready.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, output: () => output, stop, ready });
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

/** A throwaway redis-server on a free loopback port, without persistence; `stop('SIGKILL')` is a crash. */
export async function startRedisServer(): Promise<StartedChild & { url: string; port: number }> {
  const port = await freePort();
  const redis = await startChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    ready: /Ready to accept connections/,
    timeoutMs: 20_000,
  });
  return { ...redis, url: `redis://127.0.0.1:${port}`, port };
}
