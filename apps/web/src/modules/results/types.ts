import type { ComponentType } from 'react';
import type { ComponentDescription, Run, RunNodeState } from '../../types/contracts';

/**
 * A result view a component declares (libs/component-sdk's ViewDescription): generic kinds ('table',
 * 'metrics-table', 'chart-line') are drawn by this module, a plugin's namespaced kinds ('gmm.scatter') by the
 * plugin's web part (src/plugins/registry.ts maps kinds to components).
 */
export interface ViewDescription {
  id: string;
  kind: string;
  title: string;
  source: { output: number } | { metrics: readonly string[] } | { data: string };
}

/** What every view component is given: the node as it ran, and the view's description. */
export interface ResultViewProps {
  run: Run;
  nodeId: string;
  state: RunNodeState;
  description: ComponentDescription;
  view: ViewDescription;
}

export type ResultViewComponent = ComponentType<ResultViewProps>;
