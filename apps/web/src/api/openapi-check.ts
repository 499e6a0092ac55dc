/**
 * The console's REST types are the OpenAPI document's schemas (types/contracts.ts aliases openapi.d.ts, generated
 * by `npm run openapi:types`), so a field renamed in the API fails the type-check where the console reads it. The
 * few shapes the console takes from the libraries instead (the graph, a node's configuration, the component
 * descriptions: the document has them as free-form objects) are compared here by field name, and this file does
 * not compile when one side has a field the other lacks. routes.spec.ts checks that every route the client calls
 * is in the document.
 */
import type { components } from './openapi';
import type { ComponentsResponse, ConfigureResponse, Graph, GraphEdge, GraphNode, TabDescription } from '../types/contracts';

type Schema<N extends keyof components['schemas']> = components['schemas'][N];
/** true when both have the same field names; otherwise the fields only one side has */
type SameFields<Console, Api> = [Exclude<keyof Console, keyof Api>, Exclude<keyof Api, keyof Console>] extends [never, never]
  ? true
  : { onlyInConsole: Exclude<keyof Console, keyof Api>; onlyInApi: Exclude<keyof Api, keyof Console> };

export const openApiChecks: [
  SameFields<Graph, Schema<'GraphDto'>>,
  SameFields<GraphNode, Schema<'GraphNodeDto'>>,
  SameFields<GraphEdge, Schema<'GraphEdgeDto'>>,
  SameFields<ConfigureResponse, Schema<'GraphConfigurationDto'>>,
  SameFields<ComponentsResponse, Schema<'ComponentListDto'>>,
  SameFields<TabDescription, Schema<'TabDto'>>,
] = [true, true, true, true, true, true];
