import { ComponentError } from '@mixflow/component-sdk';
import type { GmmModelJson } from '@mixflow/gmm';
import { createStreamPredictor } from './stream';

function model(means: number[][], extra: Partial<GmmModelJson> = {}): GmmModelJson {
  const dims = means[0].length;
  return {
    type: 'mixflow.gmm',
    version: 1,
    covarianceType: 'spherical',
    dims,
    k: means.length,
    weights: means.map(() => 1 / means.length),
    means,
    covariances: means.map(() => 1),
    vectorCol: 'features',
    ...extra,
  };
}

describe('createStreamPredictor', () => {
  const first = model([
    [0, 0],
    [10, 10],
  ]);

  it('predicts one row at a time, keeping the row’s fields', () => {
    const p = createStreamPredictor({ predictionCol: 'cluster', predictionDetailCol: 'proba' }, first);
    const out = p.predict({ id: 7, features: '9.5 10.2' });
    expect(out.id).toBe(7);
    expect(out.features).toBe('9.5 10.2');
    expect(out.cluster).toBe(1);
    const proba = (out.proba as string).split(' ').map(Number);
    expect(proba).toHaveLength(2);
    expect(proba[1]).toBeGreaterThan(0.999);
    expect(p.predict({ features: [0.1, -0.3] }).cluster).toBe(0);
  });

  it('predicts a batch in one call as row by row would, an error in the place of each row that cannot be predicted', () => {
    const p = createStreamPredictor({ predictionCol: 'c', predictionDetailCol: 'p', scoreCol: 's' }, first);
    const rows = [{ id: 1, features: '9 9' }, { id: 2, features: '1 2 3' }, { id: 3, features: '0.5 -1' }, { id: 4, features: 'x y' }, { id: 5, features: [10, 11] }];
    const many = p.predictMany(rows);
    expect(many[1]).toBeInstanceOf(ComponentError);
    expect((many[1] as Error).message).toMatch(/3 features but the model has 2 dimensions/);
    expect(many[3]).toBeInstanceOf(Error);
    for (const i of [0, 2, 4]) expect(many[i]).toEqual(p.predict(rows[i]));
    expect(many.map((r) => (r instanceof Error ? null : r.c))).toEqual([1, null, 0, null, 1]);
    expect(p.outputColumns(['id', 'features'])).toEqual(['id', 'features', 'c', 'p', 's']);
  });

  it('keeps only the reserved fields when reservedCols is set', () => {
    const p = createStreamPredictor({ predictionCol: 'c', reservedCols: ['id'] }, first);
    expect(p.predict({ id: 1, features: '0 0', other: 'x' })).toEqual({ id: 1, c: 0 });
  });

  it('a newer model of the same dimension takes over for the next rows, none dropped', () => {
    const p = createStreamPredictor({ predictionCol: 'c' }, first);
    const rows = Array.from({ length: 6 }, (_, i) => ({ i, features: '0 0' }));
    const results = rows.slice(0, 3).map((r) => p.predict(r));
    // the retrained model lists its clusters the other way round
    p.replaceModel(
      model([
        [10, 10],
        [0, 0],
      ]),
    );
    results.push(...rows.slice(3).map((r) => p.predict(r)));
    expect(results.map((r) => r.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.c)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(p.modelVersion).toBe(2);
  });

  it('refuses a model of another dimension and keeps the one in use', () => {
    const p = createStreamPredictor({ predictionCol: 'c' }, first);
    expect(() => p.replaceModel(model([[0, 0, 0]]))).toThrow(ComponentError);
    expect(() => p.replaceModel(model([[0, 0, 0]]))).toThrow('the new model has 3 dimensions but the model in use has 2');
    expect(p.modelVersion).toBe(1);
    expect(p.predict({ features: '10 10' }).c).toBe(1);
  });

  it('refuses a model trained on other features', () => {
    const p = createStreamPredictor({ predictionCol: 'c' }, first);
    expect(() => p.replaceModel(model([[1, 1]], { vectorCol: 'other' }))).toThrow(/reads vector column "other" but the stream reads vector column "features"/);
  });

  it('names the field of a bad row', () => {
    const p = createStreamPredictor({ predictionCol: 'c' }, first);
    expect(() => p.predict({ features: '1 2 3' })).toThrow('the row has 3 features but the model has 2 dimensions');
    expect(() => p.predict({ nope: 1 })).toThrow(/field "features" is missing from the row: a missing value; set missingValues to drop or mean/);
    expect(() => p.predict({ features: 7 })).toThrow(/field "features" must be a vector string/);
  });

  it('resolves raw parameters and names bad ones', () => {
    // without a prediction column the cluster index goes to PAI's default name
    expect(createStreamPredictor({ featureCols: 'a,b' }, first).predict({ a: '10', b: 9 }).prediction_result).toBe(1);
    expect(() => createStreamPredictor({ predictionCol: 'c', bogus: 1 }, first)).toThrow(/unknown parameter "bogus"/);
    const byCols = createStreamPredictor({ predictionCol: 'c', featureCols: 'a,b' }, first);
    expect(byCols.predict({ a: '10', b: 9 }).c).toBe(1);
  });
});
