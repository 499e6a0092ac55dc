/**
 * Where SDK workflows run. `new Mixflow()` runs them embedded: the workflow runner of libs/workflow in this
 * process, on the local engine (worker threads) unless told otherwise. `new Mixflow({ url })` runs the same
 * graph on a Mixflow server through its REST API (docs/rest-api.md): sources are uploaded as datasets, the graph
 * is saved as a temporary experiment, a run is started and awaited, the output is fetched, and the temporary
 * experiment is deleted (trained models stay on the server); saveAsExperiment keeps a named one.
 */
import {
  noDatasets,
  resolveParams,
  setterName,
  standaloneContext,
  type ComponentEnv,
  type ModelScore,
  type PortSchema,
  type PortValue,
  type Params,
  type RowPredictor,
} from '@mixflow/component-sdk';
import { createEngine, type ExecutionEngine } from '@mixflow/executor';
import { rowsOf, tableFromRows, tableToCsv, type ColumnSchema, type Table, type TableSchema } from '@mixflow/table';
import { runWorkflow, type Graph } from '@mixflow/workflow';
import { definitionOf, sdkRegistry } from './components';
import { SdkError } from './errors';
import { buildGraph, type BuiltGraph } from './graph';
import { graphToSdkCode } from './codegen';
import type { OperatorNode as Operator, Row, SourceOperator, StreamNode as ComponentStreamOp } from './node';
import { scanModelFolder, type StreamedModel } from './model-folder';

export interface MixflowOptions {
  /** a Mixflow server, e.g. http://127.0.0.1:3000; without it, workflows run in this process */
  url?: string;
  /** embedded runs: the engine kind (default local worker threads) or a factory for each run's engine */
  engine?: 'local' | 'inline' | (() => ExecutionEngine);
  /** embedded runs on the local engine: the cap on threads */
  maxWorkers?: number;
  /** server runs: how often to poll a run (ms, default 100) and how long to wait for it (ms, default 10 minutes) */
  pollIntervalMs?: number;
  timeoutMs?: number;
}

/** How scoreModel reads the rows: GMM Prediction's feature and missing-value parameters. */
export interface ScoreOptions {
  vectorCol?: string;
  featureCols?: string[];
  /** error (default), drop (left out of the score) or mean (the model's training means) */
  missingValues?: 'error' | 'drop' | 'mean';
}

export type { ModelScore };

export interface SavedExperiment {
  id: string;
  name: string;
  version: number;
  graph: Graph;
}

interface RemoteRun {
  id: string;
  status: string;
  error?: string;
  nodes: Record<string, { status: string; error?: string }>;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

export class Mixflow {
  readonly url: string | undefined;
  /** server dataset ids of the sources uploaded so far, by operator */
  private readonly uploaded = new Map<SourceOperator, Promise<string>>();

  constructor(private readonly options: MixflowOptions = {}) {
    this.url = options.url?.replace(/\/+$/, '');
  }

  get isRemote(): boolean {
    return this.url !== undefined;
  }

  /** Runs the graph up to `target` and returns its output `port` (0 unless the component has more outputs). */
  async run(target: Operator, port = 0): Promise<PortValue> {
    if (target.outputOf) return this.run(target.outputOf.operator, target.outputOf.port);
    if (target.isStream) throw new SdkError(`${target.operatorName} is a stream; iterate it (for await) or call collect().`, { operator: target.operatorName });
    return this.isRemote ? this.runRemote(target, port) : this.runEmbedded(target, port);
  }

  /** Saves the graph up to `target` as an experiment on the server, uploading its mem/CSV sources as datasets. */
  async saveAsExperiment(target: Operator, name: string): Promise<SavedExperiment> {
    if (!this.isRemote) {
      throw new SdkError(`saveAsExperiment("${name}") needs a server: use new Mixflow({ url: 'http://127.0.0.1:3000' }).`, { operator: target.operatorName });
    }
    const built = await this.remoteGraph(target);
    return this.request<SavedExperiment>('POST', '/api/experiments', { name, graph: built.graph });
  }

  /** A saved (canvas) experiment's graph. */
  async experimentGraph(id: string): Promise<Graph> {
    if (!this.isRemote) throw new SdkError('experimentGraph needs a server: use new Mixflow({ url }).');
    return (await this.request<SavedExperiment>('GET', `/api/experiments/${encodeURIComponent(id)}`)).graph;
  }

  /** A saved (canvas) experiment as SDK code. */
  async exportExperiment(id: string): Promise<string> {
    return graphToSdkCode(await this.experimentGraph(id));
  }

  // ---- models: a model file (what getModel returns) is scored here; a server model id over REST

  /**
   * The model's fit on rows it was not trained on (objects: column name → value): `{ rows, droppedRows, meanLogLikelihood, bic, aic }` (BIC and
   * AIC as scikit-learn signs them: lower is better). `model` is a model file (getModel()) or, with a server, a
   * stored model's id (POST /api/models/:id/score).
   */
  async scoreModel(model: string | object, rows: Record<string, unknown>[], options: ScoreOptions = {}): Promise<ModelScore> {
    if (typeof model === 'string') {
      return this.request<ModelScore>('POST', `/api/models/${encodeURIComponent(this.serverModelId(model, 'scoreModel'))}/score`, { rows, ...options });
    }
    const { codec, payload } = localModel(model);
    if (!codec.score) throw new SdkError(`a ${codec.label} model cannot be scored.`);
    return codec.score(payload, rows, { ...options });
  }

  /**
   * `n` rows drawn from the model (same seed, same rows), each with the model's columns and `component`, the
   * component that drew it. `model` is a model file or, with a server, a stored model's id (POST /api/models/:id/sample).
   */
  async sampleModel(model: string | object, o: { n: number; seed?: number }): Promise<Record<string, unknown>[]> {
    if (typeof model === 'string') {
      const body = { n: o.n, ...(o.seed !== undefined ? { seed: o.seed } : {}) };
      return (await this.request<{ rows: Record<string, unknown>[] }>('POST', `/api/models/${encodeURIComponent(this.serverModelId(model, 'sampleModel'))}/sample`, body)).rows;
    }
    const { codec, payload } = localModel(model);
    if (!codec.sample) throw new SdkError(`a ${codec.label} model cannot generate rows.`);
    return codec.sample(payload, o.n, o.seed ?? 0);
  }

  private serverModelId(id: string, method: string): string {
    if (!this.isRemote) throw new SdkError(`${method}("${id}") reads a model stored on a server: use new Mixflow({ url }), or pass the model file (getModel()).`);
    return id;
  }

  // ---- streams: the model and any batch input come from a run; each row then runs through the component

  async streamSchema(op: ComponentStreamOp): Promise<TableSchema> {
    const definition = definitionOf(op.componentId);
    const params = this.resolveOrThrow(op);
    const inputs: (PortSchema | undefined)[] = [];
    for (const [port, input] of op.inputs.entries()) {
      if (!input) continue;
      if (input.isStream) inputs[port] = { type: 'table', schema: await (input as ComponentStreamOp).schema(this) };
      else {
        const value = await this.run(input);
        inputs[port] =
          value.type === 'model'
            ? sdkRegistry().modelCodec(value.model.modelType).portSchema(value.model)
            : { type: 'table', schema: value.table.schema, rowCount: value.table.rowCount };
      }
    }
    const configured = definition.configure(params, inputs);
    if (configured.errors.length > 0) throw this.fieldError(op, configured.errors[0]);
    const out = configured.outputs[0];
    if (!out || out.type !== 'table') throw new SdkError(`${op.operatorName}: the output schema is unknown; check its inputs.`, { operator: op.operatorName });
    return out.schema;
  }

  stream(op: ComponentStreamOp): AsyncIterable<Row> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return (async function* () {
      const definition = definitionOf(op.componentId);
      const params = self.resolveOrThrow(op);
      const fixed: PortValue[] = [];
      let streamPort = -1;
      let streamSource: { schema: TableSchema; rows: AsyncIterable<Row> } | undefined;
      for (const [port, input] of op.inputs.entries()) {
        if (!input) throw new SdkError(`${op.operatorName} has nothing linked to input ${port} (${definition.description.inputs[port].name}); call linkFrom first.`, { operator: op.operatorName, port });
        if (input.isStream) {
          const s = input as ComponentStreamOp;
          streamPort = port;
          streamSource = { schema: await s.schema(self), rows: s.rows(self) };
        } else if (definition.description.inputs[port].type === 'table' && streamPort < 0) {
          // a batch table on the data port streams its rows too (a graph exported from the canvas does this)
          const table = (await self.run(input)) as { type: 'table'; table: Table };
          streamPort = port;
          streamSource = { schema: table.table.schema, rows: arrayRows(rowsOf(table.table)) };
        } else fixed[port] = await self.run(input);
      }
      if (!streamSource) throw new SdkError(`${op.operatorName} has no stream linked; call linkFrom(stream).`, { operator: op.operatorName });
      if (op.modelStream || op.modelStreamFolder) {
        yield* self.streamWithModelStream(op, params, fixed, streamSource);
        return;
      }
      // one row at a time is latency-bound, not compute-bound: the in-process engine serves it
      const engine = createEngine({ kind: 'inline' });
      const controller = new AbortController();
      try {
        for await (const row of streamSource.rows) {
          const inputs = [...fixed];
          inputs[streamPort] = { type: 'table', table: tableFromRows([row], streamSource.schema) };
          const result = await definition.execute(standaloneContext({ nodeId: op.operatorName, params, inputs, engine, env: streamDatasets, signal: controller.signal }));
          const out = result.outputs[0];
          if (out?.type === 'table') yield* rowsOf(out.table);
        }
      } finally {
        controller.abort();
        await engine.close();
      }
    })();
  }

  /**
   * A stream whose model is replaced while it runs (Alink's model stream): the rows go through the model type's
   * predictor (GMM Prediction (stream)'s), and models that arrived are swapped in between two rows through the
   * predictor's replaceModel. A model that cannot replace the current one (another dimension or features) ends the
   * stream with an error naming it.
   */
  private async *streamWithModelStream(op: ComponentStreamOp, params: Params, fixed: PortValue[], source: { schema: TableSchema; rows: AsyncIterable<Row> }): AsyncIterable<Row> {
    const modelPort = fixed.findIndex((v) => v?.type === 'model');
    const initial = fixed[modelPort];
    if (!initial || initial.type !== 'model') {
      throw new SdkError(`${op.operatorName} needs a first model before its model stream: new ${op.operatorName}(trainOp).`, { operator: op.operatorName });
    }
    const codec = sdkRegistry().modelCodec(initial.model.modelType);
    let predictor: RowPredictor;
    try {
      predictor = codec.predictor(initial.model, params);
    } catch (error) {
      throw this.fieldError(op, { message: (error as Error).message, parameter: (error as { details?: { parameter?: string } }).details?.parameter });
    }
    const replace = predictor.replaceModel?.bind(predictor);
    if (!replace) throw new SdkError(`${op.operatorName}: a ${codec.label} model cannot be replaced while a stream runs, so it takes no model stream.`, { operator: op.operatorName });
    const schema = await this.streamSchema(op);
    const controller = new AbortController();
    const arrived: StreamedModel[] = [];
    let failure: unknown;
    const streams = [
      ...(op.modelStream ? [op.modelStream.models(controller.signal)] : []),
      ...(op.modelStreamFolder?.filePath ? [scanModelFolder(op.modelStreamFolder, controller.signal, op.operatorName)] : []),
    ];
    if (op.modelStreamFolder && !op.modelStreamFolder.filePath) {
      throw new SdkError(`${op.operatorName}: the model stream's scan interval or start time is set but not its folder; call setModelStreamFilePath(folder).`, {
        operator: op.operatorName,
        parameter: 'modelStreamFilePath',
      });
    }
    const reading = streams.map(async (models) => {
      try {
        for await (const m of models) arrived.push(m);
      } catch (error) {
        failure ??= error;
      }
    });
    const names = source.schema.columns.map((c) => c.name);
    let line = 0;
    try {
      for await (const row of source.rows) {
        line++;
        if (failure) throw failure;
        for (const next of arrived.splice(0)) {
          try {
            replace(codec.fromJSON(next.model));
          } catch (error) {
            throw new SdkError(`${op.operatorName}: model ${next.modelId} of the model stream cannot replace the model in use: ${(error as Error).message}`, {
              operator: op.operatorName,
            });
          }
        }
        const input: Record<string, unknown> = {};
        names.forEach((name, j) => (input[name] = row[j]));
        let out: Record<string, unknown>;
        try {
          out = predictor.predict(input);
        } catch (error) {
          throw new SdkError(`${op.operatorName}: row ${line} of the stream: ${(error as Error).message}`, { operator: op.operatorName, row: line });
        }
        yield schema.columns.map((c) => {
          const v = out[c.name];
          return v === null || v === undefined ? (c.type === 'string' ? '' : NaN) : (v as string | number);
        });
      }
    } finally {
      controller.abort();
      await Promise.all(reading);
    }
  }

  // ---- embedded

  private newEngine(): ExecutionEngine {
    const engine = this.options.engine ?? 'local';
    if (typeof engine === 'function') return engine();
    return createEngine({ kind: engine, maxWorkers: this.options.maxWorkers });
  }

  private async runEmbedded(target: Operator, port: number): Promise<PortValue> {
    const built = buildGraph(target, (source) => source.localDatasetId);
    const tables = new Map<string, Table>();
    for (const source of built.sources) tables.set(source.localDatasetId, await source.loadTable());
    const env: ComponentEnv = {
      datasetSchema: (id) => {
        const table = tables.get(id);
        return table ? { schema: table.schema, rowCount: table.rowCount } : undefined;
      },
      loadDataset: async (id) => {
        const table = tables.get(id);
        if (!table) throw new SdkError(`no dataset ${id} in this SDK session.`);
        return table;
      },
    };
    const engine = this.newEngine();
    try {
      const result = await runWorkflow(built.graph, sdkRegistry(), { engine, env }).catch((error: unknown) => {
        throw this.graphError(built, error);
      });
      const targetId = built.nodeIdOf.get(target)!;
      if (result.status !== 'succeeded') {
        const failed = Object.entries(result.nodes).find(([, n]) => n.status === 'failed');
        const [nodeId, node] = failed ?? [targetId, { error: `the run was ${result.status}`, details: undefined }];
        const op = built.operatorOf.get(nodeId);
        throw new SdkError(`${op?.operatorName ?? nodeId} failed: ${node.error}`, { operator: op?.operatorName, nodeId, ...(node.details ?? {}) });
      }
      const outputs = result.outputs[targetId];
      if (!outputs?.[port]) throw new SdkError(`${target.operatorName} produced no output ${port}.`, { operator: target.operatorName, port });
      return outputs[port];
    } finally {
      await engine.close();
    }
  }

  private graphError(built: BuiltGraph, error: unknown): Error {
    const details = (error as { details?: { nodeId?: string; parameter?: string } }).details;
    const errors = (error as { errors?: { nodeId?: string; parameter?: string; message: string }[] }).errors;
    const first = errors?.[0] ?? (details ? { ...details, message: (error as Error).message } : undefined);
    if (!first) return error as Error;
    const op = first.nodeId ? built.operatorOf.get(first.nodeId) : undefined;
    const where = op ? `${op.operatorName}${first.parameter ? `.${setterName(first.parameter)}` : ''}: ` : '';
    return new SdkError(`${where}${first.message}`, { operator: op?.operatorName, nodeId: first.nodeId, parameter: first.parameter });
  }

  private resolveOrThrow(op: ComponentStreamOp): Params {
    const { params, errors } = resolveParams(op.description, op.params);
    if (errors.length > 0) throw this.fieldError(op, errors[0]);
    return params;
  }

  private fieldError(op: Operator, e: { parameter?: string; message: string }): SdkError {
    return new SdkError(`${op.operatorName}${e.parameter ? `.${setterName(e.parameter)}` : ''}: ${e.message}`, { operator: op.operatorName, parameter: e.parameter });
  }

  // ---- server

  private async remoteGraph(target: Operator): Promise<BuiltGraph> {
    // upload first (async), then build with the ids the server gave
    const probe = buildGraph(target, (source) => source.localDatasetId);
    const ids = new Map<SourceOperator, string>();
    for (const source of probe.sources) ids.set(source, await this.upload(source));
    return buildGraph(target, (source) => ids.get(source)!);
  }

  private upload(source: SourceOperator): Promise<string> {
    let id = this.uploaded.get(source);
    if (!id) {
      id = (async () => {
        const table = await source.loadTable();
        const form = new FormData();
        form.append('file', new Blob([tableToCsv(table)], { type: 'text/csv' }), `${source.localDatasetId}.csv`);
        form.append('name', `${source.operatorName} (SDK)`);
        const dataset = await this.request<{ id: string }>('POST', '/api/datasets', form);
        return dataset.id;
      })();
      this.uploaded.set(source, id);
      id.catch(() => this.uploaded.delete(source));
    }
    return id;
  }

  /**
   * A server run of an unsaved graph: the graph goes into a temporary experiment, which is deleted once the run
   * has ended and its output was fetched (whether it succeeded or not), so collect()/getModel()/print() leave
   * nothing on the server's experiment list. Models the run trained stay on the server (the API keeps them, with
   * their lineage); uploaded datasets stay for the session's later runs. Use saveAsExperiment to keep a graph.
   */
  private async runRemote(target: Operator, port: number): Promise<PortValue> {
    const built = await this.remoteGraph(target);
    const experiment = await this.request<SavedExperiment>('POST', '/api/experiments', {
      name: `SDK ${target.operatorName} ${new Date().toISOString()} (temporary)`,
      graph: built.graph,
    });
    let runId: string | undefined;
    let ended = false;
    let value: PortValue;
    try {
      const started = await this.request<RemoteRun>('POST', `/api/experiments/${experiment.id}/runs`, {});
      runId = started.id;
      const run = await this.waitForRun(started.id);
      ended = true;
      value = await this.fetchOutput(built, target, run, port);
    } catch (error) {
      await this.removeTemporary(experiment.id, ended ? undefined : runId).catch((cleanup: unknown) => warnLeftBehind(experiment.id, cleanup));
      throw error;
    }
    await this.removeTemporary(experiment.id, undefined).catch((cleanup: unknown) => warnLeftBehind(experiment.id, cleanup));
    return value;
  }

  private async fetchOutput(built: BuiltGraph, target: Operator, run: RemoteRun, port: number): Promise<PortValue> {
    const nodeId = built.nodeIdOf.get(target)!;
    if (run.status !== 'succeeded') {
      const failed = Object.entries(run.nodes ?? {}).find(([, n]) => n.status === 'failed');
      const op = failed ? built.operatorOf.get(failed[0]) : undefined;
      throw new SdkError(`server run ${run.id} ${run.status}: ${op ? `${op.operatorName} failed: ${failed![1].error}` : run.error ?? 'no error given'}`, {
        operator: op?.operatorName,
        nodeId: failed?.[0],
      });
    }
    const definition = definitionOf(built.graph.nodes.find((n) => n.id === nodeId)!.componentId);
    const base = `/api/runs/${run.id}/nodes/${encodeURIComponent(nodeId)}/outputs/${port}`;
    if (definition.description.outputs[port]?.type === 'model') {
      // the server sends the model file; its codec turns it back into the payload a port carries
      const out = await this.request<{ model: unknown }>('GET', base);
      return { type: 'model', model: sdkRegistry().modelCodecOf(out.model).fromJSON(out.model) };
    }
    const rows: (string | number)[][] = [];
    let columns: ColumnSchema[] = [];
    for (;;) {
      const page = await this.request<{ columns: ColumnSchema[]; rows: (string | number)[][]; total: number }>('GET', `${base}?offset=${rows.length}&limit=1000`);
      columns = page.columns;
      rows.push(...page.rows);
      if (page.rows.length === 0 || rows.length >= page.total) break;
    }
    return { type: 'table', table: tableFromRows(rows, { columns }) };
  }

  /**
   * Deletes a run's temporary experiment. A run that may still be in flight (the wait timed out or failed) is
   * cancelled first, as the API refuses (409) to delete an experiment with a queued or running run.
   */
  private async removeTemporary(experimentId: string, inFlightRunId: string | undefined): Promise<void> {
    if (inFlightRunId) await this.request<RemoteRun>('POST', `/api/runs/${encodeURIComponent(inFlightRunId)}/cancel`, {});
    await this.request<void>('DELETE', `/api/experiments/${encodeURIComponent(experimentId)}`);
  }

  private async waitForRun(id: string): Promise<RemoteRun> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 600_000);
    for (;;) {
      const run = await this.request<RemoteRun>('GET', `/api/runs/${id}`);
      if (FINISHED.has(run.status)) return run;
      if (Date.now() > deadline) throw new SdkError(`server run ${id} is still ${run.status} after ${(this.options.timeoutMs ?? 600_000) / 1000} s; raise timeoutMs or check the server.`);
      await new Promise((resolve) => setTimeout(resolve, this.options.pollIntervalMs ?? 100));
    }
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, init);
    } catch (error) {
      throw new SdkError(`cannot reach the Mixflow server at ${this.url} (${(error as Error).message}); is it running?`);
    }
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const err = json as { message?: string | string[]; details?: SdkError['details'] } | undefined;
      const message = Array.isArray(err?.message) ? err.message.join('; ') : err?.message ?? response.statusText;
      throw new SdkError(`${method} ${path} → ${response.status}: ${message}`, err?.details ?? {});
    }
    return json as T;
  }
}

/** A model file (or payload) read by its type's codec, strictly as the server reads an import. */
function localModel(model: object) {
  const codec = sdkRegistry().modelCodecOf(model);
  return { codec, payload: codec.fromJSON(model) };
}

function warnLeftBehind(experimentId: string, error: unknown): void {
  process.emitWarning(
    `the temporary experiment ${experimentId} of an SDK run could not be deleted (${(error as Error).message}); delete it on the canvas or with DELETE /api/experiments/${experimentId}.`,
    { code: 'MIXFLOW_SDK_CLEANUP' },
  );
}

async function* arrayRows(rows: Row[]): AsyncIterable<Row> {
  yield* rows;
}

const streamDatasets = noDatasets(() => new SdkError('a stream run has no stored datasets.'));

let current: Mixflow | undefined;

/** The Mixflow operators run on when none is passed: embedded, unless useMixflow chose another. */
export function defaultMixflow(): Mixflow {
  current ??= new Mixflow();
  return current;
}

/** Makes `mixflow` the default for every operator call without an explicit Mixflow (Alink's useRemoteEnv). */
export function useMixflow(mixflow: Mixflow): void {
  current = mixflow;
}

