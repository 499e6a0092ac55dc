import { gmmPredict, gmmTrain, readDataset } from '../../../test/fixtures';
import { filterPalette } from './filterPalette';

describe('filterPalette', () => {
  it('groups by category with Data first', () => {
    expect(filterPalette([gmmTrain, readDataset, gmmPredict], '').map((g) => [g.category, g.components.map((c) => c.id)])).toEqual([
      ['Data', ['read-dataset']],
      ['Clustering', ['gmm-train', 'gmm-predict']],
    ]);
  });

  it('matches every word of the query, case-insensitively, in the name, id or description', () => {
    expect(filterPalette([gmmTrain, readDataset, gmmPredict], 'GMM pred').flatMap((g) => g.components.map((c) => c.id))).toEqual(['gmm-predict']);
    expect(filterPalette([gmmTrain, readDataset, gmmPredict], 'stored').flatMap((g) => g.components.map((c) => c.id))).toEqual(['read-dataset']);
    expect(filterPalette([gmmTrain], 'nothing-like-this')).toEqual([]);
  });
});
