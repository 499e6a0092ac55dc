/**
 * The progress line of a long fit on stderr (cli-progress). It appears only once a fit has run for a while,
 * so quick fits and scripts reading stderr stay quiet.
 */
import { SingleBar } from 'cli-progress';
import type { FitProgress } from '@mixflow/plugin-gmm';
import type { CliIo } from './io';

export class FitProgressLine {
  private bar: SingleBar | undefined;
  private last: FitProgress | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly io: CliIo) {
    this.timer = setTimeout(() => this.show(), io.progressDelayMs ?? 1000);
    this.timer.unref();
  }

  update(event: FitProgress): void {
    this.last = event;
    if (this.bar) this.bar.update(event.iteration, this.payload(event));
    else if ((this.io.progressDelayMs ?? 1000) <= 0) this.show();
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
    }
  }

  private payload(e: FitProgress) {
    return { trial: e.trial + 1, ll: e.meanLogLikelihood.toFixed(6), secs: e.seconds.toFixed(1) };
  }

  private show(): void {
    if (this.bar || !this.last) return;
    this.bar = new SingleBar({
      stream: this.io.stderr as unknown as NodeJS.WritableStream,
      format: 'gmm-train [{bar}] iteration {value}/{total} | trial {trial} | mean log-likelihood {ll} | {secs} s',
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: false,
      clearOnComplete: false,
    });
    this.bar.start(this.last.maxIter, this.last.iteration, this.payload(this.last));
  }
}
