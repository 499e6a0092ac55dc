import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ModelPayload, ModelPortSchema, ModelSummary } from '@mixflow/component-sdk';

/** What a model's row keeps of its payload besides the summary: the format's version, the port schema and the codec's head. */
export interface ModelHeader {
  version: number;
  portSchema: ModelPortSchema;
  head?: ModelPayload;
}

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

  /**
   * The payload's JSON file under models/ (a name the server made). Null only in rows stored before payloads
   * moved to files, which start-up moves there.
   */
  @Column('varchar', { nullable: true })
  file!: string | null;

  /** null in rows stored before payloads moved to files */
  @Column('simple-json', { nullable: true })
  header!: ModelHeader | null;

  /**
   * The payload of rows stored before payloads moved to files (a GMM file without modelType in rows stored before
   * model types existed); null once moved. Never selected with the summary columns.
   */
  @Column('simple-json', { nullable: true, select: false })
  model!: ModelPayload | null;

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
