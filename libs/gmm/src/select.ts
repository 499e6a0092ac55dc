/**
 * Model selection: fit every (k, covariance type) of a grid and keep the one with the lowest information criterion,
 * as R's mclust does with BIC over G = 1..9 and its covariance models. Criteria use scikit-learn's sign (lower is
 * better): bic = −2·log L + p·ln n, aic = −2·log L + 2p; mclust's BIC is the negative of ours.
 *
 * A candidate is degenerate when a component collapses (see diagnoseDegenerate): its likelihood is spurious, so it
 * is reported but never chosen. A candidate whose fit fails is reported with its error and the others go on.
 */
import { countDistinctRows, fitChunkRows } from './data';
import { GmmInputError } from './errors';
import { computeStats, fitGmm, resolveFitOptions } from './fit';
import { diagnoseDegenerate } from './degenerate';
import { GaussianMixture, countParameters } from './model';
import { COVARIANCE_TYPES, type CandidateResult, type CandidateSpec, type CovarianceType, type DataMatrix, type GmmFitOptions, type SelectionCriterion } from './types';


export const SELECTION_CRITERIA: readonly SelectionCriterion[] = ['bic', 'aic'];

/** The fit options every candidate shares: everything of GmmFitOptions but k and the covariance type. */
export type CandidateFitOptions = Omit<GmmFitOptions, 'k' | 'covarianceType' | 'initialModel' | 'meansInit'>;

export interface SelectionOptions {
  kMin?: number; // 1
  kMax?: number; // 9
  covarianceTypes?: readonly CovarianceType[]; // all four
  criterion?: SelectionCriterion; // 'bic'
  fit?: CandidateFitOptions;
}

export interface ResolvedSelectionOptions {
  kMin: number;
  kMax: number;
  covarianceTypes: CovarianceType[];
  criterion: SelectionCriterion;
  fit: CandidateFitOptions;
}

export interface SelectionResult {
  criterion: SelectionCriterion;
  /** index of the chosen candidate in `candidates` */
  bestIndex: number;
  best: GaussianMixture;
  /** in grid order: covariance types in the order given, k ascending within each */
  candidates: CandidateResult[];
}


function selectionError(parameter: string, message: string): never {
  throw new GmmInputError(`${parameter} ${message}`, { parameter });
}

function wholeNumber(value: unknown, parameter: string, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) selectionError(parameter, `must be an integer ≥ 1, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Defaults (kMin 1, kMax 9, all four covariance types, bic) and range checks; errors name the parameter.
 * With data, kMax is checked against the number of distinct rows (a mixture of more Gaussians than distinct
 * rows is ill-defined), and the shared fit options are checked once, here, rather than in every candidate.
 */
export function resolveSelectionOptions(options: SelectionOptions, data?: DataMatrix): ResolvedSelectionOptions {
  const kMin = wholeNumber(options.kMin, 'kMin', 1);
  const kMax = wholeNumber(options.kMax, 'kMax', 9);
  if (kMin > kMax) selectionError('kMin', `(${kMin}) must not be larger than kMax (${kMax})`);
  const types = options.covarianceTypes ?? COVARIANCE_TYPES;
  if (!Array.isArray(types) || types.length === 0) selectionError('covarianceTypes', `must list at least one of ${COVARIANCE_TYPES.join(', ')}`);
  for (const t of types) {
    if (!COVARIANCE_TYPES.includes(t)) selectionError('covarianceTypes', `must hold only ${COVARIANCE_TYPES.join(', ')}, got ${JSON.stringify(t)}`);
  }
  const covarianceTypes = [...new Set(types)];
  const criterion = options.criterion ?? 'bic';
  if (!SELECTION_CRITERIA.includes(criterion)) selectionError('criterion', `must be one of ${SELECTION_CRITERIA.join(', ')}, got ${JSON.stringify(criterion)}`);
  const fit = { ...(options.fit ?? {}) };
  for (const forbidden of ['k', 'covarianceType', 'initialModel', 'meansInit'] as const) {
    if ((fit as Record<string, unknown>)[forbidden] !== undefined) selectionError(forbidden, 'is chosen by the selection; leave it out of the shared fit options');
  }
  resolveFitOptions({ ...fit, k: kMin });
  if (data) {
    const distinct = countDistinctRows(data, kMax);
    if (distinct < kMax) selectionError('kMax', `(${kMax}) is larger than the number of distinct rows (${distinct}); lower kMax or add data`);
  }
  return { kMin, kMax, covarianceTypes, criterion, fit };
}

/** The grid in its fixed order: covariance types as given, k ascending within each. */
export function selectionGrid(o: ResolvedSelectionOptions): CandidateSpec[] {
  const grid: CandidateSpec[] = [];
  for (const covarianceType of o.covarianceTypes) for (let k = o.kMin; k <= o.kMax; k++) grid.push({ k, covarianceType });
  return grid;
}

/** diagnoseDegenerate for a model over `data`, with one E-step computed here (for a model the fit did not check). */
export function diagnoseDegenerateIn(model: GaussianMixture, data: DataMatrix, chunkRows?: number): string | undefined {
  return diagnoseDegenerate(model.params, computeStats(model.params, data, chunkRows ?? fitChunkRows(data.rows, model.covarianceType, model.k, data.cols)));
}

/** The candidates-table row of a fitted model (its training summary says whether the fit is degenerate). */
export function candidateFromModel(spec: CandidateSpec, model: Pick<GaussianMixture, 'training' | 'dims'>, seconds: number): CandidateResult {
  const t = model.training;
  if (!t) throw new GmmInputError('the candidate model has no training summary', { parameter: 'model' });
  const degenerate = t.degenerate;
  return {
    ...spec,
    logLikelihood: t.meanLogLikelihood * t.rows,
    meanLogLikelihood: t.meanLogLikelihood,
    bic: t.bic,
    aic: t.aic,
    parameters: countParameters(spec.covarianceType, spec.k, model.dims),
    iterations: t.iterations,
    converged: t.converged,
    seconds,
    ...(degenerate !== undefined ? { degenerate } : {}),
  };
}

/** The candidates-table row of a failed fit. */
export function failedCandidate(spec: CandidateSpec, dims: number, error: unknown, seconds: number): CandidateResult {
  return {
    ...spec,
    logLikelihood: null,
    meanLogLikelihood: null,
    bic: null,
    aic: null,
    parameters: countParameters(spec.covarianceType, spec.k, dims),
    iterations: null,
    converged: null,
    seconds,
    error: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Index of the best candidate: lowest criterion among those that neither failed nor are degenerate; ties go to
 * fewer parameters, then smaller k, then the earlier covariance type in the grid. Throws (naming the criterion)
 * when no candidate qualifies.
 */
export function chooseBest(candidates: readonly CandidateResult[], criterion: SelectionCriterion): number {
  let best = -1;
  candidates.forEach((c, i) => {
    const value = c[criterion];
    if (c.error !== undefined || c.degenerate !== undefined || value === null || !Number.isFinite(value)) return;
    if (best < 0) {
      best = i;
      return;
    }
    const b = candidates[best];
    const bv = b[criterion] as number;
    if (value < bv || (value === bv && (c.parameters < b.parameters || (c.parameters === b.parameters && c.k < b.k)))) best = i;
  });
  if (best < 0) {
    const failed = candidates.filter((c) => c.error !== undefined).length;
    throw new GmmInputError(
      `no candidate can be chosen: ${failed} failed and ${candidates.length - failed} are degenerate; ` +
        'lower kMax, add covariance types, increase regCovar, or scale the input data',
      { parameter: 'kMax' },
    );
  }
  return best;
}

/**
 * Fits the whole grid in-process, one candidate after another, and returns the best model with the table.
 * Every candidate runs fitGmm with the shared options, so the answer is the same however candidates are scheduled.
 */
export function selectGmm(data: DataMatrix, options: SelectionOptions = {}): SelectionResult {
  const o = resolveSelectionOptions(options, data);
  const models: (GaussianMixture | undefined)[] = [];
  const candidates = selectionGrid(o).map((spec) => {
    const started = Date.now();
    try {
      const model = fitGmm(data, { ...o.fit, ...spec });
      models.push(model);
      return candidateFromModel(spec, model, (Date.now() - started) / 1000);
    } catch (e) {
      if (!(e instanceof GmmInputError)) throw e;
      models.push(undefined);
      return failedCandidate(spec, data.cols, e, (Date.now() - started) / 1000);
    }
  });
  const bestIndex = chooseBest(candidates, o.criterion);
  return { criterion: o.criterion, bestIndex, best: models[bestIndex]!, candidates };
}

/** The best model's JSON with the selection's summary, for --json and the model port. */
export function selectionSummary(result: { criterion: SelectionCriterion; bestIndex: number; candidates: readonly CandidateResult[] }): {
  k: number;
  covarianceType: CovarianceType;
  bic: number;
  aic: number;
  meanLogLikelihood: number;
} {
  const b = result.candidates[result.bestIndex];
  return { k: b.k, covarianceType: b.covarianceType, bic: b.bic!, aic: b.aic!, meanLogLikelihood: b.meanLogLikelihood! };
}

