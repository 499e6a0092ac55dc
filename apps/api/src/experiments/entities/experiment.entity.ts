import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Graph } from '@mixflow/workflow';

@Entity('experiments')
export class ExperimentEntity {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  name!: string;

  @Column('integer')
  version!: number;

  @Column('simple-json')
  graph!: Graph;

  @Column('varchar')
  createdAt!: string;

  @Column('varchar')
  updatedAt!: string;
}
