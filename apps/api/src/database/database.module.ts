import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';
import { DatasetEntity } from '../datasets/entities/dataset.entity';
import { DeletedDatasetEntity } from '../datasets/entities/deleted-dataset.entity';
import { DeploymentEntity } from '../deployments/entities/deployment.entity';
import { ExperimentVersionEntity } from '../experiments/entities/experiment-version.entity';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ModelEntity } from '../models/entities/model.entity';
import { RunLogEntity } from '../runs/entities/run-log.entity';
import { RunEntity } from '../runs/entities/run.entity';
import { InitialSchema1763800000000 } from './migrations/1763800000000-initial-schema';
import { GenericModels1764600000000 } from './migrations/1764600000000-generic-models';
import { DatasetStats1764700000000 } from './migrations/1764700000000-dataset-stats';
import { Deployments1764800000000 } from './migrations/1764800000000-deployments';
import { DeletedDatasets1764900000000 } from './migrations/1764900000000-deleted-datasets';
import { ModelFiles1765000000000 } from './migrations/1765000000000-model-files';

export const ENTITIES = [DatasetEntity, ExperimentEntity, ExperimentVersionEntity, RunEntity, RunLogEntity, ModelEntity, DeploymentEntity, DeletedDatasetEntity];
export const MIGRATIONS = [InitialSchema1763800000000, GenericModels1764600000000, DatasetStats1764700000000, Deployments1764800000000, DeletedDatasets1764900000000, ModelFiles1765000000000];

/** SQLite (better-sqlite3) in WAL mode; the schema comes from the migrations, run on every start. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const { db } = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG);
        fs.mkdirSync(path.dirname(db), { recursive: true });
        return {
          type: 'better-sqlite3' as const,
          database: db,
          enableWAL: true,
          entities: ENTITIES,
          migrations: MIGRATIONS,
          migrationsRun: true,
          synchronize: false,
          logging: ['error' as const],
        };
      },
    }),
  ],
})
export class DatabaseModule {}
