import { api } from '../../../api/client';
import { SeriesChart } from '../../../modules/results/components/SeriesChart';
import { useLoad } from '../../../modules/results/hooks/useLoad';
import type { ResultViewProps } from '../../../modules/results/types';
import { formatNumber } from '../../../utils/format';
import type { GmmModelJson, TrainingSample } from '../types';
import { ModelCards } from './ModelCards';
import { ScatterPlot } from './ScatterPlot';

const modelPortOf = ({ description, view }: ResultViewProps) =>
  'output' in view.source ? view.source.output : Math.max(0, description.outputs.findIndex((o) => o.type === 'model'));

const loadModel = (p: ResultViewProps) => api.modelOutput(p.run.id, p.nodeId, modelPortOf(p)).then((m) => ({ modelId: m.modelId, model: m.model as unknown as GmmModelJson }));

const loadSample = (p: ResultViewProps, item?: number) => api.viewData<TrainingSample>(p.run.id, p.nodeId, p.view.id, 2000, item);

/**
 * 'gmm.scatter': the training rows coloured by cluster, with each component's ellipse. With `item`, the rows are
 * labelled by that item's model (a GMM Model Selection candidate), which the view data carries.
 */
export function GmmScatterView(p: ResultViewProps & { item?: number }) {
  const { item } = p;
  const r = useLoad(
    () => (item === undefined ? Promise.all([loadModel(p), loadSample(p)]).then(([m, s]) => ({ model: m.model, sample: s })) : loadSample(p, item).then((s) => ({ model: s.model, sample: s }))),
    [p.run.id, p.nodeId, p.view.id, item],
  );
  if (r.error) return <div className="error-box">{r.error}</div>;
  if (!r.data) return <div className="muted pad">Loading the sample…</div>;
  const { model, sample } = r.data;
  if (!model) return <div className="error-box">The view data carries no model for this candidate.</div>;
  if (model.dims < 2) return <div className="empty-hint">The model is one-dimensional; the scatter plot needs two or more dimensions.</div>;
  return <ScatterPlot model={model} sample={sample} />;
}

/** 'gmm.loglik-chart': the mean log-likelihood after each EM iteration. */
export function GmmLoglikView({ state, view }: ResultViewProps) {
  const name = 'metrics' in view.source ? view.source.metrics[0] : 'logLikelihoodHistory';
  const history = state.metrics[name];
  if (!Array.isArray(history) || !history.length) return <div className="empty-hint">This run recorded no log-likelihood history.</div>;
  const values = history as number[];
  return (
    <SeriesChart
      values={values}
      testId="ll-chart"
      caption={`Log-likelihood per iteration (${values.length} iterations, final ${formatNumber(values[values.length - 1], 6)})`}
      xLabel="iteration"
      seriesLabel="mean log-likelihood"
    />
  );
}

/** 'gmm.model-cards': weights, means and covariances of the trained mixture. */
export function GmmModelCardsView(p: ResultViewProps) {
  const r = useLoad(() => loadModel(p), [p.run.id, p.nodeId, modelPortOf(p)]);
  if (r.error) return <div className="error-box">{r.error}</div>;
  if (!r.data) return <div className="muted pad">Loading the model…</div>;
  return <ModelCards model={r.data.model} modelId={r.data.modelId} />;
}
