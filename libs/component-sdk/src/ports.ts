import type { ColumnSchema, ColumnType, TableSchema } from '@mixflow/table';
import type { FieldError, PortSchema } from './types';

/** The table schema on an input port before running, or undefined when the port is unconnected or not a table. */
export function tableInput(inputs: readonly (PortSchema | undefined)[], port: number): TableSchema | undefined {
  const s = inputs[port];
  return s?.type === 'table' ? s.schema : undefined;
}

export function modelInput(inputs: readonly (PortSchema | undefined)[], port: number): Extract<PortSchema, { type: 'model' }> | undefined {
  const s = inputs[port];
  return s?.type === 'model' ? s : undefined;
}

/**
 * Looks a parameter's column up in an input schema. Returns the column, or a FieldError naming the parameter
 * and the column when it is absent or of a type the parameter does not take; its message names the parameter by
 * its label, as the console shows it (a plugin written before labels were passed gets the parameter's name).
 */
export function findColumn(
  schema: TableSchema,
  name: string,
  o: { parameter: string; label?: string; port: number; types?: readonly ColumnType[] },
): { column: ColumnSchema } | { error: FieldError } {
  const column = schema.columns.find((c) => c.name === name);
  if (!column) {
    return {
      error: {
        parameter: o.parameter,
        column: name,
        port: o.port,
        message: `${o.label ?? o.parameter}: column "${name}" is not in the input table (columns: ${schema.columns.map((c) => c.name).join(', ') || 'none'})`,
      },
    };
  }
  if (o.types && !o.types.includes(column.type)) {
    return {
      error: {
        parameter: o.parameter,
        column: name,
        port: o.port,
        message: `${o.label ?? o.parameter}: column "${name}" is ${column.type}; pick a ${o.types.join(' or ')} column`,
      },
    };
  }
  return { column };
}
