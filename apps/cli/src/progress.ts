/**
 * Progress on stderr (cli-progress): a bar on a terminal, unless --quiet; on a pipe or a file nothing, unless
 * --verbose, which writes the bar's line once a second instead. A bar appears only once its task has run for a
 * while, so quick commands stay quiet.
 */
import { SingleBar } from 'cli-progress';
import { describeStart, type FitProgress, type StartProgress } from '@mixflow/plugin-gmm';
import type { CliIo } from './io';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** --quiet and --verbose, as the root command parsed them. */
export function verbosityOf(options: { quiet?: boolean; verbose?: boolean }): Verbosity {
  return options.quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal';
}

/** Whether progress shows at all, and how: a redrawn bar on a terminal, a line a second elsewhere. */
export function progressMode(io: CliIo, verbosity: Verbosity): 'bar' | 'lines' | 'off' {
  if (verbosity === 'quiet') return 'off';
  if (io.stderr.isTTY) return 'bar';
  return verbosity === 'verbose' ? 'lines' : 'off';
}

type Payload = Record<string, string | number>;

/** One task's bar: start it, update it, stop it; it draws itself after the io's progress delay. */
export class ProgressBar {
  private bar: SingleBar | undefined;
  private state: { total: number; value: number; payload: Payload } | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly mode: 'bar' | 'lines' | 'off';

  constructor(private readonly io: CliIo, verbosity: Verbosity, private readonly format: string) {
    this.mode = progressMode(io, verbosity);
    if (this.mode === 'off') return;
    this.timer = setTimeout(() => this.show(), io.progressDelayMs ?? 1000);
    this.timer.unref();
  }

  update(value: number, total: number, payload: Payload = {}): void {
    if (this.mode === 'off') return;
    this.state = { total, value, payload };
    if (this.bar) {
      if (this.bar.getTotal() !== total) this.bar.setTotal(total);
      this.bar.update(value, payload);
    } else if ((this.io.progressDelayMs ?? 1000) <= 0) this.show();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.bar?.stop();
    this.bar = undefined;
  }

  private show(): void {
    if (this.bar || !this.state) return;
    this.bar = new SingleBar({
      stream: this.io.stderr as unknown as NodeJS.WritableStream,
      format: this.format,
      noTTYOutput: this.mode === 'lines',
      notTTYSchedule: 1000,
      hideCursor: false,
      clearOnComplete: false,
      etaBuffer: 20,
    });
    this.bar.start(this.state.total, this.state.value, this.state.payload);
  }
}

/**
 * The bars of gmm-train's fit: each trial's start (k-means++ centers, k-means iterations, refined's samplings: the
 * seconds before the first EM iteration on a large input), then EM's iteration of maxIter, trial, mean
 * log-likelihood and time.
 */
export class FitProgressLine {
  private readonly bar: ProgressBar;
  private start: { trial: number; bar: ProgressBar } | undefined;

  constructor(private readonly io: CliIo, private readonly verbosity: Verbosity) {
    this.bar = new ProgressBar(io, verbosity, 'gmm-train [{bar}] iteration {value}/{total} | trial {trial} | mean log-likelihood {ll} | {secs} s');
  }

  /** A step of a trial's start: its own bar, ended when the trial's first iteration arrives. */
  starting(e: StartProgress): void {
    if (this.start?.trial !== e.trial) {
      this.start?.bar.stop();
      this.start = { trial: e.trial, bar: new ProgressBar(this.io, this.verbosity, 'gmm-train starting [{bar}] {step} | trial {trial} | {secs} s') };
    }
    this.start.bar.update(e.step, e.steps, { step: describeStart(e), trial: e.trial + 1, secs: e.seconds.toFixed(1) });
  }

  update(e: FitProgress): void {
    this.start?.bar.stop();
    this.bar.update(e.iteration, e.maxIter, { trial: e.trial + 1, ll: e.meanLogLikelihood.toFixed(6), secs: e.seconds.toFixed(1) });
  }

  stop(): void {
    this.start?.bar.stop();
    this.bar.stop();
  }
}

/** The reading bar of a command's input file: bytes read of the file's size. */
export function readingBar(io: CliIo, verbosity: Verbosity, command: string, file: string): { onBytes: (read: number, size: number) => void; stop: () => void } {
  const bar = new ProgressBar(io, verbosity, `${command} reading ${file} [{bar}] {percentage}% | {readMb}/{sizeMb} MB | {eta_formatted} left`);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return {
    onBytes: (read, size) => bar.update(read, size, { readMb: mb(read), sizeMb: mb(size) }),
    stop: () => bar.stop(),
  };
}

/** The prediction bar: rows predicted of the input's rows (the component reports a fraction after each batch). */
export function predictingBar(io: CliIo, verbosity: Verbosity, command: string, rows: number): { onProgress: (fraction: number) => void; stop: () => void } {
  const bar = new ProgressBar(io, verbosity, `${command} predicting [{bar}] {value}/{total} rows | {eta_formatted} left`);
  return {
    onProgress: (fraction) => bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * rows), rows),
    stop: () => bar.stop(),
  };
}
