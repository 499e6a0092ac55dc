import type { ResultViewComponent } from '../../modules/results/types';
import { ClusterMetricsView } from './components/ClusterMetricsView';

/** The evaluation plugin's view kinds (plugins/eval declares them on Clustering Model Evaluation). */
export const evalViews: Record<string, ResultViewComponent> = {
  'eval.cluster-metrics': ClusterMetricsView,
};
