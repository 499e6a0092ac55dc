import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchOperator, CsvSinkBatchOp, CsvSourceBatchOp, MemSourceBatchOp, Mixflow, SdkError } from './index';

const mixflow = new Mixflow({ engine: 'inline' });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-sdk-sinks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rows = [
  [1, 'a b', 0.5],
  [2, 'x;y', 1.25],
  [3, 'say "hi"', -3],
];
const schemaStr = 'id long, name string, score double';

describe('CsvSinkBatchOp and CsvSourceBatchOp, as Alink writes and reads them', () => {
  it('writes one line per row with the field delimiter (no header), quoting what needs it; the source reads it back', async () => {
    const file = path.join(dir, 'semicolons.csv');
    await new CsvSinkBatchOp().setFilePath(file).setFieldDelimiter(';').linkFrom(new MemSourceBatchOp(rows, schemaStr)).execute(mixflow);
    expect(fs.readFileSync(file, 'utf8')).toBe('1;a b;0.5\n2;"x;y";1.25\n3;"say ""hi""";-3\n');
    const back = await new CsvSourceBatchOp().setFilePath(file).setSchemaStr(schemaStr).setFieldDelimiter(';').collect(mixflow);
    expect(back).toEqual(rows);
    // with the default delimiter the quoted fields do not parse
    await expect(new CsvSourceBatchOp().setFilePath(file).setSchemaStr(schemaStr).collect(mixflow)).rejects.toThrow(/semicolons.csv cannot be parsed/);
  });

  it('ignoreFirstLine skips a header line when the schemaStr gives the columns', async () => {
    const file = path.join(dir, 'with-header.csv');
    fs.writeFileSync(file, 'eruptions,waiting\n3.6,79\n1.8,54\n');
    const read = (ignore: boolean) => new CsvSourceBatchOp().setFilePath(file).setSchemaStr('eruptions double, waiting double').setIgnoreFirstLine(ignore).collect(mixflow);
    expect(await read(true)).toEqual([
      [3.6, 79],
      [1.8, 54],
    ]);
    await expect(read(false)).rejects.toThrow(/row 1, column "eruptions": "eruptions" is not a finite number/);
  });

  it('without a schemaStr the first line names the columns, whatever the delimiter', async () => {
    const file = path.join(dir, 'tabs.tsv');
    fs.writeFileSync(file, 'k\tname\n1\tone\n2\ttwo\n');
    const table = await new CsvSourceBatchOp().setFilePath(file).setFieldDelimiter('\t').collectTable(mixflow);
    expect(table.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['k:long', 'name:string']);
    expect(table.rowCount).toBe(2);
  });

  it('refuses to replace a file unless overwriteSink', async () => {
    const file = path.join(dir, 'exists.csv');
    fs.writeFileSync(file, 'old\n');
    const sink = () => new CsvSinkBatchOp().setFilePath(file).linkFrom(new MemSourceBatchOp(rows, schemaStr));
    const err = await sink().execute(mixflow).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdkError);
    expect((err as SdkError).message).toMatch(/already there; setOverwriteSink\(true\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    await sink().setOverwriteSink(true).execute(mixflow);
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
  });

  it('BatchOperator.execute() writes every sink linked since the last call', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const source = new MemSourceBatchOp(rows, schemaStr);
    new CsvSinkBatchOp().setFilePath(a).linkFrom(source);
    new CsvSinkBatchOp().setFilePath(b).setFieldDelimiter('|').linkFrom(source);
    expect(fs.existsSync(a) || fs.existsSync(b)).toBe(false);
    await BatchOperator.execute(mixflow);
    expect(fs.readFileSync(a, 'utf8').startsWith('1,a b,0.5\n')).toBe(true);
    expect(fs.readFileSync(b, 'utf8').startsWith('1|a b|0.5\n')).toBe(true);
  });
});
