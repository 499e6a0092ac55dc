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

export const OLD_FAITHFUL_EXPERIMENT_NAME = 'Old Faithful: standardize, cluster, evaluate';

/**
 * PAI's clustering pipeline on the Old Faithful sample: Read Dataset → Standardization (eruptions and waiting, in
 * place) → GMM Training (k = 2 on the standardized columns) → GMM Prediction → Clustering Model Evaluation (the
 * prediction against the standardized features). The README's SDK section builds the same pipeline.
 */
export function oldFaithfulExperimentGraph(): Graph {
  const features = ['eruptions', 'waiting'];
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', label: 'Old Faithful', position: { x: 80, y: 60 }, params: { datasetId: 'sample-old-faithful' } },
      { id: 'standardize', componentId: 'standard-scaler-train', label: 'Standardization', position: { x: 80, y: 200 }, params: { selectedCols: features } },
      { id: 'train', componentId: 'gmm-train', label: 'GMM Training', position: { x: 80, y: 340 }, params: { featureCols: features, k: 2, randomSeed: 0 } },
      { id: 'predict', componentId: 'gmm-predict', label: 'GMM Prediction', position: { x: 300, y: 480 }, params: { predictionCol: 'cluster', predictionDetailCol: 'probabilities' } },
      { id: 'evaluate', componentId: 'eval-cluster', label: 'Clustering Model Evaluation', position: { x: 300, y: 620 }, params: { predictionCol: 'cluster', featureCols: features } },
    ],
    edges: [
      { id: 'read-standardize', source: 'read', sourcePort: 0, target: 'standardize', targetPort: 0 },
      { id: 'standardize-train', source: 'standardize', sourcePort: 1, target: 'train', targetPort: 0 },
      { id: 'train-predict', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
      { id: 'standardize-predict', source: 'standardize', sourcePort: 1, target: 'predict', targetPort: 1 },
      { id: 'predict-evaluate', source: 'predict', sourcePort: 0, target: 'evaluate', targetPort: 0 },
    ],
  };
}

/**
 * On first start: the built-in sample datasets and the sample experiments (the three blobs last, so the console,
 * which opens the most recently updated experiment, opens it). Later starts leave them alone.
 */
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
    await this.experiments.create(OLD_FAITHFUL_EXPERIMENT_NAME, oldFaithfulExperimentGraph());
    await this.experiments.create(SAMPLE_EXPERIMENT_NAME, sampleExperimentGraph());
    this.logger.log(`created ${SAMPLE_DATASETS.length} sample datasets and the experiments "${OLD_FAITHFUL_EXPERIMENT_NAME}" and "${SAMPLE_EXPERIMENT_NAME}"`);
  }
}
