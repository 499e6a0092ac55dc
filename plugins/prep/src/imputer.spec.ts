import { ComponentError } from '@mixflow/component-sdk';
import { parseSchemaStr, presentColumnMeans, tableFromRows } from '@mixflow/table';
import { configureOf, docTable, modelOf, DOC_ROWS, runComponent, tableValue } from './__fixtures__/harness';
import { imputerCodec, imputerPredict, imputerTrain, type ImputerModel } from './imputer';

/** The Alink doc's imputer example: the scaler rows plus one row with every cell missing. */
const withNullRow = () => docTable([...DOC_ROWS, ['', null, null]]);

describe('Missing Data Imputation (ImputerTrainBatchOp)', () => {
  it('MEAN fills the all-null row as the Alink doc shows: 15.414286 | 31 (long kept whole)', async () => {
    const ran = await runComponent(imputerTrain, { selectedCols: ['col2', 'col3'] }, [tableValue(withNullRow())]);
    const rows = ran.rows(1);
    expect(rows[7][1]).toBeCloseTo(15.414286, 6);
    expect(rows[7][2]).toBe(31);
    expect(rows.slice(0, 7)).toEqual(DOC_ROWS);
    expect(ran.table(1).schema.columns.map((c) => c.type)).toEqual(['string', 'double', 'long']);
    expect(ran.table(1).schema.columns[1].missing).toBeUndefined();
  });

  it('MEAN stores the sum in row order over the count, the figure GMM\'s Missing values "mean" stores, to the bit', async () => {
    // (0.1 + 0.2) + 0.3 is 0.6000000000000001: another order or a running mean would give 0.2 or 0.19999999999999998
    const table = tableFromRows([[0.1], [null], [0.2], [0.3]], parseSchemaStr('x double'));
    const ran = await runComponent(imputerTrain, { selectedCols: ['x'] }, [tableValue(table)]);
    const model = modelOf<ImputerModel>(ran.outputs[0]);
    expect(model.fillValues).toEqual([0.20000000000000004]);
    expect(model.fillValues).toEqual(presentColumnMeans({ data: Float64Array.from([0.1, NaN, 0.2, 0.3]), rows: 4, cols: 1 }));
    expect(ran.rows(1)[1]).toEqual([0.20000000000000004]);
  });

  it('counts the filled cells per column in the metrics and the log', async () => {
    const ran = await runComponent(imputerTrain, { selectedCols: ['col2', 'col3'] }, [tableValue(withNullRow())]);
    expect(ran.metrics).toMatchObject({ imputedCells: 2, 'imputedCells.col2': 1, 'imputedCells.col3': 1 });
    expect(ran.logs.join('\n')).toMatch(/column "col2": 1 missing cell filled with 15\.41/);
    expect(ran.logs.join('\n')).toMatch(/truncated to 31/);
  });

  it.each([
    ['MIN', {}, -99.9, 1],
    ['MAX', {}, 100.9, 100],
    ['VALUE', { fillValue: '7' }, 7, 7],
  ])('strategy %s changes what a missing cell gets', async (strategy, extra, col2, col3) => {
    const ran = await runComponent(imputerTrain, { selectedCols: ['col2', 'col3'], strategy, ...extra }, [tableValue(withNullRow())]);
    expect(ran.rows(1)[7].slice(1)).toEqual([col2, col3]);
  });

  it('selectedCols changes which columns are filled', async () => {
    const ran = await runComponent(imputerTrain, { selectedCols: ['col2'] }, [tableValue(withNullRow())]);
    expect(ran.rows(1)[7][1]).toBeCloseTo(15.414286, 6);
    expect(ran.rows(1)[7][2]).toBeNaN();
  });

  it('outputCols writes the filled values to new columns and keeps the originals', async () => {
    const ran = await runComponent(imputerTrain, { selectedCols: ['col2', 'col3'], outputCols: 'f2, f3' }, [tableValue(withNullRow())]);
    expect(ran.table(1).schema.columns.map((c) => c.name)).toEqual(['col1', 'col2', 'col3', 'f2', 'f3']);
    expect(ran.rows(1)[7][1]).toBeNaN();
    expect(ran.rows(1)[7][4]).toBe(31);
  });

  it('bad parameters are errors naming the parameter (and column)', () => {
    const input = [tableValue(withNullRow())];
    expect(configureOf(imputerTrain, { selectedCols: ['col1'] }, input).errors).toEqual([
      expect.objectContaining({ parameter: 'selectedCols', column: 'col1', message: expect.stringContaining('is string') }),
    ]);
    expect(configureOf(imputerTrain, { selectedCols: ['nope'] }, input).errors[0]).toMatchObject({ parameter: 'selectedCols', column: 'nope' });
    expect(configureOf(imputerTrain, { selectedCols: ['col2'], strategy: 'VALUE' }, input).errors[0]).toMatchObject({ parameter: 'fillValue', message: expect.stringContaining('required') });
    expect(configureOf(imputerTrain, { selectedCols: ['col2'], strategy: 'VALUE', fillValue: 'abc' }, input).errors[0]).toMatchObject({ parameter: 'fillValue' });
    expect(configureOf(imputerTrain, { selectedCols: ['col3'], strategy: 'VALUE', fillValue: '2.5' }, input).errors[0]).toMatchObject({ parameter: 'fillValue', column: 'col3' });
    expect(configureOf(imputerTrain, { selectedCols: ['col2'], strategy: 'MEDIAN' }, input).errors[0]).toMatchObject({ parameter: 'strategy' });
    expect(configureOf(imputerTrain, { selectedCols: ['col2', 'col3'], outputCols: 'only' }, input).errors[0]).toMatchObject({ parameter: 'outputCols' });
  });

  it('a column with no value at all cannot give a mean: the error names the column and what to do', async () => {
    const table = tableFromRows([[null], [null]], parseSchemaStr('x double'));
    await expect(runComponent(imputerTrain, { selectedCols: ['x'] }, [tableValue(table)])).rejects.toMatchObject({ details: { parameter: 'strategy', column: 'x' } });
  });
});

describe('Imputer Predict (ImputerPredictBatchOp)', () => {
  it('fills new data with the training data’s figures, not the new data’s', async () => {
    const train = await runComponent(imputerTrain, { selectedCols: ['col2', 'col3'] }, [tableValue(withNullRow())]);
    const fresh = tableFromRows([['z', 1000, 5000], ['y', null, null]], parseSchemaStr('col1 string, col2 double, col3 long'));
    const ran = await runComponent(imputerPredict, {}, [train.outputs[0], tableValue(fresh)]);
    expect(ran.rows()[1][1]).toBeCloseTo(15.414286, 6);
    expect(ran.rows()[1][2]).toBe(31);
    expect(ran.metrics).toMatchObject({ imputedCells: 2 });
  });

  it('data without the model’s columns is an error naming the data port and column', async () => {
    const train = await runComponent(imputerTrain, { selectedCols: ['col2'] }, [tableValue(withNullRow())]);
    const other = tableFromRows([[1]], parseSchemaStr('x double'));
    expect(configureOf(imputerPredict, {}, [train.outputs[0], tableValue(other)]).errors[0]).toMatchObject({ port: 1, column: 'col2' });
  });
});

describe('imputer model codec', () => {
  it('reads back what it writes, and refuses a wrong field by name', async () => {
    const train = await runComponent(imputerTrain, { selectedCols: ['col2', 'col3'] }, [tableValue(withNullRow())]);
    const model = modelOf<Parameters<typeof imputerCodec.toJSON>[0]>(train.outputs[0]);
    const file = JSON.parse(JSON.stringify(imputerCodec.toJSON(model)));
    expect(imputerCodec.fromJSON(file)).toEqual(model);
    expect(() => imputerCodec.fromJSON({ ...file, fillValues: [1] })).toThrow(expect.objectContaining({ details: { field: 'fillValues' } }));
    expect(() => imputerCodec.fromJSON({ ...file, strategy: 'MEDIAN' })).toThrow(ComponentError);
    expect(() => imputerCodec.fromJSON({ ...file, extra: 1 })).toThrow(/unknown field "extra"/);
    expect(imputerCodec.predictor(model, {}).predict({ col2: null, col3: '' })).toEqual({ col2: model.fillValues[0], col3: 31 });
  });
});
