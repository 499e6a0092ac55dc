import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const NODE_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface StoredRunOutput {
  port: number;
  type: 'table' | 'model';
  rowCount?: number;
  schema?: import('@mixflow/table').TableSchema;
  modelId?: string;
  /** table outputs: file name under the run's folder (not exposed) */
  file?: string;
  /** table outputs that are a stored dataset as it was read: that dataset, instead of a file (not exposed) */
  datasetId?: string;
}

export interface RunNodeState {
  status: NodeStatus;
  progress: number;
  message?: string;
  error?: string;
  details?: Record<string, unknown>;
  startedAt?: string;
  finishedAt?: string;
  metrics: Record<string, unknown>;
  outputs: StoredRunOutput[];
}

@Entity('runs')
@Index(['experimentId'])
export class RunEntity {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  experimentId!: string;

  @Column('integer')
  experimentVersion!: number;

  @Column('varchar')
  status!: RunStatus;

  @Column('varchar')
  engine!: string;

  @Column('varchar', { nullable: true })
  fromNode!: string | null;

  @Column('varchar', { nullable: true })
  onlyNode!: string | null;

  @Column('varchar')
  createdAt!: string;

  @Column('varchar', { nullable: true })
  startedAt!: string | null;

  @Column('varchar', { nullable: true })
  finishedAt!: string | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('simple-json')
  nodes!: Record<string, RunNodeState>;
}
