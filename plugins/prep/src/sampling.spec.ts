import { parseSchemaStr, tableFromRows } from '@mixflow/table';
import { configureOf, runComponent, tableValue } from './__fixtures__/harness';
import { sample, sampleWithSize, split } from './sampling';

const numbered = (n: number) => tableValue(tableFromRows(Array.from({ length: n }, (_, i) => [i, `r${i}`, `${i} ${-i}`]), parseSchemaStr('id long, name string, v vector')));
const ids = (rows: (string | number)[][]) => rows.map((r) => r[0] as number);

describe('Split (SplitBatchOp)', () => {
  it('puts round(fraction × rows) rows in the first output and the rest in the second, each in input order', async () => {
    const ran = await runComponent(split, { fraction: 0.3 }, [numbered(20)]);
    const first = ids(ran.rows(0));
    const rest = ids(ran.rows(1));
    expect(first).toHaveLength(6);
    expect(rest).toHaveLength(14);
    expect([...first, ...rest].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(first).toEqual([...first].sort((a, b) => a - b));
    // whole rows travel together, vectors included
    expect(ran.rows(0)[0]).toEqual([first[0], `r${first[0]}`, `${first[0]} ${-first[0]}`]);
    expect(ran.metrics).toMatchObject({ rowsFirst: 6, rowsRest: 14 });
  });

  it('the same seed gives the same split; another seed another one', async () => {
    const a = ids((await runComponent(split, { fraction: 0.5, randomSeed: 7 }, [numbered(40)])).rows(0));
    const b = ids((await runComponent(split, { fraction: 0.5, randomSeed: 7 }, [numbered(40)])).rows(0));
    const c = ids((await runComponent(split, { fraction: 0.5, randomSeed: 8 }, [numbered(40)])).rows(0));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('configure gives both outputs the input schema and their row counts', () => {
    const { outputs } = configureOf(split, { fraction: 0.25 }, [numbered(8)]);
    expect(outputs.map((o) => (o?.type === 'table' ? o.rowCount : undefined))).toEqual([2, 6]);
  });

  it('fraction outside [0, 1] or missing is an error naming fraction', () => {
    expect(configureOf(split, { fraction: 1.5 }, [numbered(3)]).errors[0]).toMatchObject({ parameter: 'fraction', message: expect.stringContaining('at most 1') });
    expect(configureOf(split, {}, [numbered(3)]).errors[0]).toMatchObject({ parameter: 'fraction' });
  });
});

describe('Random Sampling (SampleBatchOp)', () => {
  it('draws round(ratio × rows) distinct rows, reproducibly by seed', async () => {
    const a = await runComponent(sample, { ratio: 0.25 }, [numbered(40)]);
    expect(new Set(ids(a.rows())).size).toBe(10);
    expect(ids((await runComponent(sample, { ratio: 0.25 }, [numbered(40)])).rows())).toEqual(ids(a.rows()));
    expect(ids((await runComponent(sample, { ratio: 0.25, randomSeed: 3 }, [numbered(40)])).rows())).not.toEqual(ids(a.rows()));
  });

  it('withReplacement may draw a row twice', async () => {
    const ran = await runComponent(sample, { ratio: 1, withReplacement: true }, [numbered(30)]);
    expect(ran.rows()).toHaveLength(30);
    expect(new Set(ids(ran.rows())).size).toBeLessThan(30);
    const without = await runComponent(sample, { ratio: 1 }, [numbered(30)]);
    expect(new Set(ids(without.rows())).size).toBe(30);
  });

  it('ratio outside [0, 1] is an error naming ratio', () => {
    expect(configureOf(sample, { ratio: -0.1 }, [numbered(3)]).errors[0]).toMatchObject({ parameter: 'ratio' });
  });
});

describe('Random Sampling, fixed size (SampleWithSizeBatchOp)', () => {
  it('draws size rows', async () => {
    const ran = await runComponent(sampleWithSize, { size: 7, randomSeed: 2 }, [numbered(50)]);
    expect(new Set(ids(ran.rows())).size).toBe(7);
    expect(ran.metrics).toMatchObject({ sampledRows: 7 });
  });

  it('without replacement a smaller table comes back whole and the log says so; with replacement size rows are drawn', async () => {
    const all = await runComponent(sampleWithSize, { size: 12 }, [numbered(5)]);
    expect(ids(all.rows())).toEqual([0, 1, 2, 3, 4]);
    expect(all.logs.join()).toMatch(/size 12 is more than the 5 rows/);
    const drawn = await runComponent(sampleWithSize, { size: 12, withReplacement: true }, [numbered(5)]);
    expect(drawn.rows()).toHaveLength(12);
  });

  it('a negative or fractional size is an error naming size', () => {
    expect(configureOf(sampleWithSize, { size: -1 }, [numbered(3)]).errors[0]).toMatchObject({ parameter: 'size' });
    expect(configureOf(sampleWithSize, { size: 1.5 }, [numbered(3)]).errors[0]).toMatchObject({ parameter: 'size' });
  });
});
