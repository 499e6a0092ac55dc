import type { Plugin } from '@mixflow/component-sdk';
import { readDataset } from './read-dataset';

export { readDataset } from './read-dataset';
export { SAMPLE_DATASETS, findSampleDataset, threeBlobs, tenDimEightClusters, type SampleDataset } from './samples';

const plugin: Plugin = { name: '@mixflow/plugin-data', components: [readDataset] };
export default plugin;
