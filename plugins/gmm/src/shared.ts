import { ComponentError, findColumn, type ExecutionContext, type FieldError, type PortValue } from '@mixflow/component-sdk';
import { GmmInputError, type DataMatrix } from '@mixflow/gmm';
import { extractFeatures, TableError, type Table, type TableSchema } from '@mixflow/table';
import type { EngineRunOptions } from '@mixflow/executor';
import type { FeatureChoice } from './params';

/** Turns the libraries' located errors into a ComponentError for this node, keeping row, column and parameter. */
export function asComponentError(err: unknown, nodeId: string, port?: number): unknown {
  if (err instanceof ComponentError) return err;
  if (err instanceof TableError || err instanceof GmmInputError) {
    const d = err.details as { row?: number; column?: string; parameter?: string };
    return new ComponentError(err.message, {
      nodeId,
      ...(d.row !== undefined ? { row: d.row } : {}),
      ...(d.column !== undefined ? { column: d.column } : {}),
      ...(d.parameter !== undefined ? { parameter: d.parameter } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  }
  return err;
}

/**
 * Field errors for the feature choice against an input schema, and the dimension when it can be known
 * before running (the vector column's size, or the number of feature columns).
 */
export function checkFeatures(schema: TableSchema, choice: FeatureChoice, port: number): { dims?: number; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (choice.vectorCol && choice.featureCols) {
    errors.push({ parameter: 'vectorCol', port, message: 'set either vectorCol or featureCols, not both' });
    return { errors };
  }
  if (!choice.vectorCol && !choice.featureCols) {
    errors.push({ parameter: 'vectorCol', port, message: 'choose the vector column (vectorCol) or numeric feature columns (featureCols)' });
    return { errors };
  }
  if (choice.vectorCol) {
    const found = findColumn(schema, choice.vectorCol, { parameter: 'vectorCol', port, types: ['vector', 'string'] });
    if ('error' in found) {
      const existing = schema.columns.find((c) => c.name === choice.vectorCol);
      if (existing) {
        found.error.message = `vectorCol: column "${existing.name}" is ${existing.type}, not a vector column; pick a vector column, or list numeric columns as featureCols`;
      }
      return { errors: [found.error] };
    }
    return { dims: found.column.vectorSize, errors };
  }
  for (const name of choice.featureCols as string[]) {
    const found = findColumn(schema, name, { parameter: 'featureCols', port, types: ['double', 'long'] });
    if ('error' in found) errors.push(found.error);
  }
  return { dims: errors.length ? undefined : (choice.featureCols as string[]).length, errors };
}

export function tableOn(ctx: ExecutionContext, port: number): Table {
  const v: PortValue | undefined = ctx.inputs[port];
  if (!v || v.type !== 'table') {
    throw new ComponentError(`input port ${port} needs a table; connect a table output to it`, { nodeId: ctx.nodeId, port });
  }
  return v.table;
}

export function featuresOf(ctx: ExecutionContext, table: Table, choice: FeatureChoice, port: number): DataMatrix {
  try {
    return extractFeatures(table, choice);
  } catch (err) {
    throw asComponentError(err, ctx.nodeId, port);
  }
}

/** The Execution Tuning values plus plumbing, as the engine takes them. */
export function runOptions(ctx: ExecutionContext, extra: Partial<EngineRunOptions> = {}): EngineRunOptions {
  return {
    numWorkers: ctx.params.numWorkers as number,
    memoryPerWorkerMb: ctx.params.memoryPerWorkerMb as number,
    signal: ctx.signal,
    log: (message) => ctx.log('info', message),
    ...extra,
  };
}
