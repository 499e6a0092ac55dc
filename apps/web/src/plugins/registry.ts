/**
 * The plugins' web parts: the one file of the console that names them. A plugin's folder here draws its
 * namespaced view kinds; everything else in the console speaks only of descriptions, tables, models and views.
 */
import { genericViews } from '../modules/results/components/genericViews';
import type { ResultViewComponent, ViewDescription } from '../modules/results/types';
import { gmmViews } from './gmm';

/** View kind → the component that draws it. */
export const viewComponents: Readonly<Record<string, ResultViewComponent>> = { ...genericViews, ...gmmViews };

/**
 * Views for components whose description does not declare them yet (servers before `views` reached the
 * descriptions): GMM Training's and GMM Prediction's, as plugins/gmm declares them.
 */
export const undeclaredViews: Readonly<Record<string, ViewDescription[]>> = {
  'gmm-train': [
    { id: 'scatter', kind: 'gmm.scatter', title: 'Clusters', source: { data: 'training-sample' } },
    { id: 'log-likelihood', kind: 'gmm.loglik-chart', title: 'Log-likelihood', source: { metrics: ['logLikelihoodHistory'] } },
    { id: 'model', kind: 'gmm.model-cards', title: 'Model', source: { output: 0 } },
    { id: 'metrics', kind: 'metrics-table', title: 'Metrics', source: { metrics: [] } },
  ],
  'gmm-predict': [{ id: 'predictions', kind: 'table', title: 'Predictions', source: { output: 0 } }],
};
