import { resolveParams, type ComponentDefinition, type ExecutionContext, type Params, type PortValue } from '@mixflow/component-sdk';
import { InlineEngine, type EngineRunOptions, type ExecutionEngine, type FitOutcome, type PredictOutcome } from '@mixflow/executor';
import { formatVector, makeBlobs, type DataMatrix, type GmmFitOptions, type GmmModelJson } from '@mixflow/gmm';
import { tableFromColumns, type Table } from '@mixflow/table';

/** An engine that runs on InlineEngine and records what each call was asked to do. */
export class RecordingEngine implements ExecutionEngine {
  readonly kind = 'inline' as const;
  readonly fits: { data: DataMatrix; options: GmmFitOptions; run: EngineRunOptions }[] = [];
  readonly predictions: { model: GmmModelJson; data: DataMatrix; run: EngineRunOptions }[] = [];
  private readonly inner = new InlineEngine();

  fitGmm(data: DataMatrix, options: GmmFitOptions, run: EngineRunOptions): Promise<FitOutcome> {
    this.fits.push({ data, options, run });
    return this.inner.fitGmm(data, options, run);
  }

  predictGmm(model: GmmModelJson, data: DataMatrix, run: EngineRunOptions): Promise<PredictOutcome> {
    this.predictions.push({ model, data, run });
    return this.inner.predictGmm(model, data, run);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface RunRecord {
  outputs: PortValue[];
  metrics: Record<string, unknown>;
  progress: { fraction: number; message?: string }[];
  logs: string[];
}

/** Resolves raw parameters as the API would (failing on errors), then executes the component. */
export async function run(component: ComponentDefinition, raw: Params, inputs: PortValue[], engine: ExecutionEngine = new InlineEngine()): Promise<RunRecord> {
  const { params, errors } = resolveParams(component.description, raw);
  if (errors.length) throw new Error(`parameter errors: ${errors.map((e) => e.message).join('; ')}`);
  const record: RunRecord = { outputs: [], metrics: {}, progress: [], logs: [] };
  const ctx: ExecutionContext = {
    nodeId: 'node-1',
    params,
    inputs,
    engine,
    env: { datasetSchema: () => undefined, loadDataset: () => Promise.reject(new Error('no datasets in tests')) },
    signal: new AbortController().signal,
    progress: (fraction, message) => record.progress.push({ fraction, message }),
    log: (level, message) => record.logs.push(`${level}: ${message}`),
    metric: (name, value) => (record.metrics[name] = value),
  };
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

export function tableValue(table: Table): PortValue {
  return { type: 'table', table };
}

export function modelOf(r: RunRecord): GmmModelJson {
  const out = r.outputs[0];
  if (out.type !== 'model') throw new Error('expected a model output');
  return out.model;
}

export function tableOf(r: RunRecord): Table {
  const out = r.outputs[0];
  if (out.type !== 'table') throw new Error('expected a table output');
  return out.table;
}
