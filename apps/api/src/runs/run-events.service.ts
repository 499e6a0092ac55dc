import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import { from, Observable, Subject, takeWhile } from 'rxjs';
import type { RunLogDto } from './dto/run.dto';
import type { RunEntity, RunStatus } from './entities/run.entity';
import { RunStoreService } from './run-store.service';

/** The server-sent events of docs/rest-api.md. */
export type RunEvent =
  | { type: 'node'; nodeId: string; status: string; progress: number; message?: string }
  | { type: 'log'; nodeId?: string; level: string; message: string; time: string }
  | { type: 'metric'; nodeId: string; name: string; value: unknown }
  | { type: 'run'; status: RunStatus; error?: string };

interface Channel {
  events: Subject<RunEvent>;
  /** log events emitted so far; their rows are the run's first ones in run_logs (written in order) */
  logsEmitted: number;
}

/** A running run's event channel, and the SSE stream of any run: a replay of its state and logs, then live events. */
@Injectable()
export class RunEventsService {
  private readonly logger = new Logger('Runs');
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly store: RunStoreService) {}

  open(runId: string): void {
    this.channels.set(runId, { events: new Subject<RunEvent>(), logsEmitted: 0 });
  }

  /** Sends an event to the run's subscribers; a log event must be stored (in order) by the caller. */
  emit(runId: string, e: RunEvent): void {
    const channel = this.channels.get(runId);
    if (!channel) return;
    if (e.type === 'log') channel.logsEmitted++;
    channel.events.next(e);
  }

  /** Ends the run's streams (after its `run` event). */
  close(runId: string): void {
    this.channels.get(runId)?.events.complete();
    this.channels.delete(runId);
  }

  /**
   * The current state of every node and its metrics so far, then the logs stored so far (as `log` events), then
   * live events until the run ends (then the stream closes). A console that connects late sees every log once
   * and the latest value of every metric.
   */
  async stream(id: string): Promise<Observable<MessageEvent>> {
    const run = await this.store.find(id);
    const channel = this.channels.get(id);
    const toMessage = (e: RunEvent): MessageEvent => ({ data: e });
    const toLogEvent = (l: RunLogDto): RunEvent => ({ type: 'log', ...l });
    if (!channel) {
      const logs = await this.store.logs(id);
      const end: RunEvent = { type: 'run', status: run.status, ...(run.error ? { error: run.error } : {}) };
      return from([...snapshot(run), ...logs.map(toLogEvent), end].map(toMessage));
    }
    return new Observable<MessageEvent>((subscriber) => {
      // subscribe first and hold live events back until the snapshot and the stored logs are out, so nothing
      // between them is lost; the logs emitted before this point are exactly the run's first stored ones
      const buffered: RunEvent[] = [];
      let replaying = true;
      let ended = false;
      let closed = false;
      const sub = channel.events.pipe(takeWhile((e) => e.type !== 'run', true)).subscribe({
        next: (e) => (replaying ? buffered.push(e) : subscriber.next(toMessage(e))),
        complete: () => {
          ended = true;
          if (!replaying) subscriber.complete();
        },
      });
      for (const e of snapshot(run)) subscriber.next(toMessage(e));
      const logsBefore = channel.logsEmitted;
      const stored = logsBefore > 0 ? this.store.logs(id, logsBefore) : Promise.resolve([]);
      stored
        .catch((err: Error) => {
          this.logger.warn(`run ${id}: could not replay the stored logs: ${err.message}`);
          return [];
        })
        .then((logs) => {
          if (closed) return;
          for (const l of logs) subscriber.next(toMessage(toLogEvent(l)));
          replaying = false;
          for (const e of buffered) subscriber.next(toMessage(e));
          if (ended) subscriber.complete();
        });
      return () => {
        closed = true;
        sub.unsubscribe();
      };
    });
  }
}

/** Node states, then each node's metrics so far: a metric is a latest value, so sending one again is harmless. */
function snapshot(r: RunEntity): RunEvent[] {
  return [
    ...Object.entries(r.nodes).map(([nodeId, n]): RunEvent => ({ type: 'node', nodeId, status: n.status, progress: n.progress, ...(n.message ? { message: n.message } : {}) })),
    ...Object.entries(r.nodes).flatMap(([nodeId, n]) => Object.entries(n.metrics ?? {}).map(([name, value]): RunEvent => ({ type: 'metric', nodeId, name, value }))),
  ];
}
