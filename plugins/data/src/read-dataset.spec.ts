import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ComponentEnv, ExecutionContext } from '@mixflow/component-sdk';
import { InlineEngine } from '@mixflow/executor';
import { GaussianMixture, makeDataMatrix } from '@mixflow/gmm';
import { extractFeatures, rowsOf, tableFromRows, parseSchemaStr, type Table } from '@mixflow/table';
import plugin, { readDataset, SAMPLE_DATASETS } from './index';

const uploaded: Table = tableFromRows([['1 2', 3]], parseSchemaStr('v vector, n long'));
const env: ComponentEnv = {
  datasetSchema: (id) => (id === 'ds-1' ? { schema: uploaded.schema, rowCount: uploaded.rowCount, bytes: 12 } : undefined),
  loadDataset: async (id) => {
    if (id !== 'ds-1') throw new Error(`no ${id}`);
    return uploaded;
  },
};

function context(params: Record<string, string>): ExecutionContext & { metrics: Record<string, unknown> } {
  const metrics: Record<string, unknown> = {};
  return {
    nodeId: 'n1',
    params,
    inputs: [],
    engine: new InlineEngine(),
    env,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
    metric: (name, value) => (metrics[name] = value),
    metrics,
  };
}

describe('read-dataset', () => {
  it('is the plugin default export', () => {
    expect(plugin.components).toContain(readDataset);
  });

  it('configure gives the stored dataset schema before running', () => {
    expect(readDataset.configure({ datasetId: 'ds-1' }, [], env)).toEqual({
      outputs: [{ type: 'table', schema: uploaded.schema, rowCount: 1, datasetId: 'ds-1' }],
      errors: [],
    });
  });

  it('configure gives a sample schema without generating it, matching what execute returns', async () => {
    const configured = readDataset.configure({ datasetId: 'sample-three-blobs' }, [], env).outputs[0];
    const executed = await readDataset.execute(context({ datasetId: 'sample-three-blobs' }));
    const out = executed.outputs[0];
    if (out.type !== 'table' || configured?.type !== 'table') throw new Error('expected tables');
    expect(configured.schema).toEqual(out.table.schema);
    expect(configured.rowCount).toBe(out.table.rowCount);
  });

  it('reports the rows read as a stored dataset is read, by whole percents, before its 100 %', async () => {
    const progress: { fraction: number; message?: string }[] = [];
    const big: ComponentEnv = {
      datasetSchema: () => ({ schema: uploaded.schema, rowCount: 1_000_000 }),
      loadDataset: async (_id, onRows) => {
        // DuckDB's data chunks of 2,048 rows
        for (let rows = 2048; rows < 1_000_000; rows += 2048) onRows?.(rows);
        onRows?.(1_000_000);
        return uploaded;
      },
    };
    await readDataset.execute({ ...context({ datasetId: 'big' }), env: big, progress: (fraction, message) => progress.push({ fraction, ...(message ? { message } : {}) }) });
    const reading = progress.slice(0, -1);
    expect(reading.length).toBeGreaterThanOrEqual(90);
    expect(reading.length).toBeLessThanOrEqual(100);
    expect(reading[0]).toEqual({ fraction: (0.99 * 10240) / 1_000_000, message: 'read 10,240 of 1,000,000 rows' });
    reading.slice(1).forEach((p, i) => expect(p.fraction).toBeGreaterThan(reading[i].fraction));
    // the last row is reported too, short of 100 % (building the table is the rest)
    expect(reading.at(-1)).toEqual({ fraction: 0.99, message: 'read 1,000,000 of 1,000,000 rows' });
    expect(progress.at(-1)!.fraction).toBe(1);
  });

  it('names a deleted dataset by the name it had, in configure and execute', async () => {
    const remembering: ComponentEnv = { ...env, deletedDatasetName: (id) => (id === 'gone-1' ? 'old faithful' : undefined) };
    const message = 'dataset "old faithful" (deleted) no longer exists; upload it again, or choose another dataset';
    expect(readDataset.configure({ datasetId: 'gone-1' }, [], remembering).errors).toEqual([{ parameter: 'datasetId', message }]);
    await expect(readDataset.execute({ ...context({ datasetId: 'gone-1' }), env: remembering })).rejects.toMatchObject({ message, details: { parameter: 'datasetId' } });
    // an id the host never had keeps the message naming the samples
    expect(readDataset.configure({ datasetId: 'never' }, [], remembering).errors[0].message).toMatch(/^no dataset "never"; upload a CSV or pick one of the samples/);
  });

  it('configure names datasetId when the dataset does not exist', () => {
    const r = readDataset.configure({ datasetId: 'nope' }, [], env);
    expect(r.outputs).toEqual([undefined]);
    expect(r.errors).toEqual([{ parameter: 'datasetId', message: expect.stringContaining('no dataset "nope"') }]);
  });

  it('execute loads the stored dataset through the env', async () => {
    const ctx = context({ datasetId: 'ds-1' });
    const r = await readDataset.execute(ctx);
    expect(r.outputs[0]).toEqual({ type: 'table', table: uploaded });
    expect(ctx.metrics.rows).toBe(1);
  });

  it('execute names the node and parameter for an unknown dataset', async () => {
    await expect(readDataset.execute(context({ datasetId: 'gone' }))).rejects.toMatchObject({ details: { nodeId: 'n1', parameter: 'datasetId' } });
  });
});

describe('sample datasets', () => {
  it('three blobs: 100 rows around each of (0,0), (5,5), (5,0) with unit variance', () => {
    const sample = SAMPLE_DATASETS.find((d) => d.id === 'sample-three-blobs')!;
    const t = sample.generate();
    expect(t.rowCount).toBe(300);
    expect(t.schema.columns.map((c) => c.name)).toEqual(['features', 'x', 'y', 'label']);
    const x = t.columns[1] as Float64Array;
    const y = t.columns[2] as Float64Array;
    const label = t.columns[3] as Float64Array;
    const means = [
      [0, 0],
      [5, 5],
      [5, 0],
    ];
    for (let c = 0; c < 3; c++) {
      let sx = 0;
      let sy = 0;
      let vx = 0;
      for (let i = c * 100; i < (c + 1) * 100; i++) {
        expect(label[i]).toBe(c);
        sx += x[i];
        sy += y[i];
      }
      for (let i = c * 100; i < (c + 1) * 100; i++) vx += (x[i] - sx / 100) ** 2;
      expect(Math.abs(sx / 100 - means[c][0])).toBeLessThan(0.35);
      expect(Math.abs(sy / 100 - means[c][1])).toBeLessThan(0.35);
      expect(vx / 99).toBeGreaterThan(0.6);
      expect(vx / 99).toBeLessThan(1.5);
    }
    // the vector column holds exactly x and y
    const m = extractFeatures(t, { vectorCol: 'features' });
    expect(Array.from(m.data.subarray(0, 2))).toEqual([x[0], y[0]]);
  });

  it('is deterministic', () => {
    for (const sample of SAMPLE_DATASETS) {
      expect(rowsOf(sample.generate(), 0, 5)).toEqual(rowsOf(sample.generate(), 0, 5));
    }
  });

  it('10-D, 8 clusters: 2000 rows of 10-D vectors in 8 labelled clusters that a GMM recovers', () => {
    const sample = SAMPLE_DATASETS.find((d) => d.id === 'sample-10d-8clusters')!;
    const t = sample.generate();
    expect(t.rowCount).toBe(2000);
    expect(t.schema.columns[0]).toEqual({ name: 'features', type: 'vector', vectorSize: 10 });
    const labels = t.columns[t.columns.length - 1] as Float64Array;
    expect(new Set(labels).size).toBe(8);
    // a model built from the true cluster means and unit variance labels (nearly) every row correctly
    const X = extractFeatures(t, { vectorCol: 'features' });
    const means = Array.from({ length: 8 }, () => new Array<number>(10).fill(0));
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < X.rows; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < 10; j++) means[labels[i]][j] += X.data[i * 10 + j];
    }
    means.forEach((m, c) => m.forEach((_, j) => (m[j] /= counts[c])));
    const model = GaussianMixture.fromJSON({
      type: 'mixflow.gmm',
      version: 1,
      covarianceType: 'spherical',
      dims: 10,
      k: 8,
      weights: new Array(8).fill(1 / 8),
      means,
      covariances: new Array(8).fill(1),
    });
    const predicted = model.predict(makeDataMatrix(X.data, X.rows, 10));
    let correct = 0;
    for (let i = 0; i < X.rows; i++) if (predicted[i] === labels[i]) correct++;
    expect(correct / X.rows).toBeGreaterThan(0.99);
  });
});

describe("scikit-learn's wine and breast cancer samples", () => {
  // libs/gmm's reference tests hold the same data, taken from scikit-learn by their own script
  const reference = (name: string): { data: number[][]; k: number } =>
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'libs', 'gmm', 'reference', `${name}_best_of_20.json`), 'utf8'));

  it.each([
    ['sample-wine', 'wine', 'alcohol', 'proline'],
    ['sample-breast-cancer', 'breast_cancer', 'mean_radius', 'worst_fractal_dimension'],
  ])('%s: the exported CSV reads back as scikit-learn wrote it, bit for bit, with a features vector and a label', (id, name, first, last) => {
    const sample = SAMPLE_DATASETS.find((d) => d.id === id)!;
    const { data, k } = reference(name);
    const d = data[0].length;
    expect(sample.rowCount).toBe(data.length);
    expect(sample.schema.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['features', first, last, 'label']));
    expect(sample.schema.columns[0]).toEqual({ name: 'features', type: 'vector', vectorSize: d });
    const t = sample.generate();
    expect(t.schema).toEqual(sample.schema);
    const X = extractFeatures(t, { vectorCol: 'features' });
    expect(Array.from(X.data)).toEqual(data.flat());
    expect(Array.from(extractFeatures(t, { featureCols: t.schema.columns.slice(1, -1).map((c) => c.name) }).data)).toEqual(data.flat());
    expect(new Set(t.columns[t.columns.length - 1] as Float64Array).size).toBe(k);
  });
});

describe("R's Old Faithful and iris samples", () => {
  // libs/gmm's mclust reference holds the same data, written from R by the same script as the CSVs
  const mclust = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'libs', 'gmm', 'reference', 'mclust_selection.json'), 'utf8'));

  it.each([
    ['sample-old-faithful', 'faithful', ['features', 'eruptions', 'waiting']],
    ['sample-iris', 'iris', ['features', 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'label']],
  ])('%s reads back as R holds %s, bit for bit', (id, name, columns) => {
    const sample = SAMPLE_DATASETS.find((d) => d.id === id)!;
    const data: number[][] = mclust.datasets[name].data;
    expect(sample.rowCount).toBe(data.length);
    expect(sample.schema.columns.map((c) => c.name)).toEqual(columns);
    const t = sample.generate();
    expect(Array.from(extractFeatures(t, { vectorCol: 'features' }).data)).toEqual(data.flat());
    expect(Array.from(t.columns[1] as Float64Array)).toEqual(data.map((r) => r[0]));
  });
});

describe('read-dataset on a host that reads stored rows in batches', () => {
  it('outputs the dataset unloaded (schema, rows and origin; its columns refuse to be read)', async () => {
    const ctx = context({ datasetId: 'ds-1' });
    let loads = 0;
    ctx.env = { ...env, loadDataset: async () => (loads++, uploaded), readDatasetRows: async () => 0 };
    const out = (await readDataset.execute(ctx)).outputs[0];
    if (out.type !== 'table') throw new Error('expected a table');
    expect(out.table).toMatchObject({ schema: uploaded.schema, rowCount: 1, origin: { datasetId: 'ds-1' }, unloaded: true });
    expect(() => out.table.columns).toThrow(/not loaded here/);
    expect(loads).toBe(0);
    expect(ctx.metrics.rows).toBe(1);
  });
});
