import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CsvSourceBatchOp,
  GmmModelSelectionBatchOp,
  GmmPredictBatchOp,
  GmmPredictStreamOp,
  GmmTrainBatchOp,
  MemSourceBatchOp,
  MemSourceStreamOp,
  Mixflow,
  SdkError,
  type Row,
} from './index';
import { PAI_ROWS } from './__fixtures__/pai-example';

// embedded, in-process engine: unit tests stay on one thread (the local engine is covered in its own test)
const mixflow = new Mixflow({ engine: 'inline' });

function paiWorkflow() {
  const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
  const model = new GmmTrainBatchOp().setVectorCol('features').linkFrom(data);
  const predictor = new GmmPredictBatchOp().setPredictionCol('cluster_id').setVectorCol('features').linkFrom(model, data);
  return { data, model, predictor };
}

function clusterOf(rows: Row[], column: number): number[] {
  return rows.map((r) => Number(r[column]));
}

describe('the PAI example, written with the SDK', () => {
  it('trains with the defaults and puts every row of a group in the same cluster', async () => {
    const { model, predictor } = paiWorkflow();
    const gmm = await model.getModel(mixflow);
    expect(gmm.k).toBe(2);
    expect(gmm.dims).toBe(2);
    expect(gmm.vectorCol).toBe('features');

    const rows = await predictor.collect(mixflow);
    expect(rows).toHaveLength(15);
    expect(rows[0]).toHaveLength(2); // features + cluster_id (reserved columns default to all)
    const clusters = clusterOf(rows, 1);
    const first = clusters.slice(0, 7);
    const second = clusters.slice(7);
    expect(new Set(first).size).toBe(1);
    expect(new Set(second).size).toBe(1);
    expect(first[0]).not.toBe(second[0]);
    // the cluster near (10, 10) has the mean near (10, 10)
    const far = gmm.means[second[0]];
    expect(far[0]).toBeGreaterThan(9);
    expect(far[1]).toBeGreaterThan(9);
  });

  it('the stream variant gives the same predictions row by row', async () => {
    const { model, predictor } = paiWorkflow();
    const batch = await predictor.collect(mixflow);
    const stream = new GmmPredictStreamOp(model)
      .setPredictionCol('cluster_id')
      .setVectorCol('features')
      .linkFrom(new MemSourceStreamOp(PAI_ROWS, 'features string'));
    const arrived: Row[] = [];
    for await (const row of stream.rows(mixflow)) arrived.push(row);
    expect(arrived).toEqual(batch);
  });

  it('print() writes the first rows as a table', async () => {
    const { predictor } = paiWorkflow();
    let text = '';
    await predictor.print(3, mixflow, (t) => (text += t));
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^features\s+\| cluster_id$/);
    expect(lines[2]).toContain('-0.6264538 0.1836433');
    expect(lines).toHaveLength(6); // header, rule, 3 rows, "... 12 more rows"
    expect(lines[5]).toContain('12 more rows');
  });

  it('setters change what runs: k, seed and the prediction detail column', async () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const k3 = await new GmmTrainBatchOp().setVectorCol('features').setK(3).setCovarianceType('diag').linkFrom(data).getModel(mixflow);
    expect(k3.k).toBe(3);
    expect(k3.covarianceType).toBe('diag');
    const model = new GmmTrainBatchOp().setVectorCol('features').linkFrom(data);
    const rows = await new GmmPredictBatchOp()
      .setVectorCol('features')
      .setPredictionCol('c')
      .setPredictionDetailCol('p')
      .setReservedCols(['features'])
      .linkFrom(model, data)
      .collect(mixflow);
    expect(rows[0]).toHaveLength(3);
    const probs = String(rows[0][2]).split(' ').map(Number);
    expect(probs).toHaveLength(2);
    expect(rows[0][1]).toBe(probs[0] > probs[1] ? 0 : 1);
    expect(probs[0] + probs[1]).toBeCloseTo(1, 12);
  });

  it('CsvSourceBatchOp reads a CSV file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-sdk-'));
    const file = path.join(dir, 'pai.csv');
    fs.writeFileSync(file, 'features\n' + PAI_ROWS.map((r) => r[0]).join('\n') + '\n');
    const data = new CsvSourceBatchOp().setFilePath(file);
    const fromCsv = await new GmmTrainBatchOp().setVectorCol('features').linkFrom(data).getModel(mixflow);
    const fromMem = await paiWorkflow().model.getModel(mixflow);
    expect(fromCsv.means).toEqual(fromMem.means);
  });
});

describe('linking errors', () => {
  it('a table on a model port is refused, naming the port and both types', () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    expect(() => new GmmPredictBatchOp().linkFrom(data, data)).toThrow(
      /GmmPredictBatchOp\.linkFrom: input 0 \(model: model\) takes a model, but MemSourceBatchOp gives a table/,
    );
  });

  it('warm start: new GmmTrainBatchOp().linkFrom(data, initialModel) trains from that model', async () => {
    const { data, model } = paiWorkflow();
    const first = await new GmmTrainBatchOp().setVectorCol('features').setMaxIter(2).linkFrom(data).getModel(mixflow);
    const resumed = await new GmmTrainBatchOp().setVectorCol('features').setMaxIter(2).linkFrom(data, new GmmTrainBatchOp().setVectorCol('features').setMaxIter(2).linkFrom(data)).getModel(mixflow);
    expect(first.training!.init).toBe('kmeans');
    expect(resumed.training!.init).toBe('model');
    // two more iterations from the two-iteration model: its first history entry is where that model ended
    expect(resumed.training!.logLikelihoodHistory[0]).toBeCloseTo(first.training!.meanLogLikelihood, 12);
    const wrongK = new GmmTrainBatchOp().setVectorCol('features').setK(3).linkFrom(data, model);
    await expect(wrongK.getModel(mixflow)).rejects.toThrow(/the initial model has 2 clusters but Number of clusters is 3/);
  });

  it('setWeightCol: integer weights train the model of the repeated rows, and the summary names the column', async () => {
    const rows: Row[] = [[1.0, 2.0, 2], [1.2, 1.9, 1], [0.8, 2.2, 3], [5.0, 6.0, 1], [5.3, 5.8, 2], [4.9, 6.3, 1], [5.1, 6.1, 0]];
    const weighted = new MemSourceBatchOp(rows, 'x double, y double, w double');
    const copies = new MemSourceBatchOp(rows.flatMap((r) => Array.from({ length: Number(r[2]) }, () => [r[0], r[1]])), 'x double, y double');
    const train = () => new GmmTrainBatchOp().setFeatureCols(['x', 'y']).setMeansInit('[[1, 2], [5, 6]]').setEpsilon(1e-10);
    const model = await train().setWeightCol('w').linkFrom(weighted).getModel(mixflow);
    const plain = await train().linkFrom(copies).getModel(mixflow);
    expect(model.training).toMatchObject({ weightCol: 'w', totalWeight: 10, rows: 7 });
    model.means.flat().forEach((v, i) => expect(v).toBeCloseTo(plain.means.flat()[i], 9));
    model.weights.forEach((v, i) => expect(v).toBeCloseTo(plain.weights[i], 9));
  });

  it('a missing input is named', () => {
    const { model } = paiWorkflow();
    expect(() => new GmmPredictBatchOp().linkFrom(model)).toThrow(/missing input 1 \(data: table\)/);
    const unlinked = new GmmTrainBatchOp().setVectorCol('features');
    return expect(unlinked.getModel(mixflow)).rejects.toThrow(/GmmTrainBatchOp has nothing linked to input 0 \(data: table\)/);
  });

  it('a batch operator cannot read a stream, and a stream operator wants a model in its constructor', () => {
    const stream = new MemSourceStreamOp(PAI_ROWS, 'features string');
    expect(() => new GmmTrainBatchOp().linkFrom(stream)).toThrow(/cannot read the stream MemSourceStreamOp/);
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    expect(() => new GmmPredictStreamOp(data)).toThrow(/MemSourceBatchOp gives a table, not a model/);
  });

  it('collect() on a model and getModel() on a table say which to use', async () => {
    const { model, predictor } = paiWorkflow();
    await expect(model.collect(mixflow)).rejects.toThrow(/use getModel\(\)/);
    await expect(predictor.getModel(mixflow)).rejects.toThrow(/use collect\(\)/);
  });

  it('a run-time problem names the operator and the parameter', async () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const model = new GmmTrainBatchOp().setVectorCol('nope').linkFrom(data);
    await expect(model.getModel(mixflow)).rejects.toThrow(/GmmTrainBatchOp.*nope/);
  });
});

describe('out-of-range setters', () => {
  it('throw with the parameter and its range', () => {
    expect(() => new GmmTrainBatchOp().setK(0)).toThrow(/GmmTrainBatchOp\.setK\(0\): Number of clusters must be at least 1, got 0 \(allowed range \[1, 1000\]\)/);
    expect(() => new GmmTrainBatchOp().setNumWorkers(10000)).toThrow(/Number of Workers must be at most 9999.*\[1, 9999\]/);
    expect(() => new GmmTrainBatchOp().setMemoryPerWorkerMb(512)).toThrow(/\[1024, 65536\]/);
    expect(() => new GmmTrainBatchOp().setMaxIter(2.5)).toThrow(/Maximum iterations must be an integer/);
    expect(() => new GmmTrainBatchOp().setCovarianceType('round' as 'full')).toThrow(/allowed: full, diag, spherical, tied/);
    expect(() => new GmmTrainBatchOp().setK(1).setMaxIter(1).setNumWorkers(9999)).not.toThrow();
  });

  it('a bad row in a mem source is refused when it is created', () => {
    expect(() => new MemSourceBatchOp([['1 2'], [3, 4]], 'features string, label int')).toThrow(SdkError);
  });
});

describe('the default embedded Mixflow', () => {
  it('runs on the local engine (worker threads) and gives the model the in-process engine gives', async () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const model = new GmmTrainBatchOp().setVectorCol('features').setNumWorkers(2).setMemoryPerWorkerMb(1024).linkFrom(data);
    const local = await model.getModel(new Mixflow());
    const inline = await model.getModel(mixflow);
    expect({ ...local, training: { ...local.training, seconds: 0 } }).toEqual({ ...inline, training: { ...inline.training, seconds: 0 } });
  }, 30_000);
});

describe('GmmModelSelectionBatchOp', () => {
  it('gives the best model to getModel() and to GmmPredictBatchOp, and the candidates to collectCandidates()', async () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const selection = new GmmModelSelectionBatchOp().setVectorCol('features').setKMin(1).setKMax(3).setCovarianceTypes(['spherical', 'diag']).setTrials(2).linkFrom(data);
    const best = await selection.getModel(mixflow);
    const candidates = await selection.collectCandidates(mixflow);
    expect(candidates.map((r) => `${r[1]}${r[0]}`)).toEqual(['diag1', 'diag2', 'diag3', 'spherical1', 'spherical2', 'spherical3']);
    const chosen = candidates.filter((r) => r[10] === 'best');
    expect(chosen).toHaveLength(1);
    expect([best.covarianceType, best.k]).toEqual([chosen[0][1], chosen[0][0]]);
    expect(best.training!.bic).toBe(chosen[0][4]);
    // lowest BIC of the candidates that are neither degenerate nor failed
    const eligible = candidates.filter((r) => r[11] === '' && r[12] === '').map((r) => r[4] as number);
    expect(chosen[0][4]).toBe(Math.min(...eligible));
    const rows = await new GmmPredictBatchOp().setPredictionCol('cluster_id').setVectorCol('features').linkFrom(selection, data).collect(mixflow);
    expect(rows).toHaveLength(15);
  });

  it('refuses a bad grid naming the setter', async () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const selection = new GmmModelSelectionBatchOp().setVectorCol('features').setKMin(4).setKMax(2).linkFrom(data);
    const error = await selection.getModel(mixflow).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).message).toMatch(/GmmModelSelectionBatchOp.*kMin \(4\) must not be larger than kMax \(2\)/);
    expect((error as SdkError).details).toMatchObject({ operator: 'GmmModelSelectionBatchOp', parameter: 'kMin' });
  });
});
