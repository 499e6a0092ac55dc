import type { ResultViewComponent } from '../../modules/results/types';
import { GmmLoglikView, GmmModelCardsView, GmmScatterView } from './components/GmmViews';
import { GmmSelectionChartView } from './components/SelectionChart';

/** The GMM plugin's view kinds (plugins/gmm declares them on GMM Training and GMM Model Selection). */
export const gmmViews: Record<string, ResultViewComponent> = {
  'gmm.scatter': GmmScatterView,
  'gmm.loglik-chart': GmmLoglikView,
  'gmm.model-cards': GmmModelCardsView,
  'gmm.selection-chart': GmmSelectionChartView,
};
