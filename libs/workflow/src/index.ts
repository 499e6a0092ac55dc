export * from './types';
export { GraphValidationError, validateGraph, topologicalOrder, downstreamOf, incomingEdges } from './graph';
export { configureGraph, inputStatsOf } from './configure';
export { checkGraph } from './check';
export { runWorkflow, selectNodes, requiredCachedNodes, errorDetails } from './run';
export type { RunWorkflowOptions } from './run';
