import type { Plugin } from '@mixflow/component-sdk';
import { evalCluster } from './eval-cluster';
// registers the silhouette kernel with the executor as the plugin loads
import './silhouette-kernel';

export { evalCluster, sampleRows, RESULT_COLUMN, SCALAR_METRICS, type ClusterMetricsJson } from './eval-cluster';
export { geometryMetrics, labelMetrics, categoriseNumbers, categoriseStrings, type Categories, type GeometryMetrics, type LabelMetrics } from './cluster-metrics';
export { DISTANCE_TYPES, distanceOf, type DistanceType } from './distance';

const plugin: Plugin = { name: '@mixflow/plugin-eval', components: [evalCluster] };
export default plugin;
