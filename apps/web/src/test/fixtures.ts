import { TABS } from '@mixflow/component-sdk/params';
import type { ComponentDescription, TabDescription } from '../types/contracts';

/** The tabs as GET /api/components sends them (the component SDK's TABS). */
export const tabs: TabDescription[] = TABS.map((t) => ({ ...t }));

/** Descriptions shaped like plugins/data and plugins/gmm publish them (trimmed to what the tests need). */
export const readDataset: ComponentDescription = {
  id: 'read-dataset', displayName: 'Read Dataset', category: 'Data', version: 1, icon: 'database',
  description: 'Reads a stored dataset as a table.',
  inputs: [], outputs: [{ name: 'data', label: 'Table', type: 'table' }],
  parameters: [{ name: 'datasetId', label: 'Dataset', tab: 'field', type: 'string', required: true, help: 'The id of a stored dataset.' }],
};

const execution: ComponentDescription['parameters'] = [
  { name: 'numWorkers', label: 'Number of Workers', tab: 'execution', type: 'int', default: 1, min: 1, max: 9999, help: 'How many workers share the rows.' },
  { name: 'memoryPerWorkerMb', label: 'Memory per worker, MB', tab: 'execution', type: 'int', default: 4096, min: 1024, max: 65536, help: 'Memory of each worker in MB.' },
];

export const gmmTrain: ComponentDescription = {
  id: 'gmm-train', displayName: 'GMM Training', category: 'Clustering', version: 1, icon: 'cluster',
  description: 'Fits a Gaussian mixture model.',
  inputs: [{ name: 'data', label: 'Data', type: 'table' }], outputs: [{ name: 'model', label: 'GMM model', type: 'model' }],
  parameters: [
    { name: 'vectorCol', label: 'Vector column', tab: 'field', type: 'column', port: 0, columnTypes: ['vector', 'string'], help: 'The column holding each row’s features.' },
    { name: 'featureCols', label: 'Feature columns', tab: 'field', type: 'columns', port: 0, columnTypes: ['double', 'long'], help: 'Numeric feature columns.' },
    { name: 'k', label: 'k', tab: 'parameter', type: 'int', default: 2, min: 1, help: 'The number of Gaussians (clusters). Default 2.' },
    { name: 'epsilon', label: 'epsilon', tab: 'parameter', type: 'double', default: 1e-4, min: 0, help: 'Convergence threshold.' },
    { name: 'init', label: 'Start', tab: 'parameter', group: 'advanced', type: 'enum', default: 'kmeans',
      options: [{ value: 'kmeans', label: 'k-means' }, { value: 'refined', label: 'Refined start' }], help: 'How EM starts.' },
    { name: 'samplings', label: 'Samplings', tab: 'parameter', group: 'advanced', type: 'int', default: 100, min: 1, showIf: { init: ['refined'] }, help: 'Refined start: subsets.' },
    ...execution,
  ],
};

export const gmmPredict: ComponentDescription = {
  id: 'gmm-predict', displayName: 'GMM Prediction', category: 'Clustering', version: 1, icon: 'predict',
  description: 'Assigns every row to its most likely cluster.',
  inputs: [{ name: 'model', label: 'GMM model', type: 'model' }, { name: 'data', label: 'Data', type: 'table' }],
  outputs: [{ name: 'data', label: 'Predictions', type: 'table' }],
  parameters: [
    { name: 'vectorCol', label: 'Vector column', tab: 'field', type: 'column', port: 1, columnTypes: ['vector', 'string'], help: 'Features.' },
    { name: 'predictionCol', label: 'Prediction column', tab: 'parameter', type: 'string', required: true, help: 'Output column.' },
    ...execution,
  ],
};

export const descriptions = new Map([readDataset, gmmTrain, gmmPredict].map((d) => [d.id, d]));
