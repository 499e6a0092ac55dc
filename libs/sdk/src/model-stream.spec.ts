import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AppendModelStreamFileSinkBatchOp,
  GmmPredictStreamOp,
  GmmTrainBatchOp,
  MemSourceBatchOp,
  MemSourceStreamOp,
  Mixflow,
  ModelStreamFileSourceStreamOp,
  modelIdOf,
  SdkError,
  type Row,
} from './index';
import { parseTimestamp } from './model-folder';

const mixflow = new Mixflow({ engine: 'inline' });

/** 60 rows around three centres in 2-D (deterministic) */
const ROWS: string[] = Array.from({ length: 60 }, (_, i) => {
  const c = i % 3;
  const jitter = ((i * 7919) % 100) / 100 - 0.5;
  return `${c * 6 + jitter} ${(c === 1 ? 5 : 0) + jitter * 0.7}`;
});

function train(k: number, seed: number): GmmTrainBatchOp {
  return new GmmTrainBatchOp().setVectorCol('features').setK(k).setRandomSeed(seed).linkFrom(new MemSourceBatchOp(ROWS, 'features string'));
}

function predictor(model: GmmTrainBatchOp): GmmPredictStreamOp {
  return new GmmPredictStreamOp(model).setVectorCol('features').setPredictionCol('c').setPredictionDetailCol('p');
}

const data = () => new MemSourceStreamOp(ROWS, 'features string');
const tempFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-model-stream-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GmmPredictStreamOp with a model stream (Alink\'s modelStreamFilePath / linkFrom(data, modelStream))', () => {
  let folder: string;
  beforeEach(() => (folder = tempFolder()));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** Streams ROWS, writing `next` into the folder after row `at` and pausing until the scan has seen it. */
  async function swapAt(op: GmmPredictStreamOp, at: number, next: GmmTrainBatchOp): Promise<Row[]> {
    const out: Row[] = [];
    for await (const row of op.rows(mixflow)) {
      out.push(row);
      if (out.length === at) {
        await new AppendModelStreamFileSinkBatchOp().setFilePath(folder).linkFrom(next).execute(mixflow);
        await sleep(400);
      }
    }
    return out;
  }

  it('replaces the model between rows when a new model file arrives: rows before it use the first model, rows after it the new one', async () => {
    const first = await predictor(train(2, 1)).linkFrom(data()).collect(mixflow);
    const second = await predictor(train(3, 2)).linkFrom(data()).collect(mixflow);
    expect(first.map((r) => r[1])).not.toEqual(second.map((r) => r[1])); // the swap is visible in the answers
    const op = predictor(train(2, 1)).setModelStreamFilePath(folder).setModelStreamScanInterval(0.05).linkFrom(data());
    const rows = await swapAt(op, 20, train(3, 2));
    expect(rows).toHaveLength(ROWS.length);
    expect(rows.slice(0, 20)).toEqual(first.slice(0, 20));
    expect(rows.slice(20)).toEqual(second.slice(20));
    expect(rows[25][2]).toMatch(/^\S+ \S+ \S+$/); // the detail has the new model's 3 components
  });

  it('takes the model stream as linkFrom\'s last input (ModelStreamFileSourceStreamOp)', async () => {
    const second = await predictor(train(3, 2)).linkFrom(data()).collect(mixflow);
    const first = await predictor(train(2, 1)).linkFrom(data()).collect(mixflow);
    const models = new ModelStreamFileSourceStreamOp().setFilePath(folder).setScanInterval(0.05);
    const rows = await swapAt(predictor(train(2, 1)).linkFrom(data(), models), 30, train(3, 2));
    expect(rows.slice(0, 30)).toEqual(first.slice(0, 30));
    expect(rows.slice(30)).toEqual(second.slice(30));
  });

  it('skips models made before modelStreamStartTime (by default: when the stream starts), and reads older ones when the start time says so', async () => {
    await new AppendModelStreamFileSinkBatchOp().setFilePath(folder).setModelTime('2020-05-01 12:00:00').linkFrom(train(3, 2)).execute(mixflow);
    expect(fs.readdirSync(folder)).toEqual(['20200501120000000000000.json']);
    const first = await predictor(train(2, 1)).linkFrom(data()).collect(mixflow);
    const second = await predictor(train(3, 2)).linkFrom(data()).collect(mixflow);
    const byDefault = predictor(train(2, 1)).setModelStreamFilePath(folder).setModelStreamScanInterval(0.05).linkFrom(data());
    expect(await byDefault.collect(mixflow)).toEqual(first);
    const fromOld = predictor(train(2, 1)).setModelStreamFilePath(folder).setModelStreamScanInterval(0.05).setModelStreamStartTime('2020-01-01 00:00:00').linkFrom(data());
    const rows: Row[] = [];
    for await (const row of fromOld.rows(mixflow)) {
      rows.push(row);
      if (rows.length === 1) await sleep(300); // the first scan runs while the first row is out
    }
    expect(rows.slice(1)).toEqual(second.slice(1));
  });

  it('ends the stream with an error naming the model and the mismatch when a model of another dimension arrives', async () => {
    const threeD = new GmmTrainBatchOp().setVectorCol('features').setK(2).linkFrom(new MemSourceBatchOp(ROWS.map((r) => `${r} 1`), 'features string'));
    const op = predictor(train(2, 1)).setModelStreamFilePath(folder).setModelStreamScanInterval(0.05).linkFrom(data());
    const error = await swapAt(op, 5, threeD).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SdkError);
    expect((error as Error).message).toMatch(/GmmPredictStreamOp: model \d{23} of the model stream cannot replace the model in use: the new model has 3 dimensions but the model in use has 2/);
  });

  it('keeps the newest numKeepModel files and checks the times and intervals it is given', async () => {
    const sink = (time: string) => new AppendModelStreamFileSinkBatchOp().setFilePath(folder).setModelTime(time).setNumKeepModel(2).linkFrom(train(2, 1));
    for (const time of ['2024-01-01 00:00:01', '2024-01-01 00:00:02.5', '2024-01-01 00:00:03']) await sink(time).execute(mixflow);
    expect(fs.readdirSync(folder).sort()).toEqual(['20240101000002500000000.json', '20240101000003000000000.json']);
    expect(modelIdOf(parseTimestamp('2024-01-22 10:30:00.123456789', 'x'))).toBe('20240122103000123000000');
    expect(() => predictor(train(2, 1)).setModelStreamStartTime('2024-13-01 00:00:00')).toThrow(/setModelStreamStartTime\("2024-13-01 00:00:00"\): write the time as yyyy-mm-dd hh:mm:ss/);
    expect(() => predictor(train(2, 1)).setModelStreamScanInterval(0)).toThrow(/positive number of seconds/);
    expect(() => new AppendModelStreamFileSinkBatchOp().linkFrom(new MemSourceBatchOp(ROWS, 'features string') as never)).toThrow(/gives a table; a model stream takes models/);
  });
});
