import { inFlags, inLabels } from './messages';
import type { ParameterDescription } from './types';

const P: ParameterDescription[] = [
  { name: 'k', label: 'Number of clusters', tab: 'parameter', type: 'int', help: '' },
  { name: 'maxIter', label: 'Maximum iterations', tab: 'parameter', type: 'int', help: '' },
  { name: 'vectorCol', label: 'Vector column', tab: 'field', type: 'column', help: '' },
  { name: 'featureCols', label: 'Feature columns', tab: 'field', type: 'columns', help: '' },
  { name: 'predictionCol', label: 'Prediction column', tab: 'parameter', type: 'string', help: '' },
  { name: 'predictionDetailCol', label: 'Prediction detail column', tab: 'parameter', type: 'string', help: '' },
  { name: 'memoryPerWorkerMb', label: 'Memory per worker, MB', tab: 'execution', type: 'int', help: '', cliFlag: 'memory-mb' },
];

describe('inLabels: an engine message in the console’s words', () => {
  it('names camelCase parameters by their labels', () => {
    expect(inLabels('maxIter must be an integer ≥ 1, got 0', P, 'maxIter')).toBe('Maximum iterations must be an integer ≥ 1, got 0');
    expect(inLabels('set vectorCol or featureCols', P)).toBe('set Vector column or Feature columns');
  });

  it('names a short parameter (k) only as the message’s subject, and reads "k = 5" as "Number of clusters (5)"', () => {
    expect(inLabels('k = 5 is larger than the number of rows (3); lower k or add data', P, 'k')).toBe(
      'Number of clusters (5) is larger than the number of rows (3); lower k or add data',
    );
    expect(inLabels('k must be an integer ≥ 1', P, 'k')).toBe('Number of clusters must be an integer ≥ 1');
    expect(inLabels('keep k small', P)).toBe('keep k small');
  });
});

describe('inFlags: a message in the command line’s words', () => {
  it('turns labels and camelCase names into flags, longer labels first', () => {
    expect(inFlags('set Vector column or Feature columns, not both', { parameters: P })).toBe('set --vector-col or --feature-cols, not both');
    expect(inFlags('Prediction detail column and Prediction column clash', { parameters: P })).toBe('--prediction-detail-col and --prediction-col clash');
    expect(inFlags('leave "x" out of predictionCol', { parameters: P })).toBe('leave "x" out of --prediction-col');
  });

  it('uses a parameter’s own flag and reads a label without its unit', () => {
    expect(inFlags('raise Memory per worker (now 1024 MB)', { parameters: P })).toBe('raise --memory-mb (now 1024 MB)');
  });

  it('leaves lower-case words and flags alone', () => {
    expect(inFlags('pick a vector column; --vector-col is set', { parameters: P })).toBe('pick a vector column; --vector-col is set');
  });
});
