import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TableSchema } from '@mixflow/table';

@Entity('datasets')
export class DatasetEntity {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  name!: string;

  @Column('simple-json')
  schema!: TableSchema;

  @Column('integer')
  rowCount!: number;

  @Column('integer')
  bytes!: number;

  @Column('boolean')
  builtIn!: boolean;

  /** under <data>/datasets/ */
  @Column('varchar')
  fileName!: string;

  @Column('varchar')
  createdAt!: string;
}
