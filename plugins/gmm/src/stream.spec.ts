import { ComponentError, isEncodedModel, type ModelPayload } from '@mixflow/component-sdk';
import { LocalEngine } from '@mixflow/executor';
import { fitGmm, makeBlobs, type GmmModelJson } from '@mixflow/gmm';
import { rowsOf, tableFromColumns } from '@mixflow/table';
import { recordMapParams, run, tableOf, tableValue } from './__fixtures__/harness';
import { encodeGmm } from './payload';
import { gmmPredict } from './predict';
import { createStreamPredictor, gmmPredictStream } from './stream';

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

describe('GMM Prediction (stream) as a workflow node', () => {
  // worker threads start: slow on a busy machine
  jest.setTimeout(60_000);

  it("hands the engine the model encoded, as it came on the port, and gives GMM Prediction's table bit for bit", async () => {
    // 12 columns of full covariance (the E-step's SIMD kernels start at 8); 2,501 rows, not a whole number of chunks
    const dims = 12;
    const { data } = makeBlobs({ rows: 2501, dims, k: 3, seed: 7 });
    const cols = Array.from({ length: dims }, (_, j) => `x${j}`);
    const fitted: GmmModelJson = { ...fitGmm(data, { k: 3, covarianceType: 'full', maxIter: 5, randomSeed: 3 }).toJSON(), featureNames: cols };
    const table = tableFromColumns(
      { columns: cols.map((name) => ({ name, type: 'double' as const })) },
      cols.map((_, j) => Float64Array.from({ length: data.rows }, (_, i) => data.data[i * dims + j])),
    );
    const params = { predictionCol: 'c', predictionDetailCol: 'd', scoreCol: 's', numWorkers: 2 };
    const model = { type: 'model' as const, model: encodeGmm(fitted) };

    const engine = new LocalEngine({ maxWorkers: 2 });
    const seen = recordMapParams(engine);
    try {
      const r = await run(gmmPredictStream, params, [model, tableValue(table)], engine);
      const batch = await run(gmmPredict, params, [model, tableValue(table)], engine);
      const out = tableOf(r);
      expect(out.schema.columns.map((c) => c.name)).toEqual([...cols, 'c', 'd', 's']);
      expect(rowsOf(out)).toEqual(rowsOf(tableOf(batch)));
      const figures = ({ rows, meanLogLikelihood, bic, aic, engine: kind }: Record<string, unknown>) => ({ rows, meanLogLikelihood, bic, aic, engine: kind });
      expect(figures(r.metrics)).toEqual(figures(batch.metrics));
      expect(r.metrics).toMatchObject({ rows: data.rows, engine: 'local' });

      // row at a time (what the node did before, on the calling thread): the same clusters; the E-step's row
      // blocks round the last bits of some densities and of probabilities near zero otherwise
      const rowByRow = createStreamPredictor(params, fitted);
      for (let i = 0; i < data.rows; i++) {
        const row = Object.fromEntries(cols.map((name, j) => [name, data.data[i * dims + j]]));
        const { out: one } = rowByRow.predictScored(row);
        expect((out.columns[dims] as Float64Array)[i]).toBe(one.c);
        expect((out.columns[dims + 2] as Float64Array)[i]).toBeCloseTo(one.s as number, 9);
      }
    } finally {
      await engine.close();
    }
    // the workers got the model's JSON on shared memory, never nested arrays through the calling thread
    expect(seen.length).toBeGreaterThan(0);
    for (const kernelParams of seen) expect(isEncodedModel(kernelParams as ModelPayload)).toBe(true);
  });
});
