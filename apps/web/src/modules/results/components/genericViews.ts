import type { ResultViewComponent } from '../types';
import { LineChartView } from './LineChartView';
import { MetricsTableView } from './MetricsTableView';
import { TableView } from './TableView';

/** The view kinds every component may declare; plugins add their own namespaced kinds (src/plugins/registry.ts). */
export const genericViews: Record<string, ResultViewComponent> = {
  table: TableView,
  'metrics-table': MetricsTableView,
  'chart-line': LineChartView,
};
