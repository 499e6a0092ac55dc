import { parseSchemaStr, tableFromRows } from '@mixflow/table';
import { configureOf, docTable, modelOf, runComponent, tableValue } from './__fixtures__/harness';
import { minMaxScalerCodec, minMaxScalerPredict, minMaxScalerTrain, standardScalerCodec, standardScalerPredict, standardScalerTrain } from './scalers';

const doc = () => [tableValue(docTable())];

describe('Standardization (StandardScalerTrainBatchOp)', () => {
  it('gives the Alink doc’s first row: a | -0.0784 | 1.4596, as double columns', async () => {
    const ran = await runComponent(standardScalerTrain, { selectedCols: ['col2', 'col3'] }, doc());
    const [first] = ran.rows(1);
    expect(first[0]).toBe('a');
    expect(first[1]).toBeCloseTo(-0.0784, 4);
    expect(first[2]).toBeCloseTo(1.4596, 4);
    expect(ran.table(1).schema.columns.map((c) => c.type)).toEqual(['string', 'double', 'double']);
    expect(ran.outputs[0]).toMatchObject({ type: 'model', model: { modelType: 'standard-scaler', selectedCols: ['col2', 'col3'] } });
  });

  it('withMean=false only divides by the std; withStd=false only subtracts the mean', async () => {
    const noMean = await runComponent(standardScalerTrain, { selectedCols: ['col2'], withMean: false }, doc());
    const std = 10 / (noMean.rows(1)[0][1] as number);
    expect(noMean.rows(1)[0][1]).toBeCloseTo(10 / 69.0624, 3);
    const noStd = await runComponent(standardScalerTrain, { selectedCols: ['col2'], withStd: false }, doc());
    expect(noStd.rows(1)[0][1]).toBeCloseTo(10 - 15.4142857, 6);
    expect(std).toBeGreaterThan(60);
  });

  it('outputCols keeps the inputs and appends the standardized columns', async () => {
    const ran = await runComponent(standardScalerTrain, { selectedCols: ['col2', 'col3'], outputCols: 's2,s3' }, doc());
    expect(ran.table(1).schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['col1:string', 'col2:double', 'col3:long', 's2:double', 's3:double']);
    expect(ran.rows(1)[0].slice(1)).toEqual([10, 100, expect.closeTo(-0.0784, 4), expect.closeTo(1.4596, 4)]);
  });

  it('Standard Scaler Batch Predict scales new data with the training figures', async () => {
    const train = await runComponent(standardScalerTrain, { selectedCols: ['col2', 'col3'] }, doc());
    const fresh = tableFromRows([['q', 10, 100]], parseSchemaStr('col1 string, col2 double, col3 long'));
    const ran = await runComponent(standardScalerPredict, {}, [train.outputs[0], tableValue(fresh)]);
    expect(ran.rows()[0].slice(1)).toEqual([expect.closeTo(-0.0784, 4), expect.closeTo(1.4596, 4)]);
    const renamed = await runComponent(standardScalerPredict, { outputCols: 'a2,a3' }, [train.outputs[0], tableValue(fresh)]);
    expect(renamed.table().schema.columns.map((c) => c.name)).toEqual(['col1', 'col2', 'col3', 'a2', 'a3']);
  });

  it('a constant column is centred, not divided by zero, and the log says so', async () => {
    const t = tableFromRows([[3], [3], [3]], parseSchemaStr('x double'));
    const ran = await runComponent(standardScalerTrain, { selectedCols: ['x'] }, [tableValue(t)]);
    expect(ran.rows(1)).toEqual([[0], [0], [0]]);
    expect(ran.logs.join()).toMatch(/constant/);
  });

  it('the codec reads back its file and names a bad field', async () => {
    const train = await runComponent(standardScalerTrain, { selectedCols: ['col2', 'col3'] }, doc());
    const model = modelOf<Parameters<typeof standardScalerCodec.toJSON>[0]>(train.outputs[0]);
    const file = JSON.parse(JSON.stringify(standardScalerCodec.toJSON(model)));
    expect(standardScalerCodec.fromJSON(file)).toEqual(model);
    expect(() => standardScalerCodec.fromJSON({ ...file, stds: [1, 0] })).toThrow(expect.objectContaining({ details: { field: 'stds[1]' } }));
    expect(standardScalerCodec.predictor(model, {}).predict({ col2: 10, col3: '100' })).toEqual({ col2: expect.closeTo(-0.0784, 4), col3: expect.closeTo(1.4596, 4) });
    expect(standardScalerCodec.portSchema(model)).toMatchObject({ modelType: 'standard-scaler', featureCols: ['col2', 'col3'] });
  });

  it('a predict node fed another kind of model is an error on port 0', async () => {
    const mm = await runComponent(minMaxScalerTrain, { selectedCols: ['col2'] }, doc());
    expect(configureOf(standardScalerPredict, {}, [mm.outputs[0], ...doc()]).errors[0]).toMatchObject({ port: 0, message: expect.stringContaining('Standard scaler model') });
  });
});

describe('Normalization (MinMaxScalerTrainBatchOp)', () => {
  it('gives the Alink doc’s first row: a | 0.5473 | 1.0000', async () => {
    const ran = await runComponent(minMaxScalerTrain, { selectedCols: ['col2', 'col3'] }, doc());
    expect(ran.rows(1)[0]).toEqual(['a', expect.closeTo(0.5473, 4), 1]);
  });

  it('min and max set the target range', async () => {
    const ran = await runComponent(minMaxScalerTrain, { selectedCols: ['col2', 'col3'], min: -1, max: 3 }, doc());
    expect(ran.rows(1)[0]).toEqual(['a', expect.closeTo(0.5473 * 4 - 1, 3), 3]);
    expect(ran.rows(1)[3][1]).toBe(-1);
  });

  it('min not below max is an error naming max', () => {
    expect(configureOf(minMaxScalerTrain, { selectedCols: ['col2'], min: 2, max: 2 }, doc()).errors[0]).toMatchObject({ parameter: 'max' });
  });

  it('Min Max Scaler Batch Predict maps new values through the training range (outside it too)', async () => {
    const train = await runComponent(minMaxScalerTrain, { selectedCols: ['col2'] }, doc());
    const fresh = tableFromRows([[301.7]], parseSchemaStr('col2 double'));
    const ran = await runComponent(minMaxScalerPredict, {}, [train.outputs[0], tableValue(fresh)]);
    expect(ran.rows()[0][0]).toBeCloseTo((301.7 + 99.9) / 200.8, 9);
    const model = modelOf<Parameters<typeof minMaxScalerCodec.toJSON>[0]>(train.outputs[0]);
    expect(() => minMaxScalerCodec.fromJSON({ ...model, min: 5 })).toThrow(expect.objectContaining({ details: { field: 'max' } }));
  });
});
