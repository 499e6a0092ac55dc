/**
 * The API contract as the console sees it. The component, table, estimate, model and graph types are the
 * libraries' own, imported type-only (erased from the bundle, so no Node code reaches Vite); the REST shapes
 * below them are docs/rest-api.md's. apps/web/tsconfig.json maps each `@mixflow/*` name to the library's
 * types file, so the type-check never reads Node code; eslint allows only type imports of `@mixflow/*` here.
 */
import type { ComponentDescription, TabId } from '@mixflow/component-sdk';
import type { ColumnSchema, TableSchema } from '@mixflow/table';
import type { Graph, NodeConfiguration } from '@mixflow/workflow';

export type {
  ComponentDescription,
  FieldError,
  InputStats,
  ParameterDescription,
  ParameterType,
  ParameterValue,
  Params,
  PortDescription,
  PortSchema,
  PortType,
  TabId,
  ViewDescription,
} from '@mixflow/component-sdk';
export type { ResourceEstimate, ResourceWarning } from '@mixflow/resource-estimator';
export type { ColumnSchema, ColumnType, TableSchema } from '@mixflow/table';
export type { Graph, GraphEdge, GraphNode, NodeConfiguration } from '@mixflow/workflow';

/** One inspector tab as GET /api/components lists them (the component SDK's TABS, in order). */
export interface TabDescription {
  id: TabId;
  label: string;
}

// ---- docs/rest-api.md ----

export interface ConfigureResponse {
  nodes: Record<string, NodeConfiguration>;
  errors: { nodeId?: string; edgeId?: string; message: string }[];
}

/** Per-column statistics computed when a dataset was stored (GET /api/datasets). */
export interface ColumnStats {
  name: string;
  count: number;
  missing: number;
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
  distinct?: number;
}

export interface Dataset {
  id: string;
  name: string;
  schema: TableSchema;
  rowCount: number;
  bytes: number;
  builtIn: boolean;
  createdAt: string;
  stats?: ColumnStats[];
}
export interface TablePage {
  columns: ColumnSchema[];
  rows: (string | number)[][];
  total: number;
}

export interface Experiment {
  id: string;
  name: string;
  version: number;
  graph: Graph;
  createdAt: string;
  updatedAt: string;
}
export interface ExperimentSummary {
  id: string;
  name: string;
  version: number;
  updatedAt: string;
  nodeCount: number;
}

export interface ExperimentVersion {
  version: number;
  savedAt: string;
}
export interface ExperimentVersionDetail extends ExperimentVersion {
  name: string;
  graph: Graph;
}
export interface ImportedExperiment {
  experiment: Experiment;
  /** datasets the imported graph reads that this server does not have, with the names they had */
  missingDatasets: { id: string; name?: string; nodeIds: string[] }[];
}

export type NodeStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export interface RunOutput {
  port: number;
  type: 'table' | 'model';
  rowCount?: number;
  schema?: TableSchema;
  modelId?: string;
}
export interface RunNodeState {
  status: NodeStatus;
  progress: number;
  message?: string;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
  metrics: Record<string, unknown>;
  outputs: RunOutput[];
}
export interface Run {
  id: string;
  experimentId: string;
  experimentVersion: number;
  status: RunStatus;
  engine: string;
  /** the run started from this node (it and everything downstream) */
  fromNode?: string;
  /** the run ran only this node */
  onlyNode?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  nodes: Record<string, RunNodeState>;
}
export interface RunLog {
  time: string;
  nodeId?: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}
export type RunEvent =
  | { type: 'node'; nodeId: string; status: NodeStatus; progress: number; message?: string }
  | { type: 'log'; nodeId?: string; level: RunLog['level']; message: string; time: string }
  | { type: 'metric'; nodeId: string; name: string; value: unknown }
  | { type: 'run'; status: RunStatus; error?: string };

/** A stored model as GET /api/models lists it. */
export interface ModelSummary {
  id: string;
  name: string;
  modelType: string;
  /** one line, e.g. "k=3, 2-D" */
  description: string;
  /** the model type's figures */
  fields?: Record<string, unknown>;
  /** where it came from: the experiment, run and node that trained it, or the model it was warm-started from */
  lineage?: { experimentId?: string; runId?: string; nodeId?: string; parentModelId?: string };
  createdAt: string;
}

/** A deployment: a named endpoint serving a stored model, with counters kept since the server started. */
export interface Deployment {
  name: string;
  modelId: string;
  modelName: string;
  modelDescription: string;
  createdAt: string;
  updatedAt: string;
  counters: { rows: number; requests: number; errors: number; p50Ms: number | null; p99Ms: number | null; since: string };
}

/** A model output: its stored id and the payload its plugin's codec wrote (the plugin's web part reads it). */
export interface ModelOutput {
  modelId: string;
  model: Record<string, unknown>;
}

export interface ComponentsResponse {
  tabs: TabDescription[];
  components: ComponentDescription[];
}

export interface ApiErrorBody {
  statusCode: number;
  message: string | string[];
  error?: string;
  details?: { nodeId?: string; parameter?: string; column?: string; row?: number; field?: string };
}
