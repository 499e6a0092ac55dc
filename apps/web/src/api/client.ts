import type {
  ApiErrorBody, ComponentsResponse, ConfigureResponse, Dataset, DeletedDataset, Experiment, ExperimentSummary, ExperimentVersion, ExperimentVersionDetail,
  Deployment, Graph, ImportedExperiment, InputStats, ModelOutput, ModelSummary, Params, ResourceEstimate, Run, RunLog, TablePage,
} from '../types/contracts';

/** An API error with the server's message and location details (node, parameter, column, row). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly details?: ApiErrorBody['details']) {
    super(message);
  }
}

/**
 * A server started with MIXFLOW_API_TOKEN answers 401 without it: the console asks once and keeps the token for
 * the browser session (sessionStorage). EventSource and download links cannot send a header, so they carry it
 * as `?access_token=` (see withToken).
 */
const TOKEN_KEY = 'mixflow.apiToken';
let asking: Promise<string | null> | undefined;

function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** One prompt for every request that met the 401 at the same time. */
function askForToken(): Promise<string | null> {
  asking ??= Promise.resolve().then(() => {
    const token = window.prompt('This Mixflow server needs its access token (MIXFLOW_API_TOKEN):')?.trim() || null;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    asking = undefined;
    return token;
  });
  return asking;
}

/** A GET URL that works without headers (EventSource, `<a href download>`): the token, if any, in the query. */
export function withToken(url: string): string {
  const token = storedToken();
  return token ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}` : url;
}

/** `Authorization: Bearer <token>` once the console has a token (also for the upload's XMLHttpRequest). */
export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function send(method: string, url: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `Cannot reach the Mixflow server (${(e as Error).message}). Is it running?`);
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res = await send(method, url, body);
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (await askForToken()) res = await send(method, url, body);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const b = (json ?? {}) as Partial<ApiErrorBody>;
    const message = Array.isArray(b.message) ? b.message.join('; ') : b.message ?? `${method} ${url} failed with ${res.status}`;
    throw new ApiError(res.status, message, b.details);
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const q = (o: Record<string, string | number | undefined>) =>
  Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

export const api = {
  health: () => request<{ status: string; engine: string; version: string }>('GET', '/api/health'),
  components: () => request<ComponentsResponse>('GET', '/api/components'),
  estimate: (componentId: string, params: Params, inputs: InputStats[]) =>
    request<ResourceEstimate>('POST', `/api/components/${encodeURIComponent(componentId)}/estimate`, { params, inputs }),
  configure: (graph: Graph) => request<ConfigureResponse>('POST', '/api/graphs/configure', { graph }),

  datasets: () => request<Dataset[]>('GET', '/api/datasets'),
  dataset: (id: string) => request<Dataset>('GET', `/api/datasets/${id}`),
  deletedDatasets: () => request<DeletedDataset[]>('GET', '/api/datasets/deleted'),
  datasetPreview: (id: string, offset = 0, limit = 50) => request<TablePage>('GET', `/api/datasets/${id}/preview?${q({ offset, limit })}`),
  deleteDataset: (id: string) => request<void>('DELETE', `/api/datasets/${id}`),

  experiments: () => request<ExperimentSummary[]>('GET', '/api/experiments'),
  /** the experiments whose current graph reads a dataset */
  experimentsUsingDataset: (datasetId: string) => request<ExperimentSummary[]>('GET', `/api/experiments?${q({ datasetId })}`),
  experiment: (id: string) => request<Experiment>('GET', `/api/experiments/${id}`),
  createExperiment: (name: string, graph?: Graph) => request<Experiment>('POST', '/api/experiments', { name, graph }),
  updateExperiment: (id: string, patch: { name?: string; graph?: Graph }) => request<Experiment>('PUT', `/api/experiments/${id}`, patch),
  deleteExperiment: (id: string) => request<void>('DELETE', `/api/experiments/${id}`),
  duplicateExperiment: (id: string) => request<Experiment>('POST', `/api/experiments/${id}/duplicate`),
  experimentVersions: (id: string) => request<ExperimentVersion[]>('GET', `/api/experiments/${id}/versions`),
  experimentVersion: (id: string, version: number) => request<ExperimentVersionDetail>('GET', `/api/experiments/${id}/versions/${version}`),
  restoreVersion: (id: string, version: number) => request<Experiment>('POST', `/api/experiments/${id}/versions/${version}/restore`),
  importExperiment: (file: unknown) => request<ImportedExperiment>('POST', '/api/experiments/import', file),
  experimentSdkCode: (id: string) => request<{ code: string }>('GET', `/api/experiments/${id}/sdk-code`),
  experimentExportUrl: (id: string) => withToken(`/api/experiments/${id}/export`),

  startRun: (experimentId: string, o: { fromNode?: string; onlyNode?: string } = {}) =>
    request<Run>('POST', `/api/experiments/${experimentId}/runs`, o),
  runs: (experimentId: string) => request<Run[]>('GET', `/api/experiments/${experimentId}/runs`),
  run: (id: string) => request<Run>('GET', `/api/runs/${id}`),
  runLogs: (id: string) => request<RunLog[]>('GET', `/api/runs/${id}/logs`),
  cancelRun: (id: string) => request<Run>('POST', `/api/runs/${id}/cancel`),
  tableOutput: (runId: string, nodeId: string, port: number, offset = 0, limit = 50) =>
    request<TablePage>('GET', `/api/runs/${runId}/nodes/${encodeURIComponent(nodeId)}/outputs/${port}?${q({ offset, limit })}`),
  modelOutput: (runId: string, nodeId: string, port: number) =>
    request<ModelOutput>('GET', `/api/runs/${runId}/nodes/${encodeURIComponent(nodeId)}/outputs/${port}`),
  /** the JSON of a node's `{ data }` view, as its component's plugin provides it; the view component knows its shape */
  viewData: <T>(runId: string, nodeId: string, viewId: string, limit = 2000, item?: number) =>
    request<T>('GET', `/api/runs/${runId}/nodes/${encodeURIComponent(nodeId)}/views/${encodeURIComponent(viewId)}?${q(item === undefined ? { limit } : { limit, item })}`),
  runEventsUrl: (runId: string) => withToken(`/api/runs/${runId}/events`),
  modelExportUrl: (modelId: string) => withToken(`/api/models/${modelId}/export`),

  models: () => request<ModelSummary[]>('GET', '/api/models'),
  deployments: () => request<Deployment[]>('GET', '/api/deployments'),
  createDeployment: (name: string, modelId: string) => request<Deployment>('POST', '/api/deployments', { name, modelId }),
  swapDeployment: (name: string, modelId: string) => request<Deployment>('PUT', `/api/deployments/${encodeURIComponent(name)}`, { modelId }),
  deleteDeployment: (name: string) => request<void>('DELETE', `/api/deployments/${encodeURIComponent(name)}`),
  tableOutputDownloadUrl: (runId: string, nodeId: string, port: number) =>
    withToken(`/api/runs/${runId}/nodes/${encodeURIComponent(nodeId)}/outputs/${port}/download?format=csv`),
};

export type Api = typeof api;
