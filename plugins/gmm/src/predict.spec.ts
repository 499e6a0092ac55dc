import { ComponentError, type PortSchema } from '@mixflow/component-sdk';
import { GaussianMixture, makeDataMatrix, type GmmModelJson } from '@mixflow/gmm';
import { extractFeatures, parseSchemaStr, parseVector, rowsOf, tableFromRows } from '@mixflow/table';
import { blobsTable, modelOf, modelValue, RecordingEngine, run, tableOf, tableValue } from './__fixtures__/harness';
import plugin, { gmmPredict, gmmPredictStream, gmmTrain } from './index';

const tableSchema = parseSchemaStr('features vector, id long, name string');
tableSchema.columns[0].vectorSize = 2;
const modelSchema: PortSchema = { type: 'model', modelType: 'gmm', dims: 2, k: 3, vectorCol: 'features' };
const inputs = (model: PortSchema | undefined = modelSchema): (PortSchema | undefined)[] => [model, { type: 'table', schema: tableSchema, rowCount: 5 }];

describe.each([gmmPredict, gmmPredictStream])('$description.id: configure', (component) => {
  it('outputs every input column, then the prediction (long) and detail (string) columns', () => {
    const r = component.configure({ predictionCol: 'cluster', predictionDetailCol: 'detail' }, inputs());
    expect(r.errors).toEqual([]);
    expect(r.outputs).toEqual([
      {
        type: 'table',
        rowCount: 5,
        schema: {
          columns: [
            { name: 'features', type: 'vector', vectorSize: 2 },
            { name: 'id', type: 'long' },
            { name: 'name', type: 'string' },
            { name: 'cluster', type: 'long' },
            { name: 'detail', type: 'string' },
          ],
        },
      },
    ]);
  });

  it('keeps only the reserved columns, in their order, and no detail column unless asked', () => {
    const r = component.configure({ predictionCol: 'cluster', reservedCols: ['name', 'id'] }, inputs());
    const out = r.outputs[0];
    expect(out?.type === 'table' && out.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['name:string', 'id:long', 'cluster:long']);
  });

  it('uses the model’s vector column when vectorCol is empty, and an explicit one otherwise', () => {
    expect(component.configure({ predictionCol: 'c' }, inputs()).errors).toEqual([]);
    const r = component.configure({ predictionCol: 'c', vectorCol: 'missing' }, inputs());
    expect(r.errors).toEqual([expect.objectContaining({ parameter: 'vectorCol', column: 'missing', port: 1 })]);
    expect(r.errors[0].message).toContain('"missing" is not in the input table');
  });

  it('refuses a non-vector column', () => {
    const r = component.configure({ predictionCol: 'c', vectorCol: 'id' }, inputs());
    expect(r.errors).toEqual([expect.objectContaining({ parameter: 'vectorCol', column: 'id', message: expect.stringContaining('"id" is long, not a vector column') })]);
  });

  it('refuses a model whose dimension differs from the data', () => {
    const r = component.configure({ predictionCol: 'c' }, inputs({ ...modelSchema, dims: 3 } as PortSchema));
    expect(r.errors).toEqual([
      expect.objectContaining({
        parameter: 'vectorCol',
        column: 'features',
        message: 'the model has 3 dimensions but the vector column "features" has 2 dimensions; use the columns the model was trained on or retrain it',
      }),
    ]);
  });

  it('refuses an output column that clashes with a reserved one, and a missing reserved column', () => {
    expect(component.configure({ predictionCol: 'id' }, inputs()).errors).toEqual([expect.objectContaining({ parameter: 'predictionCol', column: 'id' })]);
    expect(component.configure({ predictionCol: 'id', reservedCols: ['name'] }, inputs()).errors).toEqual([]);
    expect(component.configure({ predictionCol: 'c', reservedCols: ['zzz'] }, inputs()).errors).toEqual([
      expect.objectContaining({ parameter: 'reservedCols', column: 'zzz' }),
    ]);
  });

  it('needs the prediction column name, and waits for the table', () => {
    expect(component.configure({}, inputs()).errors).toEqual([expect.objectContaining({ parameter: 'predictionCol' })]);
    expect(component.configure({ predictionCol: 'c' }, [modelSchema, undefined])).toEqual({ outputs: [undefined], errors: [] });
  });
});

describe('GMM Prediction: estimate', () => {
  it('is 30 × the model size', () => {
    const e = gmmPredict.estimate!({ numWorkers: 1, memoryPerWorkerMb: 1024 }, [{ dims: 2, k: 3, modelBytes: 100 * 1024 * 1024 }, { rows: 10 }]);
    expect(e.formulaMemoryMb).toBe(3000);
    expect(e.recommendedMemoryMb).toBe(3000);
    expect(e.warnings.map((w) => w.code)).toEqual(['memory-below-estimate']);
  });
});

describe('GMM Prediction: execute', () => {
  const data = blobsTable({ rows: 90 });
  let model: GmmModelJson;
  beforeAll(async () => {
    model = modelOf(await run(gmmTrain, { vectorCol: 'features', k: 3, randomSeed: 1 }, [tableValue(data)]));
  });

  it('adds the most likely cluster and every cluster’s probability, in cluster order', async () => {
    const r = await run(gmmPredict, { predictionCol: 'cluster', predictionDetailCol: 'detail', reservedCols: ['label'] }, [modelValue(model), tableValue(data)]);
    const out = tableOf(r);
    expect(out.schema.columns.map((c) => c.name)).toEqual(['label', 'cluster', 'detail']);
    const X = extractFeatures(data, { vectorCol: 'features' });
    const mixture = GaussianMixture.fromJSON(model);
    const expected = mixture.predict(makeDataMatrix(X.data, X.rows, X.cols));
    const proba = mixture.predictProba(X);
    expect(Array.from(out.columns[1] as Float64Array)).toEqual(Array.from(expected));
    (out.columns[2] as string[]).forEach((text, i) => {
      const p = parseVector(text);
      expect(p).toHaveLength(3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Array.from(p)).toEqual(Array.from(proba.subarray(i * 3, i * 3 + 3)));
      expect(p.indexOf(Math.max(...p))).toBe(expected[i]);
    });
  });

  it('runs on the engine with numWorkers × numThreads workers and the memory per worker', async () => {
    const engine = new RecordingEngine();
    await run(gmmPredict, { predictionCol: 'c', numWorkers: 2, numThreads: 3, memoryPerWorkerMb: 2048 }, [modelValue(model), tableValue(data)], engine);
    expect(engine.predictions).toHaveLength(1);
    expect(engine.predictions[0].run).toMatchObject({ numWorkers: 6, memoryPerWorkerMb: 2048 });
    expect(engine.predictions[0].data.rows).toBe(90);
  });

  it('reads the feature columns the model was trained on', async () => {
    const byCols = modelOf(await run(gmmTrain, { featureCols: ['x', 'y'], k: 2 }, [tableValue(data)]));
    const out = tableOf(await run(gmmPredict, { predictionCol: 'c', reservedCols: ['x'] }, [modelValue(byCols), tableValue(data)]));
    expect(out.schema.columns.map((c) => c.name)).toEqual(['x', 'c']);
    expect(new Set(out.columns[1] as Float64Array).size).toBe(2);
  });

  it('names the column when the data’s dimension differs from the model', async () => {
    const wide = tableFromRows([['1 2 3'], ['4 5 6']], parseSchemaStr('features vector'));
    const err = await run(gmmPredict, { predictionCol: 'c' }, [modelValue(model), tableValue(wide)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentError);
    expect((err as ComponentError).message).toBe(
      'the model has 2 dimensions but the vector column "features" has 3 dimensions; use the columns the model was trained on or retrain it',
    );
    expect((err as ComponentError).details).toMatchObject({ nodeId: 'node-1', parameter: 'vectorCol', column: 'features' });
  });

  it('stream component gives the same table as the batch component', async () => {
    const params = { predictionCol: 'c', predictionDetailCol: 'd' };
    const batch = tableOf(await run(gmmPredict, params, [modelValue(model), tableValue(data)]));
    const stream = tableOf(await run(gmmPredictStream, params, [modelValue(model), tableValue(data)]));
    expect(stream.schema).toEqual(batch.schema);
    expect(rowsOf(stream)).toEqual(rowsOf(batch));
  });

  it('the plugin default-exports all four components', () => {
    expect(plugin.components.map((c) => c.description.id)).toEqual(['gmm-train', 'gmm-model-selection', 'gmm-predict', 'gmm-predict-stream']);
  });
});
