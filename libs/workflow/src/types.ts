import type {
  ComponentDefinition,
  FieldError,
  InputStats,
  LogLevel,
  ParameterValue,
  PortSchema,
  PortValue,
} from '@mixflow/component-sdk';
import type { ResourceEstimate } from '@mixflow/resource-estimator';

/** The graph an experiment saves (docs/rest-api.md). */
export interface GraphNode {
  id: string;
  componentId: string;
  label?: string;
  position: { x: number; y: number };
  params: Record<string, ParameterValue>;
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

/** A structural or parameter problem, located on a node, an edge or a parameter. */
export interface GraphError {
  nodeId?: string;
  edgeId?: string;
  parameter?: string;
  port?: number;
  message: string;
}

/** What the workflow functions need of a registry (ComponentRegistry satisfies it). */
export interface ComponentLookup {
  has(id: string): boolean;
  get(id: string): ComponentDefinition;
}

export interface NodeConfiguration {
  /** one per output port; null when it cannot be known yet */
  outputs: (PortSchema | null)[];
  errors: FieldError[];
  inputStats: InputStats[];
  estimate?: ResourceEstimate;
}

export interface GraphConfiguration {
  nodes: Record<string, NodeConfiguration>;
  errors: GraphError[];
}

export type WorkflowNodeStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** Where a failure points, copied from ComponentError / engine input error details. */
export interface ErrorDetails {
  nodeId?: string;
  parameter?: string;
  column?: string;
  row?: number;
  field?: string;
  port?: number;
}

export type WorkflowEvent =
  | {
      type: 'node';
      nodeId: string;
      status: WorkflowNodeStatus;
      progress: number;
      message?: string;
      error?: string;
      details?: ErrorDetails;
    }
  | { type: 'log'; nodeId: string; level: LogLevel; message: string; time: string }
  | { type: 'metric'; nodeId: string; name: string; value: unknown };

export interface WorkflowNodeResult {
  status: WorkflowNodeStatus;
  error?: string;
  details?: ErrorDetails;
}

export interface WorkflowResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  /** only the nodes this run executed (all of them, fromNode and its downstream, or onlyNode) */
  nodes: Record<string, WorkflowNodeResult>;
  /** outputs of the nodes that succeeded in this run */
  outputs: Record<string, PortValue[]>;
}
