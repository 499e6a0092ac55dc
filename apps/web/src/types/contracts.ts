/**
 * The API contract as the console sees it. The component, table, estimate, model and graph types are the
 * libraries' own, imported type-only (erased from the bundle, so no Node code reaches Vite); the REST shapes
 * below them are the API's OpenAPI schemas. apps/web/tsconfig.json maps each `@mixflow/*` name to the library's
 * types file, so the type-check never reads Node code; eslint allows only type imports of `@mixflow/*` here.
 */
import type { ComponentDescription, TabId } from '@mixflow/component-sdk';
import type { Graph, NodeConfiguration } from '@mixflow/workflow';
import type { components } from '../api/openapi';

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

// ---- the REST API (docs/rest-api.md) ----

export interface ConfigureResponse {
  nodes: Record<string, NodeConfiguration>;
  errors: { nodeId?: string; edgeId?: string; message: string }[];
}

/**
 * The REST shapes are the API's own: the schemas of its OpenAPI document as openapi-typescript generates them
 * (src/api/openapi.d.ts, `npm run openapi:types`; `npm run lint:openapi` fails when that file is out of date). A
 * field renamed or retyped in an API DTO therefore fails this app's type-check (`npm run typecheck`) wherever the
 * console reads it. Only the graph is the workflow library's type (the document's GraphDto has free-form params).
 */
type Schema<N extends keyof components['schemas']> = components['schemas'][N];
/** T with field K (which must be one of T's) of type V instead */
type WithField<T, K extends keyof T, V> = Omit<T, K> & { [P in K]: V };

/** Per-column statistics computed when a dataset was stored (GET /api/datasets). */
export type ColumnStats = Schema<'ColumnStatsDto'>;
export type Dataset = Schema<'DatasetDto'>;
/** a deleted dataset's id and the name it had (the server keeps them) */
export type DeletedDataset = Schema<'DeletedDatasetDto'>;
export type TablePage = Schema<'TablePageDto'>;

export type Experiment = WithField<Schema<'ExperimentDto'>, 'graph', Graph>;
export type ExperimentSummary = Schema<'ExperimentSummaryDto'>;
export type ExperimentVersion = Schema<'ExperimentVersionDto'>;
export type ExperimentVersionDetail = WithField<Schema<'ExperimentVersionDetailDto'>, 'graph', Graph>;
/** an import: the new experiment, and the datasets its graph reads that this server lacks, by the names they had */
export type ImportedExperiment = WithField<Schema<'ImportedExperimentDto'>, 'experiment', Experiment>;

export type RunOutput = Schema<'RunOutputDto'>;
export type RunNodeState = Schema<'RunNodeDto'>;
export type NodeStatus = RunNodeState['status'];
export type Run = Schema<'RunDto'>;
export type RunStatus = Run['status'];
export type RunLog = Schema<'RunLogDto'>;
export type RunEvent =
  | { type: 'node'; nodeId: string; status: NodeStatus; progress: number; message?: string }
  | { type: 'log'; nodeId?: string; level: RunLog['level']; message: string; time: string }
  | { type: 'metric'; nodeId: string; name: string; value: unknown }
  | { type: 'run'; status: RunStatus; error?: string };

/** A stored model as GET /api/models lists it: type, one-line description, the type's figures, lineage. */
export type ModelSummary = Schema<'ModelSummaryDto'>;

/** A deployment: a named endpoint serving a stored model, with counters kept since the server started. */
export type Deployment = Schema<'DeploymentDto'>;

/** A model output: its stored id, type and the payload its plugin's codec wrote (the plugin's web part reads it). */
export type ModelOutput = Schema<'ModelOutputDto'>;

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
