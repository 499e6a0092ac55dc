import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ColumnStats } from '@mixflow/data-engine';
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

  /** per-column statistics of the stored file (computed at upload or conversion); null before */
  @Column('simple-json', { nullable: true })
  stats!: ColumnStats[] | null;

  /** under <data>/datasets/: `<id>.parquet`, `<id>.<random>.parquet` once Write Dataset overwrote it (`<id>.csv` for a dataset stored before Parquet, until converted) */
  @Column('varchar')
  fileName!: string;

  @Column('varchar')
  createdAt!: string;
}
