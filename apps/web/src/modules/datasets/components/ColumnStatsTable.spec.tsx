import { render, screen, within } from '@testing-library/react';
import { ColumnStatsTable } from './DatasetsPage';

describe('ColumnStatsTable', () => {
  it('shows each column’s statistics, numbers rounded, absent ones as a dash', () => {
    render(
      <ColumnStatsTable
        stats={[
          { name: 'x', count: 3, missing: 1, min: 0.5, max: 4, mean: 2.3333333333333335, std: 1.7559422921421233, distinct: 3 },
          { name: 'name', count: 4, missing: 0, min: 'ann', max: 'cy', distinct: 3 },
        ]}
      />,
    );
    const rows = within(screen.getByTestId('dataset-stats')).getAllByRole('row');
    expect(rows.map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent))).toEqual([
      ['column', 'count', 'missing', 'min', 'max', 'mean', 'std', '≈ distinct'],
      ['x', '3', '1', '0.5', '4', '2.33333', '1.75594', '3'],
      ['name', '4', '0', 'ann', 'cy', '–', '–', '3'],
    ]);
  });
});
