/**
 * The console's API types against the server's OpenAPI document: openapi.d.ts is generated from it
 * (`npm run openapi:types`), and this file does not compile (`tsc` in the web build: `npm run build -w apps/web`) when
 * a response type the console reads has a field the API does not document, or misses one it does.
 * routes.spec.ts checks that every route the client calls is in the document. (A run's nodes and outputs and a
 * model output are free-form objects in the document, so only their containers are compared.)
 */
import type { components } from './openapi';
import type {
  ColumnStats,
  Dataset,
  Deployment,
  Experiment,
  ExperimentSummary,
  ExperimentVersion,
  ExperimentVersionDetail,
  ImportedExperiment,
  ModelSummary,
  Run,
  RunLog,
  TablePage,
} from '../types/contracts';

type Schema<N extends keyof components['schemas']> = components['schemas'][N];
/** true when both have the same field names; otherwise the fields only one side has */
type SameFields<Console, Api> = [Exclude<keyof Console, keyof Api>, Exclude<keyof Api, keyof Console>] extends [never, never]
  ? true
  : { onlyInConsole: Exclude<keyof Console, keyof Api>; onlyInApi: Exclude<keyof Api, keyof Console> };
/** true when the API's values fit the console's type (ignoring the console's narrower string unions) */
type Fits<Console, Api> = Api extends Console ? true : { api: Api; console: Console };

export const openApiChecks: [
  SameFields<Dataset, Schema<'DatasetDto'>>,
  SameFields<ColumnStats, Schema<'ColumnStatsDto'>>,
  SameFields<TablePage, Schema<'TablePageDto'>>,
  Fits<TablePage['rows'], Schema<'TablePageDto'>['rows']>,
  SameFields<ExperimentSummary, Schema<'ExperimentSummaryDto'>>,
  Fits<ExperimentSummary, Schema<'ExperimentSummaryDto'>>,
  SameFields<Experiment, Schema<'ExperimentDto'>>,
  SameFields<ExperimentVersion, Schema<'ExperimentVersionDto'>>,
  Fits<ExperimentVersion, Schema<'ExperimentVersionDto'>>,
  SameFields<ExperimentVersionDetail, Schema<'ExperimentVersionDetailDto'>>,
  SameFields<ImportedExperiment, Schema<'ImportedExperimentDto'>>,
  SameFields<Run, Schema<'RunDto'>>,
  SameFields<RunLog, Schema<'RunLogDto'>>,
  SameFields<ModelSummary, Schema<'ModelSummaryDto'>>,
  SameFields<Deployment, Schema<'DeploymentDto'>>,
  SameFields<Deployment['counters'], Schema<'DeploymentCountersDto'>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
