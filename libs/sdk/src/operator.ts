/**
 * Alink-style operators. An operator is one node of a workflow graph: a component with its parameters and the
 * operators linked to its input ports, or a source holding rows. Nothing runs until a result is asked for
 * (`collect`, `print`, `getModel`, or iterating a stream); then the graph up to that operator runs on the
 * Mixflow the call names (embedded in this process by default, or a server).
 */
import { resolveParams, setterName, type ComponentDescription, type ModelPayload, type ParameterValue, type Params, type PortType } from '@mixflow/component-sdk';
import type { GmmModelJson } from '@mixflow/gmm';
import { rowsOf, type Table, type TableSchema } from '@mixflow/table';
import type { Graph } from '@mixflow/workflow';
import { definitionOf, operatorName, sdkRegistry } from './components';
import { SdkError } from './errors';
import { buildGraph } from './graph';
import { isModelStream, type ModelStreamNode, type OperatorNode, type Row, type SourceOperator, type StreamNode } from './node';
import { parseTimestamp, type ModelFolderScan } from './model-folder';
import { defaultMixflow, type Mixflow, type SavedExperiment } from './mixflow';


let nextUid = 1;

export abstract class Operator implements OperatorNode {
  /** identity within this process; keeps graph ids and dataset uploads stable */
  readonly uid = nextUid++;
  abstract readonly operatorName: string;
  abstract readonly isStream: boolean;
  /** the type of output port 0 */
  abstract readonly outputType: PortType;
  /** the workflow component this operator becomes in a graph, and its parameters */
  abstract graphNode(datasetIdOf: (source: SourceOperator) => string): { componentId: string; params: Params };
  /** the operators linked to each input port, in port order */
  readonly inputs: (Operator | undefined)[] = [];

  /** The workflow graph this operator and everything upstream of it make (as the canvas saves it). */
  toGraph(): Graph {
    return buildGraph(this, (source) => source.localDatasetId).graph;
  }

  /** Stores the graph on the server as an experiment that opens on the canvas; mem sources are uploaded as datasets. */
  saveAsExperiment(name: string, mixflow: Mixflow = defaultMixflow()): Promise<SavedExperiment> {
    return mixflow.saveAsExperiment(this, name);
  }
}

/**
 * An operator backed by a component: typed setters (generated from the description) call `set`, which checks
 * the value against the description and throws with the allowed range.
 */
export interface ComponentOperator extends Operator {
  readonly componentId: string;
  readonly description: ComponentDescription;
  readonly params: Params;
}

function checkParameter(op: { operatorName: string; description: ComponentDescription }, name: string, value: ParameterValue): ParameterValue {
  const p = op.description.parameters.find((x) => x.name === name);
  const setter = `${op.operatorName}.${setterName(name)}`;
  if (!p) throw new SdkError(`${setter}: ${op.operatorName} has no parameter ${name}.`, { operator: op.operatorName, parameter: name });
  const { params, errors } = resolveParams(op.description, { [name]: value });
  const error = errors.find((e) => e.parameter === name);
  if (error) {
    const range =
      p.min !== undefined || p.max !== undefined
        ? ` (allowed range [${p.min ?? '-∞'}, ${p.max ?? '∞'}])`
        : p.options
          ? ` (allowed: ${p.options.map((o) => o.value).join(', ')})`
          : '';
    throw new SdkError(`${setter}(${JSON.stringify(value)}): ${error.message}${range}.`, { operator: op.operatorName, parameter: name });
  }
  return params[name] ?? value;
}

/**
 * linkFrom: fills the free input ports in order, checking each operator's output type against the port's.
 * Batch components refuse streams; a stream component's table port takes either.
 */
function link(op: Operator & { description: ComponentDescription }, given: readonly Operator[]): void {
  const ports = op.description.inputs;
  const free = ports.map((_, i) => i).filter((i) => op.inputs[i] === undefined);
  const describe = (i: number) => `${i} (${ports[i].name}: ${ports[i].type})`;
  if (given.length > free.length) {
    throw new SdkError(
      `${op.operatorName}.linkFrom got ${given.length} operators but has ${free.length} free input${free.length === 1 ? '' : 's'}${free.length ? `: ${free.map(describe).join(', ')}` : ''}.`,
      { operator: op.operatorName },
    );
  }
  if (given.length < free.length && !free.slice(given.length).every((i) => ports[i].optional)) {
    const missing = free.slice(given.length).filter((i) => !ports[i].optional);
    throw new SdkError(
      `${op.operatorName}.linkFrom is missing input ${missing.map(describe).join(', ')}; pass ${free.map((i) => ports[i].name).join(', ')} in that order.`,
      { operator: op.operatorName, port: missing[0] },
    );
  }
  given.forEach((source, j) => {
    const port = free[j];
    const expected = ports[port].type;
    if (source.outputType !== expected) {
      throw new SdkError(
        `${op.operatorName}.linkFrom: input ${describe(port)} takes a ${expected}, but ${source.operatorName} gives a ${source.outputType}.`,
        { operator: op.operatorName, port },
      );
    }
    if (source.isStream && (!op.isStream || expected === 'model')) {
      throw new SdkError(
        `${op.operatorName}.linkFrom: input ${describe(port)} cannot read the stream ${source.operatorName}; ${op.isStream ? 'models come from batch operators' : 'use the stream variant of this operator'}.`,
        { operator: op.operatorName, port },
      );
    }
  });
  given.forEach((source, j) => (op.inputs[free[j]] = source));
}

/** Sinks linked since the last BatchOperator.execute() (Alink's lazy sinks). */
const pendingSinks: { execute(mixflow?: Mixflow): Promise<void> }[] = [];

/** A sink's linkFrom calls this, so BatchOperator.execute() writes it. */
export function registerSink(sink: { execute(mixflow?: Mixflow): Promise<void> }): void {
  if (!pendingSinks.includes(sink)) pendingSinks.push(sink);
}

/** A sink that wrote on its own execute() is no longer pending. */
export function settleSink(sink: object): void {
  const at = pendingSinks.indexOf(sink as (typeof pendingSinks)[number]);
  if (at >= 0) pendingSinks.splice(at, 1);
}

/** The tables registered for sqlQuery (Alink's registerTableName), by lower-case name: SQL names ignore case. */
const registeredTables = new Map<string, { name: string; operator: BatchOperator }>();
const SQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** SQL Script's input ports */
const MAX_SQL_INPUTS = 4;

export abstract class BatchOperator extends Operator {
  readonly isStream = false;

  /** Alink's BatchOperator.execute(): runs every sink linked since the last call, in the order they were linked. */
  static async execute(mixflow: Mixflow = defaultMixflow()): Promise<void> {
    const sinks = pendingSinks.splice(0);
    for (const sink of sinks) await sink.execute(mixflow);
  }

  /** Registers this operator's output under `name` for BatchOperator.sqlQuery (Alink's registerTableName). */
  registerTableName(name: string): this {
    if (!SQL_NAME.test(name)) {
      throw new SdkError(`${this.operatorName}.registerTableName(${JSON.stringify(name)}): a table name is letters, digits and _, not starting with a digit.`, { operator: this.operatorName });
    }
    registeredTables.set(name.toLowerCase(), { name, operator: this });
    return this;
  }

  /**
   * One SELECT over registered tables (Alink's BatchOperator.sqlQuery): a SQL Script node whose inputs are the
   * registered operators the query names (at most four), known in the SQL by their registered names.
   */
  static sqlQuery(query: string): ComponentBatchOp {
    const named = [...registeredTables.values()]
      .map((t) => ({ ...t, at: query.search(new RegExp(`\\b${t.name}\\b`, 'i')) }))
      .filter((t) => t.at >= 0)
      .sort((a, b) => a.at - b.at);
    if (named.length === 0) {
      throw new SdkError(`sqlQuery: the query names no registered table; call op.registerTableName('A') first (registered: ${[...registeredTables.values()].map((t) => t.name).join(', ') || 'none'}).`);
    }
    if (named.length > MAX_SQL_INPUTS) throw new SdkError(`sqlQuery: the query names ${named.length} tables (${named.map((t) => t.name).join(', ')}); a SQL Script reads at most ${MAX_SQL_INPUTS}.`);
    return new ComponentBatchOp('sql-script')
      .set('command', query)
      .set('tableNames', named.map((t) => t.name).join(','))
      .linkFrom(...named.map((t) => t.operator));
  }

  /** Runs the graph up to this operator and returns its output table. */
  async collectTable(mixflow: Mixflow = defaultMixflow()): Promise<Table> {
    const value = await mixflow.run(this);
    if (value.type !== 'table') throw new SdkError(`${this.operatorName} outputs a model; use getModel() instead of collect().`, { operator: this.operatorName });
    return value.table;
  }

  /** The output rows (Alink's collect). */
  async collect(mixflow: Mixflow = defaultMixflow()): Promise<Row[]> {
    return rowsOf(await this.collectTable(mixflow));
  }

  /** The rows of output `port` of a component with more than one output (the generated collect<Port>() call it). */
  async collectOutput(port: number, mixflow: Mixflow = defaultMixflow()): Promise<Row[]> {
    const value = await mixflow.run(this, port);
    if (value.type !== 'table') throw new SdkError(`${this.operatorName}'s output ${port} is a model, not a table.`, { operator: this.operatorName, port });
    return rowsOf(value.table);
  }

  /** The trained model of an operator whose output is a model. */
  async getModel(mixflow: Mixflow = defaultMixflow()): Promise<GmmModelJson> {
    const value = await mixflow.run(this);
    if (value.type !== 'model') throw new SdkError(`${this.operatorName} outputs a table; use collect() instead of getModel().`, { operator: this.operatorName });
    return modelFile(value.model) as GmmModelJson;
  }

  /** Prints the first `limit` rows as a table (a model prints as its JSON). */
  async print(limit = 20, mixflow: Mixflow = defaultMixflow(), out: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
    const value = await mixflow.run(this);
    if (value.type === 'model') out(JSON.stringify(modelFile(value.model), null, 2) + '\n');
    else out(formatRows(value.table.schema, rowsOf(value.table, 0, limit), value.table.rowCount));
  }
}

export abstract class StreamOperator extends Operator implements AsyncIterable<Row> {
  readonly isStream = true;
  readonly outputType = 'table' as const;

  /** The schema of the rows the stream yields, known before the first row. */
  abstract schema(mixflow?: Mixflow): Promise<TableSchema>;
  /** Yields the rows one by one as they come. */
  abstract rows(mixflow?: Mixflow): AsyncIterable<Row>;

  [Symbol.asyncIterator](): AsyncIterator<Row> {
    return this.rows()[Symbol.asyncIterator]();
  }

  /** Every row, once the stream ends. */
  async collect(mixflow: Mixflow = defaultMixflow()): Promise<Row[]> {
    const out: Row[] = [];
    for await (const row of this.rows(mixflow)) out.push(row);
    return out;
  }

  /** Prints each row as it arrives (stops after `limit` rows). */
  async print(limit = Infinity, mixflow: Mixflow = defaultMixflow(), out: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
    const schema = await this.schema(mixflow);
    out(schema.columns.map((c) => c.name).join(' | ') + '\n');
    let n = 0;
    for await (const row of this.rows(mixflow)) {
      out(row.map(String).join(' | ') + '\n');
      if (++n >= limit) break;
    }
  }
}

export function formatRows(schema: TableSchema, rows: Row[], total: number): string {
  const header = schema.columns.map((c) => c.name);
  const cells = rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v) : v)));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => String(r[j]).length)));
  const line = (values: string[]) => values.map((v, j) => v.padEnd(widths[j])).join(' | ').trimEnd();
  const parts = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map((r) => line(r.map(String)))];
  if (total > rows.length) parts.push(`... ${total - rows.length} more rows (${total} in all)`);
  return parts.join('\n') + '\n';
}

/** Base of the generated batch operators (GmmTrainBatchOp, GmmPredictBatchOp, ...). */
export class ComponentBatchOp extends BatchOperator implements ComponentOperator {
  readonly description: ComponentDescription;
  readonly operatorName: string;
  readonly outputType: PortType;
  readonly params: Params = {};

  /** `name`: the operator's own name when it is not the component's (FilterBatchOp and SelectBatchOp are Filtering and Mapping nodes) */
  constructor(
    readonly componentId: string,
    name?: string,
  ) {
    super();
    this.description = definitionOf(componentId).description;
    this.operatorName = name ?? operatorName(componentId);
    this.outputType = this.description.outputs[0]?.type ?? 'table';
  }

  /** Sets a parameter by name, checked against the description; the generated setters call it. */
  set(name: string, value: ParameterValue): this {
    this.params[name] = checkParameter(this, name, value);
    return this;
  }

  get(name: string): ParameterValue | undefined {
    return this.params[name];
  }

  linkFrom(...operators: Operator[]): this {
    link(this, operators);
    return this;
  }

  graphNode(): { componentId: string; params: Params } {
    return { componentId: this.componentId, params: { ...this.params } };
  }

  /** How many outputs this operator has besides its main one (Alink's getSideOutputCount). */
  getSideOutputCount(): number {
    return Math.max(0, this.description.outputs.length - 1);
  }

  /**
   * Side output `index` (Alink's getSideOutput): output port index + 1 of the component, e.g. Split's other rows,
   * or the transformed table of a train operator whose main output is its model. Link it like any operator.
   */
  getSideOutput(index: number): SideOutputBatchOp {
    const count = this.getSideOutputCount();
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new SdkError(
        `${this.operatorName}.getSideOutput(${index}): ${count === 0 ? `${this.operatorName} has no side outputs` : `the side outputs are 0${count > 1 ? ` to ${count - 1}` : ''} (${this.description.outputs.slice(1).map((o) => o.name).join(', ')})`}.`,
        { operator: this.operatorName },
      );
    }
    return new SideOutputBatchOp(this, index + 1);
  }
}

/** One side output of a component operator: it names an output port of that operator's node, not a node of its own. */
export class SideOutputBatchOp extends BatchOperator {
  readonly operatorName: string;
  readonly outputType: PortType;
  readonly outputOf: { operator: ComponentBatchOp; port: number };

  constructor(operator: ComponentBatchOp, port: number) {
    super();
    this.outputOf = { operator, port };
    this.operatorName = `${operator.operatorName}.getSideOutput(${port - 1})`;
    this.outputType = operator.description.outputs[port].type;
  }

  graphNode(): { componentId: string; params: Params } {
    return this.outputOf.operator.graphNode();
  }
}

/**
 * Base of the generated stream operators (GmmPredictStreamOp). The constructor takes the operators of the model
 * ports (as Alink's `new GmmPredictStreamOp(model)`), linkFrom the stream. Each arriving row runs through the
 * component on its own, so results come row by row.
 */
export class ComponentStreamOp extends StreamOperator implements ComponentOperator, StreamNode {
  readonly description: ComponentDescription;
  readonly operatorName: string;
  readonly params: Params = {};
  modelStream?: ModelStreamNode;
  modelStreamFolder?: ModelFolderScan;

  constructor(
    readonly componentId: string,
    models: readonly BatchOperator[] = [],
  ) {
    super();
    this.description = definitionOf(componentId).description;
    this.operatorName = operatorName(componentId);
    const modelPorts = this.description.inputs.map((p, i) => (p.type === 'model' ? i : -1)).filter((i) => i >= 0);
    if (models.length > modelPorts.length) {
      throw new SdkError(`new ${this.operatorName}(...) takes ${modelPorts.length} model operator(s), got ${models.length}.`, { operator: this.operatorName });
    }
    models.forEach((model, j) => {
      if (model.outputType !== 'model') {
        throw new SdkError(`new ${this.operatorName}(model): ${model.operatorName} gives a ${model.outputType}, not a model; pass the GmmTrainBatchOp.`, {
          operator: this.operatorName,
          port: modelPorts[j],
        });
      }
      this.inputs[modelPorts[j]] = model;
    });
  }

  set(name: string, value: ParameterValue): this {
    this.params[name] = checkParameter(this, name, value);
    return this;
  }

  get(name: string): ParameterValue | undefined {
    return this.params[name];
  }

  /**
   * The data stream (and the batch inputs still free), then optionally a model stream as Alink's
   * `linkFrom(dataStream, modelStream)`: its models replace the model in use between rows.
   */
  linkFrom(...operators: Operator[]): this {
    const last = operators[operators.length - 1];
    if (last && isModelStream(last)) {
      if (!this.description.inputs.some((p) => p.type === 'model')) {
        throw new SdkError(`${this.operatorName}.linkFrom: ${last.operatorName} is a model stream, but ${this.operatorName} has no model input.`, { operator: this.operatorName });
      }
      this.modelStream = last;
      operators = operators.slice(0, -1);
    }
    link(this, operators);
    return this;
  }

  /** Alink's modelStreamFilePath: a folder of model files (AppendModelStreamFileSinkBatchOp writes them) scanned while the stream runs. */
  setModelStreamFilePath(folder: string): this {
    this.modelStreamFolder = { scanInterval: 10, ...this.modelStreamFolder, filePath: folder };
    return this;
  }

  /** Alink's modelStreamScanInterval: seconds between two scans of the model stream folder (default 10). */
  setModelStreamScanInterval(seconds: number): this {
    if (!(typeof seconds === 'number' && seconds > 0 && Number.isFinite(seconds))) {
      throw new SdkError(`${this.operatorName}.setModelStreamScanInterval(${seconds}): the interval is a positive number of seconds.`, {
        operator: this.operatorName,
        parameter: 'modelStreamScanInterval',
      });
    }
    this.modelStreamFolder = { filePath: '', ...this.modelStreamFolder, scanInterval: seconds };
    return this;
  }

  /** Alink's modelStreamStartTime (`yyyy-mm-dd hh:mm:ss[.fffffffff]`): models made before it are skipped (default: when the stream starts). */
  setModelStreamStartTime(time: string): this {
    parseTimestamp(time, `${this.operatorName}.setModelStreamStartTime`);
    this.modelStreamFolder = { filePath: '', scanInterval: 10, ...this.modelStreamFolder, startTime: time };
    return this;
  }

  graphNode(): { componentId: string; params: Params } {
    return { componentId: this.componentId, params: { ...this.params } };
  }

  schema(mixflow: Mixflow = defaultMixflow()): Promise<TableSchema> {
    return mixflow.streamSchema(this);
  }

  rows(mixflow: Mixflow = defaultMixflow()): AsyncIterable<Row> {
    return mixflow.stream(this);
  }
}

/** The model file of a model payload (what the model type's export writes), through the codec of its plugin. */
function modelFile(model: ModelPayload): unknown {
  return sdkRegistry().modelCodec(model.modelType).toJSON(model);
}

export type { Row, SourceOperator } from './node';
