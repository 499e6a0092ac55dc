import type { ModelPortSchema } from '@mixflow/component-sdk';

/** What differs between two models' inputs (model type, dimensions, feature columns), or undefined. */
export function inputMismatch(current: ModelPortSchema, next: ModelPortSchema): { what: string; current: string; next: string } | undefined {
  const features = (s: ModelPortSchema) => (s.vectorCol ? `vector column "${s.vectorCol}"` : s.featureCols?.length ? `feature columns ${s.featureCols.join(', ')}` : 'no named features');
  if (current.modelType !== next.modelType) return { what: 'model type', current: current.modelType, next: next.modelType };
  if (current.dims !== next.dims) return { what: 'dimensions', current: String(current.dims), next: String(next.dims) };
  if (features(current) !== features(next)) return { what: 'features', current: features(current), next: features(next) };
  return undefined;
}
