import { resolveParams, type PortSchema } from '@mixflow/component-sdk';
import { DataEngine } from '@mixflow/data-engine';
import { parseSchemaStr, tableFromRows } from '@mixflow/table';
import { configureOf, runComponent, tableValue } from './__fixtures__/harness';
import { filterMapping, sqlScript } from './sql';

const people = () =>
  tableValue(
    tableFromRows(
      [
        ['Ohio', 41, 1.5],
        ['Texas', 25, 2.5],
        ['Ohio', 63, null],
        ['Utah', 40, 4],
      ],
      parseSchemaStr('f1 string, age long, score double'),
    ),
  );
const sales = () => tableValue(tableFromRows([['Ohio', 10], ['Utah', 7]], parseSchemaStr('state string, amount long')));

/** What the API runs before a run: configure, then the async check on the input schemas. */
async function check(component: typeof sqlScript, raw: Record<string, unknown>, inputs: ReturnType<typeof people>[]) {
  const { params } = resolveParams(component.description, raw as never, { strict: true });
  const schemas: PortSchema[] = inputs.map((v) => (v.type === 'table' ? { type: 'table', schema: v.table.schema } : { type: 'model', modelType: v.model.modelType }));
  return (await component.check!(params, schemas)).errors;
}

describe('SQL Script', () => {
  it('runs a SELECT over t1 (and ${t1}, as PAI writes it)', async () => {
    const ran = await runComponent(sqlScript, { command: 'select f1, age * 2 as age2 from t1 where age > 40 order by age' }, [people()]);
    expect(ran.rows()).toEqual([
      ['Ohio', 82],
      ['Ohio', 126],
    ]);
    expect(ran.table().schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['f1:string', 'age2:long']);
    const pai = await runComponent(sqlScript, { command: 'select count(*) as n from ${t1}' }, [people()]);
    expect(pai.rows()).toEqual([[4]]);
  });

  it('joins up to four inputs, t1…t4 in port order, or under the names tableNames gives', async () => {
    const sql = 'select t1.f1, sum(t2.amount) as total from t1 join t2 on t1.f1 = t2.state group by t1.f1 order by t1.f1';
    expect((await runComponent(sqlScript, { command: sql }, [people(), sales()])).rows()).toEqual([
      ['Ohio', 20],
      ['Utah', 7],
    ]);
    const named = await runComponent(sqlScript, { command: 'select count(*) as n from A join B on A.f1 = B.state', tableNames: 'A,B' }, [people(), sales()]);
    expect(named.rows()).toEqual([[3]]);
    expect(configureOf(sqlScript, { command: 'select 1', tableNames: 'A' }, [people(), sales()]).errors[0]).toMatchObject({ parameter: 'tableNames' });
  });

  it('a SQL error is found before running, naming the parameter and the line and column', async () => {
    const errors = await check(sqlScript, { command: 'select f1,\n  agee from t1' }, [people()]);
    expect(errors).toEqual([{ parameter: 'command', message: expect.stringMatching(/^command: Binder error at line 2, column 3: .*agee/) }]);
    expect(await check(sqlScript, { command: 'select f1 from t1' }, [people()])).toEqual([]);
    const syntax = await check(sqlScript, { command: 'select from where' }, [people()]);
    expect(syntax[0].message).toMatch(/Parser error at line 1, column/);
  });

  it('tells the result\'s columns before running (downstream field pickers see them), vectors with their input size', async () => {
    const vectors = tableValue(tableFromRows([['1 2 3', 5]], parseSchemaStr('v vector, n long')));
    const schemaOf = async (component: typeof sqlScript, raw: Record<string, unknown>, inputs: ReturnType<typeof people>[]) => {
      const { params } = resolveParams(component.description, raw as never, { strict: true });
      const schemas: PortSchema[] = inputs.map((v) => (v.type === 'table' ? { type: 'table', schema: v.table.schema } : { type: 'model', modelType: v.model.modelType }));
      return (await component.check!(params, schemas)).outputs;
    };
    expect(await schemaOf(sqlScript, { command: 'select f1 as state, age * 2.5 as a, age + 1 as b from t1' }, [people()])).toEqual([
      { type: 'table', schema: { columns: [{ name: 'state', type: 'string' }, { name: 'a', type: 'double' }, { name: 'b', type: 'long' }] } },
    ]);
    const [out] = (await schemaOf(sqlScript, { command: 'select v, list_value(n, n) as w from t1' }, [vectors]))!;
    expect(out).toEqual({ type: 'table', schema: { columns: [{ name: 'v', type: 'vector', vectorSize: 3 }, { name: 'w', type: 'vector' }] } });
    expect(await schemaOf(filterMapping, { clause: 'age > 30', selectClause: 'f1, score' }, [people()])).toEqual([
      { type: 'table', schema: { columns: [{ name: 'f1', type: 'string' }, { name: 'score', type: 'double' }] } },
    ]);
    expect(await schemaOf(sqlScript, { command: 'select nope from t1' }, [people()])).toBeUndefined();
  });

  it('cannot read a file by path or a URL, or run anything but one SELECT', async () => {
    const refused: [string, RegExp][] = [
      ["select * from read_csv('/etc/passwd')", /Permission error/],
      ["select * from read_csv('http://127.0.0.1:9/x.csv')", /Permission error/],
      // a path as a table name is not read as a file at all
      ["select * from '/etc/passwd'", /Catalog error.*does not exist/],
    ];
    for (const [command, why] of refused) {
      const errors = await check(sqlScript, { command }, [people()]);
      expect(errors[0]).toMatchObject({ parameter: 'command', message: expect.stringMatching(why) });
      await expect(runComponent(sqlScript, { command }, [people()])).rejects.toMatchObject({ details: { nodeId: 'node-1', parameter: 'command' }, message: expect.stringMatching(why) });
    }
    expect((await check(sqlScript, { command: 'select 1; drop table t1' }, [people()]))[0].message).toMatch(/one SELECT statement/);
    expect((await check(sqlScript, { command: 'create table x as select 1' }, [people()]))[0].message).toMatch(/must be a SELECT/);
  });
});

describe('Filtering and Mapping (FilterBatchOp / SelectBatchOp)', () => {
  it("keeps the rows that meet the condition, as Alink's f1='Ohio'", async () => {
    const ran = await runComponent(filterMapping, { clause: "f1='Ohio'" }, [people()]);
    expect(ran.rows()).toEqual([
      ['Ohio', 41, 1.5],
      ['Ohio', 63, NaN],
    ]);
    expect(ran.logs.join()).toMatch(/2 of 4 rows kept/);
  });

  it('computes the output columns from the select expressions', async () => {
    const ran = await runComponent(filterMapping, { selectClause: 'f1 as name, age + 1 as next' }, [people()]);
    expect(ran.table().schema.columns.map((c) => c.name)).toEqual(['name', 'next']);
    expect(ran.rows()[0]).toEqual(['Ohio', 42]);
    const both = await runComponent(filterMapping, { clause: 'age >= 40', selectClause: 'f1' }, [people()]);
    expect(both.rows()).toEqual([['Ohio'], ['Ohio'], ['Utah']]);
  });

  it('each clause’s error names its parameter and the character in it', async () => {
    expect(await check(filterMapping, { clause: 'agee > 1' }, [people()])).toEqual([{ parameter: 'clause', message: expect.stringMatching(/^clause: Binder error at character 1: .*agee/) }]);
    expect(await check(filterMapping, { clause: 'age > 1', selectClause: 'f1, nope' }, [people()])).toEqual([
      { parameter: 'selectClause', message: expect.stringMatching(/^selectClause: Binder error at character 5: .*nope/) },
    ]);
    const file = await check(filterMapping, { selectClause: "(select count(*) from read_csv('/etc/passwd')) as n" }, [people()]);
    expect(file[0]).toMatchObject({ parameter: 'selectClause', message: expect.stringMatching(/Permission/) });
  });

  it('a run names the clause at fault as check does, the condition first when both are wrong', async () => {
    const cases: Record<string, string>[] = [{ clause: 'agee > 1' }, { clause: 'age > 1', selectClause: 'f1, nope' }, { clause: 'agee > 1', selectClause: 'f1, nope' }];
    for (const raw of cases) {
      const [expected] = await check(filterMapping, raw, [people()]);
      await expect(runComponent(filterMapping, raw, [people()])).rejects.toMatchObject({
        message: expected.message,
        details: { nodeId: 'node-1', parameter: expected.parameter },
      });
    }
  });
});

describe('how often a run compiles its SQL', () => {
  afterEach(() => jest.restoreAllMocks());

  it('a successful run opens one sandboxed database and prepares its statement once (check compiled it before, on empty tables)', async () => {
    const opened = jest.spyOn(DataEngine, 'open');
    const queried = jest.spyOn(DataEngine.prototype, 'querySelect');
    expect((await runComponent(filterMapping, { clause: 'age >= 40', selectClause: 'f1' }, [people()])).rows()).toHaveLength(3);
    expect((await runComponent(sqlScript, { command: 'select f1 from t1' }, [people()])).rows()).toHaveLength(4);
    expect(opened).toHaveBeenCalledTimes(2);
    expect(queried).toHaveBeenCalledTimes(2);
  });

  it('a failed Filtering and Mapping run compiles the condition once more, on empty tables, to name it', async () => {
    const opened = jest.spyOn(DataEngine, 'open');
    await expect(runComponent(filterMapping, { clause: 'age > 1', selectClause: 'nope' }, [people()])).rejects.toMatchObject({ details: { parameter: 'selectClause' } });
    expect(opened).toHaveBeenCalledTimes(2);
  });
});
