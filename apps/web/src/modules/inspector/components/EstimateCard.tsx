import type { ResourceEstimate } from '../../../types/contracts';
import { formatMb } from '../utils/execution';

export interface EstimateCardProps {
  estimate?: ResourceEstimate;
  loading?: boolean;
  error?: string;
  /** whether the node's workers/memory already equal the recommendation */
  applied: boolean;
  canApply: boolean;
  onApply: () => void;
}

/** PAI's resource appendix, live: the formula with numbers filled in, the recommendation, our data-aware estimate. */
export function EstimateCard({ estimate, loading, error, applied, canApply, onApply }: EstimateCardProps) {
  if (!estimate) {
    return (
      <div className="estimate-card is-empty" data-testid="estimate-card">
        <div className="estimate-title">Resource recommendation</div>
        <div className="muted">{error ?? (loading ? 'Estimating…' : 'Connect an input to estimate the resources this node needs.')}</div>
      </div>
    );
  }
  return (
    <div className={`estimate-card ${loading ? 'is-loading' : ''}`} data-testid="estimate-card">
      <div className="estimate-title">
        Resource recommendation {loading && <span className="spinner small" aria-label="updating" />}
      </div>
      <div className="estimate-formula" data-testid="estimate-formula" title="PAI's memory formula, M = vector dimensions, K = Gaussians">
        {estimate.formula}
      </div>
      <div className="estimate-grid">
        <div className="estimate-cell">
          <div className="estimate-label">Workers</div>
          <div className="estimate-value" data-testid="estimate-workers">{estimate.recommendedWorkers}</div>
          <div className="estimate-note">≈ 5 per GB of input</div>
        </div>
        <div className="estimate-cell">
          <div className="estimate-label">Memory / worker</div>
          <div className="estimate-value" data-testid="estimate-memory">{estimate.recommendedMemoryMb.toLocaleString('en-US')} MB</div>
          <div className="estimate-note">formula {formatMb(estimate.formulaMemoryMb)}, min 1 GB</div>
        </div>
        <div className="estimate-cell data-aware" data-testid="estimate-data-aware">
          <div className="estimate-label">Data-aware</div>
          <div className="estimate-value">{estimate.dataAwareMemoryMb !== undefined ? formatMb(estimate.dataAwareMemoryMb) : '—'}</div>
          <div className="estimate-note">per worker{estimate.dataAwareDetail ? '' : ', needs the input size'}</div>
        </div>
      </div>
      {estimate.dataAwareDetail && <div className="estimate-detail" data-testid="estimate-data-aware-detail">Data-aware: {estimate.dataAwareDetail}</div>}
      {estimate.warnings.length > 0 && (
        <ul className="estimate-warnings">
          {estimate.warnings.map((w) => (
            <li key={w.code + w.message} data-testid="estimate-warning" data-code={w.code}>⚠ {w.message}</li>
          ))}
        </ul>
      )}
      <button className="btn btn-primary btn-block" disabled={!canApply || applied} onClick={onApply} data-testid="estimate-apply">
        {applied ? '✓ Recommendation applied' : `Apply recommendation (${estimate.recommendedWorkers} × ${estimate.recommendedMemoryMb.toLocaleString('en-US')} MB)`}
      </button>
    </div>
  );
}
