import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A deleted dataset's id and the name it had, so that graphs still pointing at it (Read Dataset, an old run's
 * output) are reported as `dataset "old faithful" (deleted)` rather than by a UUID.
 */
@Entity('deleted_datasets')
export class DeletedDatasetEntity {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  name!: string;

  @Column('varchar')
  deletedAt!: string;
}
