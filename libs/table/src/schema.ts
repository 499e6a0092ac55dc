import { TableError } from './errors';
import type { ColumnSchema, ColumnType, TableSchema } from './types';

/** Alink / Flink type names → our four column types. */
const TYPE_NAMES: Record<string, ColumnType> = {
  string: 'string',
  varchar: 'string',
  int: 'long',
  integer: 'long',
  long: 'long',
  bigint: 'long',
  short: 'long',
  smallint: 'long',
  tinyint: 'long',
  double: 'double',
  float: 'double',
  decimal: 'double',
  vector: 'vector',
  dense_vector: 'vector',
  sparse_vector: 'vector',
};

/**
 * Parses an Alink schemaStr such as `features string, label int` or `f0 double, v vector`.
 * Names may be back-quoted (`` `my col` double``). Throws a TableError naming the bad entry.
 */
export function parseSchemaStr(schemaStr: string): TableSchema {
  const entries = schemaStr.split(',').map((part) => part.trim());
  if (schemaStr.trim() === '') throw new TableError('schemaStr is empty: write it as "name type, name type", e.g. "features string, label int"');
  const columns: ColumnSchema[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const match = /^(?:`([^`]+)`|(\S+))\s+(\S+)$/.exec(entry);
    if (!match) {
      throw new TableError(
        `schemaStr entry ${i + 1} ("${entry}") is not "name type"; write it as e.g. "features string, label int"`,
      );
    }
    const name = match[1] ?? match[2];
    const typeName = match[3].toLowerCase();
    const type = TYPE_NAMES[typeName];
    if (!type) {
      throw new TableError(
        `schemaStr column "${name}" has unknown type "${match[3]}"; use string, int, long, bigint, double, float or vector`,
        { column: name },
      );
    }
    if (seen.has(name)) throw new TableError(`schemaStr names column "${name}" twice; column names must be unique`, { column: name });
    seen.add(name);
    columns.push({ name, type });
  }
  return { columns };
}

/** The inverse of parseSchemaStr (long → bigint, as Alink prints it). */
export function formatSchemaStr(schema: TableSchema): string {
  const names: Record<ColumnType, string> = { string: 'string', long: 'bigint', double: 'double', vector: 'vector' };
  return schema.columns.map((c) => `${/[\s,`]/.test(c.name) ? '`' + c.name + '`' : c.name} ${names[c.type]}`).join(', ');
}

/** Index of the named column, -1 when absent. */
export function columnIndex(schema: TableSchema, name: string): number {
  return schema.columns.findIndex((c) => c.name === name);
}

export function isNumericType(type: ColumnType): boolean {
  return type === 'double' || type === 'long';
}
