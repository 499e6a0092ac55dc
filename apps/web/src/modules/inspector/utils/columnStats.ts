import type { ColumnStats, Dataset, PortSchema } from '../../../types/contracts';
import { formatNumber } from '../../../utils/format';

/** A port's per-column statistics by column name. */
export type ColumnStatsByName = ReadonlyMap<string, ColumnStats>;

/**
 * The statistics of each input port's columns, where they are known: the port carries a stored dataset as stored
 * (configure's datasetId) and the datasets list has that dataset's statistics. Anything else (a transformed table,
 * a dataset without statistics) is undefined: the pickers then show names and types only.
 */
export function inputColumnStats(ports: readonly (PortSchema | undefined)[], datasets: readonly Dataset[] | undefined): (ColumnStatsByName | undefined)[] {
  return ports.map((port) => {
    if (!port || port.type !== 'table' || !port.datasetId) return undefined;
    const stats = datasets?.find((d) => d.id === port.datasetId)?.stats;
    return stats ? new Map(stats.map((s) => [s.name, s])) : undefined;
  });
}

/** One line beside a column's name: its missing count, then mean, min and max where the column has them. */
export function formatColumnStats(s: ColumnStats): string {
  const parts = [`missing ${formatNumber(s.missing)}`];
  if (s.mean !== undefined) parts.push(`mean ${formatNumber(s.mean)}`);
  const bound = (v: number | string) => (typeof v === 'number' ? formatNumber(v) : `“${v.length > 12 ? `${v.slice(0, 12)}…` : v}”`);
  if (s.min !== undefined) parts.push(`min ${bound(s.min)}`);
  if (s.max !== undefined) parts.push(`max ${bound(s.max)}`);
  return parts.join(' · ');
}
