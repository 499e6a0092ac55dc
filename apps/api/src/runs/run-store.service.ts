import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import type { RunDto, RunLogDto } from './dto/run.dto';
import { RunLogEntity } from './entities/run-log.entity';
import { RunEntity } from './entities/run.entity';

export function toRunDto(e: RunEntity): RunDto {
  const nodes: RunDto['nodes'] = {};
  for (const [id, n] of Object.entries(e.nodes)) {
    nodes[id] = { ...n, outputs: n.outputs.map(({ file: _file, datasetId: _datasetId, ...o }) => o) };
  }
  return {
    id: e.id,
    experimentId: e.experimentId,
    experimentVersion: e.experimentVersion,
    status: e.status,
    engine: e.engine,
    ...(e.fromNode ? { fromNode: e.fromNode } : {}),
    ...(e.onlyNode ? { onlyNode: e.onlyNode } : {}),
    createdAt: e.createdAt,
    ...(e.startedAt ? { startedAt: e.startedAt } : {}),
    ...(e.finishedAt ? { finishedAt: e.finishedAt } : {}),
    ...(e.error ? { error: e.error } : {}),
    nodes,
  };
}

/** Marks a run that was in flight when the server stopped, and its unfinished nodes, interrupted. */
export function markInterrupted(run: RunEntity): void {
  run.status = 'interrupted';
  run.error = 'the server stopped while this run was in flight; start it again';
  run.finishedAt = new Date().toISOString();
  for (const node of Object.values(run.nodes)) {
    if (node.status === 'queued' || node.status === 'running' || node.status === 'cancelled') {
      node.status = 'interrupted';
      node.message = 'interrupted: the server stopped';
      node.finishedAt ??= run.finishedAt;
    }
  }
}

/**
 * The runs and their logs in SQLite. A running run's state lives in memory (tracked here) and is written through;
 * the writes of one run happen in order, so its log rows are stored in the order they were emitted.
 */
@Injectable()
export class RunStoreService {
  private readonly logger = new Logger('Runs');
  private readonly live = new Map<string, RunEntity>();
  /** DB writes of one run, in order */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(
    @InjectRepository(RunEntity) private readonly repo: Repository<RunEntity>,
    @InjectRepository(RunLogEntity) private readonly logRepo: Repository<RunLogEntity>,
  ) {}

  create(fields: RunEntity): RunEntity {
    return this.repo.create(fields);
  }

  /** Stores a new run inside a transaction that first runs `guard` (which throws to refuse it). */
  async insert(entity: RunEntity, guard: (m: EntityManager) => Promise<void>): Promise<void> {
    await this.repo.manager.transaction(async (m) => {
      await guard(m);
      await m.save(entity);
    });
  }

  /** Keeps a running run's state in memory: readers see it live rather than its last write. */
  track(entity: RunEntity): void {
    this.live.set(entity.id, entity);
  }

  release(id: string): void {
    this.live.delete(id);
  }

  /** The run (live or stored); a 404 naming it when there is none. */
  async find(id: string): Promise<RunEntity> {
    const live = this.live.get(id);
    if (live) return live;
    const run = await this.repo.findOneBy({ id });
    if (!run) throw new NotFoundException({ statusCode: 404, message: `run '${id}' does not exist`, error: 'Not Found' });
    return run;
  }

  /** The experiment's runs, newest first, running ones as they are now. */
  async runsOf(experimentId: string): Promise<RunEntity[]> {
    const rows = await this.repo.find({ where: { experimentId }, order: { createdAt: 'DESC' } });
    return rows.map((r) => this.live.get(r.id) ?? r);
  }

  /** Writes the run's status, times and node states (a snapshot: later changes do not leak into this write). */
  save(e: RunEntity): Promise<unknown> {
    const snapshot = { status: e.status, startedAt: e.startedAt, finishedAt: e.finishedAt, error: e.error, nodes: JSON.parse(JSON.stringify(e.nodes)) };
    return this.write(e.id, () => this.repo.update({ id: e.id }, snapshot));
  }

  appendLog(runId: string, log: RunLogDto): Promise<unknown> {
    return this.write(runId, () => this.logRepo.insert({ runId, time: log.time, nodeId: log.nodeId, level: log.level, message: log.message }));
  }

  /** The run's stored logs in order (the first `take` of them); waits for the writes queued so far. */
  async logs(id: string, take?: number): Promise<RunLogDto[]> {
    await this.writes.get(id);
    const rows = await this.logRepo.find({ where: { runId: id }, order: { id: 'ASC' }, ...(take !== undefined ? { take } : {}) });
    return rows.map((l) => ({ time: l.time, ...(l.nodeId ? { nodeId: l.nodeId } : {}), level: l.level, message: l.message }));
  }

  /** Runs stored as queued or running were in flight when the server stopped (a crash): marks them interrupted. */
  async interruptStale(): Promise<number> {
    const stale = await this.repo.find({ where: { status: In(['queued', 'running']) } });
    for (const run of stale) {
      markInterrupted(run);
      await this.repo.save(run);
    }
    return stale.length;
  }

  /** Every stored run's table output files, by run id (what the runs folder should hold). */
  async recordedOutputFiles(): Promise<Map<string, Set<string>>> {
    const runs = await this.repo.find({ select: { id: true, nodes: true } });
    return new Map(runs.map((r) => [r.id, new Set(Object.values(r.nodes).flatMap((n) => n.outputs.flatMap((o) => (o.file ? [o.file] : []))))]));
  }

  /** Waits for every queued write. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  private write(runId: string, work: () => Promise<unknown>): Promise<unknown> {
    const next = (this.writes.get(runId) ?? Promise.resolve()).then(work).catch((err) => {
      this.logger.error(`run ${runId}: could not store state: ${(err as Error).message}`);
    });
    this.writes.set(runId, next);
    return next;
  }
}
