import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Graph } from '@mixflow/workflow';

/** Every save of an experiment, so a run can say which graph it ran. */
@Entity('experiment_versions')
export class ExperimentVersionEntity {
  @PrimaryColumn('varchar')
  experimentId!: string;

  @PrimaryColumn('integer')
  version!: number;

  @Column('varchar')
  name!: string;

  @Column('simple-json')
  graph!: Graph;

  @Column('varchar')
  savedAt!: string;
}
