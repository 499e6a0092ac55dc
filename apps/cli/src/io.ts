/**
 * What a command needs from its surroundings. `run(argv, io)` takes it so tests can run the CLI in-process
 * and read what it printed; `processIo()` is the real process.
 */
export interface CliOutput {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** relative paths in options resolve against it */
  cwd: string;
  env: Record<string, string | undefined>;
  /** long-running commands (`worker`) stop when it aborts; the real process aborts it on SIGINT / SIGTERM */
  signal?: AbortSignal;
  /** milliseconds a task runs before its progress bar appears on stderr (default 1000; MIXFLOW_PROGRESS_DELAY_MS) */
  progressDelayMs?: number;
}

export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    ...(process.env.MIXFLOW_PROGRESS_DELAY_MS ? { progressDelayMs: Number(process.env.MIXFLOW_PROGRESS_DELAY_MS) } : {}),
  };
}

/** Bad arguments or bad input: exit code 2 and a one-line message naming the option, row or column. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Errors that describe the user's input (the libraries' GmmInputError, TableError, ComponentError all carry
 * `details` locating the problem) exit with 2; anything else is a failure of the run itself (1).
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliUsageError) return EXIT_USAGE;
  if (error instanceof Error && typeof (error as { details?: unknown }).details === 'object') return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** One line, whatever the error carried. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
