import { GaussianMixture } from '@mixflow/gmm';
import { extractFeatures } from '@mixflow/table';
import { blobsTable, modelOf, modelValue, run, tableOf, tableValue } from './__fixtures__/harness';
import { gmmPredict, gmmPredictStream, gmmTrain } from './index';

const data = blobsTable({ rows: 90 });

describe.each([gmmPredict, gmmPredictStream])('$description.id: scoreCol and the scoring metrics', (predictor) => {
  it("scoreCol holds each row's log density (score_samples); the metrics give the table's mean log-likelihood, BIC and AIC", async () => {
    const model = modelOf(await run(gmmTrain, { vectorCol: 'features', k: 3 }, [tableValue(data)]));
    const r = await run(predictor, { predictionCol: 'c', scoreCol: 'score' }, [modelValue(model), tableValue(data)]);
    const out = tableOf(r);
    expect(out.schema.columns.at(-1)).toEqual({ name: 'score', type: 'double' });
    const X = extractFeatures(data, { vectorCol: 'features' });
    const mixture = GaussianMixture.fromJSON(model);
    expect(Array.from(out.columns.at(-1) as Float64Array)).toEqual(Array.from(mixture.scoreSamples(X)));
    expect(r.metrics.meanLogLikelihood as number).toBeCloseTo(mixture.score(X), 12);
    expect(r.metrics.bic as number).toBeCloseTo(mixture.bic(X), 8);
    expect(r.metrics.aic as number).toBeCloseTo(mixture.aic(X), 8);
  });

  it('configure adds the score column and refuses a name another output column has', () => {
    const inputs = [{ type: 'model' as const, modelType: 'gmm', dims: 2, k: 3, vectorCol: 'features' }, { type: 'table' as const, schema: data.schema }];
    const ok = predictor.configure({ predictionCol: 'c', scoreCol: 's' }, inputs);
    expect(ok.errors).toEqual([]);
    const schema = ok.outputs[0];
    expect(schema?.type === 'table' && schema.schema.columns.at(-1)).toEqual({ name: 's', type: 'double' });
    expect(predictor.configure({ predictionCol: 'c', scoreCol: 'c' }, inputs).errors).toEqual([
      expect.objectContaining({ parameter: 'scoreCol', message: 'scoreCol must differ from predictionCol' }),
    ]);
    expect(predictor.configure({ predictionCol: 'c', scoreCol: 'x' }, inputs).errors).toEqual([
      expect.objectContaining({ parameter: 'scoreCol', column: 'x', message: expect.stringMatching(/already exists among the reserved columns/) }),
    ]);
  });
});
