/**
 * Shapes of the API contract, copied (types only) so the Vite bundle never pulls in Node libraries.
 * Sources: libs/component-sdk/src/types.ts (ComponentDescription, ParameterDescription, PortSchema, FieldError,
 * InputStats), libs/resource-estimator/src/types.ts (ResourceEstimate), libs/table/src/types.ts (TableSchema),
 * libs/gmm/src/types.ts (GmmModelJson) and docs/rest-api.md (Graph, Experiment, Run, Dataset).
 * Keep them in step with those files.
 */

export type PortType = 'table' | 'model';
export interface PortDescription {
  name: string;
  label: string;
  type: PortType;
}

export type TabId = 'field' | 'parameter' | 'execution';
export const TABS: readonly { id: TabId; label: string }[] = [
  { id: 'field', label: 'Field Setting' },
  { id: 'parameter', label: 'Parameter Setting' },
  { id: 'execution', label: 'Execution Tuning' },
];

export type ParameterType = 'column' | 'columns' | 'int' | 'double' | 'enum' | 'boolean' | 'string';
export type ParameterValue = string | number | boolean | string[] | null;
export type Params = Record<string, ParameterValue>;

export type ColumnType = 'double' | 'long' | 'string' | 'vector';
export interface ColumnSchema {
  name: string;
  type: ColumnType;
  vectorSize?: number;
}
export interface TableSchema {
  columns: ColumnSchema[];
}

export interface ParameterDescription {
  name: string;
  label: string;
  tab: TabId;
  group?: string;
  type: ParameterType;
  default?: ParameterValue;
  required?: boolean;
  min?: number;
  max?: number;
  options?: readonly { value: string; label: string }[];
  port?: number;
  columnTypes?: readonly ColumnType[];
  help: string;
  showIf?: Record<string, readonly ParameterValue[]>;
}

export interface ComponentDescription {
  id: string;
  displayName: string;
  category: 'Data' | 'Clustering';
  version: number;
  description: string;
  icon: string;
  inputs: PortDescription[];
  outputs: PortDescription[];
  parameters: ParameterDescription[];
}

export type PortSchema =
  | { type: 'table'; schema: TableSchema; rowCount?: number }
  | { type: 'model'; modelType: 'gmm'; dims?: number; k?: number; vectorCol?: string; featureCols?: string[] };

export interface FieldError {
  parameter?: string;
  column?: string;
  port?: number;
  message: string;
}

export interface InputStats {
  rows?: number;
  bytes?: number;
  dims?: number;
  k?: number;
  modelBytes?: number;
}

export interface ResourceWarning {
  code: 'dims-limit' | 'memory-below-estimate' | 'workers-far-above' | 'workers-above-rows';
  message: string;
}
export interface ResourceEstimate {
  formulaMemoryMb: number;
  formula: string;
  recommendedMemoryMb: number;
  recommendedWorkers: number;
  dataAwareMemoryMb?: number;
  dataAwareDetail?: string;
  warnings: ResourceWarning[];
}

export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied';
export interface GmmModelJson {
  type: 'mixflow.gmm';
  version: 1;
  covarianceType: CovarianceType;
  dims: number;
  k: number;
  weights: number[];
  means: number[][];
  covariances: number[] | number[][] | number[][][];
  featureNames?: string[];
  vectorCol?: string;
  training?: { logLikelihoodHistory: number[]; iterations: number; converged: boolean; meanLogLikelihood: number; bic: number; aic: number; [key: string]: unknown };
}

// ---- docs/rest-api.md ----

export interface GraphNode {
  id: string;
  componentId: string;
  label?: string;
  position: { x: number; y: number };
  params: Params;
}
export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: number;
  target: string;
  targetPort: number;
}
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface NodeConfiguration {
  outputs: (PortSchema | null)[];
  errors: FieldError[];
  inputStats: InputStats[];
  estimate?: ResourceEstimate;
}
export interface ConfigureResponse {
  nodes: Record<string, NodeConfiguration>;
  errors: { nodeId?: string; edgeId?: string; message: string }[];
}

export interface Dataset {
  id: string;
  name: string;
  schema: TableSchema;
  rowCount: number;
  bytes: number;
  builtIn: boolean;
  createdAt: string;
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

export interface ModelOutput {
  modelId: string;
  model: GmmModelJson;
}
export interface TrainingSample {
  dims: number;
  featureNames: string[];
  points: number[][];
  labels: number[];
}

export interface ComponentsResponse {
  tabs: { id: TabId; label: string }[];
  components: ComponentDescription[];
}

export interface ApiErrorBody {
  statusCode: number;
  message: string | string[];
  error?: string;
  details?: { nodeId?: string; parameter?: string; column?: string; row?: number; field?: string };
}
