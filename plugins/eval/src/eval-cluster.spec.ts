import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComponentError, ComponentRegistry, resolveParams, standaloneContext, type Params } from '@mixflow/component-sdk';
import { InlineEngine, type EngineRunOptions, type ExecutionEngine, type MatrixSession, type RowMatrix } from '@mixflow/executor';
import { formatVector, parseSchemaStr, tableFromColumns, tableFromRows, type Table } from '@mixflow/table';
import plugin, { evalCluster, RESULT_COLUMN, sampleRows, type ClusterMetricsJson } from './index';

interface ReferenceCase {
  k: number;
  prediction: number[];
  label: string[];
  expected: {
    count: number;
    countArray: number[];
    ssb: number;
    ssw: number;
    vrc: number;
    db: number;
    silhouette: Record<'euclidean' | 'cosine' | 'cityblock', number>;
    ari: number;
    nmi: number;
    ri: number;
    purity: number;
    confusionMatrix: number[][];
    labelArray: string[];
  };
}
const reference = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'cluster_metrics.json'), 'utf8')) as { rows: number[][]; cases: ReferenceCase[] };

/** An engine that runs inline and records the run options of every session. */
class RecordingEngine implements ExecutionEngine {
  readonly kind = 'inline' as const;
  readonly runs: EngineRunOptions[] = [];
  private readonly inner = new InlineEngine();
  open(matrix: RowMatrix, chunkRows: number, run: EngineRunOptions): Promise<MatrixSession> {
    this.runs.push(run);
    return this.inner.open(matrix, chunkRows, run);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function evaluate(table: Table, raw: Params, engine: ExecutionEngine = new InlineEngine()) {
  const { params, errors } = resolveParams(evalCluster.description, raw);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const metrics: Record<string, unknown> = {};
  const logs: string[] = [];
  const ctx = standaloneContext({ nodeId: 'eval-1', params, inputs: [{ type: 'table', table }], engine, metric: (n, v) => (metrics[n] = v), log: (l, m) => logs.push(`${l}: ${m}`) });
  const out = (await evalCluster.execute(ctx)).outputs[0];
  if (out.type !== 'table') throw new Error('expected a table');
  const json = JSON.parse((out.table.columns[0] as string[])[0]) as ClusterMetricsJson;
  return { json, metrics, logs, table: out.table };
}

async function failure(table: Table, raw: Params): Promise<ComponentError> {
  try {
    await evaluate(table, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ComponentError);
    return err as ComponentError;
  }
  throw new Error('expected the evaluation to fail');
}

/** The reference rows as a table: vector column, x0..x2, the prediction and the label. */
function referenceTable(c: ReferenceCase, rows: number[][] = reference.rows, pick: ArrayLike<number> = rows.map((_, i) => i)): Table {
  const idx = Array.from(pick);
  const schema = parseSchemaStr('features string, x0 double, x1 double, x2 double, cluster long, label string');
  return tableFromColumns(schema, [
    idx.map((i) => formatVector(rows[i])),
    ...[0, 1, 2].map((j) => Float64Array.from(idx, (i) => rows[i][j])),
    Float64Array.from(idx, (i) => c.prediction[i]),
    idx.map((i) => c.label[i]),
  ]);
}

const close = (actual: number | undefined, expected: number) => expect(actual).toBeCloseTo(expected, 10);

describe('Clustering Model Evaluation', () => {
  it('registers as a plugin the registry accepts', () => {
    expect(() => new ComponentRegistry().register(plugin)).not.toThrow();
  });

  it("reproduces Alink's documented example (vectors written with spaces and with commas)", async () => {
    const table = tableFromRows(
      [
        [0, '0 0 0'],
        [0, '0.1,0.1,0.1'],
        [0, '0.2,0.2,0.2'],
        [1, '9 9 9'],
        [1, '9.1 9.1 9.1'],
        [1, '9.2 9.2 9.2'],
      ],
      parseSchemaStr('id int, vec string'),
    );
    const { json, table: out } = await evaluate(table, { vectorCol: 'vec', predictionCol: 'id' });
    expect(out.schema.columns).toEqual([{ name: RESULT_COLUMN, type: 'string' }]);
    expect(json).toMatchObject({ count: 6, k: 2, clusterArray: ['0', '1'], countArray: [3, 3] });
    close(json.cp, 0.11547005383792497);
    close(json.db, 0.014814814814814791);
    close(json.sp, 15.588457268119896);
    close(json.ssb, 364.5);
    close(json.ssw, 0.1199999999999996);
    expect(json.vrc! / 12150.000000000042).toBeCloseTo(1, 12);
  });

  describe.each(reference.cases.map((c) => [c.k, c] as const))("scikit-learn's values, k = %i", (_k, c) => {
    const table = referenceTable(c);
    const e = c.expected;

    it('VRC, DB, SSB, SSW and the Euclidean silhouette from the vector column', async () => {
      const { json, metrics } = await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster' });
      expect(json).toMatchObject({ count: e.count, k: c.k, countArray: e.countArray, silhouetteRows: e.count, silhouetteExact: true });
      close(json.vrc, e.vrc);
      close(json.db, e.db);
      close(json.ssb, e.ssb);
      close(json.ssw, e.ssw);
      close(json.silhouetteCoefficient, e.silhouette.euclidean);
      expect(metrics.vrc).toBe(json.vrc);
      expect(json.nmi).toBeUndefined();
    });

    it.each([
      ['COSINE', 'cosine'],
      ['CITYBLOCK', 'cityblock'],
    ] as const)('distanceType %s changes the silhouette coefficient to scikit-learn’s %s one', async (distanceType, metric) => {
      const { json } = await evaluate(table, { featureCols: ['x0', 'x1', 'x2'], predictionCol: 'cluster', distanceType });
      close(json.silhouetteCoefficient, e.silhouette[metric]);
      // the sums of squares stay Euclidean
      close(json.ssw, e.ssw);
    });

    it('NMI, purity, RI, ARI and the confusion matrix from the label column', async () => {
      const { json } = await evaluate(table, { predictionCol: 'cluster', labelCol: 'label' });
      close(json.nmi, e.nmi);
      close(json.purity, e.purity);
      close(json.ri, e.ri);
      close(json.ari, e.ari);
      expect(json.confusionMatrix).toEqual(e.confusionMatrix);
      expect(json.labelArray).toEqual(e.labelArray);
      expect(json.ssb).toBeUndefined();
    });
  });

  it('computes CP, SP and DB with the chosen distance', async () => {
    const table = referenceTable(reference.cases[0]);
    const euclidean = (await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster' })).json;
    const cityblock = (await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster', distanceType: 'CITYBLOCK' })).json;
    expect(cityblock.cp).toBeGreaterThan(euclidean.cp!);
    expect(cityblock.sp).toBeGreaterThan(euclidean.sp!);
    expect(cityblock.db).not.toBeCloseTo(euclidean.db!, 6);
  });

  describe('the silhouette sample', () => {
    const c = reference.cases[0];
    const table = referenceTable(c);

    it('above silhouetteSampleSize rows is a seeded sample, and the output says so', async () => {
      const { json, logs } = await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster', silhouetteSampleSize: 50, randomSeed: 3 });
      expect(json).toMatchObject({ silhouetteRows: 50, silhouetteExact: false });
      expect(logs.join('\n')).toContain('sample of 50 of 120 rows (randomSeed 3)');
      // the exact coefficient of exactly those rows
      const picked = sampleRows(120, 50, 3);
      const exact = (await evaluate(referenceTable(c, reference.rows, picked), { vectorCol: 'features', predictionCol: 'cluster' })).json;
      expect(exact.silhouetteExact).toBe(true);
      expect(json.silhouetteCoefficient).toBe(exact.silhouetteCoefficient);
      // the other metrics still use every row
      close(json.vrc, c.expected.vrc);
    });

    it('the seed chooses the sample', async () => {
      const one = (await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster', silhouetteSampleSize: 50, randomSeed: 3 })).json;
      const again = (await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster', silhouetteSampleSize: 50, randomSeed: 3 })).json;
      const other = (await evaluate(table, { vectorCol: 'features', predictionCol: 'cluster', silhouetteSampleSize: 50, randomSeed: 4 })).json;
      expect(again.silhouetteCoefficient).toBe(one.silhouetteCoefficient);
      expect(other.silhouetteCoefficient).not.toBe(one.silhouetteCoefficient);
    });
  });

  it('hands numWorkers and memoryPerWorkerMb to the engine', async () => {
    const engine = new RecordingEngine();
    await evaluate(referenceTable(reference.cases[0]), { vectorCol: 'features', predictionCol: 'cluster', numWorkers: 3, memoryPerWorkerMb: 2048 }, engine);
    expect(engine.runs).toEqual([expect.objectContaining({ numWorkers: 3, memoryPerWorkerMb: 2048 })]);
  });

  it('with one cluster leaves out what needs two, and says so', async () => {
    const table = tableFromRows([[1, '0 0'], [1, '1 1'], [1, '2 0']], parseSchemaStr('c long, v string'));
    const { json, logs } = await evaluate(table, { vectorCol: 'v', predictionCol: 'c' });
    expect(json).toMatchObject({ count: 3, k: 1 });
    expect(json.vrc).toBeUndefined();
    expect(json.silhouetteCoefficient).toBeUndefined();
    expect(logs.join('\n')).toContain('one cluster only');
  });

  describe('bad input', () => {
    const schema = parseSchemaStr('c long, v string, name string');
    const input = [{ type: 'table' as const, schema, rowCount: 3 }];

    it('configure: predictionCol missing, labelCol not found, a vector column of numbers, both feature choices', () => {
      expect(evalCluster.configure({}, input).errors).toEqual([expect.objectContaining({ parameter: 'predictionCol', message: expect.stringContaining('Prediction column is required') })]);
      expect(evalCluster.configure({ predictionCol: 'c', labelCol: 'nope' }, input).errors).toEqual([
        expect.objectContaining({ parameter: 'labelCol', column: 'nope', message: expect.stringContaining('Label column: column "nope" is not in the input table') }),
      ]);
      expect(evalCluster.configure({ predictionCol: 'c', vectorCol: 'c' }, input).errors).toEqual([expect.objectContaining({ parameter: 'vectorCol', column: 'c' })]);
      expect(evalCluster.configure({ predictionCol: 'c', vectorCol: 'v', featureCols: ['c'] }, input).errors).toEqual([expect.objectContaining({ parameter: 'featureCols' })]);
      expect(evalCluster.configure({ predictionCol: 'c', vectorCol: 'v', labelCol: 'name' }, input)).toEqual({
        outputs: [{ type: 'table', schema: { columns: [{ name: RESULT_COLUMN, type: 'string' }] }, rowCount: 1 }],
        errors: [],
      });
    });

    it('vectors of different sizes name the row, the column and vectorCol', async () => {
      const table = tableFromRows([[0, '1 2', 'a'], [1, '1 2 3', 'b'], [1, '0 0', 'c']], schema);
      const err = await failure(table, { predictionCol: 'c', vectorCol: 'v' });
      expect(err.details).toMatchObject({ nodeId: 'eval-1', parameter: 'vectorCol', column: 'v', row: 2 });
    });

    it('a missing prediction names its row', async () => {
      const table = tableFromRows([[0, '1 2', 'a'], [null, '1 3', 'b']], schema);
      const err = await failure(table, { predictionCol: 'c' });
      expect(err.details).toMatchObject({ parameter: 'predictionCol', column: 'c', row: 2 });
    });

    it('a label column that is not there at run time', async () => {
      const table = tableFromRows([[0, '1 2', 'a']], schema);
      const err = await failure(table, { predictionCol: 'c', labelCol: 'truth' });
      expect(err.details).toMatchObject({ parameter: 'labelCol', column: 'truth' });
    });
  });
});
