import type { ComponentDescription } from '../../../types/contracts';
import type { ViewDescription } from '../types';

/**
 * The views the results panel offers for a node: the ones its component declares, in order; a component that
 * declares none gets a table view per table output and a metrics table.
 */
export function viewsOf(description: ComponentDescription): ViewDescription[] {
  if (description.views?.length) return description.views;
  const tables: ViewDescription[] = description.outputs.flatMap((o, port) => (o.type === 'table' ? [{ id: `output-${port}`, kind: 'table', title: o.label, source: { output: port } }] : []));
  // a metrics table that lists no names shows every metric the node reported
  return [...tables, { id: 'metrics', kind: 'metrics-table', title: 'Metrics', source: { metrics: [] } }];
}

const ACRONYMS = new Set(['aic', 'bic', 'id', 'mb', 'em', 'csv', 'pca']);

/** A metric's name for people: camelCase split into words, known acronyms in capitals (meanLogLikelihood → Mean log likelihood). */
export function metricLabel(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_-]+/).filter(Boolean).map((w) => w.toLowerCase());
  return words.map((w, i) => (ACRONYMS.has(w) ? w.toUpperCase() : i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}
