/**
 * Column models: a train component fits one figure set per selected column (an imputer's fill values, a scaler's
 * means and deviations), outputs it as a model and the input transformed by it; the predict component applies a
 * fitted model to other data, so new rows are treated as the training rows were (Alink's *TrainBatchOp /
 * *PredictBatchOp pairs). This file holds what the three kinds share: the codec, the predict component, the
 * train component's ports and configure, and applying a model to a table.
 */
import {
  ComponentError,
  modelInput,
  tableInput,
  type ComponentDefinition,
  type ExecutionContext,
  type FieldError,
  type ModelCodec,
  type ModelPayload,
  type ModelSummary,
  type ParameterDescription,
  type Params,
  type PortSchema,
  type ViewDescription,
} from '@mixflow/component-sdk';
import { isMissingCell, isNumericType, type ColumnType, type Table, type TableSchema } from '@mixflow/table';
import { checkSelected, numericColumn, OUTPUT_COLS_PARAM, outputNames, selectedColsParam, transformedSchema, writeColumns } from './columns';

export interface ColumnModel extends ModelPayload {
  /** the columns the model was fitted on, in order; every per-column figure follows this order */
  selectedCols: string[];
}

export interface ColumnModelKind<M extends ColumnModel> {
  modelType: string;
  /** how people call the model, e.g. 'Standard scaler' */
  label: string;
  /** the model's own fields from a model file (selectedCols already checked, `n` of them); a ComponentError names the field */
  readFields(o: Record<string, unknown>, n: number): Omit<M, 'modelType' | 'version' | 'selectedCols'>;
  summary(model: M): ModelSummary;
  /** the type of a result column, given the type of its input column (known before the model is fitted) */
  outputType(inputType: ColumnType): ColumnType;
  /** the function applied to every value of selected column j (a missing value is NaN) */
  cell(model: M, j: number): (value: number) => number;
}

export const MODEL_VERSION = 1;

/** Strict reading of a model file's fields, each error naming the field. */
export const read = {
  object(json: unknown): Record<string, unknown> {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ComponentError('invalid model: expected a JSON object', { field: '' });
    return json as Record<string, unknown>;
  },
  numbers(o: Record<string, unknown>, field: string, n: number, finite = true): number[] {
    const v = o[field];
    if (!Array.isArray(v) || v.length !== n) throw new ComponentError(`invalid model: ${field} must be a list of ${n} numbers`, { field });
    v.forEach((x, i) => {
      if (typeof x !== 'number' || (finite && !Number.isFinite(x))) throw new ComponentError(`invalid model: ${field}[${i}] must be a finite number, got ${JSON.stringify(x)}`, { field: `${field}[${i}]` });
    });
    return v as number[];
  },
  number(o: Record<string, unknown>, field: string): number {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ComponentError(`invalid model: ${field} must be a finite number, got ${JSON.stringify(v)}`, { field });
    return v;
  },
  boolean(o: Record<string, unknown>, field: string): boolean {
    const v = o[field];
    if (typeof v !== 'boolean') throw new ComponentError(`invalid model: ${field} must be true or false, got ${JSON.stringify(v)}`, { field });
    return v;
  },
  oneOf<T extends string>(o: Record<string, unknown>, field: string, allowed: readonly T[]): T {
    const v = o[field];
    if (typeof v !== 'string' || !allowed.includes(v as T)) throw new ComponentError(`invalid model: ${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`, { field });
    return v as T;
  },
};

function readModel<M extends ColumnModel>(kind: ColumnModelKind<M>, json: unknown): M {
  const o = read.object(json);
  if (o.modelType !== kind.modelType) throw new ComponentError(`invalid model: modelType must be "${kind.modelType}", got ${JSON.stringify(o.modelType)}`, { field: 'modelType' });
  if (o.version !== MODEL_VERSION) throw new ComponentError(`invalid model: version ${JSON.stringify(o.version)} of ${kind.label} models is not known; this installation reads version ${MODEL_VERSION}`, { field: 'version' });
  const cols = o.selectedCols;
  if (!Array.isArray(cols) || cols.length === 0 || !cols.every((c) => typeof c === 'string' && c !== '')) {
    throw new ComponentError('invalid model: selectedCols must be a non-empty list of column names', { field: 'selectedCols' });
  }
  const known = new Set(['modelType', 'version', 'selectedCols']);
  const fields = kind.readFields(o, cols.length);
  for (const key of Object.keys(fields)) known.add(key);
  const unknown = Object.keys(o).find((k) => !known.has(k));
  if (unknown !== undefined) throw new ComponentError(`invalid model: unknown field "${unknown}" in a ${kind.label} model`, { field: unknown });
  return { ...fields, modelType: kind.modelType, version: MODEL_VERSION, selectedCols: [...(cols as string[])] } as M;
}

function optionNames(options: Params, model: ColumnModel): string[] {
  const names = outputNames(options, model.selectedCols);
  if ('error' in names) throw new ComponentError(names.error.message, { parameter: 'outputCols' });
  return names.names;
}

/** The model type's codec: strict file reading, the file is the payload, one-row prediction applies the model. */
export function columnModelCodec<M extends ColumnModel>(kind: ColumnModelKind<M>): ModelCodec<M> {
  return {
    modelType: kind.modelType,
    label: kind.label,
    fromJSON: (json) => readModel(kind, json),
    toJSON: (model) => ({ ...model }),
    summary: (model) => kind.summary(model),
    portSchema: (model) => ({ type: 'model', modelType: kind.modelType, dims: model.selectedCols.length, featureCols: [...model.selectedCols] }),
    predictor(model, options) {
      const names = optionNames(options, model);
      const cells = model.selectedCols.map((_, j) => kind.cell(model, j));
      return {
        predict(row) {
          const out: Record<string, unknown> = {};
          model.selectedCols.forEach((col, j) => {
            const raw = row[col];
            const missing = raw === null || raw === undefined || (typeof raw === 'string' && isMissingCell(raw)) || (typeof raw === 'number' && Number.isNaN(raw));
            const value = missing ? NaN : typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
            if (!missing && !Number.isFinite(value)) throw new ComponentError(`column "${col}": ${JSON.stringify(raw)} is not a number`, { column: col });
            const result = cells[j](value);
            out[names[j]] = Number.isNaN(result) ? null : result;
          });
          return out;
        },
      };
    },
  };
}

/** The model applied to a table: the result columns and, per selected column, how many missing cells it had. */
export function applyColumnModel<M extends ColumnModel>(kind: ColumnModelKind<M>, model: M, table: Table, names: readonly string[]): { table: Table; missingBefore: number[]; missingAfter: number[] } {
  const types: ColumnType[] = [];
  const results: Float64Array[] = [];
  const missingBefore: number[] = [];
  const missingAfter: number[] = [];
  model.selectedCols.forEach((col, j) => {
    const input = numericColumn(table, col);
    const column = table.schema.columns.find((c) => c.name === col)!;
    const f = kind.cell(model, j);
    const out = new Float64Array(input.length);
    let before = 0;
    let after = 0;
    for (let r = 0; r < input.length; r++) {
      if (Number.isNaN(input[r])) before++;
      out[r] = f(input[r]);
      if (Number.isNaN(out[r])) after++;
    }
    types.push(kind.outputType(column.type));
    results.push(out);
    missingBefore.push(before);
    missingAfter.push(after);
  });
  return { table: writeColumns(table, names, types, results), missingBefore, missingAfter };
}

/** Every model column in the data schema and numeric; errors name the data port and the column. */
function checkModelColumns(schema: TableSchema, cols: readonly string[], port: number): FieldError[] {
  const errors: FieldError[] = [];
  for (const name of cols) {
    const column = schema.columns.find((c) => c.name === name);
    if (!column) {
      errors.push({ port, column: name, message: `the model was fitted on column "${name}", which the input table does not have (columns: ${schema.columns.map((c) => c.name).join(', ') || 'none'}); link a table with the model's columns (${cols.join(', ')})` });
    } else if (!isNumericType(column.type)) {
      errors.push({ port, column: name, message: `the model was fitted on the numeric column "${name}", but in the input table it is ${column.type}` });
    }
  }
  return errors;
}

export interface TrainSpec<M extends ColumnModel> {
  id: string;
  displayName: string;
  description: string;
  icon: string;
  /** the Parameter Setting parameters (selectedCols and outputCols are added) */
  parameters: ParameterDescription[];
  selectedHelp: string;
  /** errors of the parameters beyond the columns, given the selected columns' schemas */
  check?(params: Params, columns: readonly { name: string; type: ColumnType }[]): FieldError[];
  /** fits the model on the table (the columns exist and are numeric) */
  fit(table: Table, params: Params, ctx: ExecutionContext): M;
  /** what applying it changed, for the log and the metrics (the imputer's filled cells) */
  report?(ctx: ExecutionContext, model: M, applied: ReturnType<typeof applyColumnModel>): void;
  views?: ViewDescription[];
}

function trainOutputs<M extends ColumnModel>(kind: ColumnModelKind<M>, schema: TableSchema, params: Params, columns: readonly { name: string; type: ColumnType }[]): { outputs: (PortSchema | undefined)[]; errors: FieldError[] } {
  const names = outputNames(params, columns.map((c) => c.name));
  if ('error' in names) return { outputs: [undefined, undefined], errors: [names.error] };
  const types = columns.map((c) => kind.outputType(c.type));
  return {
    outputs: [
      { type: 'model', modelType: kind.modelType, dims: columns.length, featureCols: columns.map((c) => c.name) },
      { type: 'table', schema: transformedSchema(schema, names.names, types) },
    ],
    errors: [],
  };
}

/** A train component: table in; the fitted model (port 0, as Alink's train ops) and the transformed table (port 1) out. */
export function trainComponent<M extends ColumnModel>(kind: ColumnModelKind<M>, spec: TrainSpec<M>): ComponentDefinition {
  return {
    description: {
      id: spec.id,
      displayName: spec.displayName,
      category: 'Data',
      version: 1,
      description: spec.description,
      icon: spec.icon,
      inputs: [{ name: 'data', label: 'Table', type: 'table' }],
      outputs: [
        { name: 'model', label: `${kind.label} model`, type: 'model' },
        { name: 'data', label: 'Transformed table', type: 'table' },
      ],
      parameters: [selectedColsParam(spec.selectedHelp), OUTPUT_COLS_PARAM, ...spec.parameters],
      views: [{ id: 'rows', kind: 'table', title: 'Transformed table', source: { output: 1 } }, ...(spec.views ?? [])],
    },
    configure(params, inputs) {
      const schema = tableInput(inputs, 0);
      if (!schema) return { outputs: [undefined, undefined], errors: [] };
      const selected = Array.isArray(params.selectedCols) ? params.selectedCols : [];
      const { columns, errors } = checkSelected(schema, selected);
      if (errors.length > 0) return { outputs: [undefined, undefined], errors };
      const paramErrors = spec.check?.(params, columns) ?? [];
      if (paramErrors.length > 0) return { outputs: [undefined, undefined], errors: paramErrors };
      // the table's schema after the transform: the model's kind says the result types
      return trainOutputs(kind, schema, params, columns);
    },
    async execute(ctx) {
      const input = ctx.inputs[0];
      if (input?.type !== 'table') throw new ComponentError('input 0 must be a table', { nodeId: ctx.nodeId, port: 0 });
      const model = spec.fit(input.table, ctx.params, ctx);
      const names = optionNames(ctx.params, model);
      const applied = applyColumnModel(kind, model, input.table, names);
      spec.report?.(ctx, model, applied);
      ctx.metric('rows', input.table.rowCount);
      ctx.progress(1, `fitted ${model.selectedCols.length} column${model.selectedCols.length === 1 ? '' : 's'} on ${input.table.rowCount} rows`);
      return { outputs: [{ type: 'model', model }, { type: 'table', table: applied.table }] };
    },
  };
}

export interface PredictSpec<M extends ColumnModel> {
  id: string;
  displayName: string;
  description: string;
  icon: string;
  report?(ctx: ExecutionContext, model: M, applied: ReturnType<typeof applyColumnModel>): void;
}

/** A predict component: a fitted model (port 0) and a table (port 1) in, Alink's linkFrom(model, data); the table transformed out. */
export function predictComponent<M extends ColumnModel>(kind: ColumnModelKind<M>, codec: ModelCodec<M>, spec: PredictSpec<M>): ComponentDefinition {
  return {
    description: {
      id: spec.id,
      displayName: spec.displayName,
      category: 'Data',
      version: 1,
      description: spec.description,
      icon: spec.icon,
      inputs: [
        { name: 'model', label: `${kind.label} model`, type: 'model' },
        { name: 'data', label: 'Table', type: 'table' },
      ],
      outputs: [{ name: 'data', label: 'Transformed table', type: 'table' }],
      parameters: [OUTPUT_COLS_PARAM],
      views: [{ id: 'rows', kind: 'table', title: 'Transformed table', source: { output: 0 } }],
    },
    configure(params, inputs) {
      const model = modelInput(inputs, 0);
      const schema = tableInput(inputs, 1);
      if (model && model.modelType !== kind.modelType) {
        return { outputs: [undefined], errors: [{ port: 0, message: `input 0 takes a ${kind.label} model (modelType "${kind.modelType}"), got a "${model.modelType}" model` }] };
      }
      if (!model?.featureCols || !schema) return { outputs: [undefined], errors: [] };
      const errors = checkModelColumns(schema, model.featureCols, 1);
      if (errors.length > 0) return { outputs: [undefined], errors };
      const names = outputNames(params, model.featureCols);
      if ('error' in names) return { outputs: [undefined], errors: [names.error] };
      const types = model.featureCols.map((c) => kind.outputType(schema.columns.find((s) => s.name === c)!.type));
      return { outputs: [{ type: 'table', schema: transformedSchema(schema, names.names, types) }], errors: [] };
    },
    async execute(ctx) {
      const [modelValue, data] = ctx.inputs;
      if (modelValue?.type !== 'model') throw new ComponentError('input 0 must be a model', { nodeId: ctx.nodeId, port: 0 });
      if (data?.type !== 'table') throw new ComponentError('input 1 must be a table', { nodeId: ctx.nodeId, port: 1 });
      let model: M;
      try {
        model = codec.fromJSON(modelValue.model);
      } catch (err) {
        throw new ComponentError((err as Error).message, { nodeId: ctx.nodeId, port: 0 });
      }
      const errors = checkModelColumns(data.table.schema, model.selectedCols, 1);
      if (errors.length > 0) throw new ComponentError(errors[0].message, { nodeId: ctx.nodeId, port: 1, column: errors[0].column });
      const names = optionNames(ctx.params, model);
      const applied = applyColumnModel(kind, model, data.table, names);
      spec.report?.(ctx, model, applied);
      ctx.metric('rows', data.table.rowCount);
      ctx.progress(1, `applied the ${kind.label.toLowerCase()} model to ${data.table.rowCount} rows`);
      return { outputs: [{ type: 'table', table: applied.table }] };
    },
  };
}
