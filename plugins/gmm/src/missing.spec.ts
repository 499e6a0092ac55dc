import { GaussianMixture, type GmmModelJson } from '@mixflow/gmm';
import { extractFeatures, fillMissingCells, presentColumnMeans, readCsv, tableFromColumns, type Table } from '@mixflow/table';
import { modelOf, modelValue, RecordingEngine, run, tableOf, tableValue } from './__fixtures__/harness';
import { gmmPredict, gmmPredictStream, gmmTrain } from './index';

/** Old Faithful-like rows; data row 6 has no waiting time, row 3 no eruption time (as "?"). */
const CSV =
  'eruptions,waiting\n3.6,79\n1.8,54\n?,74\n2.283,62\n4.533,85\n2.883,\n4.7,88\n3.6,85\n1.95,51\n4.35,85\n1.833,54\n3.917,84\n4.2,78\n1.75,47\n4.7,83\n';
const features = { featureCols: ['eruptions', 'waiting'], k: 2 };

let table: Table;
beforeAll(async () => {
  table = await readCsv(CSV);
});

describe('missingValues in GMM Training', () => {
  it('the CSV keeps both columns numeric and counts the missing cells', () => {
    expect(table.schema.columns).toEqual([
      { name: 'eruptions', type: 'double', missing: 1 },
      { name: 'waiting', type: 'long', missing: 1 },
    ]);
  });

  it('error (default) names the first row with a missing cell and its column', async () => {
    await expect(run(gmmTrain, features, [tableValue(table)])).rejects.toMatchObject({
      message: expect.stringMatching(/^row 3, column "eruptions" is empty: a missing value; set Missing values to drop or mean/),
      details: { nodeId: 'node-1', row: 3, column: 'eruptions', port: 0 },
    });
  });

  it('drop trains on the complete rows only, and the log and metric count the dropped rows', async () => {
    const engine = new RecordingEngine();
    const r = await run(gmmTrain, { ...features, missingValues: 'drop' }, [tableValue(table)], engine);
    expect(engine.fits[0].data.rows).toBe(table.rowCount - 2);
    expect(modelOf(r).training!.rows).toBe(table.rowCount - 2);
    expect(r.metrics.droppedRows).toBe(2);
    expect(r.logs).toContain('warn: missingValues drop: left out 2 of 15 rows with a missing value; training on 13');
    expect(modelOf(r).imputeMeans).toBeUndefined();
  });

  it('mean fills in the column means over the present cells and stores them in the model', async () => {
    const engine = new RecordingEngine();
    const r = await run(gmmTrain, { ...features, missingValues: 'mean' }, [tableValue(table)], engine);
    const X = extractFeatures(table, { featureCols: ['eruptions', 'waiting'] }, 'allow');
    const present = (j: number): number[] => Array.from({ length: X.rows }, (_, i) => X.data[i * 2 + j]).filter((v) => !Number.isNaN(v));
    const expected = [0, 1].map((j) => present(j).reduce((a, b) => a + b, 0) / present(j).length);
    expect(modelOf(r).imputeMeans).toEqual(expected);
    // the figures Missing Data Imputation's MEAN fills with, to the bit
    expect(modelOf(r).imputeMeans).toEqual(presentColumnMeans(X));
    expect(engine.fits[0].data.rows).toBe(15);
    // the same model as training on the table with those means written into the gaps
    const filled = tableFromColumns(
      { columns: [{ name: 'eruptions', type: 'double' }, { name: 'waiting', type: 'double' }] },
      [0, 1].map((j) => Float64Array.from({ length: X.rows }, (_, i) => (Number.isNaN(X.data[i * 2 + j]) ? expected[j] : X.data[i * 2 + j]))),
    );
    const direct = modelOf(await run(gmmTrain, features, [tableValue(filled)]));
    expect([modelOf(r).weights, modelOf(r).means, modelOf(r).covariances]).toEqual([direct.weights, direct.means, direct.covariances]);
    expect(r.metrics.imputedRows).toBe(2);
    expect(r.logs).toContain('warn: missingValues mean: filled in the missing cells of 2 of 15 rows with the column means');
  });

  it('mean on a column without any value is an error naming the column and missingValues', async () => {
    const empty = tableFromColumns({ columns: [{ name: 'eruptions', type: 'double' }, { name: 'waiting', type: 'double', missing: 3 }] }, [
      Float64Array.from([1, 2, 3]),
      Float64Array.from([NaN, NaN, NaN]),
    ]);
    await expect(run(gmmTrain, { ...features, k: 1, missingValues: 'mean' }, [tableValue(empty)])).rejects.toMatchObject({
      message: 'column "waiting" has no values at all, so it has no mean to impute; drop it from the features',
      details: { nodeId: 'node-1', column: 'waiting', parameter: 'missingValues', port: 0 },
    });
  });
});

describe.each([gmmPredict, gmmPredictStream])('missingValues in $description.id', (predictor) => {
  let meanModel: GmmModelJson;
  let plainModel: GmmModelJson;
  beforeAll(async () => {
    meanModel = modelOf(await run(gmmTrain, { ...features, missingValues: 'mean' }, [tableValue(table)]));
    plainModel = modelOf(await run(gmmTrain, { ...features, missingValues: 'drop' }, [tableValue(table)]));
  });
  const predictParams = { predictionCol: 'cluster', predictionDetailCol: 'p' };

  it('error (default) names the row and column', async () => {
    await expect(run(predictor, predictParams, [modelValue(plainModel), tableValue(table)])).rejects.toMatchObject({
      message: expect.stringMatching(/row 3.*"eruptions" is empty: a missing value/),
      details: expect.objectContaining({ row: 3, column: 'eruptions' }),
    });
  });

  it('drop gives those rows an empty prediction and detail, and predicts the others as usual', async () => {
    const r = await run(predictor, { ...predictParams, missingValues: 'drop' }, [modelValue(plainModel), tableValue(table)]);
    const out = tableOf(r);
    const cluster = out.columns[2] as Float64Array;
    const detail = out.columns[3] as string[];
    expect(Number.isNaN(cluster[2]) && Number.isNaN(cluster[5])).toBe(true);
    expect([detail[2], detail[5]]).toEqual(['', '']);
    expect(r.metrics.droppedRows).toBe(2);
    expect(r.logs).toContain('warn: missingValues drop: 2 of 15 rows have a missing value and get an empty prediction');
    const complete = [0, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    const X = extractFeatures(table, { featureCols: ['eruptions', 'waiting'] }, 'allow');
    const mixture = GaussianMixture.fromJSON(plainModel);
    // the fit metrics score the predicted rows only
    const kept = { data: Float64Array.from(complete.flatMap((i) => [X.data[i * 2], X.data[i * 2 + 1]])), rows: complete.length, cols: 2 };
    expect(r.metrics.meanLogLikelihood as number).toBeCloseTo(mixture.score(kept), 10);
    expect(r.metrics.bic as number).toBeCloseTo(mixture.bic(kept), 8);
    for (const i of complete) {
      expect(cluster[i]).toBe(mixture.predict({ data: X.data.slice(i * 2, i * 2 + 2), rows: 1, cols: 2 })[0]);
    }
  });

  it('drop with every row missing gives every row an empty prediction', async () => {
    const empty = await readCsv('eruptions,waiting,id\n?,1,1\n2,,2\n3,NA,3\n');
    const r = await run(predictor, { ...predictParams, missingValues: 'drop' }, [modelValue(plainModel), tableValue(empty)]);
    expect(Array.from(tableOf(r).columns[3] as Float64Array)).toEqual([NaN, NaN, NaN]);
    expect(r.metrics.droppedRows).toBe(3);
  });

  it("mean fills in the model's training means, so a row predicts as its imputed values do", async () => {
    const r = await run(predictor, { ...predictParams, missingValues: 'mean' }, [modelValue(meanModel), tableValue(table)]);
    const X = extractFeatures(table, { featureCols: ['eruptions', 'waiting'] }, 'allow');
    const expected = GaussianMixture.fromJSON(meanModel).predict(fillMissingCells(X, meanModel.imputeMeans!).filled);
    expect(Array.from(tableOf(r).columns[2] as Float64Array)).toEqual(Array.from(expected));
    // the imputed rows are counted and logged, and the table's fit is scored on the imputed values
    expect(r.metrics.imputedRows).toBe(2);
    expect(r.logs).toContain("warn: missingValues mean: filled in the missing cells of 2 of 15 rows with the model's training means");
    expect(r.metrics.meanLogLikelihood as number).toBeCloseTo(GaussianMixture.fromJSON(meanModel).score(fillMissingCells(X, meanModel.imputeMeans!).filled), 10);
  });

  it('mean with a model that stores no means is an error naming missingValues', async () => {
    await expect(run(predictor, { ...predictParams, missingValues: 'mean' }, [modelValue(plainModel), tableValue(table)])).rejects.toMatchObject({
      message: expect.stringMatching(/this model stores none: train it with Missing values "mean"/),
      details: expect.objectContaining({ parameter: 'missingValues' }),
    });
  });
});
