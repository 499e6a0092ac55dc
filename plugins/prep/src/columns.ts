/**
 * What the column-wise preparation components share: the selected numeric columns (Field Setting), the output
 * column names of a transform, and applying a per-column function to a table (in place, or into new columns).
 */
import { findColumn, type FieldError, type ParameterDescription, type Params } from '@mixflow/component-sdk';
import { columnIndex, getColumn, tableFromColumns, type ColumnData, type ColumnSchema, type ColumnType, type Table, type TableSchema } from '@mixflow/table';

export const NUMERIC_TYPES: readonly ColumnType[] = ['double', 'long'];

export function selectedColsParam(help: string): ParameterDescription {
  return { name: 'selectedCols', label: 'Selected columns', tab: 'field', type: 'columns', port: 0, required: true, columnTypes: NUMERIC_TYPES, help };
}

/** Alink's outputCols: names for the results; empty overwrites the selected columns in place. */
export const OUTPUT_COLS_PARAM: ParameterDescription = {
  name: 'outputCols',
  label: 'Output columns',
  tab: 'field',
  type: 'string',
  default: '',
  help:
    'Names of the result columns, separated by commas, one per selected column and in the same order. Empty: the results replace the selected columns in place. A name that is already a column of the input replaces that column; a new name is appended.',
};

/** The selected columns, each checked against the input schema (present and numeric); errors name the parameter. */
export function checkSelected(schema: TableSchema, names: readonly string[], parameter = 'selectedCols', port = 0): { columns: ColumnSchema[]; errors: FieldError[] } {
  const columns: ColumnSchema[] = [];
  const errors: FieldError[] = [];
  for (const name of names) {
    const found = findColumn(schema, name, { parameter, port, types: NUMERIC_TYPES });
    if ('error' in found) errors.push(found.error);
    else columns.push(found.column);
  }
  return { columns, errors };
}

/** The output column names: outputCols split on commas, or the selected columns themselves (in place). */
export function outputNames(params: Params, selected: readonly string[]): { names: string[] } | { error: FieldError } {
  const raw = typeof params.outputCols === 'string' ? params.outputCols : '';
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) return { names: [...selected] };
  if (names.length !== selected.length) {
    return {
      error: {
        parameter: 'outputCols',
        message: `outputCols names ${names.length} column${names.length === 1 ? '' : 's'} (${names.join(', ')}) but ${selected.length} ${selected.length === 1 ? 'column is' : 'columns are'} selected (${selected.join(', ')}); give one name per selected column, or none to replace them in place`,
      },
    };
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) return { error: { parameter: 'outputCols', column: dup, message: `outputCols lists "${dup}" twice; each result needs its own column` } };
  return { names };
}

/** Where each result goes: the index of the input column it replaces, or -1 when it is appended. */
function placement(schema: TableSchema, names: readonly string[]): number[] {
  return names.map((n) => columnIndex(schema, n));
}

/** The output schema of a transform writing `types[i]` columns named `names[i]` into `schema`. */
export function transformedSchema(schema: TableSchema, names: readonly string[], types: readonly ColumnType[]): TableSchema {
  const columns = schema.columns.map((c) => ({ ...c }));
  placement(schema, names).forEach((at, i) => {
    const column: ColumnSchema = { name: names[i], type: types[i] };
    if (at >= 0) columns[at] = column;
    else columns.push(column);
  });
  return { columns };
}

function countMissing(values: Float64Array): number {
  let n = 0;
  for (let r = 0; r < values.length; r++) if (Number.isNaN(values[r])) n++;
  return n;
}

/**
 * A new table: `results[i]` (typed `types[i]`) written as column `names[i]`, replacing the column of that name or
 * appended; the other columns are shared, not copied. The schema's missing counts follow the new data.
 */
export function writeColumns(table: Table, names: readonly string[], types: readonly ColumnType[], results: readonly Float64Array[]): Table {
  const schema = transformedSchema(table.schema, names, types);
  const data: ColumnData[] = [...table.columns];
  placement(table.schema, names).forEach((at, i) => {
    if (at >= 0) data[at] = results[i];
    else data.push(results[i]);
  });
  names.forEach((name, i) => {
    const column = schema.columns.find((c) => c.name === name)!;
    const missing = countMissing(results[i]);
    if (missing > 0) column.missing = missing;
  });
  return tableFromColumns(schema, data);
}

/** A numeric column's values by name (the caller checked it exists and is numeric). */
export function numericColumn(table: Table, name: string): Float64Array {
  return getColumn(table, name) as Float64Array;
}

/** Count, mean, sample standard deviation, min and max of a column's present values (Welford). */
export function columnStats(values: Float64Array): { count: number; mean: number; std: number; min: number; max: number } {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (Number.isNaN(v)) continue;
    count++;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count, mean, std: count > 1 ? Math.sqrt(m2 / (count - 1)) : 0, min, max };
}
