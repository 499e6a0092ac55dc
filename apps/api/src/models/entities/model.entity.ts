import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ModelPayload, ModelSummary } from '@mixflow/component-sdk';

@Entity('models')
export class ModelEntity {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  name!: string;

  /** the plugin's model type, whose codec reads `model` */
  @Column('varchar')
  modelType!: string;

  /** the codec's summary when the model was stored */
  @Column('simple-json')
  summary!: ModelSummary;

  /** the model payload (rows stored before model types existed hold a GMM file without modelType) */
  @Column('simple-json')
  model!: ModelPayload;

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
