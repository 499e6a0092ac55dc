import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SAMPLE_DATASETS } from '@mixflow/plugin-data';
import type { Graph } from '@mixflow/workflow';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';
import { DatasetsService } from '../datasets/datasets.service';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ExperimentsService } from '../experiments/experiments.service';
import { StorageService } from '../storage/storage.service';

export const SAMPLE_EXPERIMENT_NAME = 'GMM on three blobs';

/** Read Dataset (three blobs) → GMM Training (k = 3) → GMM Prediction, ready to run. */
export function sampleExperimentGraph(): Graph {
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', label: 'Three blobs', position: { x: 80, y: 80 }, params: { datasetId: 'sample-three-blobs' } },
      { id: 'train', componentId: 'gmm-train', label: 'GMM Training', position: { x: 80, y: 240 }, params: { vectorCol: 'features', k: 3, randomSeed: 0 } },
      {
        id: 'predict',
        componentId: 'gmm-predict',
        label: 'GMM Prediction',
        position: { x: 300, y: 400 },
        params: { vectorCol: 'features', predictionCol: 'cluster', predictionDetailCol: 'probabilities' },
      },
    ],
    edges: [
      { id: 'read-train', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 },
      { id: 'train-predict', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
      { id: 'read-predict', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
    ],
  };
}

/** On first start: the built-in sample datasets and the sample experiment. Later starts leave them alone. */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly config: ConfigService,
    private readonly datasets: DatasetsService,
    private readonly experiments: ExperimentsService,
    private readonly storage: StorageService,
    @InjectRepository(ExperimentEntity) private readonly experimentRepo: Repository<ExperimentEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.clearTemp();
    if (!this.config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG).seed) return;
    const firstStart = (await this.experimentRepo.count()) === 0 && !SAMPLE_DATASETS.some((s) => this.datasets.has(s.id));
    if (!firstStart) return;
    for (const sample of SAMPLE_DATASETS) {
      await this.datasets.createFromTable({ id: sample.id, name: sample.name, table: sample.generate(), builtIn: true });
    }
    await this.experiments.create(SAMPLE_EXPERIMENT_NAME, sampleExperimentGraph());
    this.logger.log(`created ${SAMPLE_DATASETS.length} sample datasets and the experiment "${SAMPLE_EXPERIMENT_NAME}"`);
  }
}
