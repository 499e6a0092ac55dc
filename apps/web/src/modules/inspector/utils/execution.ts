import type { ComponentDescription, ParameterDescription, Params, ResourceEstimate } from '../../../types/contracts';

/** The Execution Tuning parameters the recommendation fills in: number of workers and memory per worker (MB). */
export function resourceParameters(d: ComponentDescription): { workers?: ParameterDescription; memory?: ParameterDescription } {
  const exec = d.parameters.filter((p) => p.tab === 'execution' && (p.type === 'int' || p.type === 'double'));
  return {
    workers: exec.find((p) => /worker/i.test(p.name) && !/mem/i.test(p.name)),
    memory: exec.find((p) => /mem/i.test(p.name)),
  };
}

/** The params after "Apply recommendation": recommended workers and memory, clamped to the parameters' ranges. */
export function applyRecommendation(d: ComponentDescription, params: Params, e: ResourceEstimate): Params {
  const { workers, memory } = resourceParameters(d);
  const clamp = (p: ParameterDescription, v: number) => Math.min(p.max ?? Infinity, Math.max(p.min ?? -Infinity, v));
  const next = { ...params };
  if (workers) next[workers.name] = clamp(workers, e.recommendedWorkers);
  if (memory) next[memory.name] = clamp(memory, e.recommendedMemoryMb);
  return next;
}

export function isRecommendationApplied(d: ComponentDescription, params: Params, e: ResourceEstimate): boolean {
  const applied = applyRecommendation(d, params, e);
  const { workers, memory } = resourceParameters(d);
  return [workers, memory].every((p) => !p || params[p.name] === applied[p.name]);
}

export function formatMb(mb: number): string {
  if (!Number.isFinite(mb)) return '—';
  if (mb >= 1024) return `${(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GB`;
  // as the estimator's formulas round (libs/resource-estimator formatNumber): the card and its formula agree
  if (mb >= 100) return `${Math.round(mb).toLocaleString('en-US')} MB`;
  if (mb === 0) return '0 MB';
  return `${Number(mb.toPrecision(2))} MB`;
}
