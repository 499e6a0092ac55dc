import { dropMissingRows, rowsWithMissing } from './missing';
import { GaussianMixture } from './model';
import { fitGmm } from './fit';
import { matrixFromRows } from './data';

const withGaps = matrixFromRows([
  [1, 10],
  [NaN, 20],
  [3, NaN],
  [5, 40],
]);

describe('missing values', () => {
  it('finds the rows with a missing cell', () => {
    expect(rowsWithMissing(withGaps)).toEqual([1, 2]);
  });

  it('drop keeps the complete rows and says which input rows they were', () => {
    const { data, keptRows, dropped } = dropMissingRows(withGaps);
    expect(dropped).toBe(2);
    expect(Array.from(keptRows)).toEqual([0, 3]);
    expect(Array.from(data.data)).toEqual([1, 10, 5, 40]);
    // where the engine's threads read it, without another copy
    expect(data.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('the model file keeps the imputation means, and refuses a wrong length', () => {
    const model = fitGmm(matrixFromRows([[0, 0], [1, 1], [9, 9], [10, 10]]), { k: 2 }).withProvenance({ imputeMeans: [5, 5] });
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(GaussianMixture.fromJSON(json).imputeMeans).toEqual([5, 5]);
    expect(() => GaussianMixture.fromJSON({ ...json, imputeMeans: [5] })).toThrow(/imputeMeans must have 2 entries/);
  });
});
