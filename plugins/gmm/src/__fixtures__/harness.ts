import { resolveParams, standaloneContext, type ComponentDefinition, type ComponentEnv, type Params, type PortValue } from '@mixflow/component-sdk';
import { InlineEngine, isRowFile, type EngineRunOptions, type ExecutionEngine, type MatrixSession, type RowSource } from '@mixflow/executor';
import { makeBlobs, type GmmModelJson } from '@mixflow/gmm';
import { formatVector, tableFromColumns, type Table } from '@mixflow/table';
import { EM_STATS_KERNEL, PREDICT_KERNEL } from '../em-kernels';
import { gmmModelJson, gmmPayload } from '../payload';

/** A session an engine was asked to open, and the kernels mapped over it. */
export interface RecordedSession {
  data: { rows: number; cols: number };
  /** set when the rows came as a row file (streamed training) */
  file?: string;
  chunkRows: number;
  run: EngineRunOptions;
  kernels: string[];
}

/** An engine that runs on InlineEngine and records each session: its rows, run options and kernels. */
export class RecordingEngine implements ExecutionEngine {
  readonly kind = 'inline' as const;
  readonly sessions: RecordedSession[] = [];
  private readonly inner = new InlineEngine();

  /** sessions that ran the EM E-step */
  get fits(): RecordedSession[] {
    return this.sessions.filter((s) => s.kernels.includes(EM_STATS_KERNEL));
  }

  /** sessions that predicted */
  get predictions(): RecordedSession[] {
    return this.sessions.filter((s) => s.kernels.includes(PREDICT_KERNEL));
  }

  async open(matrix: RowSource, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    const record: RecordedSession = { data: { rows: matrix.rows, cols: matrix.cols }, ...(isRowFile(matrix) ? { file: matrix.file } : {}), chunkRows, run, kernels: [] };
    this.sessions.push(record);
    const session = await this.inner.open(matrix, chunkRows, run);
    return {
      ...session,
      map: (kernel, params) => {
        if (!record.kernels.includes(kernel)) record.kernels.push(kernel);
        return session.map(kernel, params);
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Records the params of every map over `engine`'s sessions from now on: what crosses to its workers. */
export function recordMapParams(engine: ExecutionEngine): unknown[] {
  const seen: unknown[] = [];
  const open = engine.open.bind(engine);
  engine.open = async (...args: Parameters<ExecutionEngine['open']>) => {
    const session = await open(...args);
    const map = session.map.bind(session);
    session.map = (kernel, params) => (seen.push(params), map(kernel, params));
    return session;
  };
  return seen;
}

export interface RunRecord {
  outputs: PortValue[];
  metrics: Record<string, unknown>;
  progress: { fraction: number; message?: string }[];
  logs: string[];
}

/** Resolves raw parameters as the API would (failing on errors), then executes the component. */
export async function run(
  component: ComponentDefinition,
  raw: Params,
  inputs: PortValue[],
  engine: ExecutionEngine = new InlineEngine(),
  env?: ComponentEnv,
): Promise<RunRecord> {
  const { params, errors } = resolveParams(component.description, raw);
  if (errors.length) throw new Error(`parameter errors: ${errors.map((e) => e.message).join('; ')}`);
  const record: RunRecord = { outputs: [], metrics: {}, progress: [], logs: [] };
  const ctx = standaloneContext({
    nodeId: 'node-1',
    params,
    inputs,
    engine,
    ...(env ? { env } : {}),
    progress: (fraction, message) => record.progress.push({ fraction, message }),
    log: (level, message) => record.logs.push(`${level}: ${message}`),
    metric: (name, value) => (record.metrics[name] = value),
  });
  record.outputs = (await component.execute(ctx)).outputs;
  return record;
}

/** Overlapping 2-D blobs (so EM needs several iterations): a vector column, x, y and the true label. */
export function blobsTable(o: { rows?: number; k?: number; seed?: number; separation?: number } = {}): Table {
  const { data, labels } = makeBlobs({ rows: o.rows ?? 120, dims: 2, k: o.k ?? 3, seed: o.seed ?? 5, spread: 1, separation: o.separation ?? 2 });
  const n = data.rows;
  const features = Array.from({ length: n }, (_, i) => formatVector(data.data.subarray(i * 2, i * 2 + 2)));
  const x = Float64Array.from({ length: n }, (_, i) => data.data[i * 2]);
  const y = Float64Array.from({ length: n }, (_, i) => data.data[i * 2 + 1]);
  return tableFromColumns(
    {
      columns: [
        { name: 'features', type: 'vector' },
        { name: 'x', type: 'double' },
        { name: 'y', type: 'double' },
        { name: 'label', type: 'long' },
      ],
    },
    [features, x, y, Float64Array.from(labels)],
  );
}

/** A GMM model file as a model port carries it. */
export function modelValue(model: GmmModelJson): PortValue {
  return { type: 'model', model: gmmPayload(model) };
}

export function tableValue(table: Table): PortValue {
  return { type: 'table', table };
}

export function modelOf(r: RunRecord): GmmModelJson {
  const out = r.outputs[0];
  if (out.type !== 'model') throw new Error('expected a model output');
  return gmmModelJson(out.model);
}

export function tableOf(r: RunRecord): Table {
  const out = r.outputs[0];
  if (out.type !== 'table') throw new Error('expected a table output');
  return out.table;
}
