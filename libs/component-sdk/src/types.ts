/**
 * What a plugin implements: one declarative description per component plus configure / estimate / execute.
 * The API (validation, OpenAPI), the console (palette, inspector tabs), the CLI options and the SDK setters
 * are all derived from these descriptions; nothing restates a parameter list by hand.
 */
import type { Table, TableSchema, ColumnType } from '@mixflow/table';
import type { ExecutionEngine } from '@mixflow/executor';
import type { ResourceEstimate } from '@mixflow/resource-estimator';
import type { ModelCodec, ModelPayload } from './models';

export type PortType = 'table' | 'model';

export interface PortDescription {
  /** stable name within the component, e.g. 'data', 'model' */
  name: string;
  label: string;
  type: PortType;
  /** the component runs without it (GMM Training's initial model); optional ports come after the required ones, and
   *  an unconnected one is absent from the execution context's inputs */
  optional?: boolean;
  /**
   * The component reads a stored dataset's rows itself, a batch at a time (ComponentEnv.readDatasetRows): it may get
   * an unloaded table (Table.unloaded) on this port. Any other port gets the table loaded by the workflow runner.
   */
  readsStoredRows?: boolean;
}

/** The PAI tabs: Field Setting, Parameter Setting, Execution Tuning (their labels: TABS in params.ts). */
export type TabId = 'field' | 'parameter' | 'execution';

/** `enums`: several of the options (a multi-select; the value is the chosen values' list, in the options' order). */
export type ParameterType = 'column' | 'columns' | 'int' | 'double' | 'enum' | 'enums' | 'boolean' | 'string';

export type ParameterValue = string | number | boolean | string[] | null;

export interface ParameterDescription {
  /** camelCase, as in PAI/Alink (vectorCol, k, maxIter, ...) */
  name: string;
  label: string;
  tab: TabId;
  /** a sub-group inside the tab, e.g. 'advanced' */
  group?: string;
  type: ParameterType;
  default?: ParameterValue;
  required?: boolean;
  /** numbers: inclusive bounds */
  min?: number;
  max?: number;
  /** enum and enums: the allowed values */
  options?: readonly { value: string; label: string }[];
  /** column / columns: which input port's schema the column comes from, and the column types allowed */
  port?: number;
  columnTypes?: readonly ColumnType[];
  help: string;
  /** shown (and validated) only when every listed parameter has one of the listed values */
  showIf?: Record<string, readonly ParameterValue[]>;
  /**
   * The command-line flag, kebab-case without the dashes, when it is not the name's kebab-case
   * (numWorkers → 'workers'); read it through cliFlagName.
   */
  cliFlag?: string;
}

/** The palette's groups, in PAI Designer's order. */
export const COMPONENT_CATEGORIES = ['Data', 'Clustering', 'Evaluation'] as const;
export type ComponentCategory = (typeof COMPONENT_CATEGORIES)[number];

export interface ComponentDescription {
  /** stable id, kebab-case: 'read-dataset', 'gmm-train', 'gmm-predict', 'gmm-predict-stream' */
  id: string;
  displayName: string;
  category: ComponentCategory;
  version: number;
  description: string;
  /** a short icon name the console maps to a glyph */
  icon: string;
  inputs: PortDescription[];
  outputs: PortDescription[];
  parameters: ParameterDescription[];
  /** the result views of this component's outputs and metrics, in the order the console shows them */
  views?: ViewDescription[];
}

/**
 * A result view the console draws for a node that ran. Generic kinds ('table', 'metrics-table', 'chart-line')
 * are drawn by the console itself; a plugin's own kinds are namespaced by the plugin ('gmm.scatter') and drawn
 * by the plugin's web part.
 */
export interface ViewDescription {
  /** stable within the component, e.g. 'scatter' */
  id: string;
  kind: string;
  title: string;
  /**
   * Where the view's data comes from: an output port of the node, metrics the node reported, or a named data
   * provider the component implements (ComponentDefinition.viewData), served by
   * GET /api/runs/:id/nodes/:nodeId/views/:viewId.
   */
  source: { output: number } | { metrics: readonly string[] } | { data: string };
}

/** What flows on a port before anything has run (configure) ... */
export type PortSchema =
  /** datasetId: the table is that stored dataset as stored, so its per-column statistics describe it */
  | { type: 'table'; schema: TableSchema; rowCount?: number; datasetId?: string }
  | { type: 'model'; modelType: string; dims?: number; k?: number; vectorCol?: string; featureCols?: string[] };

/** ... and after (execute). */
export type PortValue = { type: 'table'; table: Table } | { type: 'model'; model: ModelPayload };

export type Params = Record<string, ParameterValue>;

/** A validation problem, located as precisely as possible; the API adds the node id. */
export interface FieldError {
  parameter?: string;
  column?: string;
  port?: number;
  message: string;
}

export interface ConfigureResult {
  /** one per output port; undefined when it cannot be known yet (e.g. an input is not connected) */
  outputs: (PortSchema | undefined)[];
  errors: FieldError[];
}

/** What a component's `check` found out without data: errors, and output schemas configure could not tell. */
export interface CheckResult {
  errors: FieldError[];
  /**
   * one per output port, where known only now (e.g. the columns of a SQL result, which DuckDB knows once it compiled
   * the SQL); downstream nodes are then configured on them, so their field pickers and checks see the real columns
   */
  outputs?: (PortSchema | undefined)[];
}

/** What the estimator knows of the inputs before a run. */
export interface InputStats {
  rows?: number;
  bytes?: number;
  dims?: number;
  k?: number;
  modelBytes?: number;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** The columns readDatasetRows reads: numeric columns (one value each), or one vector column of `dims` values. */
export type DatasetRowColumns = { columns: readonly string[] } | { vectorCol: string; dims: number };

/** What the host (API, CLI, SDK) lends components: stored datasets by id. */
export interface ComponentEnv {
  /** the schema (and row count) of a stored dataset, or undefined when there is none with that id */
  datasetSchema(id: string): { schema: TableSchema; rowCount: number; bytes?: number } | undefined;
  /** the stored dataset as a table; `onRows` is told the rows read so far as it is read (a data chunk at a time) */
  loadDataset(id: string, onRows?: (rows: number) => void): Promise<Table>;
  /** the name a deleted dataset had (hosts that keep datasets remember it), for messages about graphs still reading it */
  deletedDatasetName?(id: string): string | undefined;
  /**
   * Stores `table` as a new dataset named `name` (in the datasets list, downloadable); absent where the host keeps
   * no datasets (the command line, the embedded SDK). The name follows nameProblem's rule. With `overwrite`, the
   * latest uploaded or saved dataset of that name (never a built-in sample) gets the table instead, keeping its id
   * (`replaced` says so); without one of that name a new dataset is saved.
   */
  saveDataset?(name: string, table: Table, options?: { overwrite?: boolean }): Promise<{ id: string; name: string; rowCount: number; replaced: boolean }>;
  /**
   * A stored dataset's rows of `columns` in file order, one batch at a time (`values`: `rows` × columns numbers,
   * row-major, a missing value NaN; a view valid until onBatch returns), never all in memory. Resolves to the rows
   * read, or undefined when the columns cannot be read this way (a vector column stored as its text). Hosts that
   * have it give Read Dataset's consumers that read stored rows an unloaded table.
   */
  readDatasetRows?(
    id: string,
    columns: DatasetRowColumns,
    onBatch: (values: Float64Array, rows: number, firstRow: number) => void | Promise<void>,
    signal?: AbortSignal,
  ): Promise<number | undefined>;
  /** The host's cap on a run's training memory in MB (the server's MIXFLOW_TRAINING_MEMORY_MB); none when absent. */
  trainingMemoryMb?: number;
  /** A new path for a temporary file of a run, under the host's data folder (the caller removes it). */
  tempFile?(suffix: string): string;
}

export interface ExecutionContext {
  nodeId: string;
  /** parameters already validated and filled with defaults */
  params: Params;
  /** one per input port, in port order */
  inputs: PortValue[];
  engine: ExecutionEngine;
  env: ComponentEnv;
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
  log(level: LogLevel, message: string): void;
  /** numbers and series to keep with the run (log-likelihood per iteration, BIC, seconds, ...) */
  metric(name: string, value: unknown): void;
}

export interface ExecuteResult {
  outputs: PortValue[];
}

/** What a view data provider is given: the node as it ran, and its stored inputs and outputs on demand. */
export interface ViewDataContext {
  runId: string;
  nodeId: string;
  /** the node's parameters as it ran, filled with defaults */
  params: Params;
  /** the metrics the node reported */
  metrics: Readonly<Record<string, unknown>>;
  /** at most this many rows / points (the request's `limit`) */
  limit: number;
  /** which item of the view the client picked (e.g. a row of the node's table output); absent for the whole view */
  item?: number;
  /** the value the node read on an input port (stored by this run or by the earlier run that produced it) */
  input(port: number): Promise<PortValue>;
  /** the value the node wrote on an output port */
  output(port: number): Promise<PortValue>;
}

export interface ComponentDefinition {
  description: ComponentDescription;
  /** cheap: output schemas from input schemas, plus field-level errors; never touches data */
  configure(params: Params, inputs: (PortSchema | undefined)[], env?: ComponentEnv): ConfigureResult;
  estimate?(params: Params, inputs: InputStats[]): ResourceEstimate;
  /**
   * A check that needs more than configure's look at the schemas but still no data, and may take a moment (user SQL
   * compiled against empty tables of the input schemas). The API runs it after configure, before a run starts and
   * for the console's configure call, so its errors are a 400 naming the node and parameter. Only for nodes whose
   * configure found no error and whose connected inputs' schemas are known. Output schemas it returns stand in for
   * the ones configure left unknown.
   */
  check?(params: Params, inputs: (PortSchema | undefined)[]): Promise<CheckResult>;
  execute(context: ExecutionContext): Promise<ExecuteResult>;
  /**
   * The data of a `{ data: name }` view of a node that ran (JSON). Heavy work belongs on the engine, not on the
   * caller's thread. A bad request (no such provider, an output that is not there) is a ComponentError.
   */
  viewData?(name: string, context: ViewDataContext): Promise<unknown>;
}

/** A plugin package's default export. */
export interface Plugin {
  name: string;
  components: ComponentDefinition[];
  /** the codecs of the model types this plugin's components produce */
  models?: ModelCodec<any>[];
}
