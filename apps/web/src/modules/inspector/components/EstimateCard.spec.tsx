import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ResourceEstimate } from '../../../types/contracts';
import { EstimateCard } from './EstimateCard';

const estimate: ResourceEstimate = {
  formulaMemoryMb: 146.48,
  formula: '100 × 100 × 8 × 8 × 2 × 12 / 1024 / 1024 = 146.48 MB',
  recommendedMemoryMb: 1024,
  recommendedWorkers: 10,
  dataAwareMemoryMb: 2048.5,
  dataAwareDetail: '200000 rows per worker × (100 + 8) × 8 B',
  warnings: [{ code: 'memory-below-estimate', message: 'Memory per worker (512 MB) is below the estimate (1024 MB).' }],
};

describe('EstimateCard', () => {
  it('shows the filled-in formula, the recommendation, the data-aware estimate and warnings', () => {
    render(<EstimateCard estimate={estimate} applied={false} canApply onApply={() => undefined} />);
    expect(screen.getByTestId('estimate-formula')).toHaveTextContent('100 × 100 × 8 × 8 × 2 × 12 / 1024 / 1024 = 146.48 MB');
    expect(screen.getByTestId('estimate-workers')).toHaveTextContent('10');
    expect(screen.getByTestId('estimate-memory')).toHaveTextContent('1,024 MB');
    expect(screen.getByTestId('estimate-data-aware')).toHaveTextContent('2.0 GB');
    expect(screen.getByTestId('estimate-data-aware-detail')).toHaveTextContent('200000 rows per worker');
    expect(screen.getByTestId('estimate-warning')).toHaveAttribute('data-code', 'memory-below-estimate');
    expect(screen.getByTestId('estimate-apply')).toHaveTextContent('Apply recommendation (10 × 1,024 MB)');
  });

  it('rounds the formula’s MB in its note as the formula text does (two significant digits, separators from 100 MB)', () => {
    const small = { ...estimate, formulaMemoryMb: 0.0125, formula: '1 × 1 × 1 × 8 × 2 × 12 / 1024 / 1024 = 0.013 MB' };
    const { unmount } = render(<EstimateCard estimate={small} applied={false} canApply onApply={() => undefined} />);
    expect(screen.getByTestId('estimate-card')).toHaveTextContent('formula 0.013 MB');
    unmount();
    render(<EstimateCard estimate={{ ...estimate, formulaMemoryMb: 146.48 }} applied={false} canApply onApply={() => undefined} />);
    expect(screen.getByTestId('estimate-card')).toHaveTextContent('formula 146 MB');
  });

  it('calls onApply once per click and disables the button once applied', async () => {
    const user = userEvent.setup();
    const onApply = jest.fn();
    const { rerender } = render(<EstimateCard estimate={estimate} applied={false} canApply onApply={onApply} />);
    await user.click(screen.getByTestId('estimate-apply'));
    expect(onApply).toHaveBeenCalledTimes(1);
    rerender(<EstimateCard estimate={estimate} applied canApply onApply={onApply} />);
    expect(screen.getByTestId('estimate-apply')).toBeDisabled();
  });

  it('explains what is missing before an estimate exists', () => {
    render(<EstimateCard applied={false} canApply={false} onApply={() => undefined} />);
    expect(screen.getByTestId('estimate-card')).toHaveTextContent('Connect an input to estimate the resources this node needs.');
    expect(screen.queryByTestId('estimate-apply')).not.toBeInTheDocument();
  });
});
