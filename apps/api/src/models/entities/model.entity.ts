import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { GmmModelJson } from '@mixflow/gmm';

@Entity('models')
export class ModelEntity {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  name!: string;

  @Column('integer')
  k!: number;

  @Column('integer')
  dims!: number;

  @Column('varchar')
  covarianceType!: string;

  /** the engine's model file */
  @Column('simple-json')
  model!: GmmModelJson;

  @Column('varchar', { nullable: true })
  experimentId!: string | null;

  @Column('varchar', { nullable: true })
  runId!: string | null;

  @Column('varchar', { nullable: true })
  nodeId!: string | null;

  @Column('varchar', { nullable: true })
  parentModelId!: string | null;

  @Column('varchar')
  createdAt!: string;
}
