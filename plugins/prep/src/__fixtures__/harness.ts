import { resolveParams, standaloneContext, type ComponentDefinition, type FieldError, type Params, type PortSchema, type PortValue } from '@mixflow/component-sdk';
import { InlineEngine } from '@mixflow/executor';
import { parseSchemaStr, rowsOf, tableFromRows, type Table } from '@mixflow/table';

/** The rows of the Alink docs' scaler and imputer examples (FACTS-pipeline §2–4). */
export const DOC_ROWS: (string | number | null)[][] = [
  ['a', 10.0, 100],
  ['b', -2.5, 9],
  ['c', 100.2, 1],
  ['d', -99.9, 100],
  ['a', 1.4, 1],
  ['b', -2.2, 9],
  ['c', 100.9, 1],
];
export const DOC_SCHEMA = 'col1 string, col2 double, col3 long';

export function docTable(rows: (string | number | null)[][] = DOC_ROWS): Table {
  return tableFromRows(rows, parseSchemaStr(DOC_SCHEMA));
}

export function schemaOf(value: PortValue): PortSchema {
  if (value.type === 'table') return { type: 'table', schema: value.table.schema };
  return { type: 'model', modelType: value.model.modelType };
}

/** What configure says (parameters resolved as the API does: strict JSON, defaults filled). */
export function configureOf(component: ComponentDefinition, raw: Params, inputs: PortValue[]): { errors: FieldError[]; outputs: (PortSchema | undefined)[] } {
  const { params, errors } = resolveParams(component.description, raw, { strict: true });
  if (errors.length > 0) return { errors, outputs: [] };
  return component.configure(params, inputs.map((v) => (v.type === 'table' ? { type: 'table', schema: v.table.schema, rowCount: v.table.rowCount } : { type: 'model', modelType: v.model.modelType, featureCols: (v.model as unknown as { selectedCols?: string[] }).selectedCols })));
}

export interface Ran {
  outputs: PortValue[];
  logs: string[];
  metrics: Record<string, unknown>;
  /** the table of output `port` */
  table(port?: number): Table;
  rows(port?: number): (string | number)[][];
}

/** Resolves, configures (throwing on errors) and executes a component as a workflow node would. */
export async function runComponent(component: ComponentDefinition, raw: Params, inputs: PortValue[]): Promise<Ran> {
  const configured = configureOf(component, raw, inputs);
  if (configured.errors.length > 0) throw new Error(`configure: ${configured.errors.map((e) => `${e.parameter ?? ''}: ${e.message}`).join('; ')}`);
  const { params } = resolveParams(component.description, raw, { strict: true });
  const logs: string[] = [];
  const metrics: Record<string, unknown> = {};
  const result = await component.execute(
    standaloneContext({ nodeId: 'node-1', params, inputs, engine: new InlineEngine(), log: (level, m) => logs.push(`${level}: ${m}`), metric: (n, v) => (metrics[n] = v) }),
  );
  // configure promised these schemas before anything ran
  result.outputs.forEach((value, i) => {
    const promised = configured.outputs[i];
    if (value.type === 'table' && promised?.type === 'table') {
      const names = (s: { columns: { name: string; type: string }[] }) => s.columns.map((c) => `${c.name}:${c.type}`);
      if (names(promised.schema).join() !== names(value.table.schema).join()) throw new Error(`output ${i}: configure said ${names(promised.schema)}, execute gave ${names(value.table.schema)}`);
    }
  });
  const table = (port = 0) => {
    const v = result.outputs[port];
    if (v.type !== 'table') throw new Error(`output ${port} is a model`);
    return v.table;
  };
  return { outputs: result.outputs, logs, metrics, table, rows: (port = 0) => rowsOf(table(port)) };
}

export const tableValue = (table: Table): PortValue => ({ type: 'table', table });

/** The model a port carries, as the model type's payload. */
export function modelOf<M>(value: PortValue): M {
  if (value.type !== 'model') throw new Error('expected a model port value');
  return value.model as unknown as M;
}
