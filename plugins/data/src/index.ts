import type { Plugin } from '@mixflow/component-sdk';
import { readDataset } from './read-dataset';
import { writeDataset } from './write-dataset';

export { readDataset } from './read-dataset';
export { writeDataset } from './write-dataset';
export { SAMPLE_DATASETS, findSampleDataset, threeBlobs, tenDimEightClusters, type SampleDataset } from './samples';

const plugin: Plugin = { name: '@mixflow/plugin-data', components: [readDataset, writeDataset] };
export default plugin;
