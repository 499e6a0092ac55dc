/**
 * What the graph builder (graph.ts) and the runner (mixflow.ts) know of an operator. operator.ts and sources.ts
 * implement these; graph.ts and mixflow.ts import only this file, so the modules form no circle.
 */
import type { ComponentDescription, Params, PortType } from '@mixflow/component-sdk';
import type { Table, TableSchema } from '@mixflow/table';
import { SdkError } from './errors';
import type { ModelFolderScan, StreamedModel } from './model-folder';

/** One row as Alink's Row: the values in schema order. */
export type Row = (string | number)[];

export interface OperatorNode {
  /** identity within this process; keeps graph ids and dataset uploads stable */
  readonly uid: number;
  readonly operatorName: string;
  readonly isStream: boolean;
  /** the type of output port 0 */
  readonly outputType: PortType;
  /** the operators linked to each input port, in port order */
  readonly inputs: (OperatorNode | undefined)[];
  /** set on a side output (getSideOutput): the operator whose output `port` this one stands for; it is no node of its own */
  readonly outputOf?: { operator: OperatorNode; port: number };
  /** the workflow component this operator becomes in a graph, and its parameters */
  graphNode(datasetIdOf: (source: SourceOperator) => string): { componentId: string; params: Params };
}

/** An operator backed by a component (its description and the parameters set so far). */
export interface ComponentNode extends OperatorNode {
  readonly componentId: string;
  readonly description: ComponentDescription;
  readonly params: Params;
}

/** Operators that hold their rows (MemSource, CsvSource): a Read Dataset node in a graph. */
export interface SourceOperator extends OperatorNode {
  /** the dataset id used inside this process (embedded runs, toGraph) */
  readonly localDatasetId: string;
  /** the rows, read when a run needs them */
  loadTable(): Promise<Table>;
}

/** What runs a stream operator (a Mixflow). */
export interface StreamRunner {
  streamSchema(op: StreamNode): Promise<TableSchema>;
  stream(op: StreamNode): AsyncIterable<Row>;
}

/** A stream of models (ModelStreamOperator): linked last to a stream predictor, never a node of a graph. */
export interface ModelStreamNode extends OperatorNode {
  models(signal: AbortSignal): AsyncIterable<StreamedModel>;
}

export function isModelStream(op: OperatorNode): op is ModelStreamNode {
  return op.isStream && op.outputType === 'model' && typeof (op as Partial<ModelStreamNode>).models === 'function';
}

/** A stream operator backed by a component: its schema and rows come from a runner. */
export interface StreamNode extends ComponentNode {
  schema(runner?: StreamRunner): Promise<TableSchema>;
  rows(runner?: StreamRunner): AsyncIterable<Row>;
  /** newer models for the model port, while the rows flow: a linked model stream and/or a scanned folder */
  readonly modelStream?: ModelStreamNode;
  readonly modelStreamFolder?: ModelFolderScan;
}

export function isSource(op: OperatorNode): op is SourceOperator {
  return typeof (op as Partial<SourceOperator>).loadTable === 'function';
}

/** Missing inputs found before anything runs, naming the operator and port. */
export function checkLinked(op: OperatorNode): void {
  const description = (op as Partial<ComponentNode>).description;
  if (!description) return;
  description.inputs.forEach((port, i) => {
    if (!op.inputs[i] && !port.optional) {
      throw new SdkError(
        `${op.operatorName} has nothing linked to input ${i} (${port.name}: ${port.type}); call linkFrom(${description.inputs.map((p) => p.name).join(', ')}) first.`,
        { operator: op.operatorName, port: i },
      );
    }
  });
}

/** The graph node and output port an operator's rows come from: its own port 0, or a side output's. */
export function outputOrigin(op: OperatorNode): { operator: OperatorNode; port: number } {
  return op.outputOf ?? { operator: op, port: 0 };
}
