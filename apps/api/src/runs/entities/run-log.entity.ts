import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LogLevel } from '@mixflow/component-sdk';

@Entity('run_logs')
@Index(['runId'])
export class RunLogEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar')
  runId!: string;

  @Column('varchar')
  time!: string;

  @Column('varchar', { nullable: true })
  nodeId!: string | null;

  @Column('varchar')
  level!: LogLevel;

  @Column('text')
  message!: string;
}
