import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named prediction endpoint serving one stored model; PUT swaps the model (its counters live in memory). */
@Entity('deployments')
export class DeploymentEntity {
  @PrimaryColumn('varchar')
  name!: string;

  @Column('varchar')
  modelId!: string;

  @Column('varchar')
  createdAt!: string;

  /** when the model was last swapped (createdAt until then) */
  @Column('varchar')
  updatedAt!: string;
}
