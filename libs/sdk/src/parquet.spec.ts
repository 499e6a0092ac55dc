import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GmmPredictBatchOp, GmmTrainBatchOp, MemSourceBatchOp, Mixflow, ParquetSinkBatchOp, ParquetSourceBatchOp, SdkError } from './index';

const mixflow = new Mixflow({ engine: 'inline' });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-sdk-parquet-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rows = [
  [1, 'a b', 0.5, '1.0 2.0'],
  [2, 'x;y', 1.25, '3.0 4.0'],
  [3, 'say "hi"', NaN, '5.0 6.5'],
];
const schemaStr = 'id long, name string, score double, v vector';

describe('ParquetSinkBatchOp and ParquetSourceBatchOp', () => {
  it('write a table as Parquet and read it back with its types, a missing number and a vector column', async () => {
    const file = path.join(dir, 'table.parquet');
    await new ParquetSinkBatchOp().setFilePath(file).linkFrom(new MemSourceBatchOp(rows, schemaStr)).execute(mixflow);
    expect(fs.readFileSync(file).subarray(0, 4).toString()).toBe('PAR1');
    const back = await new ParquetSourceBatchOp().setFilePath(file).collectTable(mixflow);
    expect(back.schema.columns).toEqual([
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
      { name: 'score', type: 'double', missing: 1 },
      { name: 'v', type: 'vector', vectorSize: 2 },
    ]);
    const collected = await new ParquetSourceBatchOp().setFilePath(file).collect(mixflow);
    expect(collected.map((r) => r.slice(0, 3))).toEqual(rows.map((r) => r.slice(0, 3)));
    expect(collected.map((r) => r[3])).toEqual(['1 2', '3 4', '5 6.5']);
  });

  it('a Parquet source feeds a pipeline like any other source', async () => {
    const file = path.join(dir, 'blobs.parquet');
    const points = Array.from({ length: 40 }, (_, i) => [i < 20 ? i * 0.01 : 10 + i * 0.01, i < 20 ? 0 : 10]);
    await new ParquetSinkBatchOp().setFilePath(file).linkFrom(new MemSourceBatchOp(points, 'x double, y double')).execute(mixflow);
    const data = new ParquetSourceBatchOp().setFilePath(file);
    const model = new GmmTrainBatchOp().setFeatureCols(['x', 'y']).setK(2).linkFrom(data);
    const predicted = await new GmmPredictBatchOp().setPredictionCol('c').linkFrom(model, data).collect(mixflow);
    const clusters = predicted.map((r) => r[2]);
    expect(new Set(clusters.slice(0, 20)).size).toBe(1);
    expect(new Set(clusters.slice(20)).size).toBe(1);
    expect(clusters[0]).not.toBe(clusters[20]);
  });

  it('names a missing file, a file that is not Parquet, and a sink without a path', async () => {
    await expect(new ParquetSourceBatchOp().setFilePath(path.join(dir, 'nope.parquet')).collect(mixflow)).rejects.toThrow(/ParquetSourceBatchOp.setFilePath: no file .*nope.parquet/);
    const text = path.join(dir, 'text.parquet');
    fs.writeFileSync(text, 'not parquet at all\n');
    const err = await new ParquetSourceBatchOp().setFilePath(text).collect(mixflow).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdkError);
    expect((err as Error).message).toMatch(/ParquetSourceBatchOp: .*text.parquet cannot be read as Parquet/);
    await expect(new ParquetSinkBatchOp().linkFrom(new MemSourceBatchOp(rows, schemaStr)).execute(mixflow)).rejects.toThrow(/ParquetSinkBatchOp: call setFilePath/);
  });

  it('refuses to replace a file unless overwriteSink', async () => {
    const file = path.join(dir, 'exists.parquet');
    fs.writeFileSync(file, 'old');
    const sink = () => new ParquetSinkBatchOp().setFilePath(file).linkFrom(new MemSourceBatchOp(rows, schemaStr));
    await expect(sink().execute(mixflow)).rejects.toThrow(/already there; setOverwriteSink\(true\)/);
    await sink().setOverwriteSink(true).execute(mixflow);
    expect(await new ParquetSourceBatchOp().setFilePath(file).collect(mixflow)).toHaveLength(3);
  });
});
