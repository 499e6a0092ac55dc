import { makeDataMatrix, parseVectors, type DataMatrix } from '@mixflow/gmm';
import { TableError } from './errors';
import { columnIndex, isNumericType } from './schema';
import { asTableError } from './table';
import type { Table } from './types';

export interface FeatureSelection {
  /** a vector column (Alink dense or sparse strings) */
  vectorCol?: string;
  /** numeric columns, used in this order */
  featureCols?: string[];
}

function requireColumn(table: Table, name: string, role: string): number {
  const i = columnIndex(table.schema, name);
  if (i < 0) {
    throw new TableError(
      `${role} "${name}" does not exist in the input table; its columns are ${table.schema.columns.map((c) => `"${c.name}"`).join(', ')}`,
      { column: name },
    );
  }
  return i;
}

/**
 * The n × d feature matrix: from a vector column (every row parsed, same dimension, finite) or from numeric
 * feature columns. Errors name the column and the 1-based row.
 */
export function extractFeatures(table: Table, sel: FeatureSelection): DataMatrix {
  const hasVector = sel.vectorCol !== undefined && sel.vectorCol !== '';
  const hasCols = sel.featureCols !== undefined && sel.featureCols.length > 0;
  if (hasVector === hasCols) {
    throw new TableError('choose either a vector column (vectorCol) or numeric feature columns (featureCols), not both and not neither');
  }
  if (table.rowCount === 0) throw new TableError('the input table has no rows; features need at least one row');
  if (hasVector) {
    const name = sel.vectorCol as string;
    const i = requireColumn(table, name, 'vector column');
    const type = table.schema.columns[i].type;
    if (type !== 'vector' && type !== 'string') {
      throw new TableError(`column "${name}" is ${type}, not a vector column; pick a vector column or list numeric columns as featureCols`, {
        column: name,
      });
    }
    try {
      return parseVectors(table.columns[i] as string[], name);
    } catch (err) {
      throw asTableError(err);
    }
  }
  const names = sel.featureCols as string[];
  const idx = names.map((name) => requireColumn(table, name, 'feature column'));
  const rows = table.rowCount;
  const d = names.length;
  const out = new Float64Array(rows * d);
  idx.forEach((ci, j) => {
    const c = table.schema.columns[ci];
    if (!isNumericType(c.type)) {
      throw new TableError(`feature column "${c.name}" is ${c.type}, not numeric; featureCols take double or long columns`, { column: c.name });
    }
    const col = table.columns[ci] as Float64Array;
    for (let r = 0; r < rows; r++) {
      const v = col[r];
      if (!Number.isFinite(v)) {
        throw new TableError(`row ${r + 1}, column "${c.name}": ${v} is not a finite number`, { row: r + 1, column: c.name });
      }
      out[r * d + j] = v;
    }
  });
  return makeDataMatrix(out, rows, d);
}
