import { ComponentError, ComponentRegistry } from '@mixflow/component-sdk';
import { blobsTable, modelOf, run, tableValue } from './__fixtures__/harness';
import { MAX_SAMPLE_NUMBERS, sampleRows, scoreRows } from './codec';
import plugin, { gmmCodec, gmmModelJson, gmmPayload, gmmTrain } from './index';

describe('the GMM model codec', () => {
  let file: ReturnType<typeof modelOf>;
  beforeAll(async () => {
    file = modelOf(await run(gmmTrain, { vectorCol: 'features', k: 3 }, [tableValue(blobsTable({ rows: 90 }))]));
  });

  it('GMM Training puts a payload of modelType gmm on its port, the engine file plus modelType', async () => {
    const out = (await run(gmmTrain, { vectorCol: 'features', k: 2 }, [tableValue(blobsTable({ rows: 40 }))])).outputs[0];
    expect(out.type === 'model' && out.model.modelType).toBe('gmm');
  });

  it('the file a payload exports is the engine file, bit for bit, and imports back to the same payload', () => {
    expect(JSON.stringify(gmmCodec.toJSON(gmmPayload(file)))).toBe(JSON.stringify(file));
    expect(gmmCodec.fromJSON(JSON.parse(JSON.stringify(file)))).toEqual(gmmPayload(file));
  });

  it('a wrong field is a ComponentError naming it', () => {
    const bad = { ...file, means: [[0, 'x'], ...file.means.slice(1)] };
    const err = (() => {
      try {
        gmmCodec.fromJSON(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ComponentError);
    expect((err as ComponentError).details.field).toBe('means[0][1]');
  });

  it("an imported file is checked on a driver thread: fromJSON's payload, and a wrong field still a ComponentError naming it", async () => {
    expect(await gmmCodec.importFile!(JSON.parse(JSON.stringify(file)))).toEqual(gmmPayload(file));
    const notPositiveDefinite = { ...file, covarianceType: 'spherical', covariances: [1, -1, 1] };
    const err = await gmmCodec.importFile!(notPositiveDefinite).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentError);
    expect(err).toMatchObject({ details: { field: 'covariances[1]' } });
    await expect(gmmCodec.importFile!([])).rejects.toThrow('invalid model: expected a JSON object');
  });

  it('summary, port schema and predictor read the model', () => {
    const payload = gmmPayload(file);
    expect(gmmCodec.summary(payload)).toEqual({ text: 'k=3, 2-D', fields: { k: 3, dims: 2, covarianceType: file.covarianceType } });
    expect(gmmCodec.portSchema(payload)).toEqual({ type: 'model', modelType: 'gmm', dims: 2, k: 3, vectorCol: 'features' });
    const row = gmmCodec.predictor(payload, { predictionCol: 'c' }).predict({ features: `${file.means[1][0]} ${file.means[1][1]}` });
    expect(row.c).toBe(1);
  });

  it('score and sample run on a driver thread and give what scoreRows and sampleRows give in place; their errors stay located', async () => {
    const payload = gmmPayload(file);
    const rows = [{ features: '0 0' }, { features: `${file.means[1][0]} ${file.means[1][1]}` }];
    expect(await gmmCodec.score!(payload, rows, {})).toEqual(scoreRows(file, rows, {}));
    expect(await gmmCodec.sample!(payload, 25, 4)).toEqual(sampleRows(file, 25, 4));
    const wrongRow = await Promise.resolve(gmmCodec.score!(payload, [...rows, { features: '1 2 3' }], {})).catch((e: unknown) => e);
    expect(wrongRow).toBeInstanceOf(ComponentError);
    expect(wrongRow).toMatchObject({ message: 'row 3: the row has 3 features but the model has 2 dimensions', details: { row: 3 } });
  });

  it('a sample of more than MAX_SAMPLE_NUMBERS numbers is refused, naming n and how many rows fit', async () => {
    const wide = { ...file, dims: 2000 };
    expect(() => sampleRows(wide, 501, 0)).toThrow(
      `n = 501 rows of 2000 dimensions are 1002000 numbers, more than one sample holds (${MAX_SAMPLE_NUMBERS}); ask for at most 500 rows at a time`,
    );
    await expect(gmmCodec.sample!(gmmPayload(file), MAX_SAMPLE_NUMBERS, 0)).rejects.toMatchObject({ name: 'ComponentError', details: { parameter: 'n' } });
  });

  it('GMM components refuse a model of another type', () => {
    expect(() => gmmModelJson({ modelType: 'kmeans', version: 1 }, 'predict', 0)).toThrow('this needs a GMM model, got a model of type "kmeans"');
  });

  it('the plugin registers it, so exported files (type mixflow.gmm) find it', () => {
    const registry = new ComponentRegistry();
    registry.register(plugin);
    expect(registry.modelCodecOf(file)).toBe(gmmCodec);
  });
});
