import { gmmPredict, readDataset } from '../../../test/fixtures';
import type { ComponentDescription } from '../../../types/contracts';
import { metricLabel, viewsOf } from './views';

describe('viewsOf', () => {
  it('keeps the views a component declares, in its order', () => {
    const views = [
      { id: 'curve', kind: 'chart-line', title: 'Loss', source: { metrics: ['loss'] } },
      { id: 'out', kind: 'table', title: 'Scores', source: { output: 0 } },
    ];
    expect(viewsOf({ ...gmmPredict, views } as ComponentDescription).map((v) => v.id)).toEqual(['curve', 'out']);
  });
  it('gives a component that declares none a table per table output and a metrics table of everything', () => {
    expect(viewsOf(readDataset)).toEqual([
      { id: 'output-0', kind: 'table', title: 'Table', source: { output: 0 } },
      { id: 'metrics', kind: 'metrics-table', title: 'Metrics', source: { metrics: [] } },
    ]);
  });
});

describe('metricLabel', () => {
  it('splits camelCase and capitalises acronyms', () => {
    expect(metricLabel('meanLogLikelihood')).toBe('Mean log likelihood');
    expect(metricLabel('bic')).toBe('BIC');
    expect(metricLabel('workersUsed')).toBe('Workers used');
  });
});
