import type { ComponentDescription } from '../../../types/contracts';

export const PALETTE_DRAG_TYPE = 'application/mixflow-component';
export const CATEGORY_ORDER = ['Data', 'Clustering', 'Evaluation'] as const;

/** Components grouped by category (Data first), filtered by a case-insensitive search on name, id and text. */
export function filterPalette(components: readonly ComponentDescription[], query: string): { category: string; components: ComponentDescription[] }[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hit = (c: ComponentDescription) => {
    const text = `${c.displayName} ${c.id} ${c.description} ${c.category}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
  const byCategory = new Map<string, ComponentDescription[]>();
  for (const c of components) {
    if (!hit(c)) continue;
    const list = byCategory.get(c.category) ?? [];
    list.push(c);
    byCategory.set(c.category, list);
  }
  const rank = (c: string) => {
    const i = (CATEGORY_ORDER as readonly string[]).indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...byCategory.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([category, list]) => ({ category, components: list }));
}
