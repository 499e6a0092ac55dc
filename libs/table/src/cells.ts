import { TableError } from './errors';
import { isMissingCell } from './missing';

/**
 * A numeric CSV cell as a table holds it: NaN for a missing cell (isMissingCell), else the number; text that is
 * not a number (or not an integer in a long column) is a TableError naming the 1-based data row and the column.
 */
export function numericCell(text: string, type: 'double' | 'long', row: number, column: string): number {
  const t = text.trim();
  if (isMissingCell(t)) return NaN;
  const n = Number(t);
  if (!Number.isFinite(n) || (type === 'long' && !Number.isInteger(n))) {
    throw new TableError(`data row ${row}, column "${column}": "${text}" is not ${type === 'long' ? 'an integer' : 'a number'}`, { row, column });
  }
  return n;
}
