import type { ComponentType } from 'react';
import type { ComponentDescription, Run, RunNodeState, ViewDescription } from '../../types/contracts';

export type { ViewDescription };

/**
 * What every view component is given (generic kinds are drawn by this module, a plugin's namespaced kinds by the
 * plugin's web part; src/plugins/registry.ts maps kinds to components): the node as it ran, and the view's description.
 */
export interface ResultViewProps {
  run: Run;
  nodeId: string;
  state: RunNodeState;
  description: ComponentDescription;
  view: ViewDescription;
}

export type ResultViewComponent = ComponentType<ResultViewProps>;
