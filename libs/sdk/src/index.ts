/**
 * @mixflow/sdk — configure by coding: Alink-style operators over the same components as the canvas.
 *
 *   const data = new MemSourceBatchOp(rows, 'features string');
 *   const model = new GmmTrainBatchOp().setVectorCol('features').linkFrom(data);
 *   await new GmmPredictBatchOp().setPredictionCol('cluster_id').setVectorCol('features').linkFrom(model, data).print();
 */
export * from './generated/operators';
export { MemSourceBatchOp, MemSourceStreamOp, CsvSourceBatchOp } from './sources';
export { CsvSinkBatchOp } from './sinks';
export { AppendModelStreamFileSinkBatchOp, ModelStreamFileSourceStreamOp, ModelStreamOperator } from './model-stream';
export { modelIdOf, type StreamedModel } from './model-folder';
export { ParquetSinkBatchOp, ParquetSourceBatchOp } from './parquet';
export { FilterBatchOp, WhereBatchOp, SelectBatchOp } from './sql';
export { Operator, BatchOperator, StreamOperator, ComponentBatchOp, ComponentStreamOp, SideOutputBatchOp, type Row, type SourceOperator } from './operator';
export { Mixflow, defaultMixflow, useMixflow, type MixflowOptions, type ModelScore, type SavedExperiment, type ScoreOptions } from './mixflow';
export { graphToSdkCode, generateOperatorsSource } from './codegen';
export { operatorName, sdkRegistry, setSdkRegistry } from './components';
export { SdkError } from './errors';
export { ClusterMetrics } from './metrics';
