import type { CandidateResult, CovarianceType } from '../types';

/** One point of the selection chart: x = k, one column per covariance type (the criterion, or null). */
export interface SelectionRow {
  k: number;
  [type: string]: number | null;
}

export interface SelectionSeries {
  criterion: 'bic' | 'aic';
  /** the covariance types in the grid's order, one line each */
  types: CovarianceType[];
  rows: SelectionRow[];
  /** the chosen candidate (its type and k), when the run chose one */
  best?: { covarianceType: CovarianceType; k: number };
  /** the candidates that cannot be chosen: why, by `${type}:${k}` */
  excluded: Record<string, string>;
}

export const candidateKey = (c: { covarianceType: string; k: number }) => `${c.covarianceType}:${c.k}`;

/**
 * The chart of GMM Model Selection's candidates: the criterion against k, one line per covariance type. A failed
 * candidate has no point; degenerate and failed candidates are listed with their reason.
 */
export function selectionSeries(candidates: readonly CandidateResult[], criterion: 'bic' | 'aic', bestIndex?: number): SelectionSeries {
  const types: CovarianceType[] = [];
  const byK = new Map<number, SelectionRow>();
  const excluded: Record<string, string> = {};
  for (const c of candidates) {
    if (!types.includes(c.covarianceType)) types.push(c.covarianceType);
    const row: SelectionRow = byK.get(c.k) ?? { k: c.k };
    row[c.covarianceType] = c[criterion];
    byK.set(c.k, row);
    if (c.error) excluded[candidateKey(c)] = `failed: ${c.error}`;
    else if (c.degenerate) excluded[candidateKey(c)] = `degenerate: ${c.degenerate}`;
  }
  const rows = [...byK.values()].sort((a, b) => a.k - b.k);
  for (const row of rows) for (const t of types) if (!(t in row)) row[t] = null;
  const best = bestIndex !== undefined && candidates[bestIndex] ? { covarianceType: candidates[bestIndex].covarianceType, k: candidates[bestIndex].k } : undefined;
  return { criterion, types, rows, ...(best ? { best } : {}), excluded };
}
