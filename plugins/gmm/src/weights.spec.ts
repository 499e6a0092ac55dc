import { getColumn, readCsv, type Table } from '@mixflow/table';
import { modelOf, modelValue, run, tableOf, tableValue } from './__fixtures__/harness';
import { gmmPredict, gmmTrain } from './index';

/** Old Faithful-like rows with an integer weight per row; the "copies" table repeats each row `w` times. */
const ROWS: Array<[number, number, number]> = [
  [3.6, 79, 2], [1.8, 54, 1], [3.333, 74, 3], [2.283, 62, 1], [4.533, 85, 0], [2.883, 55, 2], [4.7, 88, 1], [3.6, 85, 1],
  [1.95, 51, 2], [4.35, 85, 1], [1.833, 54, 3], [3.917, 84, 1], [4.2, 78, 2], [1.75, 47, 1], [4.7, 83, 1],
];
const weightedCsv = `eruptions,waiting,w\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
const copiesCsv = `eruptions,waiting\n${ROWS.flatMap(([e, t, w]) => Array.from({ length: w }, () => `${e},${t}`)).join('\n')}\n`;
// a fixed start, the same for both fits
const start = { meansInit: '[[2, 55], [4.3, 82]]', weightsInit: '[0.5, 0.5]', precisionsInit: '[[[4, 0], [0, 0.02]], [[4, 0], [0, 0.02]]]' };
const params = { featureCols: ['eruptions', 'waiting'], k: 2, maxIter: 50, epsilon: 1e-10, ...start };

let weighted: Table;
let copies: Table;
beforeAll(async () => {
  weighted = await readCsv(weightedCsv);
  copies = await readCsv(copiesCsv);
});

async function withWeight(value: string, row: number): Promise<Table> {
  const lines = weightedCsv.trimEnd().split('\n');
  const cells = lines[row].split(',');
  cells[2] = value;
  lines[row] = cells.join(',');
  return readCsv(`${lines.join('\n')}\n`);
}

describe('GMM Training: Weight column (weightCol)', () => {
  it('integer weights give the model of the repeated rows, and the training summary records the column', async () => {
    const r = await run(gmmTrain, { ...params, weightCol: 'w' }, [tableValue(weighted)]);
    const plain = modelOf(await run(gmmTrain, params, [tableValue(copies)]));
    const model = modelOf(r);
    model.means.flat().forEach((v, i) => expect(v).toBeCloseTo(plain.means.flat()[i], 9));
    (model.covariances as number[][][]).flat(2).forEach((v, i) => expect(v).toBeCloseTo((plain.covariances as number[][][]).flat(2)[i], 9));
    model.weights.forEach((v, i) => expect(v).toBeCloseTo(plain.weights[i], 9));
    expect(model.training).toMatchObject({ weightCol: 'w', totalWeight: 22, rows: 15 });
    expect(model.training!.meanLogLikelihood).toBeCloseTo(plain.training!.meanLogLikelihood, 9);
    expect(r.metrics.totalWeight).toBe(22);
    expect(r.logs).toContain(
      'info: weighted EM: sample weights from column "w" (Σ weight 22.000000 over 15 rows; 1 row of weight 0 takes no part); the log-likelihood, BIC and AIC are weighted',
    );
  });

  it('GMM Prediction takes a weighted model like any other', async () => {
    const model = modelOf(await run(gmmTrain, { ...params, weightCol: 'w' }, [tableValue(weighted)]));
    const r = await run(gmmPredict, { predictionCol: 'cluster' }, [modelValue(model), tableValue(weighted)]);
    const clusters = Array.from(getColumn(tableOf(r), 'cluster') as Float64Array);
    // the short eruptions (rows 2, 4, 9, 11, 14) and the long ones
    expect(new Set([1, 3, 8, 10, 13].map((i) => clusters[i])).size).toBe(1);
    expect(new Set([0, 2, 6, 7, 9, 11, 12, 14].map((i) => clusters[i])).size).toBe(1);
    expect(clusters[1]).not.toBe(clusters[0]);
  });

  it('weights change the model', async () => {
    const unweighted = modelOf(await run(gmmTrain, params, [tableValue(weighted)]));
    const model = modelOf(await run(gmmTrain, { ...params, weightCol: 'w' }, [tableValue(weighted)]));
    expect(Math.abs(model.means[0][0] - unweighted.means[0][0])).toBeGreaterThan(1e-3);
    expect(unweighted.training!.weightCol).toBeUndefined();
  });

  it.each([
    ['-1', 4, /^row 4, column "w": the weight is negative \(-1\)/],
    ['NaN', 7, /^row 7, column "w": the weight is missing or not a number/],
    ['', 2, /^row 2, column "w": the weight is missing or not a number/],
  ])('a weight of "%s" is an error naming its row (%i) and the column', async (value, row, message) => {
    const table = await withWeight(value, row);
    await expect(run(gmmTrain, { ...params, weightCol: 'w' }, [tableValue(table)])).rejects.toMatchObject({
      message: expect.stringMatching(message),
      details: { nodeId: 'node-1', row, column: 'w', parameter: 'weightCol' },
    });
  });

  it('all-zero weights are an error naming the column', async () => {
    const zero = await readCsv(`eruptions,waiting,w\n${ROWS.map(([e, t]) => `${e},${t},0`).join('\n')}\n`);
    await expect(run(gmmTrain, { ...params, weightCol: 'w' }, [tableValue(zero)])).rejects.toMatchObject({
      message: expect.stringMatching(/column "w": every row's weight is 0/),
      details: { column: 'w', parameter: 'weightCol' },
    });
  });

  it('with missingValues drop, a weight error names the data row, not the row among those kept', async () => {
    // data row 2 has no eruption time (dropped); data row 5's weight is negative: the 4th kept row
    const lines = weightedCsv.trimEnd().split('\n');
    lines[2] = '?,54,1';
    lines[5] = '4.533,85,-3';
    const table = await readCsv(`${lines.join('\n')}\n`);
    await expect(run(gmmTrain, { ...params, weightCol: 'w', missingValues: 'drop' }, [tableValue(table)])).rejects.toMatchObject({
      message: expect.stringMatching(/^row 5, column "w": the weight is negative/),
      details: { row: 5, column: 'w' },
    });
  });

  it('configure names a missing or non-numeric weight column', async () => {
    const schema = (await readCsv('a,b,s\n1,2,x\n3,4,y\n')).schema;
    expect(gmmTrain.configure({ featureCols: ['a', 'b'], k: 2, weightCol: 'nope' }, [{ type: 'table', schema }]).errors).toEqual([
      expect.objectContaining({ parameter: 'weightCol', column: 'nope' }),
    ]);
    expect(gmmTrain.configure({ featureCols: ['a', 'b'], k: 2, weightCol: 's' }, [{ type: 'table', schema }]).errors).toEqual([
      expect.objectContaining({ parameter: 'weightCol', column: 's' }),
    ]);
    expect(gmmTrain.configure({ featureCols: ['a', 'b'], k: 2, weightCol: '' }, [{ type: 'table', schema }]).errors).toEqual([]);
  });

  it('is a Field Setting column parameter of GMM Training, numeric columns of port 0', () => {
    expect(gmmTrain.description.parameters.find((p) => p.name === 'weightCol')).toMatchObject({ tab: 'field', type: 'column', port: 0, columnTypes: ['double', 'long'] });
  });
});
